package neural.mlops.deployment;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a deployment's {@code history}: the status it entered, when, by whom and why.
 *
 * @param reason why, or null when none was given
 */
public record StatusChange(DeploymentStatus status, Instant at, String by, String reason) {

    public StatusChange {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
    }
}
