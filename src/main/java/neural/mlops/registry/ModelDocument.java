package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;

/**
 * A model's own description and tags, beside those of its versions, kept in
 * {@code models/<name>/model.json} under the registry root (not in {@code metadata/}, where every
 * document is a version). A model that was never given any has an empty one: no description, no
 * tags, {@code updatedAt} and {@code updatedBy} null.
 */
public record ModelDocument(String name, String description, List<String> tags, Instant updatedAt, String updatedBy) {

    public ModelDocument {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** The document of a model that was never given a description or tags. */
    public static ModelDocument empty(String name) {
        return new ModelDocument(name, "", List.of(), null, null);
    }

    /** The stored fields, snake_case, as the CLI prints them with {@code --json}. */
    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", name);
        node.put("description", description);
        ArrayNode array = node.putArray("tags");
        tags.forEach(array::add);
        node.put("updated_at", updatedAt == null ? null : UtcTime.format(updatedAt));
        node.put("updated_by", updatedBy);
        return node;
    }
}
