package neural.mlops.app.common;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/**
 * How times, sizes and counts read in every tab: stored UTC times in the user's time zone
 * (SPEC 2: the GUI shows local time), sizes in KiB/MiB, counts with grouping.
 */
public final class Formats {

    private static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.MEDIUM).withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter LOCAL_SHORT =
            DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withZone(ZoneId.systemDefault());

    private Formats() {
    }

    /** A time in the user's zone, to the second: audit events happen many per minute. */
    public static String localTime(Instant instant) {
        return instant == null ? "" : LOCAL.format(instant);
    }

    /** A time in the user's zone, to the minute. */
    public static String localMinute(Instant instant) {
        return instant == null ? "" : LOCAL_SHORT.format(instant);
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

    /** "1 event", "2 events" */
    public static String plural(long value, String one, String many) {
        return count(value) + " " + (value == 1 ? one : many);
    }
}
