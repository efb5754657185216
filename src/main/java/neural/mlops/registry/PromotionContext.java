package neural.mlops.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link PromotionGuard} sees before a stage change is carried out: the version as it is
 * now ({@code fromStage} null when it is being registered straight into {@code targetStage}),
 * the acting user, the reason given, every version of the model as read under the lock, and the id
 * of the promotion request whose approvals the move carries out ({@code approvedRequest}, null when
 * none: the guard checks that request itself).
 */
public record PromotionContext(
        ModelVersion candidate,
        ModelStage fromStage,
        ModelStage targetStage,
        String user,
        String reason,
        List<ModelVersion> versions,
        String approvedRequest,
        Optional<ArtifactRecord> artifact) {

    public PromotionContext {
        versions = List.copyOf(versions);
        Objects.requireNonNull(artifact, "artifact");
    }

    /** A stage change carrying out {@code approvedRequest}, with no artifact verdict known. */
    public PromotionContext(ModelVersion candidate, ModelStage fromStage, ModelStage targetStage, String user,
                            String reason, List<ModelVersion> versions, String approvedRequest) {
        this(candidate, fromStage, targetStage, user, reason, versions, approvedRequest, Optional.empty());
    }

    /** A stage change that carries out no request. */
    public PromotionContext(ModelVersion candidate, ModelStage fromStage, ModelStage targetStage, String user,
                            String reason, List<ModelVersion> versions) {
        this(candidate, fromStage, targetStage, user, reason, versions, null, Optional.empty());
    }

    /** The version in production now, which a promotion to production would archive. */
    public Optional<ModelVersion> currentProduction() {
        return versions.stream()
                .filter(v -> v.stage() == ModelStage.PRODUCTION && !v.version().equals(candidate.version()))
                .reduce((first, second) -> second);
    }
}
