package neural.mlops.audit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;

/** How serious an audit event is (SPEC 2.3), in rising order. */
public enum EventSeverity {
    INFO,
    WARNING,
    ERROR,
    CRITICAL;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static EventSeverity parse(String text) {
        for (EventSeverity severity : values()) {
            if (severity.value().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return severity;
            }
        }
        throw new InvalidInputException("Unknown severity " + Names.quote(text)
                + "; expected one of info, warning, error, critical");
    }
}
