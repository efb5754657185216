package neural.mlops.audit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import neural.mlops.store.Enums;
import neural.mlops.store.Valued;

/** The audit event types of SPEC 2.3, written in lowercase in JSON. */
public enum EventType implements Valued {
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
    @Override
    public String value() {
        return value;
    }

    @JsonCreator
    public static EventType parse(String text) {
        return Enums.parse(EventType.class, text, "event type");
    }
}
