package neural.mlops.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import neural.mlops.store.InvalidInputException;

/**
 * Two or more versions side by side, for the comparison window and {@code registry compare}: the
 * versions in the order asked for, every metric of any of them, their configurations, and each
 * version compared with the baseline (the first unless another is chosen). The versions may belong
 * to different models when they share at least one metric.
 */
public record VersionsComparison(String name, List<ModelVersion> versions, List<String> metrics,
                                 List<ModelComparison> againstBaseline, int baseline,
                                 List<Map<String, Object>> configs) {

    public VersionsComparison {
        versions = List.copyOf(versions);
        metrics = List.copyOf(metrics);
        againstBaseline = List.copyOf(againstBaseline);
        List<Map<String, Object>> copies = new ArrayList<>();
        configs.forEach(config -> copies.add(Collections.unmodifiableMap(new LinkedHashMap<>(config))));
        configs = List.copyOf(copies);
        if (baseline < 0 || baseline >= versions.size()) {
            throw new IllegalArgumentException("baseline " + baseline + " is not one of the " + versions.size() + " versions");
        }
    }

    /** The versions with the configurations their documents mirror, against the first. */
    static VersionsComparison of(List<ModelVersion> versions) {
        return of(versions, versions.stream().map(ModelVersion::config).toList(), 0);
    }

    /**
     * The versions with their configurations (in the same order), against the version at
     * {@code baseline}. Refuses fewer than two versions, one chosen twice, and versions of
     * different models that share no metric (there would be nothing to compare).
     */
    public static VersionsComparison of(List<ModelVersion> versions, List<Map<String, Object>> configs, int baseline) {
        if (versions.size() < 2) {
            throw new InvalidInputException("Choose at least two versions to compare");
        }
        if (configs.size() != versions.size()) {
            throw new IllegalArgumentException(configs.size() + " configurations for " + versions.size() + " versions");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (ModelVersion version : versions) {
            if (!ids.add(version.id())) {
                throw new InvalidInputException(version.name() + " " + version.version()
                        + " is chosen twice; choose each version once");
            }
        }
        Set<String> metricNames = new LinkedHashSet<>();
        versions.forEach(v -> metricNames.addAll(v.metrics().keySet()));
        boolean acrossModels = versions.stream().map(ModelVersion::name).distinct().count() > 1;
        if (acrossModels && shared(versions, metricNames).isEmpty()) {
            throw new InvalidInputException("Versions of different models can be compared when they share a metric; "
                    + String.join(", ", ids) + " have none in common");
        }
        ModelVersion base = versions.get(baseline);
        List<ModelComparison> comparisons = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            if (i != baseline) {
                comparisons.add(ModelComparison.of(base, versions.get(i), configs.get(baseline), configs.get(i)));
            }
        }
        return new VersionsComparison(versions.get(0).name(), versions, new ArrayList<>(metricNames), comparisons,
                baseline, configs);
    }

    /** The same versions judged against the one at {@code index}. */
    public VersionsComparison withBaseline(int index) {
        return of(versions, configs, index);
    }

    /** The baseline version. */
    public ModelVersion baselineVersion() {
        return versions.get(baseline);
    }

    /** Whether the versions belong to more than one model. */
    public boolean acrossModels() {
        return versions.stream().map(ModelVersion::name).distinct().count() > 1;
    }

    /** How output names the version at {@code index}: {@code v2.0.0}, or {@code churn:v2.0.0} across models. */
    public String label(int index) {
        ModelVersion version = versions.get(index);
        return acrossModels() ? version.id() : version.version();
    }

    /** The index of the version labelled (or with the id) {@code label}, for choosing a baseline by name. */
    public Optional<Integer> indexOf(String label) {
        for (int i = 0; i < versions.size(); i++) {
            if (label(i).equals(label) || versions.get(i).id().equals(label) || versions.get(i).version().equals(label)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The comparison of the version at {@code index} with the baseline; empty for the baseline itself. */
    public Optional<ModelComparison> againstBaseline(int index) {
        if (index == baseline) {
            return Optional.empty();
        }
        return Optional.of(againstBaseline.get(index < baseline ? index : index - 1));
    }

    /** The metrics every version has. */
    public List<String> sharedMetrics() {
        return shared(versions, metrics);
    }

    /** The value of {@code metric} in the version at {@code index}, or null when it has none. */
    public Double value(String metric, int index) {
        return versions.get(index).metrics().get(metric);
    }

    /** Whether {@code metric} has other than one same value in every version (a missing value differs). */
    public boolean metricDiffers(String metric) {
        Double first = value(metric, 0);
        for (int i = 1; i < versions.size(); i++) {
            Double other = value(metric, i);
            if (first == null || other == null || first.compareTo(other) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every configuration key of any version, by path, with each version's value: the rows of the
     * configuration table. A row {@code differs} when any version's value is absent or not the same
     * as the baseline's.
     */
    public List<ConfigRow> configRows() {
        List<Map<String, Object>> flat = configs.stream().map(ConfigDiff::flatten).toList();
        Set<String> paths = new LinkedHashSet<>(flat.get(baseline).keySet());
        flat.forEach(leaves -> paths.addAll(leaves.keySet()));
        List<ConfigRow> rows = new ArrayList<>();
        for (String path : paths) {
            List<Object> values = new ArrayList<>();
            List<Boolean> present = new ArrayList<>();
            boolean differs = false;
            Map<String, Object> base = flat.get(baseline);
            for (Map<String, Object> leaves : flat) {
                values.add(leaves.get(path));
                present.add(leaves.containsKey(path));
                differs |= !leaves.containsKey(path) || !base.containsKey(path)
                        || !ConfigDiff.same(base.get(path), leaves.get(path));
            }
            rows.add(new ConfigRow(path, values, present, differs));
        }
        return rows;
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

    private static List<String> shared(List<ModelVersion> versions, Set<String> metricNames) {
        return metricNames.stream().filter(m -> versions.stream().allMatch(v -> v.metrics().containsKey(m))).toList();
    }

    private static List<String> shared(List<ModelVersion> versions, List<String> metricNames) {
        return shared(versions, new LinkedHashSet<>(metricNames));
    }

    /** One configuration key across the versions; {@code present} is false where a version lacks it. */
    public record ConfigRow(String path, List<Object> values, List<Boolean> present, boolean differs) {
        public ConfigRow {
            values = Collections.unmodifiableList(new ArrayList<>(values)); // YAML nulls are values
            present = List.copyOf(present);
        }
    }
}
