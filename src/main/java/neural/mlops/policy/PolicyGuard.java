package neural.mlops.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.AuditSink;
import neural.mlops.audit.AuditedChange;
import neural.mlops.audit.EventType;
import neural.mlops.identity.ActionPayload;
import neural.mlops.identity.SignedAction;
import neural.mlops.registry.AliasContext;
import neural.mlops.registry.AliasGuard;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.PromotionContext;
import neural.mlops.registry.PromotionGuard;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.store.storage.Storage;

/**
 * The policy of workspace.yaml as a registry's {@link PromotionGuard} (SPEC 8): runs under the
 * registry's lock before every stage change, on the policy as the file says it now, and records
 * every refusal. A move into a stage that needs approvals passes only when it names the promotion
 * request it carries out and that request, as stored, is for this very move and has its approvals
 * once the acting user's is added; any other such move is an attempt to bypass the approvals.
 *
 * <p>A workspace builds the guard first and hands it to both the registry (which calls it) and
 * {@link Governance} (which files and approves requests against the same policy and store).
 */
public final class PolicyGuard implements PromotionGuard, AliasGuard {

    /** Bound on each text recorded with a refusal, well under the audit trail's per-field limit. */
    static final int MAX_RECORDED_TEXT = 1000;

    private final Storage settings;
    private final Key settingsKey;
    private final RequestStore requests;
    private final AuditedChange audited;
    private final Signatures signatures;
    private byte[] loadedBytes;
    private Policy loaded;

    private PolicyGuard(Storage settings, Key settingsKey, RequestStore requests, AuditSink audit,
                        Signatures signatures) {
        this.settings = settings;
        this.settingsKey = settingsKey;
        this.requests = requests;
        this.audited = new AuditedChange(audit);
        this.signatures = signatures;
    }

    /**
     * The guard of the registry whose storage is {@code registryRoot} (a workspace's
     * {@code under("models")}, where its promotion requests are kept) under the policy of the
     * {@code workspace.yaml} of {@code workspaceRoot} (it may be missing), recording refusals in
     * {@code audit}. Throws {@link PolicyFileException} when the file has an unknown key or a value
     * of the wrong type.
     */
    public static PolicyGuard of(Storage registryRoot, Storage workspaceRoot, AuditSink audit) {
        return of(registryRoot, workspaceRoot, audit, Signatures.none());
    }

    /**
     * {@link #of(Storage, Storage, AuditSink)} for an acting user who signs their actions with
     * {@code signatures} (issue 24): checked against the policy's {@code identities}.
     */
    public static PolicyGuard of(Storage registryRoot, Storage workspaceRoot, AuditSink audit, Signatures signatures) {
        return of(registryRoot, Objects.requireNonNull(workspaceRoot, "workspaceRoot"), Policy.SETTINGS, audit,
                Objects.requireNonNull(signatures, "signatures"));
    }

    /**
     * The guard of the registry in the folder {@code registryRoot} under the policy of
     * {@code settingsFile} (a workspace's workspace.yaml; it may be missing), as {@link #of(Storage, Storage, AuditSink)}.
     */
    public static PolicyGuard of(Path registryRoot, Path settingsFile, AuditSink audit) {
        Path absolute = Objects.requireNonNull(settingsFile, "settingsFile").toAbsolutePath().normalize();
        return of(new LocalStorage(Objects.requireNonNull(registryRoot, "registryRoot")),
                new LocalStorage(absolute.getParent()), Key.of(absolute.getFileName().toString()), audit,
                Signatures.none());
    }

    private static PolicyGuard of(Storage registryRoot, Storage settings, Key settingsKey, AuditSink audit,
                                  Signatures signatures) {
        PolicyGuard guard = new PolicyGuard(settings, settingsKey,
                new RequestStore(Objects.requireNonNull(registryRoot, "registryRoot")),
                Objects.requireNonNull(audit, "audit"), signatures);
        guard.policy();
        return guard;
    }

    /**
     * Where the policy comes from: the workspace.yaml file of a folder, or its key (relative to
     * the workspace) on an object store; {@link #settingsLocation()} names it in full.
     */
    public Path settingsFile() {
        return Policy.where(settings, settingsKey);
    }

    /** Where the policy comes from, for people: a file, or {@code s3://bucket/prefix/workspace.yaml}. */
    public String settingsLocation() {
        return Policy.location(settings, settingsKey);
    }

    /**
     * The policy as workspace.yaml states it now (read again when its content changed). Throws
     * {@link PolicyFileException} when the file has become invalid: every governed action then
     * stops rather than guessing.
     */
    public synchronized Policy policy() {
        // Fails closed when it exists but is not a readable regular file.
        byte[] bytes = Policy.readSettings(settings, settingsKey);
        if (loaded == null || !Arrays.equals(bytes, loadedBytes)) {
            loaded = bytes == null ? Policy.OPEN : Policy.parse(bytes, settingsFile());
            loadedBytes = bytes;
        }
        return loaded;
    }

    RequestStore requests() {
        return requests;
    }

    AuditedChange audited() {
        return audited;
    }

    /** The acting user's signatures, checked against the policy's identities. */
    public Signatures signatures() {
        return signatures;
    }

    @Override
    public void check(PromotionContext context) {
        admit(context);
    }

    /**
     * {@link #check}, with the acting user's signature over the move (issue 24): required where
     * the stage says {@code require_signed}, and returned to be recorded with the stage change. A
     * move that carries out an approved request is not signed again: its last approval was.
     */
    @Override
    public Map<String, Object> admit(PromotionContext context) {
        Policy policy = policy();
        boolean carriesOut = carriesOutApprovedRequest(policy, context);
        Verdict verdict = policy.check(context, carriesOut);
        boolean registering = context.fromStage() == null;
        String action = registering ? "register" : "promote";
        List<Violation> violations = new ArrayList<>(verdict.violations());
        Optional<SignedAction> signed = Optional.empty();
        if (!carriesOut) {
            signed = signatures.sign(policy, context.targetStage(), new ActionPayload(action, context.user(),
                    context.candidate().name(), context.candidate().version(), context.targetStage().value(), null,
                    signatures.now()));
            signatures.violation(policy, context.targetStage(), context.user(), signed).ifPresent(violations::add);
        }
        if (!violations.isEmpty()) {
            throw deny(policy, context.user(), context.candidate().id(), action,
                    context.fromStage(), context.targetStage(), violations,
                    (registering ? "register " : "move ") + context.candidate().name() + " "
                            + context.candidate().version() + (registering ? " into " : " to ")
                            + context.targetStage().value());
        }
        return recorded(policy, context.user(), signed);
    }

    /**
     * Admits a deployment change under {@code policy.deployments.<environment>} (issue 24): signs
     * it with the acting user's key, refuses an unsigned change where the environment says
     * {@code require_signed}, and a signature that does not speak for the user anywhere, recorded as a
     * {@code security_violation} naming the claimed user. Returns the signature to record with the
     * change, or nothing when it is unsigned. A workspace hands it to its deployment tracker as the
     * tracker's guard ({@code guard::admitDeployment}), so this package needs none of the tracker's types.
     */
    public Map<String, Object> admitDeployment(ActionPayload change) {
        Policy policy = policy();
        DeploymentRule rule = policy.deploymentRule(change.target());
        Optional<SignedAction> signed = signatures.sign(policy, rule.requireSigned(), change);
        Optional<Signatures.Refusal> refusal = signatures.refusal(policy, rule.requireSigned(),
                "the " + change.target() + " environment", change.user(), signed);
        if (refusal.isPresent()) {
            String doing = change.action() + " the deployment " + change.requestId() + " of " + change.model() + " "
                    + change.version() + " in " + change.target();
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put(AuditRecords.DEPLOYMENT_ID, change.requestId());
            facts.put(AuditRecords.ENVIRONMENT, change.target());
            throw deny(policy, change.user(), AuditRecords.modelId(change.model(), change.version()), change.action(),
                    List.of(new AliasRule.Broken(rule.path(Rule.REQUIRE_SIGNED.key()), refusal.get().problem(),
                            refusal.get().remedy(), true)), doing, facts);
        }
        return recorded(policy, change.user(), signed);
    }

    /** The signature as the change's event details carry it, its identities recorded in the trail first. */
    private Map<String, Object> recorded(Policy policy, String user, Optional<SignedAction> signed) {
        if (signed.isEmpty()) {
            return Map.of();
        }
        signatures.recordIdentities(policy, user, audited);
        return Map.of(SignedAction.FIELD, signed.get().toMap());
    }

    @Override
    public void check(AliasContext context) {
        admit(context);
    }

    /**
     * Checks an alias change against {@code policy.aliases}: refused, and recorded like a refused
     * stage change ({@code access_denied}, or {@code security_violation} when it would skip
     * approvals or is not validly signed), when the user is not allowed, the alias needs approvals,
     * or its signature is missing where {@code require_signed} says so or does not speak for the
     * user. Returns the signature to record with the change (issue 24).
     */
    @Override
    public Map<String, Object> admit(AliasContext context) {
        Policy policy = policy();
        Optional<RequestStore.Stored> approvedRequest = approvedAliasRequest(policy, context);
        List<AliasRule.Broken> broken = new ArrayList<>(policy.check(context, approvedRequest.isPresent()));
        if (approvedRequest.isEmpty()) {
            broken.replaceAll(rule -> rule.bypass() ? withOpenRequest(policy, context, rule) : rule);
        }
        AliasRule rule = policy.aliasRule(context.alias());
        Optional<SignedAction> signed = Optional.empty();
        if (broken.isEmpty()) {
            signed = signatures.sign(policy, rule.requireSigned(), new ActionPayload(context.action(), context.user(),
                    context.name(), context.toVersion() != null ? context.toVersion() : context.fromVersion(),
                    AliasRule.target(context.alias()), approvedRequest.map(stored -> stored.request().requestId())
                    .orElse(null), signatures.now()));
            signatures.refusal(policy, rule.requireSigned(), "the alias " + context.alias(), context.user(), signed)
                    .ifPresent(refusal -> broken.add(new AliasRule.Broken(rule.path(Rule.REQUIRE_SIGNED.key()),
                            refusal.problem(), refusal.remedy(), true)));
        }
        if (!broken.isEmpty()) {
            String doing = context.action().replace('_', ' ') + " " + context.name() + "@" + context.alias();
            throw denyAlias(policy, context.user(), context.resourceId(), context.action(), broken, doing);
        }
        // Closed before the alias document is written, conditionally on the request as read: an approval
        // carries out one move only, even when two users set the alias at once. Requests are written
        // without their lock here (the registry's lock is held, and is never taken before it).
        approvedRequest.ifPresent(stored -> {
            PromotionRequest r = stored.request();
            PromotionRequest done = new PromotionRequest(r.requestId(), r.name(), r.version(), r.fromStage(),
                    r.toStage(), RequestStatus.APPROVED, r.requestedBy(), r.requestedAt(), r.reason(),
                    r.approvalsRequired(), r.approvals(), context.user(), signatures.now(), null,
                    r.requestSignature(), r.closeSignature(), r.alias());
            requests.write(Optional.of(stored), done);
        });
        return recorded(policy, context.user(), signed);
    }

    /**
     * The approvals rule broken, told how far the open request for this very change has got, when
     * there is one: who agreed, and how many more must approve it with which command.
     */
    private AliasRule.Broken withOpenRequest(Policy policy, AliasContext context, AliasRule.Broken broken) {
        if (context.toVersion() == null) {
            return broken;
        }
        return requests.findAlias(context.name(), context.toVersion(), context.alias())
                .map(RequestStore.Stored::request).filter(PromotionRequest::isOpen)
                .map(request -> {
                    long counted = request.agreed().stream().distinct()
                            .filter(person -> policy.permitsAlias(person, context.alias())).count();
                    long missing = Math.max(1, policy.aliasRule(context.alias()).approvals() - counted);
                    return new AliasRule.Broken(broken.path(), broken.problem() + " (the request by "
                            + request.requestedBy() + " has " + counted + " of "
                            + policy.aliasRule(context.alias()).approvals() + " approvals: "
                            + String.join(", ", request.agreed()) + ")", missing + " more "
                            + (missing == 1 ? "approval is" : "approvals are") + " needed: neural-mlops registry approve "
                            + context.name() + " " + context.toVersion() + " --alias " + context.alias()
                            + ", by another permitted user", true);
                })
                .orElse(broken);
    }

    /**
     * The open request to point exactly this alias at exactly this version whose people who agreed
     * include as many users allowed to change the alias as its {@code approvals} requires; empty
     * otherwise (and for removals, which are not requested).
     */
    private Optional<RequestStore.Stored> approvedAliasRequest(Policy policy, AliasContext context) {
        AliasRule rule = policy.aliasRule(context.alias());
        if (!rule.needsApprovals() || context.toVersion() == null) {
            return Optional.empty();
        }
        return requests.findAlias(context.name(), context.toVersion(), context.alias())
                .filter(stored -> stored.request().isOpen())
                .filter(stored -> stored.request().agreed().stream().distinct()
                        .filter(person -> policy.permitsAlias(person, context.alias())).count() >= rule.approvals());
    }

    /**
     * Records the refusal of an alias change or alias request by {@code user} and returns the exception to
     * throw: {@code security_violation} when it would skip approvals, {@code access_denied} otherwise.
     */
    PolicyDeniedException denyAlias(Policy policy, String user, String resourceId, String action,
                                    List<AliasRule.Broken> broken, String doing) {
        return deny(policy, user, resourceId, action, broken, doing, Map.of());
    }

    /** {@link #denyAlias}, with {@code facts} (the deployment and environment of a refused deployment change) added. */
    private PolicyDeniedException deny(Policy policy, String user, String resourceId, String action,
                                       List<AliasRule.Broken> broken, String doing, Map<String, Object> facts) {
        boolean bypass = broken.stream().anyMatch(AliasRule.Broken::bypass);
        String message = user + " may not " + doing + " under the workspace policy: "
                + broken.stream().map(AliasRule.Broken::message).collect(Collectors.joining(". "));
        String reason = bounded(broken.stream().map(b -> b.path() + ": " + b.problem()).collect(Collectors.joining("; ")));
        String notRecorded = audited.recordRegardless(AuditRecords.refusal(bypass, user, resourceId, action, null, null,
                        broken.stream().map(b -> new AuditRecords.BrokenRule(b.path(), bounded(b.problem()),
                                bounded(b.remedy()))).toList(), policy.sha256().orElse(null), reason).withDetails(facts))
                .map(why -> " (the refusal could not be recorded in the audit trail: " + why + ")").orElse("");
        return new PolicyDeniedException(message + notRecorded, List.of(),
                bypass ? EventType.SECURITY_VIOLATION : EventType.ACCESS_DENIED);
    }

    /**
     * True when the move names an open request, stored for this very move, whose people who agreed
     * (the requester, the approvals stored, and the acting user giving the last one) include as many
     * users permitted for the stage as it requires.
     */
    private boolean carriesOutApprovedRequest(Policy policy, PromotionContext context) {
        if (context.approvedRequest() == null || context.fromStage() == null) {
            return false;
        }
        ModelStage target = context.targetStage();
        return requests.find(context.candidate().name(), context.candidate().version(), target)
                .map(RequestStore.Stored::request)
                .filter(request -> request.isOpen() && request.requestId().equals(context.approvedRequest()))
                .filter(request -> !request.requestedBy().equals(context.user()))
                .map(request -> {
                    Set<String> agreed = new LinkedHashSet<>(request.agreed());
                    agreed.add(context.user());
                    long permitted = agreed.stream().filter(person -> policy.permits(person, target)).count();
                    return permitted >= policy.rule(target).approvals();
                })
                .orElse(false);
    }

    /**
     * Records a refusal and returns the exception to throw: {@code security_violation} for an
     * attempt to bypass approvals or a model file the artifact rule refuses (its problem names the
     * offending globals), {@code access_denied} otherwise, one event listing every rule broken. The refusal stands even if it cannot be recorded; the message then says so.
     */
    PolicyDeniedException deny(Policy policy, String user, String resourceId, String action, ModelStage from,
                               ModelStage target, List<Violation> violations, String doing) {
        boolean bypass = violations.stream().anyMatch(v -> v.bypass() || v.rule() == Rule.ARTIFACT);
        String message = user + " may not " + doing + " under the workspace policy: "
                + violations.stream().map(Violation::message).collect(Collectors.joining(". "));
        List<AuditRecords.BrokenRule> broken = new ArrayList<>();
        for (Violation violation : violations) {
            broken.add(new AuditRecords.BrokenRule(violation.path(), bounded(violation.problem()),
                    bounded(violation.remedy())));
        }
        String reason = bounded(violations.stream().map(v -> v.path() + ": " + v.problem())
                .collect(Collectors.joining("; ")));
        String notRecorded = audited.recordRegardless(AuditRecords.refusal(bypass, user, resourceId, action,
                from == null ? null : from.value(), target.value(), broken, policy.sha256().orElse(null), reason))
                .map(why -> " (the refusal could not be recorded in the audit trail: " + why + ")").orElse("");
        return new PolicyDeniedException(message + notRecorded, violations,
                bypass ? EventType.SECURITY_VIOLATION : EventType.ACCESS_DENIED);
    }

    static String bounded(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= MAX_RECORDED_TEXT ? text : text.substring(0, MAX_RECORDED_TEXT - 3) + "...";
    }
}
