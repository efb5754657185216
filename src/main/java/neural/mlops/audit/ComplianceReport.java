package neural.mlops.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A compliance report over a period (SPEC 3.3): counts by type, severity, user and day, the
 * events an auditor reads one by one (security violations, access denials, deployments,
 * promotions, failed operations, critical events, oldest first), the integrity of the period and the chain head.
 * {@code file} is where it was saved under {@code reports/}.
 */
public record ComplianceReport(
        String reportId,
        Instant generatedAt,
        String generatedBy,
        Instant periodStart,
        Instant periodEnd,
        long totalEvents,
        Map<EventType, Long> eventsByType,
        Map<EventSeverity, Long> eventsBySeverity,
        Map<String, Long> eventsByUser,
        Map<LocalDate, Long> eventsByDay,
        List<AuditEvent> securityViolations,
        List<AuditEvent> accessDenied,
        List<AuditEvent> modelDeployments,
        List<AuditEvent> promotions,
        List<AuditEvent> failedOperations,
        List<AuditEvent> criticalEvents,
        IntegrityReport integrity,
        long headSeq,
        String headHash,
        Path file) {

    public ComplianceReport {
        eventsByType = Map.copyOf(eventsByType);
        eventsBySeverity = Map.copyOf(eventsBySeverity);
        eventsByUser = Map.copyOf(eventsByUser);
        eventsByDay = Collections.unmodifiableMap(new TreeMap<>(eventsByDay));
        securityViolations = List.copyOf(securityViolations);
        accessDenied = List.copyOf(accessDenied);
        modelDeployments = List.copyOf(modelDeployments);
        promotions = List.copyOf(promotions);
        failedOperations = List.copyOf(failedOperations);
        criticalEvents = List.copyOf(criticalEvents);
    }

    /** {@link #toJson(ZoneId)} with the original's times in the system zone. */
    public ObjectNode toJson() {
        return toJson(ZoneId.systemDefault());
    }

    /**
     * The report as saved: snake_case keys, times in UTC, and beside them the original module's
     * keys (its naive times in {@code legacyZone}), a superset that scripts for either read.
     */
    public ObjectNode toJson(ZoneId legacyZone) {
        return ReportJson.report(this, legacyZone);
    }

    /**
     * The report in the original Python module's shape (SPEC 10), exactly its keys, its event
     * types and its naive times in {@code zone}: for scripts written against the original.
     */
    public ObjectNode toOriginalJson(ZoneId zone) {
        return OriginalShape.report(this, zone);
    }
}
