package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import neural.mlops.store.Json;

/**
 * Two versions side by side (SPEC 3.1): every metric of either version (those of version1 first,
 * in their order), the stage, framework, tags and artifact of each, and how version2's
 * configuration differs from version1's. Usually two versions of one model; {@code name2} differs
 * from {@code name} when a version of another model is compared (a challenger trained under a new
 * name).
 */
public record ModelComparison(
        String name,
        String version1,
        String version2,
        String name2,
        Map<String, MetricComparison> metricsComparison,
        ValueChange<ModelStage> stage,
        ValueChange<String> framework,
        List<String> tagsAdded,
        List<String> tagsRemoved,
        ValueChange<Long> sizeBytes,
        ValueChange<String> sha256,
        ConfigDiff config) {

    /** What the recorded hashes say about the model files. */
    public enum HashComparison {
        /** Both versions record the same SHA-256: the same model file. */
        SAME,
        /** Both record one and they differ. */
        CHANGED,
        /** At least one version records none (written by an older tool): nothing can be said. */
        UNKNOWN;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ModelComparison {
        name2 = name2 == null ? name : name2;
        config = config == null ? new ConfigDiff(List.of()) : config;
        metricsComparison = Collections.unmodifiableMap(new LinkedHashMap<>(metricsComparison));
        tagsAdded = List.copyOf(tagsAdded);
        tagsRemoved = List.copyOf(tagsRemoved);
    }

    /** Compares {@code first} (version1) with {@code second} (version2), their configurations as their documents mirror them. */
    public static ModelComparison of(ModelVersion first, ModelVersion second) {
        return of(first, second, first.config(), second.config());
    }

    /** Compares {@code first} with {@code second}, with the configurations read for them (their config.yaml). */
    public static ModelComparison of(ModelVersion first, ModelVersion second, Map<String, Object> firstConfig,
                                     Map<String, Object> secondConfig) {
        Set<String> metricNames = new LinkedHashSet<>(first.metrics().keySet());
        metricNames.addAll(second.metrics().keySet());
        Map<String, MetricComparison> metrics = new LinkedHashMap<>();
        for (String metric : metricNames) {
            metrics.put(metric, MetricComparison.of(metric, first.metrics().get(metric), second.metrics().get(metric)));
        }
        List<String> added = new ArrayList<>(second.tags());
        added.removeIf(first::hasTag);
        List<String> removed = new ArrayList<>(first.tags());
        removed.removeIf(second::hasTag);
        return new ModelComparison(first.name(), first.version(), second.version(), second.name(), metrics,
                new ValueChange<>(first.stage(), second.stage()),
                new ValueChange<>(first.framework(), second.framework()),
                added, removed,
                new ValueChange<>(size(first), size(second)),
                new ValueChange<>(first.modelSha256(), second.modelSha256()),
                ConfigDiff.between(firstConfig, secondConfig));
    }

    /** Same, changed, or unknown when either version records no hash ("same" would claim what nobody checked). */
    public HashComparison hash() {
        if (sha256.version1() == null || sha256.version2() == null) {
            return HashComparison.UNKNOWN;
        }
        return sha256.version1().equalsIgnoreCase(sha256.version2()) ? HashComparison.SAME : HashComparison.CHANGED;
    }

    /** Whether the two versions belong to different models. */
    public boolean acrossModels() {
        return !name.equals(name2);
    }

    /** {@code v2.0.0}, or {@code churn_v2:v1.0.0} when the versions belong to different models: how output names them. */
    public String label1() {
        return acrossModels() ? name + ":" + version1 : version1;
    }

    /** See {@link #label1()}. */
    public String label2() {
        return acrossModels() ? name2 + ":" + version2 : version2;
    }

    private static Long size(ModelVersion version) {
        return version.modelSizeBytes() < 0 ? null : version.modelSizeBytes();
    }

    /**
     * The comparison object of the original, with its keys ({@code metrics_comparison.<metric>.difference},
     * {@code stage_comparison}) and the additions of SPEC 3.1.
     */
    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", name);
        node.put("version1", version1);
        node.put("version2", version2);
        if (acrossModels()) {
            node.put("name2", name2);
        }
        ObjectNode metrics = node.putObject("metrics_comparison");
        metricsComparison.forEach((metric, comparison) -> metrics.set(metric, comparison.toJson()));
        ObjectNode stages = node.putObject("stage_comparison");
        stages.put("version1", stage.version1() == null ? null : stage.version1().value());
        stages.put("version2", stage.version2() == null ? null : stage.version2().value());
        ObjectNode frameworks = node.putObject("framework_comparison");
        frameworks.put("version1", framework.version1());
        frameworks.put("version2", framework.version2());
        frameworks.put("changed", framework.changed());
        ArrayNode addedArray = node.putArray("tags_added");
        tagsAdded.forEach(addedArray::add);
        ArrayNode removedArray = node.putArray("tags_removed");
        tagsRemoved.forEach(removedArray::add);
        ObjectNode artifact = node.putObject("artifact_comparison");
        ObjectNode size = artifact.putObject("size_bytes");
        size.put("version1", sizeBytes.version1());
        size.put("version2", sizeBytes.version2());
        size.put("difference", sizeBytes.version1() == null || sizeBytes.version2() == null
                ? null : sizeBytes.version2() - sizeBytes.version1());
        ObjectNode hash = artifact.putObject("sha256");
        hash.put("version1", sha256.version1());
        hash.put("version2", sha256.version2());
        // "changed" is null, not false, when a hash is missing: false would read as "same file".
        HashComparison hashComparison = hash();
        if (hashComparison == HashComparison.UNKNOWN) {
            hash.putNull("changed");
        } else {
            hash.put("changed", hashComparison == HashComparison.CHANGED);
        }
        hash.put("status", hashComparison.value());
        node.set("config_comparison", config.toJson());
        return node;
    }
}
