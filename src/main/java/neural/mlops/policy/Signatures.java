package neural.mlops.policy;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.AuditedChange;
import neural.mlops.identity.ActionPayload;
import neural.mlops.identity.Identities;
import neural.mlops.identity.SignedAction;
import neural.mlops.identity.Signer;
import neural.mlops.identity.Verification;
import neural.mlops.registry.ModelStage;
import neural.mlops.store.UtcTime;

/**
 * The acting user's signatures on governed actions (issue 24), and the one check of them: a stage
 * with {@code require_signed: true} admits an action only when it carries a signature by one of
 * the claimed user's keys in {@code identities}. A signature that does not speak for the user is
 * refused wherever it is given (it would otherwise be recorded as evidence it is not).
 *
 * <p>Before a signed action is recorded, the identities it is checked against are in the trail: a
 * {@code config_changed} event (setting {@code identities}) with the whole block and its hash is
 * recorded whenever the block differs from the one the trail recorded last, so {@code audit verify}
 * knows which keys were valid when.
 */
public final class Signatures {

    /** The identities block the trail recorded last: its hash, or empty when it has none. */
    @FunctionalInterface
    public interface RecordedIdentities {
        Optional<String> lastSha256();
    }

    /** The setting name of the config_changed events that carry the identities. */
    public static final String SETTING = "identities";
    /** Details keys of that event's value. */
    public static final String SHA256 = "sha256";
    public static final String KEYS = "keys";

    private final Signer signer;
    private final RecordedIdentities recorded;
    private final Clock clock;
    private String knownSha256;

    /** Signs with {@code signer}, learning from {@code recorded} which identities the trail holds; times from {@code clock}. */
    public Signatures(Signer signer, RecordedIdentities recorded, Clock clock) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.recorded = Objects.requireNonNull(recorded, "recorded");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** No key and no trail to ask: nothing is signed. */
    public static Signatures none() {
        return new Signatures(Signer.NONE, Optional::empty, Clock.systemUTC());
    }

    /** The time a signature made now carries. */
    Instant now() {
        return UtcTime.now(clock);
    }

    public Signer signer() {
        return signer;
    }

    /** The acting user's signature over {@code payload}, or empty when they have no key or no one could check it. */
    Optional<SignedAction> sign(Policy policy, ModelStage target, ActionPayload payload) {
        return sign(policy, policy.rule(target).requireSigned(), payload);
    }

    /**
     * The acting user's signature over {@code payload} for an action whose rule does ({@code required})
     * or does not require one; empty when they have no key, or when no identities could check it.
     */
    Optional<SignedAction> sign(Policy policy, boolean required, ActionPayload payload) {
        if (policy.identities().isEmpty() && !required) {
            return Optional.empty(); // no identities to check it against: a signature would prove nothing
        }
        return signer.sign(payload.canonical()).map(signature -> new SignedAction(payload, signature));
    }

    /** Why {@code signed} (or its absence) does not satisfy the policy for a move into {@code target}; empty when it does. */
    Optional<Violation> violation(Policy policy, ModelStage target, String user, Optional<SignedAction> signed) {
        return refusal(policy, policy.rule(target).requireSigned(), target.value(), user, signed)
                .map(refusal -> new Violation(target, Rule.REQUIRE_SIGNED, null, refusal.problem(), refusal.remedy(),
                        true));
    }

    /**
     * Why {@code signed} (or its absence) does not satisfy a rule that does ({@code required}) or
     * does not require a signature, for an action on {@code guarded} (a stage, "the alias champion",
     * "the production environment"); empty when it does. The one check of every signed action: an
     * unsigned one fails only where required, a signature that does not speak for {@code user} always.
     */
    Optional<Refusal> refusal(Policy policy, boolean required, String guarded, String user,
                              Optional<SignedAction> signed) {
        if (signed.isEmpty()) {
            return required ? Optional.of(new Refusal("the action of " + user + " is not signed, and " + guarded
                    + " accepts signed actions only", "sign it with your SSH key listed under identities in "
                    + "workspace.yaml (--sign-with KEYFILE, or NEURAL_MLOPS_SIGNING_KEY)")) : Optional.empty();
        }
        Verification verification = policy.identities().verify(signed.get());
        return verification.problem().map(problem -> new Refusal("the signature (" + verification.key()
                + ") does not speak for " + user + ": " + problem,
                "sign with one of " + user + "'s keys listed under identities in workspace.yaml"));
    }

    /** A signature refused: what is wrong, and what would satisfy the rule. */
    record Refusal(String problem, String remedy) {
    }

    /** {@code record} with the signature in its details ({@code details.signature}); unchanged when unsigned. */
    static AuditRecord withSignature(AuditRecord record, Optional<SignedAction> signed) {
        if (signed.isEmpty()) {
            return record;
        }
        return record.withDetails(Map.of(SignedAction.FIELD, signed.get().toMap()));
    }

    /**
     * Records the identities of {@code policy} as a {@code config_changed} event when the trail's
     * last recorded block differs (or it has none), before a signed action that relies on them.
     */
    synchronized void recordIdentities(Policy policy, String user, AuditedChange audited) {
        Identities identities = policy.identities();
        String sha = identities.sha256();
        if (knownSha256 == null) {
            knownSha256 = recorded.lastSha256().orElse(Identities.NONE.sha256());
        }
        if (sha.equals(knownSha256)) {
            return;
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put(SHA256, sha);
        value.put(KEYS, identities.lines());
        audited.apply("Did not record the changed identities of workspace.yaml",
                java.util.List.of(AuditRecords.configChanged(user, SETTING, value, true)), () -> { });
        knownSha256 = sha;
    }
}
