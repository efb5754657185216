package neural.mlops.registry;

import java.util.List;

/**
 * The result of a promotion: the promoted version and the versions it moved out of production.
 * A move to the stage the version is already in changes nothing: {@link #unchanged()}.
 */
public record Promotion(ModelVersion promoted, ModelStage fromStage, List<ModelVersion> archived) {

    public Promotion {
        archived = List.copyOf(archived);
    }

    /** True when the version was already in the target stage, so nothing was written or recorded. */
    public boolean unchanged() {
        return fromStage == promoted.stage();
    }
}
