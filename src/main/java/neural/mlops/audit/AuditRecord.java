package neural.mlops.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a caller asks to be recorded: an audit event before the logger gives it its sequence
 * number, time, host and hashes.
 */
public record AuditRecord(
        EventType type,
        EventSeverity severity,
        String user,
        String resourceType,
        String resourceId,
        String action,
        Outcome outcome,
        String reason,
        Map<String, Object> details,
        String ipAddress) {

    public AuditRecord {
        Objects.requireNonNull(type, "type");
        severity = severity == null ? EventSeverity.INFO : severity;
        outcome = outcome == null ? Outcome.SUCCESS : outcome;
        details = details == null ? Map.of() : new LinkedHashMap<>(details);
    }

    /** A successful, informational lifecycle action on a resource. */
    public static AuditRecord of(EventType type, String user, String resourceType, String resourceId,
                                 String action, Map<String, Object> details) {
        return new AuditRecord(type, EventSeverity.INFO, user, resourceType, resourceId, action,
                Outcome.SUCCESS, null, details, null);
    }

    public AuditRecord withReason(String newReason) {
        return new AuditRecord(type, severity, user, resourceType, resourceId, action, outcome, newReason, details, ipAddress);
    }

    public AuditRecord withOutcome(Outcome newOutcome, EventSeverity newSeverity) {
        return new AuditRecord(type, newSeverity, user, resourceType, resourceId, action, newOutcome, reason, details, ipAddress);
    }
}
