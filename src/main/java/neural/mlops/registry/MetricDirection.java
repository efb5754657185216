package neural.mlops.registry;

import java.util.List;
import java.util.Locale;

/**
 * Whether a larger value of a metric is better. The one place that rule lives: comparison, the
 * GUI and the governance policy's metric gates all ask here.
 */
public enum MetricDirection {
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER;

    /**
     * Words that make a metric lower-is-better wherever they appear in its name, so that
     * {@code val_loss}, {@code p95_latency_ms} and {@code test_rmse} all count.
     */
    public static final List<String> LOWER_IS_BETTER_WORDS =
            List.of("loss", "error", "mae", "mse", "rmse", "mape", "latency", "perplexity");

    /** The direction of the metric called {@code name} (case does not matter). */
    public static MetricDirection of(String name) {
        return lowerIsBetter(name) ? LOWER_IS_BETTER : HIGHER_IS_BETTER;
    }

    public static boolean lowerIsBetter(String name) {
        if (name == null) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return LOWER_IS_BETTER_WORDS.stream().anyMatch(lower::contains);
    }
}
