package neural.mlops.deployment;

import java.util.Map;
import neural.mlops.identity.ActionPayload;

/**
 * A check run under the tracker's lock before a deployment change (create, activate, deactivate,
 * fail, rollback) is recorded and written, as the registry's promotion guard runs before a stage
 * change: the workspace policy's {@code policy.deployments} rules and the acting user's signature
 * (issue 24) plug in here. It refuses by throwing, and then nothing is recorded or written.
 */
@FunctionalInterface
public interface DeploymentGuard {

    /** No policy: every change passes, unsigned. */
    DeploymentGuard ALLOW_ALL = change -> Map.of();

    /**
     * Admits {@code change} (its action, acting user, model, version, environment as the target,
     * deployment id as the request id, and time) and returns what its audit event's details and the
     * history entry it appends must carry besides their own facts (the signature over it); empty
     * when nothing.
     */
    Map<String, Object> admit(ActionPayload change);
}
