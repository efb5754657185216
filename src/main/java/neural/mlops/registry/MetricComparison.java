package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import neural.mlops.store.Json;

/**
 * One metric of two versions side by side. A value missing on one side is null there, and then
 * {@code difference}, {@code percentChange} and {@code better} are null too. {@code difference}
 * is version2 minus version1; {@code percentChange} is relative to version1 (null when it is 0).
 */
public record MetricComparison(
        String metric,
        Double version1,
        Double version2,
        Double difference,
        Double percentChange,
        Better better,
        boolean lowerIsBetter) {

    /** Which version has the better value. */
    public enum Better {
        VERSION1,
        VERSION2,
        EQUAL;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Compares the values of {@code metric} (either may be null). */
    public static MetricComparison of(String metric, Double version1, Double version2) {
        boolean lower = MetricDirection.lowerIsBetter(metric);
        if (version1 == null || version2 == null || !Double.isFinite(version1) || !Double.isFinite(version2)) {
            // NaN and Infinity (stored by the original module, SPEC 10) are shown, never subtracted.
            return new MetricComparison(metric, version1, version2, null, null, null, lower);
        }
        // Decimal arithmetic on the values as written, so 0.96 - 0.95 is 0.01 and not 0.010000000000000009.
        BigDecimal first = BigDecimal.valueOf(version1);
        BigDecimal delta = BigDecimal.valueOf(version2).subtract(first);
        Double percent = first.signum() == 0 ? null
                : delta.multiply(BigDecimal.valueOf(100)).divide(first.abs(), MathContext.DECIMAL64).doubleValue();
        Better better;
        if (delta.signum() == 0) {
            better = Better.EQUAL;
        } else {
            boolean secondLarger = delta.signum() > 0;
            better = secondLarger != lower ? Better.VERSION2 : Better.VERSION1;
        }
        return new MetricComparison(metric, version1, version2, delta.doubleValue(), percent, better, lower);
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("version1", version1);
        node.put("version2", version2);
        node.put("difference", difference);
        node.put("percent_change", percentChange);
        node.put("better", better == null ? null : better.value());
        node.put("lower_is_better", lowerIsBetter);
        return node;
    }
}
