package neural.mlops.deployment;

import java.util.Objects;

/**
 * The result of {@link DeploymentManager#rollback}: the deployment that was active and is now
 * {@code rolled_back}, and the one it had replaced, which is active again.
 */
public record Rollback(Deployment rolledBack, Deployment restored) {

    public Rollback {
        Objects.requireNonNull(rolledBack, "rolledBack");
        Objects.requireNonNull(restored, "restored");
    }
}
