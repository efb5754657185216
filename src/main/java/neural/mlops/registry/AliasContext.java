package neural.mlops.registry;

import java.util.Objects;

/**
 * What an {@link AliasGuard} sees before an alias changes: the model, the alias, the version it
 * points at now ({@code fromVersion}, null when it is new) and the one it is to point at
 * ({@code toVersion}, null when it is removed), the acting user, the reason, and the id of the
 * request whose approvals the change carries out ({@code approvedRequest}, null when none).
 */
public record AliasContext(String name, String alias, String fromVersion, String toVersion, String user,
                           String reason, String approvedRequest) {

    public AliasContext {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(user, "user");
    }

    /** The resource id of the change in the audit trail: the version pointed at after it, else before. */
    public String resourceId() {
        return name + ":" + (toVersion != null ? toVersion : fromVersion);
    }

    /** The action as the audit trail names it. */
    public String action() {
        if (fromVersion == null) {
            return "set_alias";
        }
        return toVersion == null ? "remove_alias" : "move_alias";
    }
}
