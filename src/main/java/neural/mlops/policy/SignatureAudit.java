package neural.mlops.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.EventType;
import neural.mlops.audit.IntegrityProblem;
import neural.mlops.audit.ProblemKind;
import neural.mlops.identity.ActionPayload;
import neural.mlops.identity.Identities;
import neural.mlops.identity.SignatureVerdict;
import neural.mlops.identity.SignedAction;
import neural.mlops.identity.SshFormatException;
import neural.mlops.identity.SshPublicKey;
import neural.mlops.identity.Verification;
import neural.mlops.registry.ModelStage;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;

/**
 * Checks every signature stored in the audit trail again (issue 24): each event's
 * {@code details.signature} must verify against the identities the trail had recorded (its last
 * {@code config_changed} event of setting {@code identities}) before that event, and its payload
 * must be the event's own action, user, version and target (stage, {@code @alias} or environment;
 * for a deployment event, its deployment, model and version too). An edited signature or payload, a key that was
 * not listed then, or a signature copied from another event is a problem naming the event. A key
 * removed from the identities later still vouches for the events before its removal.
 */
public final class SignatureAudit {

    private SignatureAudit() {
    }

    /** The hash of the identities block the trail recorded last, or empty when it recorded none. */
    public static Optional<String> lastRecordedSha256(AuditLogger audit) {
        List<AuditEvent> changes = audit.settingChanges(Signatures.SETTING);
        for (int i = changes.size() - 1; i >= 0; i--) {
            Optional<Identities> identities = identitiesOf(changes.get(i));
            if (identities.isPresent()) {
                return Optional.of(identities.get().sha256());
            }
        }
        return Optional.empty();
    }

    /** The problems with the stored signatures of {@code audit}'s events, oldest first. */
    public static List<IntegrityProblem> check(AuditLogger audit) {
        return check(audit, null);
    }

    /**
     * The problems with the stored signatures of the events from {@code since} on (null: every
     * event), oldest first. The trail is streamed and only the identities it recorded and the
     * signed events are kept, so a ten-million-event trail is checked in bounded memory. Each
     * signature is checked against the identities recorded before its event: with {@code since},
     * the older identities changes are read from the days the trail's ledger names, and no other
     * older event is read.
     */
    public static List<IntegrityProblem> check(AuditLogger audit, Instant since) {
        Check check = checking(audit, since);
        audit.query(since == null ? AuditFilter.all() : AuditFilter.all().withSince(since), 0, check);
        return check.problems();
    }

    /**
     * A check of the signatures of the events from {@code since} on (null: every event) that is
     * handed the events by whoever reads them: {@code audit verify} hands it each event its walk of
     * the chain reads, so the trail is read once, not once for the chain and again for the signatures.
     */
    public static Check checking(AuditLogger audit, Instant since) {
        return new Check(audit, since);
    }

    /** What {@link #checking} returns: takes events in any order, then gives the problems of their signatures. */
    public static final class Check implements Consumer<AuditEvent> {

        private final Instant since;
        private final List<IntegrityProblem> problems = new ArrayList<>();
        private final TreeMap<Long, Optional<Identities>> recorded;
        private final List<AuditEvent> signed = new ArrayList<>();

        private Check(AuditLogger audit, Instant since) {
            this.since = since;
            this.recorded = recordedIdentities(audit, problems::add);
        }

        /** Keeps {@code event} when it is signed, from the window, and not itself a record of identities. */
        @Override
        public void accept(AuditEvent event) {
            if ((since == null || !event.timestamp().isBefore(since)) && event.details().containsKey(SignedAction.FIELD)
                    && !recorded.containsKey(event.seq())) {
                signed.add(event);
            }
        }

        /** The problems with the signatures of the events taken, and with the identities recorded, oldest first. */
        public List<IntegrityProblem> problems() {
            List<IntegrityProblem> found = new ArrayList<>(problems);
            for (AuditEvent event : signed) {
                SignatureAudit.check(event, event.details().get(SignedAction.FIELD), recordedBefore(recorded, event.seq()))
                        .ifPresent(why -> found.add(problem(event, why)));
            }
            found.sort(Comparator.comparingLong(IntegrityProblem::seq));
            return found;
        }
    }

    /**
     * The verdict {@link #check(AuditLogger)} gives on {@code event}'s stored signature, for one
     * event (the audit detail pane): checked against the identities the trail recorded before it
     * (an unreadable identities event is passed over, as the whole check passes over it), so the
     * pane and {@code audit verify} never disagree.
     */
    public static SignatureVerdict verdict(AuditLogger audit, AuditEvent event) {
        Object stored = event.details().get(SignedAction.FIELD);
        if (stored == null) {
            return SignatureVerdict.unsigned(event.user());
        }
        // check() reports an unreadable identities event on its own; here the identities before it still count.
        Identities identities = recordedBefore(recordedIdentities(audit, unreadable -> { }), event.seq());
        Optional<SshPublicKey> key;
        try {
            key = Optional.of(SignedAction.fromJson(Json.mapper().valueToTree(stored)).signature().publicKey());
        } catch (SshFormatException e) {
            key = Optional.empty();
        }
        Optional<SshPublicKey> presented = key;
        return check(event, stored, identities)
                .map(why -> SignatureVerdict.invalid(event.user(), presented, why))
                .orElseGet(() -> SignatureVerdict.signed(event.user(), presented.orElseThrow()));
    }

    /**
     * The identities blocks the trail recorded, by the seq of their {@code config_changed} event:
     * empty for a block that cannot be read, which is handed to {@code unreadable} as a problem.
     * Only the days the trail's ledger names as holding an identities change are read.
     */
    private static TreeMap<Long, Optional<Identities>> recordedIdentities(AuditLogger audit,
                                                                          Consumer<IntegrityProblem> unreadable) {
        TreeMap<Long, Optional<Identities>> recorded = new TreeMap<>();
        for (AuditEvent event : audit.settingChanges(Signatures.SETTING)) {
            try {
                identitiesOf(event).ifPresent(identities -> recorded.put(event.seq(), Optional.of(identities)));
            } catch (MlopsException e) {
                recorded.put(event.seq(), Optional.empty());
                unreadable.accept(problem(event, "its identities block cannot be read: " + e.getMessage()));
            }
        }
        return recorded;
    }

    /** The last readable identities recorded before event {@code seq}; null when there are none. */
    private static Identities recordedBefore(TreeMap<Long, Optional<Identities>> recorded, long seq) {
        for (Map.Entry<Long, Optional<Identities>> entry = recorded.lowerEntry(seq); entry != null;
                entry = recorded.lowerEntry(entry.getKey())) {
            if (entry.getValue().isPresent()) {
                return entry.getValue().get();
            }
        }
        return null;
    }

    /** The actions that are signed whenever their stage requires it (issue 24). */
    private static final Set<String> SIGNED_ACTIONS = Set.of("request_promotion",
            "approve_promotion", "reject_promotion", "withdraw_promotion", "promote");

    /**
     * True when {@code event} is an unsigned governed action into a stage that {@code policy}
     * requires signatures for: a request, approval, rejection, withdrawal or direct promotion. A
     * promotion that carries out an approved request is not signed (its last approval was).
     */
    public static boolean unsignedWhereRequired(AuditEvent event, Policy policy) {
        if (event.details().containsKey(SignedAction.FIELD) || !SIGNED_ACTIONS.contains(event.action())
                || ("promote".equals(event.action()) && event.details().containsKey(AuditRecords.REQUEST_ID))) {
            return false;
        }
        Object stage = event.details().getOrDefault(AuditRecords.TO_STAGE,
                event.details().get(AuditRecords.TARGET_STAGE));
        try {
            return stage != null && policy.rule(ModelStage.parse(stage.toString())).requireSigned();
        } catch (MlopsException notAStage) {
            return false; // an alias request's target, or a value from another version: no stage to require it
        }
    }

    private static Optional<String> check(AuditEvent event, Object stored, Identities identities) {
        SignedAction signed;
        try {
            signed = SignedAction.fromJson(Json.mapper().valueToTree(stored));
        } catch (SshFormatException e) {
            return Optional.of("its signature cannot be read: " + e.getMessage());
        }
        ActionPayload payload = signed.payload();
        boolean deployment = AuditRecords.DEPLOYMENT.equals(event.resourceType());
        // A deployment event names the deployment; its model and version are in the details.
        String resource = deployment ? payload.requestId() : AuditRecords.modelId(payload.model(), payload.version());
        String signedFor = payload.action() + " of " + (deployment ? resource + " (" + payload.model() + " "
                + payload.version() + ")" : resource) + " by " + payload.user();
        if (!payload.user().equals(event.user()) || !payload.action().equals(event.action())
                || !Objects.equals(resource, event.resourceId())
                || deployment && (!payload.model().equals(event.details().get(AuditRecords.MODEL_NAME))
                        || !payload.version().equals(event.details().get(AuditRecords.MODEL_VERSION)))) {
            return Optional.of("its signature is over another action (" + signedFor + "), not this event's");
        }
        String target = targetOf(event, deployment);
        if (target != null && !target.equals(payload.target())) {
            return Optional.of("its signature is for " + payload.target() + ", not " + target);
        }
        Object requestId = event.details().get(AuditRecords.REQUEST_ID);
        if (requestId != null && payload.requestId() != null && !requestId.equals(payload.requestId())) {
            return Optional.of("its signature is for request " + payload.requestId() + ", not " + requestId);
        }
        if (identities == null) {
            return Optional.of("it is signed, but no identities were recorded before it, so no key was listed for "
                    + event.user());
        }
        Verification verification = identities.verify(signed);
        return verification.problem().map(why -> "its signature (" + verification.key() + ") does not speak for "
                + event.user() + ": " + why);
    }

    /**
     * What an event's signature must name as its target: a deployment's environment, an alias
     * change's {@code @alias}, a stage change's or request's {@code to_stage}; null when the event names none.
     */
    private static String targetOf(AuditEvent event, boolean deployment) {
        Map<String, Object> details = event.details();
        Object target = deployment ? details.get(AuditRecords.ENVIRONMENT)
                : details.get(AuditRecords.ALIAS) instanceof String alias ? AliasRule.target(alias)
                : details.get(AuditRecords.TO_STAGE);
        return target instanceof String text ? text : null;
    }

    /** The identities an event records, when it is a config_changed of setting identities. */
    @SuppressWarnings("unchecked")
    private static Optional<Identities> identitiesOf(AuditEvent event) {
        if (event.eventType() != EventType.CONFIG_CHANGED
                || !Signatures.SETTING.equals(event.details().get(AuditRecords.SETTING))) {
            return Optional.empty();
        }
        JsonNode value = Json.mapper().valueToTree(event.details().get(AuditRecords.VALUE));
        JsonNode keys = value == null ? null : value.get(Signatures.KEYS);
        if (keys == null || !keys.isObject()) {
            throw new SshFormatException("it has no keys");
        }
        Map<String, List<String>> lines = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : keys.properties()) {
            lines.put(entry.getKey(), (List<String>) Json.mapper().convertValue(entry.getValue(), List.class));
        }
        return Optional.of(new Identities(lines));
    }

    private static IntegrityProblem problem(AuditEvent event, String why) {
        return new IntegrityProblem(ProblemKind.SIGNATURE, event.seq(), null,
                event.eventType().value() + " " + event.action() + " of " + event.resourceId() + " by " + event.user()
                        + ": " + why, event.eventId(), event.user(), why);
    }
}
