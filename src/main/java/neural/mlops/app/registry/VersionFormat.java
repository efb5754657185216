package neural.mlops.app.registry;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/** How registry values read in the GUI: local times, human sizes, short hashes, metric numbers. */
final class VersionFormat {

    private static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withZone(ZoneId.systemDefault());

    private VersionFormat() {
    }

    /** A stored UTC time in the user's time zone (SPEC 2: the GUI shows local time). */
    static String localTime(Instant instant) {
        return instant == null ? "" : LOCAL.format(instant);
    }

    static String size(long bytes) {
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

    static String shortHash(String sha256) {
        return sha256 == null || sha256.length() < 12 ? (sha256 == null ? "" : sha256) : sha256.substring(0, 12) + "\u2026";
    }

    /** Up to four significant decimals, no trailing zeros: 0.96, 0.1234, 1520. */
    static String metric(Double value) {
        if (value == null) {
            return "\u2014";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%d", value.longValue());
        }
        String text = String.format(Locale.ROOT, "%.4f", value);
        return text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    static String signed(Double value) {
        if (value == null) {
            return "\u2014";
        }
        return (value > 0 ? "+" : "") + metric(value);
    }

    static String percent(Double value) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return "\u2014";
        }
        return String.format(Locale.ROOT, "%+.1f%%", value);
    }
}
