package neural.mlops.registry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Several versions of one model side by side, for the GUI's comparison table and chart: the
 * versions in the order asked for, every metric of any of them, and each version compared with
 * the first (the baseline).
 */
public record VersionsComparison(String name, List<ModelVersion> versions, List<String> metrics,
                                 List<ModelComparison> againstBaseline) {

    public VersionsComparison {
        versions = List.copyOf(versions);
        metrics = List.copyOf(metrics);
        againstBaseline = List.copyOf(againstBaseline);
    }

    static VersionsComparison of(List<ModelVersion> versions) {
        Set<String> metricNames = new LinkedHashSet<>();
        versions.forEach(v -> metricNames.addAll(v.metrics().keySet()));
        List<ModelComparison> comparisons = new ArrayList<>();
        for (ModelVersion other : versions.subList(1, versions.size())) {
            comparisons.add(ModelComparison.of(versions.get(0), other));
        }
        return new VersionsComparison(versions.get(0).name(), versions, new ArrayList<>(metricNames), comparisons);
    }

    /** The value of {@code metric} in the version at {@code index}, or null when it has none. */
    public Double value(String metric, int index) {
        return versions.get(index).metrics().get(metric);
    }

    /** The version with the best value of {@code metric} (the first one on a tie), if any has it. */
    public Optional<ModelVersion> best(String metric) {
        boolean lower = MetricDirection.lowerIsBetter(metric);
        ModelVersion best = null;
        for (ModelVersion version : versions) {
            Double value = version.metrics().get(metric);
            if (value == null) {
                continue;
            }
            Double bestValue = best == null ? null : best.metrics().get(metric);
            if (bestValue == null || (lower ? value < bestValue : value > bestValue)) {
                best = version;
            }
        }
        return Optional.ofNullable(best);
    }
}
