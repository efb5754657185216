package neural.mlops.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;

/** The JSON documents of reports and verification results: snake_case keys, UTC times. */
final class ReportJson {

    private ReportJson() {
    }

    /**
     * The report as saved: the product's keys, and beside them the original module's (SPEC 10:
     * {@code period_start}, {@code period_end} as naive times in {@code legacyZone},
     * {@code critical_events} and its summary keys), so that scripts written for either read it.
     */
    static ObjectNode report(ComplianceReport report, ZoneId legacyZone) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("report_id", report.reportId());
        node.put("generated_at", UtcTime.format(report.generatedAt()));
        node.put("generated_by", report.generatedBy());
        node.set("period", period(report.periodStart(), report.periodEnd()));
        node.put("period_start", OriginalShape.time(report.periodStart(), legacyZone));
        node.put("period_end", OriginalShape.time(report.periodEnd(), legacyZone));
        node.put("total_events", report.totalEvents());
        ObjectNode byType = node.putObject("events_by_type");
        report.eventsByType().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> byType.put(entry.getKey().value(), entry.getValue()));
        ObjectNode bySeverity = node.putObject("events_by_severity");
        report.eventsBySeverity().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> bySeverity.put(entry.getKey().value(), entry.getValue()));
        ObjectNode byUser = node.putObject("events_by_user");
        report.eventsByUser().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> byUser.put(entry.getKey(), entry.getValue()));
        ObjectNode byDay = node.putObject("events_by_day");
        report.eventsByDay().forEach((day, count) -> byDay.put(day.toString(), count));
        ObjectNode summary = node.putObject("summary");
        summary.put("security_violations", report.securityViolations().size());
        summary.put("access_denied", report.accessDenied().size());
        summary.put("model_deployments", report.modelDeployments().size());
        summary.put("promotions", report.promotions().size());
        summary.put("failed_operations", report.failedOperations().size());
        summary.put("integrity_intact", report.integrity().intact());
        summary.put("critical_events", report.criticalEvents().size());
        OriginalShape.summary(summary, report, OriginalShape.originalTypes(report.eventsByType()));
        node.set("security_violations", events(report.securityViolations()));
        node.set("access_denied", events(report.accessDenied()));
        node.set("model_deployments", events(report.modelDeployments()));
        node.set("promotions", events(report.promotions()));
        node.set("failed_operations", events(report.failedOperations()));
        node.set("critical_events", events(report.criticalEvents()));
        node.set("integrity", integrity(report.integrity()));
        ObjectNode head = node.putObject("chain_head");
        head.put("seq", report.headSeq());
        head.put("hash", report.headHash());
        return node;
    }

    static ObjectNode integrity(IntegrityReport report) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("intact", report.intact());
        node.put("checked_at", UtcTime.format(report.checkedAt()));
        if (report.periodStart() != null || report.periodEnd() != null) {
            node.set("period", period(report.periodStart(), report.periodEnd()));
        }
        node.put("events_checked", report.eventsChecked());
        node.put("unchained_events", report.unchainedEvents());
        node.put("adopted_events", report.adoptedEvents());
        node.put("archived_events", report.archivedEvents());
        node.put("head_seq", report.headSeq());
        node.put("head_hash", report.headHash());
        node.put("signed", report.signed());
        node.put("trail_signed", report.trailSigned());
        ObjectNode verified = node.putObject("verified");
        verified.put("chain", report.coverage().chain());
        verified.put("signatures", report.coverage().signatures());
        verified.put("derived_files", report.coverage().derivedFiles());
        ArrayNode problems = node.putArray("problems");
        for (IntegrityProblem problem : report.problems()) {
            ObjectNode entry = problems.addObject();
            entry.put("kind", problem.kind().value());
            if (problem.seq() > 0) {
                entry.put("seq", problem.seq());
            } else {
                entry.putNull("seq");
            }
            entry.put("file", problem.file() == null ? null : problem.file().toString());
            entry.put("message", problem.message());
            if (problem.eventId() != null) {
                entry.put("event_id", problem.eventId());
                entry.put("user", problem.user());
                entry.put("why", problem.why());
            }
        }
        ArrayNode notes = node.putArray("notes");
        report.notes().forEach(notes::add);
        return node;
    }

    static ObjectNode period(Instant start, Instant end) {
        ObjectNode period = Json.mapper().createObjectNode();
        period.put("start", start == null ? null : UtcTime.format(start));
        period.put("end", end == null ? null : UtcTime.format(end));
        return period;
    }

    private static ArrayNode events(List<AuditEvent> events) {
        ArrayNode array = Json.mapper().createArrayNode();
        events.forEach(event -> array.add(EventJson.toJson(event)));
        return array;
    }
}
