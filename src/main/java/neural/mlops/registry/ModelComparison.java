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
 * Two versions of a model side by side (SPEC 3.1): every metric of either version (those of
 * version1 first, in their order), and the stage, framework, tags and artifact of each.
 */
public record ModelComparison(
        String name,
        String version1,
        String version2,
        Map<String, MetricComparison> metricsComparison,
        ValueChange<ModelStage> stage,
        ValueChange<String> framework,
        List<String> tagsAdded,
        List<String> tagsRemoved,
        ValueChange<Long> sizeBytes,
        ValueChange<String> sha256) {

    public ModelComparison {
        metricsComparison = Collections.unmodifiableMap(new LinkedHashMap<>(metricsComparison));
        tagsAdded = List.copyOf(tagsAdded);
        tagsRemoved = List.copyOf(tagsRemoved);
    }

    /** Compares {@code first} (version1) with {@code second} (version2). */
    public static ModelComparison of(ModelVersion first, ModelVersion second) {
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
        return new ModelComparison(first.name(), first.version(), second.version(), metrics,
                new ValueChange<>(first.stage(), second.stage()),
                new ValueChange<>(first.framework(), second.framework()),
                added, removed,
                new ValueChange<>(size(first), size(second)),
                new ValueChange<>(first.modelSha256(), second.modelSha256()));
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
        hash.put("changed", sha256.changed());
        return node;
    }
}
