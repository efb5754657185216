package neural.mlops.policy;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import neural.mlops.registry.ModelStage;

/**
 * What the policy says about one move: allowed, allowed only through a promotion request (the
 * stage needs approvals), or blocked by the listed rules.
 *
 * @param target            the stage asked for
 * @param violations        every rule the move breaks, in the order of the rules
 * @param approvalsRequired the approvals the target stage needs (1 when none beyond the actor)
 */
public record Verdict(ModelStage target, List<Violation> violations, int approvalsRequired) {

    public Verdict {
        Objects.requireNonNull(target, "target");
        violations = List.copyOf(violations);
    }

    /** True when the move may be carried out now, as it is. */
    public boolean allowed() {
        return violations.isEmpty();
    }

    /** True when the only thing missing is the approval of others: a request would be accepted. */
    public boolean needsRequest() {
        return !violations.isEmpty() && violations.stream().allMatch(v -> v.rule() == Rule.APPROVALS);
    }

    /** True when a rule other than the approval count stands in the way. */
    public boolean blocked() {
        return violations.stream().anyMatch(v -> v.rule() != Rule.APPROVALS);
    }

    /** The rules that block the move, without the approval count. */
    public List<Violation> blockingViolations() {
        return violations.stream().filter(v -> v.rule() != Rule.APPROVALS).toList();
    }

    /** Every broken rule, each as "path: problem; remedy", joined in one sentence per rule. */
    public String explanation() {
        return violations.stream().map(Violation::message).collect(Collectors.joining(". "));
    }
}
