package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;

/**
 * One change of an alias, as its history in {@code aliases.json} records it: set ({@code fromVersion}
 * null), moved, or removed ({@code toVersion} null).
 */
public record AliasMove(String name, String alias, String fromVersion, String toVersion, Instant at, String by,
                        String reason) {

    public AliasMove {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(at, "at");
        if (fromVersion == null && toVersion == null) {
            throw new IllegalArgumentException("An alias move goes from a version, to one, or both");
        }
    }

    /** {@code set_alias}, {@code move_alias} or {@code remove_alias}: the audit event's action. */
    public String action() {
        if (fromVersion == null) {
            return "set_alias";
        }
        return toVersion == null ? "remove_alias" : "move_alias";
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", name);
        node.put("alias", alias);
        node.put("from_version", fromVersion);
        node.put("to_version", toVersion);
        node.put("at", UtcTime.format(at));
        node.put("by", by);
        node.put("reason", reason);
        return node;
    }
}
