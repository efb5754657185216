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

    /** Computed once: reading a year of events parses and writes these a million times. */
    private final String value = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String value() {
        return value;
    }

    @JsonCreator
    public static EventSeverity parse(String text) {
        String wanted = text == null ? "" : text.trim();
        for (EventSeverity severity : values()) {
            if (severity.value.equalsIgnoreCase(wanted)) {
                return severity;
            }
        }
        throw new InvalidInputException("Unknown severity " + Names.quote(text)
                + "; expected one of info, warning, error, critical");
    }
}
