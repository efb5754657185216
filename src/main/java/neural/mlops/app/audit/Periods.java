package neural.mlops.app.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;

/**
 * The days a user picks, in the user's time zone, as the instants the core filters on: a day
 * starts at local midnight and ends at the last microsecond before the next one (stored times
 * have microseconds), so "from 15 to 15 January" is the whole local 15th.
 */
final class Periods {

    static final DateTimeFormatter COMPACT = DateTimeFormatter.BASIC_ISO_DATE;

    private Periods() {
    }

    static Instant startOf(LocalDate day, ZoneId zone) {
        return day == null ? null : day.atStartOfDay(zone).toInstant();
    }

    static Instant endOf(LocalDate day, ZoneId zone) {
        return day == null ? null : day.plusDays(1).atStartOfDay(zone).toInstant().minusNanos(1000);
    }

    /** What is wrong with the period, or null. */
    static String problem(LocalDate from, LocalDate to) {
        return from != null && to != null && to.isBefore(from)
                ? "The period ends (" + to + ") before it starts (" + from + "); choose a later end day" : null;
    }

    /**
     * The core's filter for the given criteria; blank text means no criterion. Throws
     * {@link IllegalArgumentException} with a message for the user when the period is reversed.
     */
    static AuditFilter filter(EventType type, EventSeverity severity, String user, String text,
                              LocalDate from, LocalDate to, ZoneId zone) {
        String problem = problem(from, to);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return AuditFilter.all()
                .withType(type)
                .withSeverity(severity)
                .withUser(blankToNull(user))
                .withText(blankToNull(text))
                .withPeriod(startOf(from, zone), endOf(to, zone));
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
