package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Optional;
import neural.mlops.store.Json;

/**
 * One row of {@link ModelRegistry#scanArtifacts()}: the {@code artifact} block a version had, the
 * one the scan found, and whether it was stored ({@code updated}), already so ({@code unchanged}),
 * or could not be computed or stored ({@code failed}, with the reason in {@code problem}).
 */
public record ArtifactScan(
        String name,
        String version,
        Optional<ArtifactRecord> before,
        Optional<ArtifactRecord> after,
        Outcome outcome,
        String problem) {

    public enum Outcome {
        UPDATED, UNCHANGED, FAILED;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The row as {@code registry scan --all --json} prints it. */
    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", name);
        node.put("version", version);
        node.put("outcome", outcome.value());
        if (before.isPresent()) {
            node.set("before", before.get().toJson());
        } else {
            node.putNull("before");
        }
        if (after.isPresent()) {
            node.set("after", after.get().toJson());
        } else {
            node.putNull("after");
        }
        if (problem != null) {
            node.put("problem", problem);
        }
        return node;
    }
}
