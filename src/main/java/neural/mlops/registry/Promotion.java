package neural.mlops.registry;

import java.util.List;

/** The result of a promotion: the promoted version and the versions it moved out of production. */
public record Promotion(ModelVersion promoted, ModelStage fromStage, List<ModelVersion> archived) {

    public Promotion {
        archived = List.copyOf(archived);
    }
}
