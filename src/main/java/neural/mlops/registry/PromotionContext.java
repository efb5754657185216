package neural.mlops.registry;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link PromotionGuard} sees before a stage change is carried out: the version as it is
 * now ({@code fromStage} null when it is being registered straight into {@code targetStage}),
 * the acting user, the reason given, and every version of the model as read under the lock.
 */
public record PromotionContext(
        ModelVersion candidate,
        ModelStage fromStage,
        ModelStage targetStage,
        String user,
        String reason,
        List<ModelVersion> versions) {

    public PromotionContext {
        versions = List.copyOf(versions);
    }

    /** The version in production now, which a promotion to production would archive. */
    public Optional<ModelVersion> currentProduction() {
        return versions.stream()
                .filter(v -> v.stage() == ModelStage.PRODUCTION && !v.version().equals(candidate.version()))
                .reduce((first, second) -> second);
    }
}
