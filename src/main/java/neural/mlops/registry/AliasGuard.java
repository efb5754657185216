package neural.mlops.registry;

/**
 * A check run under the registry's lock before an alias is set, moved or removed, as
 * {@link PromotionGuard} is before a stage change: the governance policy's {@code policy.aliases}
 * rules plug in here; it refuses by throwing, and then nothing is changed.
 */
@FunctionalInterface
public interface AliasGuard {

    AliasGuard ALLOW_ALL = context -> { };

    void check(AliasContext context);
}
