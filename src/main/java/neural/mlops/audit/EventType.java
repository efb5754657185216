package neural.mlops.audit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;

/** The audit event types of SPEC 2.3, written in lowercase in JSON. */
public enum EventType {
    MODEL_REGISTERED,
    MODEL_UPDATED,
    MODEL_PROMOTED,
    MODEL_DELETED,
    MODEL_ACCESSED,
    MODEL_DEPLOYED,
    DEPLOYMENT_CREATED,
    DEPLOYMENT_ACTIVATED,
    DEPLOYMENT_DEACTIVATED,
    DEPLOYMENT_ROLLED_BACK,
    SECURITY_VIOLATION,
    ACCESS_DENIED,
    CONFIG_CHANGED,
    AUDIT_EXPORTED,
    REPORT_GENERATED,
    INTEGRITY_CHECK;

    /** Computed once: reading a year of events parses and writes these a million times. */
    private final String value = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String value() {
        return value;
    }

    @JsonCreator
    public static EventType parse(String text) {
        String wanted = text == null ? "" : text.trim();
        for (EventType type : values()) {
            if (type.value.equalsIgnoreCase(wanted)) {
                return type;
            }
        }
        throw new InvalidInputException("Unknown event type " + Names.quote(text) + "; expected one of "
                + Arrays.stream(values()).map(EventType::value).collect(Collectors.joining(", ")));
    }
}
