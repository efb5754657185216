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
    final List<AuditEvent> critical = new ArrayList<>();

    /**
     * The day's events that fall in {@code period}: from the day's summary when the period holds
     * the whole day (every event's time in it), else event by event: a busy day's (the period
     * starts or ends inside it) a window of its index at a time, as {@code pieces} says, any other
     * day's from its events read whole.
     */
    static ReportTally ofView(TrailIndex.DayView view, AuditFilter period, DayInPieces.Settings pieces) {
        DaySummary summary = view.summary();
        if (summary.events() == 0) {
            return ofDay(view.events(), period);
        }
        boolean whole = (period.since() == null || !summary.firstTime().isBefore(period.since()))
                && (period.until() == null || !summary.lastTime().isAfter(period.until()));
        if (whole) {
            return ofSummary(summary);
        }
        return view.inPieces(pieces).map(busy -> ofPieces(view.day(), busy, period))
                .orElseGet(() -> ofDay(view.events(), period));
    }

    /** Every event of the day, from its summary: the counts and the listed events as it holds them. */
    static ReportTally ofSummary(DaySummary summary) {
        ReportTally tally = new ReportTally();
        tally.total = summary.events();
        tally.byType.putAll(summary.byType());
        tally.bySeverity.putAll(summary.bySeverity());
        tally.byUser.putAll(summary.byUser());
        if (summary.events() > 0) {
            tally.byDay.put(summary.day(), summary.events());
        }
        summary.listedEvents().forEach(tally::list);
        return tally;
    }

    /** The day's events that fall in {@code period}: counted from their fields, read in full only when listed. */
    static ReportTally ofDay(TrailIndex.Day day, AuditFilter period) {
        ReportTally tally = new ReportTally();
        for (IndexedEvent indexed : day.events()) {
            if (period.test(indexed.summary())) {
                tally.count(indexed);
            }
        }
        return tally.dated(day.day());
    }

    /** As {@link #ofDay}, the busy day {@code day} read a window of its index at a time: never held whole. */
    static ReportTally ofPieces(LocalDate day, DayInPieces busy, AuditFilter period) {
        ReportTally tally = new ReportTally();
        busy.each(period::test, false, window -> {
            window.forEach(tally::count);
            return true;
        });
        return tally.dated(day);
    }

    private void count(IndexedEvent indexed) {
        AuditEvent event = indexed.summary();
        total++;
        byType.merge(event.eventType(), 1L, Long::sum);
        bySeverity.merge(event.severity(), 1L, Long::sum);
        byUser.merge(event.user() == null ? "(none)" : event.user(), 1L, Long::sum);
        if (DaySummary.listed(event)) {
            list(indexed.event());
        }
    }

    /** This one day's tally, its count put under {@code day} when it has any. */
    private ReportTally dated(LocalDate day) {
        if (total > 0) {
            byDay.put(day, total);
        }
        return this;
    }

    /** Puts a listed event in the lists it belongs to (a failed deployment is in two). */
    private void list(AuditEvent event) {
        switch (event.eventType()) {
            case SECURITY_VIOLATION -> violations.add(event);
            case ACCESS_DENIED -> denied.add(event);
            case MODEL_DEPLOYED, DEPLOYMENT_CREATED, DEPLOYMENT_ACTIVATED, DEPLOYMENT_DEACTIVATED,
                    DEPLOYMENT_ROLLED_BACK -> deployments.add(event);
            case MODEL_PROMOTED -> promotions.add(event);
            default -> { }
        }
        if (event.outcome() == Outcome.FAILURE) {
            failed.add(event);
        }
        if (event.severity() == EventSeverity.CRITICAL) {
            critical.add(event);
        }
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
        critical.addAll(day.critical);
    }
}
