package neural.mlops.deployment;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@link DeploymentManager#createDeployment}: the new, pending deployment and the
 * warnings it raised (for example a version that is not in the production stage deployed to
 * production). The warnings are also kept in the deployment's history and in the audit event.
 * {@code existing} is true when {@link DeploymentManager#createDeploymentIfAbsent} found an active
 * or pending deployment of that version in that environment and created nothing.
 */
public record CreatedDeployment(Deployment deployment, List<String> warnings, boolean existing) {

    public CreatedDeployment {
        Objects.requireNonNull(deployment, "deployment");
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A deployment just created. */
    public CreatedDeployment(Deployment deployment, List<String> warnings) {
        this(deployment, warnings, false);
    }

    /** The new deployment's id, as the original's {@code create_deployment} returns it. */
    public String id() {
        return deployment.deploymentId();
    }
}
