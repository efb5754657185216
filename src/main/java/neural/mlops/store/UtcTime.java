package neural.mlops.store;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times as every store writes them (SPEC 2): UTC, ISO-8601 with microseconds and a {@code Z}, and
 * the {@code YYYYMMDD_HHMMSS} stamp of file names.
 */
public final class UtcTime {

    private static final DateTimeFormatter STORED =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FILE_STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd_HHmmss").withZone(ZoneOffset.UTC);
    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,5})([dhw])");

    private UtcTime() {
    }

    /** {@code 2024-01-15T12:00:00.123456Z}; finer precision than microseconds is dropped. */
    public static String format(Instant instant) {
        return STORED.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    /** {@code 20240115_120000}, the stamp in deployment, event and report file names. */
    public static String fileStamp(Instant instant) {
        return FILE_STAMP.format(instant);
    }

    /** The current time as stored: microsecond precision, so that a written and re-read time compare equal. */
    public static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Parses a stored time. Accepts a {@code Z} or an offset; a time without either (as written by
     * tools that use naive UTC datetimes) is taken as UTC.
     */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("Missing time value");
        }
        String value = text.trim();
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                throw new InvalidInputException("Invalid time " + Names.quote(value)
                        + ": expected ISO-8601 such as 2024-01-15T12:00:00Z");
            }
        }
    }

    /**
     * Parses a date argument of the CLI and GUI: {@code YYYY-MM-DD} (the start of that day in UTC),
     * a full ISO-8601 time, or a relative {@code 30d}, {@code 12h} or {@code 2w} before now.
     */
    public static Instant parseDateArgument(String text, Clock clock) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("Missing date: use YYYY-MM-DD, an ISO-8601 time or a relative 30d");
        }
        String value = text.trim();
        Matcher relative = RELATIVE.matcher(value);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            ChronoUnit unit = switch (relative.group(2)) {
                case "h" -> ChronoUnit.HOURS;
                case "w" -> ChronoUnit.WEEKS;
                default -> ChronoUnit.DAYS;
            };
            return clock.instant().minus(amount * unit.getDuration().toHours(), ChronoUnit.HOURS);
        }
        try {
            return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notDate) {
            try {
                return parse(value);
            } catch (InvalidInputException notTime) {
                throw new InvalidInputException("Invalid date " + Names.quote(value)
                        + ": use YYYY-MM-DD, an ISO-8601 time or a relative 30d");
            }
        }
    }
}
