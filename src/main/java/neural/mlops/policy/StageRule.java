package neural.mlops.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import neural.mlops.registry.ModelStage;

/**
 * The rules of one stage: what must hold for a version to move into it.
 *
 * @param stage         the stage these rules guard
 * @param allowed       the roles or user names who may move a version into the stage; empty when
 *                      the stage has no {@code allowed} rule (anyone may); an {@code allowed: []}
 *                      rule is kept as {@code Optional.of(List.of())}: nobody may
 * @param requiresStage the stage the version must be in first, if any
 * @param requireReason whether a reason must be given
 * @param metricGates   metric name to gate, against the current production version
 * @param approvals     how many distinct permitted users must agree, the requester included;
 *                      1 means no approval beyond the person acting
 * @param artifact      the rule on the version's model file (its scan's verdict and format), if any
 * @param requireSigned whether every action moving a version into the stage (a promotion, a request,
 *                      an approval, a rejection) must carry a valid SSH signature of the acting user (issue 24)
 */
public record StageRule(
        ModelStage stage,
        Optional<List<String>> allowed,
        Optional<ModelStage> requiresStage,
        boolean requireReason,
        Map<String, MetricGate> metricGates,
        int approvals,
        Optional<ArtifactRule> artifact,
        boolean requireSigned) {

    public StageRule {
        Objects.requireNonNull(stage, "stage");
        allowed = allowed.map(List::copyOf);
        Objects.requireNonNull(requiresStage, "requiresStage");
        metricGates = Collections.unmodifiableMap(new LinkedHashMap<>(metricGates));
        Objects.requireNonNull(artifact, "artifact");
        if (approvals < 1) {
            throw new IllegalArgumentException("approvals must be at least 1");
        }
    }

    /** The rules without a signature requirement. */
    public StageRule(ModelStage stage, Optional<List<String>> allowed, Optional<ModelStage> requiresStage,
                     boolean requireReason, Map<String, MetricGate> metricGates, int approvals,
                     Optional<ArtifactRule> artifact) {
        this(stage, allowed, requiresStage, requireReason, metricGates, approvals, artifact, false);
    }

    /** A stage with no rules: open to everyone. */
    public static StageRule open(ModelStage stage) {
        return new StageRule(stage, Optional.empty(), Optional.empty(), false, Map.of(), 1, Optional.empty());
    }

    /** True when the rules restrict nothing. */
    public boolean isOpen() {
        return allowed.isEmpty() && requiresStage.isEmpty() && !requireReason && metricGates.isEmpty() && approvals == 1
                && artifact.isEmpty() && !requireSigned;
    }

    /** True when more than the acting person must agree, so a promotion goes through a request. */
    public boolean needsApprovals() {
        return approvals > 1;
    }

    /** The rules as short phrases, for the GUI and the docs: "allowed: approver", "2 approvals". */
    public List<String> describe() {
        List<String> parts = new ArrayList<>();
        allowed.ifPresent(who -> parts.add(who.isEmpty() ? "nobody may move a version here"
                : "allowed: " + String.join(", ", who)));
        requiresStage.ifPresent(required -> parts.add("must be in " + required.value() + " first"));
        if (requireReason) {
            parts.add("a reason is required");
        }
        metricGates.forEach((metric, gate) -> parts.add(metric + " " + gate.value().replace('_', ' ')
                + " than production"));
        artifact.map(ArtifactRule::describe).filter(text -> !text.isEmpty()).ifPresent(parts::add);
        if (requireSigned) {
            parts.add("signed actions only");
        }
        if (needsApprovals()) {
            parts.add(approvals + " approvals (the requester counts as one)");
        }
        if (parts.isEmpty()) {
            parts.add("open to everyone");
        }
        return parts;
    }
}
