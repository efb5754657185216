package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;

/**
 * A named pointer of a model ({@code champion}, {@code challenger}) at one of its versions, as
 * {@code models/models/<name>/aliases.json} holds it now: who set it, when and why.
 */
public record Alias(String name, String alias, String version, String setBy, Instant setAt, String reason) {

    public Alias {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(setAt, "setAt");
    }

    /** {@code fraud_detector@champion}: how an alias names a version wherever a version is given. */
    public String reference() {
        return name + Aliases.SEPARATOR + alias;
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", name);
        node.put("alias", alias);
        node.put("version", version);
        node.put("set_by", setBy);
        node.put("set_at", UtcTime.format(setAt));
        node.put("reason", reason);
        return node;
    }
}
