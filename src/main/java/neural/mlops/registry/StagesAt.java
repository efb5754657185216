package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;

/**
 * The registry as it was at {@code at}, answered from the stage histories: per model, which
 * version was in production and which in staging, the stage of every version registered by then,
 * and, when the audit trail was consulted, where it disagrees. {@code auditChecked} is false when
 * no audit trail was given (then nothing was cross-checked).
 */
public record StagesAt(Instant at, List<Model> models, boolean auditChecked) {

    public StagesAt {
        Objects.requireNonNull(at, "at");
        models = List.copyOf(models);
    }

    /** One model at that time; {@code stages} holds every version registered by then, in version order. */
    public record Model(String name, List<String> production, List<String> staging, Map<String, ModelStage> stages,
                        List<String> disagreements) {
        public Model {
            production = List.copyOf(production);
            staging = List.copyOf(staging);
            stages = Collections.unmodifiableMap(new LinkedHashMap<>(stages));
            disagreements = List.copyOf(disagreements);
        }

        public ObjectNode toJson() {
            ObjectNode node = Json.mapper().createObjectNode();
            node.put("name", name);
            ArrayNode productionArray = node.putArray("production");
            production.forEach(productionArray::add);
            ArrayNode stagingArray = node.putArray("staging");
            staging.forEach(stagingArray::add);
            ObjectNode stageObject = node.putObject("stages");
            stages.forEach((version, stage) -> stageObject.put(version, stage.value()));
            ArrayNode disagreementArray = node.putArray("audit_disagreements");
            disagreements.forEach(disagreementArray::add);
            return node;
        }
    }

    /** Whether the audit trail was checked and agrees on every model. */
    public boolean agreesWithAudit() {
        return auditChecked && models.stream().allMatch(model -> model.disagreements().isEmpty());
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("at", UtcTime.format(at));
        node.put("audit_checked", auditChecked);
        node.put("agrees_with_audit", agreesWithAudit());
        ArrayNode array = node.putArray("models");
        models.forEach(model -> array.add(model.toJson()));
        return node;
    }
}
