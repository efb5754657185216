package neural.mlops.registry;

/**
 * A check run under the registry's lock before any stage change (a promotion, or a registration into
 * any stage, development included, with the scan of its model file) is audited and committed. The governance policy (SPEC 8) plugs in
 * here; it refuses by throwing an exception, and then nothing is changed.
 */
@FunctionalInterface
public interface PromotionGuard {

    PromotionGuard ALLOW_ALL = context -> { };

    void check(PromotionContext context);
}
