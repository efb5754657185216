package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import neural.mlops.store.IndentedJsonBytes;

/**
 * The metadata of one registered model version (SPEC 2.1), as read from its document.
 * {@code modelPath} is relative to the registry root; {@code modelSizeBytes} is -1 and
 * {@code modelSha256} null when the document (written by an older tool) does not record them.
 */
public record ModelVersion(
        String name,
        String version,
        ModelStage stage,
        String framework,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        String description,
        Map<String, Double> metrics,
        List<String> tags,
        String modelFile,
        Path modelPath,
        long modelSizeBytes,
        String modelSha256,
        Map<String, Object> config,
        List<StageTransition> stageHistory,
        Lineage lineage) {

    public ModelVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(createdAt, "createdAt");
        framework = framework == null ? "" : framework;
        createdBy = createdBy == null ? "" : createdBy;
        updatedAt = updatedAt == null ? createdAt : updatedAt;
        description = description == null ? "" : description;
        metrics = metrics == null ? Map.of() : OrderedMap.copyOf(metrics);
        tags = tags == null ? List.of() : List.copyOf(tags);
        modelFile = modelFile == null ? "" : modelFile;
        config = config == null ? Map.of() : OrderedMap.copyOf(config);
        stageHistory = stageHistory == null ? List.of() : List.copyOf(stageHistory);
        lineage = lineage == null ? Lineage.NONE : lineage;
    }

    /** {@code fraud_detector:v2.0.0}, the audit trail's resource id. */
    public String id() {
        return name + ":" + version;
    }

    public OptionalDouble metric(String metricName) {
        Double value = metrics.get(metricName);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    public boolean hasTag(String tag) {
        return tags.stream().anyMatch(t -> t.equalsIgnoreCase(tag));
    }

    /** The document fields of SPEC 2.1, snake_case, as the CLI prints them with {@code --json}. */
    public ObjectNode toJson() {
        return MetadataCodec.toJson(this);
    }

    /**
     * Builds {@link #toJson()}'s document in {@code out} as the command line prints it, without
     * building the tree; false when it needs the tree after all ({@link IndentedJsonBytes#plain}).
     */
    public boolean writeIndentedJson(IndentedJsonBytes out) {
        return MetadataCodec.writeIndented(this, out);
    }
}
