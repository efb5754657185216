package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;

/** One move of a version between stages, as its {@code stage_history} records it; {@code from} is null for the stage it was registered in. */
public record StageMove(String name, String version, ModelStage from, ModelStage to, Instant at, String by,
                        String reason) {

    public StageMove {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
    }

    static StageMove of(ModelVersion version, StageTransition transition) {
        return new StageMove(version.name(), version.version(), transition.from(), transition.to(), transition.at(),
                transition.by(), transition.reason());
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", name);
        node.put("version", version);
        node.put("from_stage", from == null ? null : from.value());
        node.put("to_stage", to.value());
        node.put("at", UtcTime.format(at));
        node.put("by", by);
        node.put("reason", reason);
        return node;
    }
}
