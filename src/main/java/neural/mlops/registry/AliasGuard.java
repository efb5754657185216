package neural.mlops.registry;

import java.util.Map;

/**
 * A check run under the registry's lock before an alias is set, moved or removed, as
 * {@link PromotionGuard} is before a stage change: the governance policy's {@code policy.aliases}
 * rules plug in here; it refuses by throwing, and then nothing is changed.
 */
@FunctionalInterface
public interface AliasGuard {

    AliasGuard ALLOW_ALL = context -> { };

    void check(AliasContext context);

    /**
     * {@link #check}, then what the change's audit event and its alias history entry must carry
     * besides their own facts (the acting user's signature over the change, issue 24); none by default.
     */
    default Map<String, Object> admit(AliasContext context) {
        check(context);
        return Map.of();
    }
}
