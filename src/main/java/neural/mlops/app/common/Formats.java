package neural.mlops.app.common;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * How times, sizes and counts read in every tab: stored UTC times in the user's time zone
 * (SPEC 2: the GUI shows local time), in one format, sizes in KiB/MiB, counts with grouping.
 */
public final class Formats {

    // One date-time format in the whole desktop: ISO order, 24-hour clock, the user's time zone.
    // It reads the same in every locale, sorts as text, and never loses its AM/PM to a narrow column.
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;

    private Formats() {
    }

    /** A time in the user's zone, to the second ("2026-12-04 13:24:01"): audit events happen many per minute. */
    public static String localTime(Instant instant) {
        return instant == null ? "" : SECONDS.format(instant.atZone(ZoneId.systemDefault()));
    }

    /** A time in the user's zone, to the minute ("2026-12-04 13:24"). */
    public static String localMinute(Instant instant) {
        return instant == null ? "" : MINUTES.format(instant.atZone(ZoneId.systemDefault()));
    }

    /** A calendar day ("2026-12-04"), as the date pickers show it. */
    public static String date(LocalDate date) {
        return date == null ? "" : DATE.format(date);
    }

    /** The day {@code text} names in the {@link #date} format, or null when it names none. */
    public static LocalDate parseDate(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip(), DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The user's time zone as a heading shows it: "Time (CET)", "Time (UTC)". */
    public static String zone() {
        return ZoneId.systemDefault().getDisplayName(TextStyle.SHORT, Locale.getDefault());
    }

    /** 1,234,567 */
    public static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** 512 B, 245.3 KiB, 1.2 MiB */
    public static String size(long bytes) {
        if (bytes < 0) {
            return "";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /**
     * A stored value or enum constant as user text: "rolled_back" and "ROLLED_BACK" read
     * "Rolled back", "LIGHT" reads "Light". The stored spelling stays in files, the CLI and filters.
     */
    public static String words(String value) {
        if (value == null || value.isBlank()) {
            return "";
        }
        String spaced = value.strip().replace('_', ' ').replace('-', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }

    /** "1 event", "2 events" */
    public static String plural(long value, String one, String many) {
        return count(value) + " " + (value == 1 ? one : many);
    }
}
