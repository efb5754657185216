package neural.mlops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import neural.mlops.store.Json;

/**
 * The original Python module's document shapes (SPEC 10), written for scripts that read them
 * ({@code --shape original}): exactly its keys in its order, its nine event types (the product's
 * finer ones mapped by {@link EventType#original()}, the type as recorded kept in
 * {@code details.product_event_type}) and its naive local times, in the workspace's
 * {@code legacy_timezone}.
 */
public final class OriginalShape {

    /** The keys of the original's event, in its order. */
    public static final List<String> EVENT_KEYS = List.of("event_id", "event_type", "timestamp", "user", "severity",
            "resource_type", "resource_id", "action", "details", "ip_address", "tags");

    /** The keys of the original's compliance report, in its order. */
    public static final List<String> REPORT_KEYS = List.of("report_id", "generated_at", "period_start", "period_end",
            "total_events", "events_by_type", "events_by_severity", "events_by_user", "security_violations",
            "critical_events", "summary");

    /** The keys of the original report's summary. */
    public static final List<String> SUMMARY_KEYS = List.of("total_security_violations", "total_critical_events",
            "most_active_user", "most_common_event_type");

    /** The key of details that keeps the product's type when it was mapped to one of the original's. */
    public static final String PRODUCT_EVENT_TYPE = "product_event_type";

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

    private OriginalShape() {
    }

    /** Python's {@code datetime.isoformat()} of the naive local time: microseconds only when there are some. */
    public static String time(Instant instant, ZoneId zone) {
        if (instant == null) {
            return null; // an open end of a period
        }
        LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
        return (local.getNano() / 1_000 == 0 ? SECONDS : MICROS).format(local);
    }

    /** One event in the original's shape; {@code storedDetails} is its details as stored (null: the event's). */
    static ObjectNode event(AuditEvent event, JsonNode storedDetails, ZoneId zone) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("event_id", event.eventId());
        EventType original = event.eventType().original();
        node.put("event_type", original.value());
        node.put("timestamp", time(event.timestamp(), zone));
        node.put("user", event.user());
        node.put("severity", event.severity().value());
        node.put("resource_type", event.resourceType());
        node.put("resource_id", event.resourceId());
        node.put("action", event.action());
        ObjectNode details = storedDetails != null && storedDetails.isObject() ? ((ObjectNode) storedDetails).deepCopy()
                : Json.mapper().valueToTree(event.details());
        if (original != event.eventType()) {
            details.put(PRODUCT_EVENT_TYPE, event.eventType().value());
        }
        node.set("details", details);
        node.put("ip_address", event.ipAddress());
        ArrayNode tags = node.putArray("tags");
        event.tags().forEach(tags::add);
        return node;
    }

    static ObjectNode event(AuditEvent event, ZoneId zone) {
        return event(event, null, zone);
    }

    /** The report with exactly the original's keys (SPEC 10), its counts by the original's types. */
    static ObjectNode report(ComplianceReport report, ZoneId zone) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("report_id", report.reportId());
        node.put("generated_at", time(report.generatedAt(), zone));
        node.put("period_start", time(report.periodStart(), zone));
        node.put("period_end", time(report.periodEnd(), zone));
        node.put("total_events", report.totalEvents());
        Map<EventType, Long> byType = originalTypes(report.eventsByType());
        ObjectNode types = node.putObject("events_by_type");
        byType.forEach((type, count) -> types.put(type.value(), count));
        ObjectNode severities = node.putObject("events_by_severity");
        report.eventsBySeverity().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> severities.put(entry.getKey().value(), entry.getValue()));
        ObjectNode users = node.putObject("events_by_user");
        byUser(report.eventsByUser()).forEach(users::put);
        node.set("security_violations", events(report.securityViolations(), zone));
        node.set("critical_events", events(report.criticalEvents(), zone));
        summary(node.putObject("summary"), report, byType);
        return node;
    }

    /** The original's summary keys, put into {@code summary} (the product's saved report carries them too). */
    static void summary(ObjectNode summary, ComplianceReport report, Map<EventType, Long> byOriginalType) {
        summary.put("total_security_violations", report.securityViolations().size());
        summary.put("total_critical_events", report.criticalEvents().size());
        summary.put("most_active_user", mostCommon(report.eventsByUser()));
        Map<String, Long> byTypeName = new LinkedHashMap<>();
        byOriginalType.forEach((type, count) -> byTypeName.put(type.value(), count));
        summary.put("most_common_event_type", mostCommon(byTypeName));
    }

    /** The counts by the original's nine types (the product's finer types added to theirs). */
    static Map<EventType, Long> originalTypes(Map<EventType, Long> byType) {
        Map<EventType, Long> counts = new EnumMap<>(EventType.class);
        byType.forEach((type, count) -> counts.merge(type.original(), count, Long::sum));
        return counts;
    }

    private static Map<String, Long> byUser(Map<String, Long> byUser) {
        Map<String, Long> sorted = new LinkedHashMap<>();
        byUser.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }

    /** The key with the greatest count (ties: the first by name), or null when there are none, as the original. */
    private static String mostCommon(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .min(Comparator.comparing((Map.Entry<String, Long> entry) -> -entry.getValue())
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).orElse(null);
    }

    /** Events newest first, as the original lists them. */
    private static ArrayNode events(List<AuditEvent> events, ZoneId zone) {
        ArrayNode array = Json.mapper().createArrayNode();
        for (int i = events.size() - 1; i >= 0; i--) {
            array.add(event(events.get(i), zone));
        }
        return array;
    }
}
