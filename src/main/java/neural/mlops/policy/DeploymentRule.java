package neural.mlops.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rules of deployments to one environment ({@code policy.deployments.<environment>} in
 * workspace.yaml), as a stage's and an alias's rules are kept.
 *
 * @param environment   the environment these rules guard
 * @param requireSigned whether every deployment change there (create, activate, deactivate, fail,
 *                      rollback) must carry a valid SSH signature of the acting user (issue 24)
 */
public record DeploymentRule(String environment, boolean requireSigned) {

    public DeploymentRule {
        Objects.requireNonNull(environment, "environment");
    }

    /** An environment without rules: any deployment change, signed or not. */
    public static DeploymentRule open(String environment) {
        return new DeploymentRule(environment, false);
    }

    /** Where a rule of this environment is in workspace.yaml: {@code policy.deployments.production.require_signed}. */
    public String path(String key) {
        return "policy.deployments." + environment + "." + key;
    }

    /** The rules as short phrases: "signed changes only". */
    public List<String> describe() {
        List<String> parts = new ArrayList<>();
        if (requireSigned) {
            parts.add("signed changes only");
        }
        if (parts.isEmpty()) {
            parts.add("open to everyone");
        }
        return parts;
    }
}
