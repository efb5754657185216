package neural.mlops.audit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts and listed events of a compliance report, tallied one day at a time: {@link #ofDay}
 * runs on the threads that read the index (so a year's days are tallied in parallel), and
 * {@link #add} merges the days in order, so the lists keep the order of the trail.
 */
final class ReportTally {

    long total;
    final Map<EventType, Long> byType = new EnumMap<>(EventType.class);
    final Map<EventSeverity, Long> bySeverity = new EnumMap<>(EventSeverity.class);
    final Map<String, Long> byUser = new HashMap<>();
    final Map<LocalDate, Long> byDay = new TreeMap<>();
    final List<AuditEvent> violations = new ArrayList<>();
    final List<AuditEvent> denied = new ArrayList<>();
    final List<AuditEvent> deployments = new ArrayList<>();
    final List<AuditEvent> promotions = new ArrayList<>();
    final List<AuditEvent> failed = new ArrayList<>();

    /** The day's events that fall in {@code period}: counted from their fields, read in full only when listed. */
    static ReportTally ofDay(TrailIndex.Day day, AuditFilter period) {
        ReportTally tally = new ReportTally();
        long counted = 0;
        for (IndexedEvent indexed : day.events()) {
            AuditEvent event = indexed.summary();
            if (!period.test(event)) {
                continue;
            }
            counted++;
            tally.byType.merge(event.eventType(), 1L, Long::sum);
            tally.bySeverity.merge(event.severity(), 1L, Long::sum);
            tally.byUser.merge(event.user() == null ? "(none)" : event.user(), 1L, Long::sum);
            AuditEvent full = null;
            switch (event.eventType()) {
                case SECURITY_VIOLATION -> tally.violations.add(full = indexed.event());
                case ACCESS_DENIED -> tally.denied.add(full = indexed.event());
                case MODEL_DEPLOYED, DEPLOYMENT_CREATED, DEPLOYMENT_ACTIVATED, DEPLOYMENT_DEACTIVATED,
                        DEPLOYMENT_ROLLED_BACK -> tally.deployments.add(full = indexed.event());
                case MODEL_PROMOTED -> tally.promotions.add(full = indexed.event());
                default -> { }
            }
            if (event.outcome() == Outcome.FAILURE) {
                tally.failed.add(full != null ? full : indexed.event());
            }
        }
        tally.total = counted;
        if (counted > 0) {
            tally.byDay.put(day.day(), counted);
        }
        return tally;
    }

    /** Adds a later day's tally. */
    void add(ReportTally day) {
        total += day.total;
        day.byType.forEach((type, count) -> byType.merge(type, count, Long::sum));
        day.bySeverity.forEach((severity, count) -> bySeverity.merge(severity, count, Long::sum));
        day.byUser.forEach((user, count) -> byUser.merge(user, count, Long::sum));
        byDay.putAll(day.byDay);
        violations.addAll(day.violations);
        denied.addAll(day.denied);
        deployments.addAll(day.deployments);
        promotions.addAll(day.promotions);
        failed.addAll(day.failed);
    }
}
