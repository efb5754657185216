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

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Outcome parse(String text) {
        for (Outcome outcome : values()) {
            if (outcome.value().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return outcome;
            }
        }
        throw new InvalidInputException("Unknown outcome " + Names.quote(text) + "; expected success, failure or denied");
    }
}
