package neural.mlops.audit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;

/** What came of the action an audit event records (SPEC 2.3). */
public enum Outcome {
    SUCCESS,
    FAILURE,
    DENIED;

    /** Computed once: reading a year of events parses and writes these a million times. */
    private final String value = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String value() {
        return value;
    }

    @JsonCreator
    public static Outcome parse(String text) {
        String wanted = text == null ? "" : text.trim();
        for (Outcome outcome : values()) {
            if (outcome.value.equalsIgnoreCase(wanted)) {
                return outcome;
            }
        }
        throw new InvalidInputException("Unknown outcome " + Names.quote(text) + "; expected success, failure or denied");
    }
}
