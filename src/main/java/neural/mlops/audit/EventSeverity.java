package neural.mlops.audit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import neural.mlops.store.Enums;
import neural.mlops.store.Valued;

/** How serious an audit event is (SPEC 2.3), in rising order. */
public enum EventSeverity implements Valued {
    INFO,
    WARNING,
    ERROR,
    CRITICAL;

    /** Computed once: reading a year of events parses and writes these a million times. */
    private final String value = name().toLowerCase(Locale.ROOT);

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @JsonCreator
    public static EventSeverity parse(String text) {
        return Enums.parse(EventSeverity.class, text, "severity");
    }
}
