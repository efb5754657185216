package neural.mlops.registry;

import java.util.Map;

/**
 * A check run under the registry's lock before any stage change (a promotion, or a registration into
 * any stage, development included, with the scan of its model file) is audited and committed. The governance policy (SPEC 8) plugs in
 * here; it refuses by throwing an exception, and then nothing is changed.
 */
@FunctionalInterface
public interface PromotionGuard {

    PromotionGuard ALLOW_ALL = context -> { };

    void check(PromotionContext context);

    /**
     * {@link #check}, then what the stage change's audit event must carry besides its own facts
     * (the acting user's signature over the move, issue 24); none by default.
     */
    default Map<String, Object> admit(PromotionContext context) {
        check(context);
        return Map.of();
    }
}
