package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.Collections;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;

/**
 * One line per model of {@code listModels()}: how many versions it has, the latest (in version
 * order), the one in production (null when none), and the frameworks and tags of its versions.
 */
public record ModelSummary(
        String name,
        int versionCount,
        String latestVersion,
        String productionVersion,
        SortedSet<String> frameworks,
        SortedSet<String> tags,
        Instant updatedAt) {

    public ModelSummary {
        frameworks = Collections.unmodifiableSortedSet(new TreeSet<>(frameworks));
        tags = Collections.unmodifiableSortedSet(new TreeSet<>(tags));
    }

    public Optional<String> production() {
        return Optional.ofNullable(productionVersion);
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", name);
        node.put("version_count", versionCount);
        node.put("latest_version", latestVersion);
        node.put("production_version", productionVersion);
        ArrayNode frameworkArray = node.putArray("frameworks");
        frameworks.forEach(frameworkArray::add);
        ArrayNode tagArray = node.putArray("tags");
        tags.forEach(tagArray::add);
        node.put("updated_at", UtcTime.format(updatedAt));
        return node;
    }
}
