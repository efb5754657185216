package neural.mlops.app.registry;

import java.util.Locale;

/** How registry values read in the GUI: short hashes and metric numbers (times and sizes: {@code Formats}). */
final class VersionFormat {

    private VersionFormat() {
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

    /**
     * Four decimals, always, for a table column: the decimal points line up and 0.9600 reads as
     * precise as 0.9612 (whole numbers such as counts stay whole). The exact value goes in a tooltip.
     */
    static String fixed(Double value) {
        if (value == null) {
            return "\u2014";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%d", value.longValue());
        }
        return String.format(Locale.ROOT, "%.4f", value);
    }

    /** A metric's column heading: its name, with a down arrow when lower is better (loss, error, latency). */
    static String metricHeading(String metric) {
        return metric + (neural.mlops.registry.MetricDirection.lowerIsBetter(metric) ? " \u2193" : "");
    }

    /** The value exactly as stored, for tooltips: 0.9512345678, not 0.9512. */
    static String exact(Double value) {
        if (value == null) {
            return "no value";
        }
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
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
