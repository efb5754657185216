package neural.mlops.policy;

import java.util.Objects;
import neural.mlops.registry.ModelStage;

/**
 * One rule an action breaks: which rule, what is wrong, and what would satisfy it.
 *
 * @param stage   the stage whose rule it is
 * @param rule    the rule
 * @param metric  the metric of a metric gate, else null
 * @param problem what is wrong, for example "bob is not allowed to move versions into production"
 * @param remedy  what would satisfy the rule, for example "ask a permitted user (alice)"
 * @param bypass  true when the action would skip the approval of other people (SPEC 8's
 *                "attempt to bypass"), recorded as {@code security_violation}
 */
public record Violation(ModelStage stage, Rule rule, String metric, String problem, String remedy, boolean bypass) {

    public Violation {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(remedy, "remedy");
    }

    /** Where the rule is in workspace.yaml: {@code policy.stages.production.metric_gates.accuracy}. */
    public String path() {
        return "policy.stages." + stage.value() + "." + rule.key() + (metric == null ? "" : "." + metric);
    }

    /** "policy.stages.production.allowed: bob is not allowed ...; ask ...". */
    public String message() {
        return path() + ": " + problem + "; " + remedy;
    }
}
