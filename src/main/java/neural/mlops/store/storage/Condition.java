package neural.mlops.store.storage;

import java.util.Objects;

/**
 * When a write or delete may happen. {@link #absent()} is S3's {@code If-None-Match: *} (create, never
 * overwrite), {@link #matches} its {@code If-Match: <etag>} (replace only what was read); a write
 * whose condition does not hold throws {@link ConditionFailedException} and changes nothing.
 * {@link #none()} is for derived files only (indexes rebuilt when lost), never for a document of record.
 */
public sealed interface Condition {

    static Condition absent() {
        return Absent.INSTANCE;
    }

    static Condition matches(Version version) {
        return new Matches(Objects.requireNonNull(version, "version"));
    }

    static Condition none() {
        return None.INSTANCE;
    }

    /** The key must not exist. */
    enum Absent implements Condition {
        INSTANCE
    }

    /** The key must exist with exactly this version. */
    record Matches(Version version) implements Condition {
    }

    /** Unconditional. */
    enum None implements Condition {
        INSTANCE
    }
}
