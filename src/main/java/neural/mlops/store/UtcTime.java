package neural.mlops.store;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
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
    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,5})([dhw])");

    private UtcTime() {
    }

    /** {@code 2024-01-15T12:00:00.123456Z}; finer precision than microseconds is dropped. */
    public static String format(Instant instant) {
        // Written by hand: every event, document and index line carries times, and the formatter is most of their cost.
        byte[] text = new byte[STORED_LENGTH];
        if (!write(instant, text, 0)) {
            return STORED.format(instant.truncatedTo(ChronoUnit.MICROS));
        }
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    /** The length of {@link #format}'s text for years 0000 to 9999. */
    static final int STORED_LENGTH = 27;

    /**
     * Writes {@link #format}'s text as {@link #STORED_LENGTH} ASCII bytes into {@code out} from
     * {@code at}; false, with nothing written, for a year outside 0000 to 9999.
     */
    static boolean write(Instant instant, byte[] out, int at) {
        long seconds = instant.getEpochSecond();
        if (seconds < MIN_FAST_SECOND || seconds >= MAX_FAST_SECOND) {
            return false;
        }
        writeDateTime(out, at, seconds, '-', 'T', ':');
        out[at + 19] = '.';
        writeDigits(out, at + 20, 6, instant.getNano() / 1_000);
        out[at + 26] = 'Z';
        return true;
    }

    /** {@code 2024-01-15 12:00Z}, a time to the minute as the command line's tables show it. */
    public static String minute(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < MIN_FAST_SECOND || seconds >= MAX_FAST_SECOND) {
            return MINUTE.format(instant);
        }
        byte[] text = new byte[20];
        writeDateTime(text, 0, seconds, '-', ' ', ':');
        text[16] = 'Z'; // over the seconds, which a minute does not show
        return new String(text, 0, 17, StandardCharsets.ISO_8859_1);
    }

    /** {@code 20240115_120000}, the stamp in deployment, event and report file names. */
    public static String fileStamp(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < MIN_FAST_SECOND || seconds >= MAX_FAST_SECOND) {
            return FILE_STAMP.format(instant);
        }
        byte[] text = new byte[15];
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int secondOfDay = Math.floorMod(seconds, 86_400);
        writeDigits(text, 0, 4, date.getYear());
        writeDigits(text, 4, 2, date.getMonthValue());
        writeDigits(text, 6, 2, date.getDayOfMonth());
        text[8] = '_';
        writeDigits(text, 9, 2, secondOfDay / 3_600);
        writeDigits(text, 11, 2, secondOfDay / 60 % 60);
        writeDigits(text, 13, 2, secondOfDay % 60);
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    /** Years 0000 to 9999, which the fast paths write and read; others go through the formatter. */
    private static final long MIN_FAST_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long MAX_FAST_SECOND = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400;

    // Written as Latin-1 bytes: a string made from them is a copy, where one made from chars is checked and narrowed.
    private static void writeDateTime(byte[] text, int at, long seconds, char dateSeparator, char between,
                                      char timeSeparator) {
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int secondOfDay = Math.floorMod(seconds, 86_400);
        writeDigits(text, at, 4, date.getYear());
        text[at + 4] = (byte) dateSeparator;
        writeDigits(text, at + 5, 2, date.getMonthValue());
        text[at + 7] = (byte) dateSeparator;
        writeDigits(text, at + 8, 2, date.getDayOfMonth());
        text[at + 10] = (byte) between;
        writeDigits(text, at + 11, 2, secondOfDay / 3_600);
        text[at + 13] = (byte) timeSeparator;
        writeDigits(text, at + 14, 2, secondOfDay / 60 % 60);
        text[at + 16] = (byte) timeSeparator;
        writeDigits(text, at + 17, 2, secondOfDay % 60);
    }

    private static void writeDigits(byte[] text, int from, int count, int value) {
        for (int i = from + count - 1; i >= from; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The current time as stored: microsecond precision, so that a written and re-read time compare equal. */
    public static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Parses a stored time; the one parser every store (registry, deployments, audit trail, requests)
     * reads times with. Accepts a {@code Z} or an offset; a time without either (as written by tools
     * that use naive UTC datetimes) is taken as UTC.
     */
    public static Instant parse(String text) {
        return parse(text, ZoneOffset.UTC);
    }

    /**
     * {@link #parse(String)}, reading a time without a zone or offset in {@code naiveZone}: the
     * original Python module writes naive local times (SPEC 10), which a workspace reads in the zone
     * its {@code legacy_timezone} states.
     */
    public static Instant parse(String text, ZoneId naiveZone) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("Missing time value");
        }
        Instant stored = parseStored(text);
        if (stored != null) {
            return stored;
        }
        String value = text.trim();
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(value).atZone(naiveZone).toInstant();
            } catch (DateTimeParseException notLocal) {
                throw new InvalidInputException("Invalid time " + Names.quote(value)
                        + ": expected ISO-8601 such as 2024-01-15T12:00:00Z");
            }
        }
    }

    /**
     * True when {@code text} is a time without a zone or offset (the original Python module's naive
     * local time), which {@link #parse(String, ZoneId)} reads in the zone it is given: what it means
     * depends on that zone, so a cache of parsed times must not keep it.
     */
    public static boolean isNaive(String text) {
        if (text == null || text.isBlank() || parseStored(text) != null) {
            return false;
        }
        try {
            LocalDateTime.parse(text.trim());
            return true;
        } catch (DateTimeParseException zonedOrInvalid) {
            return false;
        }
    }

    /**
     * The stored form {@code 2024-01-15T12:00:00.123456Z}, read without a formatter (reading a year of
     * events parses a million of them); null for any other form, which {@link #parse} reads.
     */
    static Instant parseStored(String text) {
        if (text.length() != 27 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != '.' || text.charAt(26) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int micros = digits(text, 20, 26);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || micros < 0) {
            return null; // let the general parser accept or word the error
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, micros * 1_000L);
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * Parses an age argument of the CLI and GUI, as the relative dates are written: {@code 12h},
     * {@code 30d} or {@code 2w}.
     */
    public static java.time.Duration parseAge(String text) {
        Matcher relative = RELATIVE.matcher(text == null ? "" : text.trim());
        if (!relative.matches()) {
            throw new InvalidInputException("Invalid age " + Names.quote(String.valueOf(text))
                    + ": use a number of hours, days or weeks such as 1h, 30d or 2w");
        }
        long amount = Long.parseLong(relative.group(1));
        ChronoUnit unit = switch (relative.group(2)) {
            case "h" -> ChronoUnit.HOURS;
            case "w" -> ChronoUnit.WEEKS;
            default -> ChronoUnit.DAYS;
        };
        return java.time.Duration.ofHours(amount * unit.getDuration().toHours());
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
        if (RELATIVE.matcher(value).matches()) {
            return clock.instant().minus(parseAge(value));
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
