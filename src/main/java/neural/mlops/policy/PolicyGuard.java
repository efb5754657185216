package neural.mlops.policy;

import java.util.function.Supplier;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.PromotionContext;
import neural.mlops.registry.PromotionGuard;

/**
 * The policy, plugged into the registry: runs under the registry's lock before every stage change
 * (promotion, or registration into a stage), on the policy as workspace.yaml says it now. A move
 * into a stage that needs approvals passes only while {@link Governance#approve} carries out the
 * request whose last approval was just given, on this thread; any other such move is an attempt to
 * bypass the approvals.
 */
final class PolicyGuard implements PromotionGuard {

    private final Governance governance;
    private final ThreadLocal<Approved> approved = new ThreadLocal<>();

    /** The one move that a completed request authorises. */
    private record Approved(String name, String version, ModelStage stage) {
    }

    PolicyGuard(Governance governance) {
        this.governance = governance;
    }

    Governance governance() {
        return governance;
    }

    @Override
    public void check(PromotionContext context) {
        Approved grant = approved.get();
        boolean carriesOutRequest = grant != null && context.fromStage() != null
                && grant.equals(new Approved(context.candidate().name(), context.candidate().version(),
                        context.targetStage()));
        governance.enforce(context, carriesOutRequest);
    }

    /** Runs {@code promotion}, the move that {@code request}'s approvals authorise, on this thread. */
    <T> T carryOut(PromotionRequest request, Supplier<T> promotion) {
        approved.set(new Approved(request.name(), request.version(), request.toStage()));
        try {
            return promotion.get();
        } finally {
            approved.remove();
        }
    }
}
