package neural.mlops.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a caller asks to be recorded: an audit event before the logger gives it its sequence
 * number, time, host and hashes. {@code tags} label it as the original module's events are
 * (SPEC 10); most records have none.
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
        String ipAddress,
        List<String> tags) {

    public AuditRecord {
        Objects.requireNonNull(type, "type");
        severity = severity == null ? EventSeverity.INFO : severity;
        outcome = outcome == null ? Outcome.SUCCESS : outcome;
        details = details == null ? Map.of() : new LinkedHashMap<>(details);
        tags = tags == null || tags.isEmpty() ? List.of() : List.copyOf(tags);
    }

    /** A record without tags. */
    public AuditRecord(EventType type, EventSeverity severity, String user, String resourceType, String resourceId,
                       String action, Outcome outcome, String reason, Map<String, Object> details, String ipAddress) {
        this(type, severity, user, resourceType, resourceId, action, outcome, reason, details, ipAddress, List.of());
    }

    /** A successful, informational lifecycle action on a resource. */
    public static AuditRecord of(EventType type, String user, String resourceType, String resourceId,
                                 String action, Map<String, Object> details) {
        return new AuditRecord(type, EventSeverity.INFO, user, resourceType, resourceId, action,
                Outcome.SUCCESS, null, details, null);
    }

    public AuditRecord withReason(String newReason) {
        return new AuditRecord(type, severity, user, resourceType, resourceId, action, outcome, newReason, details, ipAddress, tags);
    }

    /** This record with {@code more} added to its details (a signature over the action); itself when there is none. */
    public AuditRecord withDetails(Map<String, Object> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, Object> merged = new LinkedHashMap<>(details);
        merged.putAll(more);
        return new AuditRecord(type, severity, user, resourceType, resourceId, action, outcome, reason, merged, ipAddress, tags);
    }

    public AuditRecord withOutcome(Outcome newOutcome, EventSeverity newSeverity) {
        return new AuditRecord(type, newSeverity, user, resourceType, resourceId, action, newOutcome, reason, details, ipAddress, tags);
    }
}
