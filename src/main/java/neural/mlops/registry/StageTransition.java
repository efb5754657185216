package neural.mlops.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a version's {@code stage_history}: {@code from} is null for the stage a version was
 * registered in.
 */
public record StageTransition(ModelStage from, ModelStage to, Instant at, String by, String reason) {

    public StageTransition {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
        by = by == null ? "" : by;
        reason = reason == null ? "" : reason;
    }
}
