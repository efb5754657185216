package neural.mlops.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What verification found wrong with the audit trail (SPEC 3.3). */
public enum ProblemKind {
    /** An event's content no longer matches its hash, or the chain link to it. */
    MODIFIED,
    /** A seq is absent from the chain (an event file was deleted), or head.json is gone. */
    MISSING,
    /** An event is stored out of order: under another seq's file name, in another day, or twice. */
    REORDERED,
    /** head.json records more events than the trail holds: the newest ones were removed. */
    TRUNCATED,
    /** A file that cannot be read as an event (or as head.json / a digest). */
    MALFORMED,
    /** An event without a hash, written by a tool that does not chain: readable, but not vouched for. */
    UNCHAINED,
    /** With a key: a signature (head or day digest) is missing, wrong, or made with another key. */
    SIGNATURE,
    /**
     * A derived file (a day's index or summary) says something the events do not: it was edited.
     * It is never used; the next reader rebuilds it from the events.
     */
    DERIVED;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
