package neural.mlops.policy;

import java.util.Optional;
import neural.mlops.registry.Promotion;

/**
 * What an approval did: the request as it now stands, and the promotion when this approval was the
 * last one required (the request is then {@link RequestStatus#APPROVED}).
 */
public record ApprovalOutcome(PromotionRequest request, Optional<Promotion> promotion) {

    /** True when this approval carried the promotion out. */
    public boolean promoted() {
        return promotion.isPresent();
    }
}
