package neural.mlops.audit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import neural.mlops.store.Enums;
import neural.mlops.store.Valued;

/**
 * The audit event types, written in lowercase in JSON: those of SPEC 2.3, then the original
 * Python module's own (SPEC 10) that the product has no narrower type for. Events of all of them
 * are read, filtered, counted and exported alike; {@link #original()} maps each to the original's
 * nine for {@code --shape original} (docs/store-format.md has the table).
 */
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
    INTEGRITY_CHECK,
    // The original's types (SPEC 10) beside ours: a migrated trail keeps them as written.
    MODEL_ARCHIVED,
    ACCESS_GRANTED,
    ACCESS_REVOKED,
    CONFIGURATION_CHANGED,
    DATA_ACCESS;

    /** Computed once: reading a year of events parses and writes these a million times. */
    private final String value = name().toLowerCase(Locale.ROOT);

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    /**
     * The original module's type this one is written as in its document shapes: its own nine
     * stay themselves, the product's finer ones map to the nearest (the original's readers reject
     * any other type). The table is in docs/store-format.md.
     */
    public EventType original() {
        return switch (this) {
            case MODEL_REGISTERED, MODEL_PROMOTED, MODEL_DEPLOYED, MODEL_ARCHIVED, ACCESS_GRANTED, ACCESS_REVOKED,
                    CONFIGURATION_CHANGED, SECURITY_VIOLATION, DATA_ACCESS -> this;
            case MODEL_UPDATED, CONFIG_CHANGED -> CONFIGURATION_CHANGED;
            case MODEL_DELETED -> MODEL_ARCHIVED;
            case DEPLOYMENT_CREATED, DEPLOYMENT_ACTIVATED, DEPLOYMENT_DEACTIVATED, DEPLOYMENT_ROLLED_BACK -> MODEL_DEPLOYED;
            case ACCESS_DENIED -> SECURITY_VIOLATION;
            case MODEL_ACCESSED, AUDIT_EXPORTED, REPORT_GENERATED, INTEGRITY_CHECK -> DATA_ACCESS;
        };
    }

    @JsonCreator
    public static EventType parse(String text) {
        return Enums.parse(EventType.class, text, "event type");
    }
}
