package neural.mlops.policy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditSink;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.Promotion;
import neural.mlops.registry.PromotionContext;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.MlopsException;
import neural.mlops.store.Names;
import neural.mlops.store.NotFoundException;
import neural.mlops.store.StoreLock;
import neural.mlops.store.UtcTime;

/**
 * The governance of one registry for its acting user (SPEC 8): the policy of workspace.yaml,
 * enforced on every stage change through the registry's guard, and the promotion requests and
 * approvals through which a version reaches a stage that needs more than one person.
 *
 * <p>The policy is read again whenever workspace.yaml changes, so a long-running GUI enforces the
 * policy as it is now. Every refusal is recorded ({@code access_denied}, or
 * {@code security_violation} for an attempt to bypass approvals) before the caller is told; every
 * request, approval, rejection and withdrawal is recorded as {@code model_updated} before it takes
 * effect (fail-closed). Requests change under {@code requests/.lock}, so two approvers at once
 * never lose an approval.
 *
 * <pre>{@code
 * Governance governance = workspace.governance();
 * governance.request("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "beats v1 on recall");  // as bob
 * // later, opened as alice:
 * ApprovalOutcome outcome = governance.approve("fraud_detector", "v2.0.0", ModelStage.PRODUCTION);
 * }</pre>
 */
public final class Governance {

    static final String RESOURCE_TYPE = "model";
    /** Long enough for any reason a person writes; leaves room in the stage history for who approved. */
    static final int MAX_REASON = 512;
    /** The registry's limit on a stage change's reason. */
    static final int MAX_STAGE_REASON = 1024;
    /** Bound on each text recorded with a refusal, well under the audit trail's per-field limit. */
    static final int MAX_RECORDED_TEXT = 1000;

    private final ModelRegistry registry;
    private final Path settingsFile;
    private final AuditSink audit;
    private final Clock clock;
    private final RequestStore store;
    private final PolicyGuard guard;
    private byte[] loadedBytes;
    private Policy loaded;

    private Governance(ModelRegistry registry, Path settingsFile, AuditSink audit, Clock clock) {
        this.registry = registry;
        this.settingsFile = settingsFile;
        this.audit = audit;
        this.clock = clock;
        this.store = new RequestStore(registry.root());
        this.guard = new PolicyGuard(this);
    }

    /**
     * Reads the policy of {@code settingsFile} (a workspace's workspace.yaml; it may be missing) and
     * installs it as {@code registry}'s promotion guard. Throws {@link PolicyFileException} (and
     * installs nothing) when the file has an unknown key or a value of the wrong type.
     */
    public static Governance install(ModelRegistry registry, Path settingsFile, AuditSink audit, Clock clock) {
        Governance governance = new Governance(Objects.requireNonNull(registry, "registry"),
                Objects.requireNonNull(settingsFile, "settingsFile"), Objects.requireNonNull(audit, "audit"),
                Objects.requireNonNull(clock, "clock"));
        governance.policy();
        registry.setPromotionGuard(governance.guard);
        return governance;
    }

    /** The governance installed on {@code registry}, if any (the GUI finds it from the registry it shows). */
    public static Optional<Governance> of(ModelRegistry registry) {
        return registry.promotionGuard() instanceof PolicyGuard policyGuard
                ? Optional.of(policyGuard.governance()) : Optional.empty();
    }

    /** The acting user: the registry's. */
    public String user() {
        return registry.user();
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** Where the policy comes from. */
    public Path settingsFile() {
        return settingsFile;
    }

    /**
     * The policy as workspace.yaml states it now (read again when its content changed). Throws
     * {@link PolicyFileException} when the file has become invalid: every governed action then
     * stops rather than guessing.
     */
    public synchronized Policy policy() {
        byte[] bytes = Policy.readSettings(settingsFile);
        if (loaded == null || !Arrays.equals(bytes, loadedBytes)) {
            loaded = bytes == null ? Policy.OPEN : Policy.parse(bytes, settingsFile);
            loadedBytes = bytes;
        }
        return loaded;
    }

    /**
     * What the policy says about the acting user moving {@code version} to {@code target} now, for
     * showing before the click: allowed, possible through a request, or blocked (and by which rules).
     * {@code versions} are the model's versions as last read (for the metric gates).
     */
    public Verdict assess(ModelVersion version, ModelStage target, String reason, List<ModelVersion> versions) {
        return policy().check(new PromotionContext(version, version.stage(), target, user(), reason, versions));
    }

    // Requests

    /**
     * Asks for {@code name version} to move to {@code target}, a stage that needs approvals. The
     * requester counts as the first approval and must be permitted for the stage; every other rule
     * must hold already. Refused when the stage needs no approval or an open request exists.
     */
    public PromotionRequest request(String name, String version, ModelStage target, String reason) {
        checkIdentity(name, version, target);
        String why = requiredReason(reason);
        try (StoreLock.Held held = store.lock()) {
            Policy policy = policy();
            StageRule rule = policy.rule(target);
            if (!rule.needsApprovals()) {
                throw new ConflictException(target.value() + " needs no approval under the workspace policy; "
                        + "promote " + name + " " + version + " directly");
            }
            ModelVersion current = registry.getModel(name, version);
            if (current.stage() == target) {
                throw new ConflictException(name + " " + version + " is already in " + target.value() + "; nothing to request");
            }
            Optional<RequestStore.Stored> existing = store.find(name, version, target);
            if (existing.isPresent() && existing.get().request().isOpen()) {
                PromotionRequest open = existing.get().request();
                throw new ConflictException(name + " " + version + " to " + target.value() + " was already requested by "
                        + open.requestedBy() + " at " + UtcTime.format(open.requestedAt()) + " ("
                        + open.agreed().size() + " of " + rule.approvals() + " approvals); approve or reject that request");
            }
            PromotionContext context = new PromotionContext(current, current.stage(), target, user(), why,
                    registry.listVersions(name));
            Verdict verdict = policy.check(context, true);
            if (!verdict.allowed()) {
                throw deny(policy, current.id(), "request_promotion", current.stage(), target, verdict.violations(),
                        "request moving " + name + " " + version + " to " + target.value());
            }
            Instant now = UtcTime.now(clock);
            PromotionRequest request = new PromotionRequest(UUID.randomUUID().toString(), name, version,
                    current.stage(), target, RequestStatus.OPEN, user(), now, why, rule.approvals(), List.of(),
                    null, null, null);
            AuditRecord record = requestRecord(request, "request_promotion", policy, why);
            recordFailClosed(record, "Did not record the request to move " + name + " " + version);
            writeOrRecordFailure(existing, request, record);
            return request;
        }
    }

    /**
     * Approves the open request to move {@code name version} to {@code target}. The approver must
     * be permitted for the stage and must not be the requester (who counts already) or have
     * approved before. When this approval brings the count of permitted people who agreed to the
     * stage's {@code approvals}, the promotion is carried out at once, under every other rule.
     */
    public ApprovalOutcome approve(String name, String version, ModelStage target) {
        checkIdentity(name, version, target);
        try (StoreLock.Held held = store.lock()) {
            Policy policy = policy();
            RequestStore.Stored stored = openRequest(name, version, target);
            PromotionRequest request = stored.request();
            String user = user();
            String doing = "approve moving " + name + " " + version + " to " + target.value();
            if (request.requestedBy().equals(user)) {
                throw deny(policy, request.modelId(), "approve_promotion", request.fromStage(), target,
                        List.of(new Violation(target, Rule.APPROVALS, null,
                                user + " requested this promotion and cannot also approve it (the requester already "
                                        + "counts as one approval)",
                                "ask another permitted user to approve it", true)), doing);
            }
            if (!policy.permits(user, target)) {
                throw deny(policy, request.modelId(), "approve_promotion", request.fromStage(), target,
                        List.of(policy.notPermitted(user, target, "approve moves into " + target.value())), doing);
            }
            if (request.hasAgreed(user)) {
                throw deny(policy, request.modelId(), "approve_promotion", request.fromStage(), target,
                        List.of(new Violation(target, Rule.APPROVALS, null, user + " already approved this request",
                                "another permitted user must approve it", false)), doing);
            }
            Instant now = UtcTime.now(clock);
            List<PromotionRequest.Approval> approvals = new ArrayList<>(request.approvals());
            approvals.add(new PromotionRequest.Approval(user, now));
            PromotionRequest approved = withApprovals(request, approvals);
            int required = policy.rule(target).approvals();
            long counted = approved.agreed().stream().distinct().filter(person -> policy.permits(person, target)).count();
            if (counted < required) {
                AuditRecord record = approvalRecord(approved, policy, counted, required, false);
                recordFailClosed(record, "Did not record the approval of " + name + " " + version);
                writeOrRecordFailure(Optional.of(stored), approved, record);
                return new ApprovalOutcome(approved, Optional.empty());
            }
            return complete(policy, stored, approved, counted, required, now);
        }
    }

    /** The last approval: check the move under every other rule, record the approval, then carry it out. */
    private ApprovalOutcome complete(Policy policy, RequestStore.Stored stored, PromotionRequest approved, long counted,
                                     int required, Instant now) {
        String name = approved.name();
        String version = approved.version();
        ModelStage target = approved.toStage();
        ModelVersion current = registry.getModel(name, version);
        if (current.stage() == target) {
            throw new ConflictException(name + " " + version + " is already in " + target.value()
                    + "; reject or withdraw the request to close it");
        }
        Verdict verdict = policy.check(new PromotionContext(current, current.stage(), target, user(),
                approved.reason(), registry.listVersions(name)), true);
        if (!verdict.allowed()) {
            throw deny(policy, approved.modelId(), "approve_promotion", current.stage(), target, verdict.violations(),
                    "approve moving " + name + " " + version + " to " + target.value());
        }
        AuditRecord record = approvalRecord(approved, policy, counted, required, true);
        recordFailClosed(record, "Did not approve " + name + " " + version);
        Promotion promotion;
        try {
            promotion = guard.carryOut(approved, () -> registry.promoteModel(name, version, target, stageReason(approved)));
        } catch (RuntimeException e) {
            recordFailure(record, e);
            throw e;
        }
        PromotionRequest done = close(approved, RequestStatus.APPROVED, now, null);
        store.write(Optional.of(stored), done);
        return new ApprovalOutcome(done, Optional.of(promotion));
    }

    /**
     * Closes the open request to move {@code name version} to {@code target}: a withdrawal when the
     * requester does it, a rejection when another user permitted for the stage does.
     */
    public PromotionRequest reject(String name, String version, ModelStage target, String reason) {
        checkIdentity(name, version, target);
        String why = optionalReason(reason);
        try (StoreLock.Held held = store.lock()) {
            Policy policy = policy();
            RequestStore.Stored stored = openRequest(name, version, target);
            PromotionRequest request = stored.request();
            String user = user();
            boolean withdrawal = request.requestedBy().equals(user);
            if (!withdrawal && !policy.permits(user, target)) {
                throw deny(policy, request.modelId(), "reject_promotion", request.fromStage(), target,
                        List.of(policy.notPermitted(user, target, "reject requests to move versions into "
                                + target.value() + " (only the requester may withdraw it)")),
                        "reject the request to move " + name + " " + version + " to " + target.value());
            }
            PromotionRequest closed = close(request, withdrawal ? RequestStatus.WITHDRAWN : RequestStatus.REJECTED,
                    UtcTime.now(clock), why);
            AuditRecord record = requestRecord(closed, withdrawal ? "withdraw_promotion" : "reject_promotion", policy, why);
            recordFailClosed(record, "Did not " + (withdrawal ? "withdraw" : "reject") + " the request for " + name + " "
                    + version);
            writeOrRecordFailure(Optional.of(stored), closed, record);
            return closed;
        }
    }

    /** The requests, oldest first: only open ones unless {@code includeClosed}; of model {@code name} when given. */
    public RequestListing requests(String name, boolean includeClosed) {
        if (name != null) {
            Names.require("model name", name);
        }
        RequestListing all = store.list(name);
        if (includeClosed) {
            return all;
        }
        return new RequestListing(all.requests().stream().filter(PromotionRequest::isOpen).toList(), all.problems());
    }

    /** Why the acting user cannot approve {@code request}, or empty when they can (for the GUI). */
    public Optional<String> approvalBlocker(PromotionRequest request) {
        String user = user();
        if (!request.isOpen()) {
            return Optional.of("The request is " + request.status().value() + ".");
        }
        if (request.requestedBy().equals(user)) {
            return Optional.of("You requested it; another permitted user must approve it.");
        }
        Policy policy = policy();
        if (!policy.permits(user, request.toStage())) {
            Violation violation = policy.notPermitted(user, request.toStage(), "approve moves into "
                    + request.toStage().value());
            return Optional.of(violation.path() + ": " + violation.problem() + ".");
        }
        if (request.hasAgreed(user)) {
            return Optional.of("You already approved it.");
        }
        return Optional.empty();
    }

    /** Why the acting user can neither reject nor withdraw {@code request}, or empty when they can. */
    public Optional<String> rejectionBlocker(PromotionRequest request) {
        if (!request.isOpen()) {
            return Optional.of("The request is " + request.status().value() + ".");
        }
        String user = user();
        Policy policy = policy();
        if (!request.requestedBy().equals(user) && !policy.permits(user, request.toStage())) {
            Violation violation = policy.notPermitted(user, request.toStage(), "reject requests to move versions into "
                    + request.toStage().value());
            return Optional.of(violation.path() + ": " + violation.problem() + ".");
        }
        return Optional.empty();
    }

    // Enforcement (called by the guard under the registry's lock)

    void enforce(PromotionContext context, boolean carriesOutRequest) {
        Policy policy = policy();
        Verdict verdict = policy.check(context, carriesOutRequest);
        if (!verdict.allowed()) {
            ModelVersion candidate = context.candidate();
            boolean registering = context.fromStage() == null;
            throw deny(policy, candidate.id(), registering ? "register" : "promote", context.fromStage(),
                    context.targetStage(), verdict.violations(),
                    (registering ? "register " : "move ") + candidate.name() + " " + candidate.version()
                            + (registering ? " into " : " to ") + context.targetStage().value());
        }
    }

    /**
     * Records a refusal and returns the exception to throw. An attempt to bypass approvals is a
     * {@code security_violation} (critical), any other refusal {@code access_denied} (warning); one
     * event per refusal, listing every rule broken. The refusal stands even if it cannot be recorded.
     */
    private PolicyDeniedException deny(Policy policy, String resourceId, String action, ModelStage from,
                                       ModelStage target, List<Violation> violations, String doing) {
        String user = user();
        boolean bypass = violations.stream().anyMatch(Violation::bypass);
        EventType type = bypass ? EventType.SECURITY_VIOLATION : EventType.ACCESS_DENIED;
        String message = user + " may not " + doing + " under the workspace policy: "
                + violations.stream().map(Violation::message).collect(Collectors.joining(". "));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rule", violations.get(0).path());
        details.put("rules", violations.stream().map(Violation::path).toList());
        details.put("from_stage", from == null ? null : from.value());
        details.put("to_stage", target.value());
        List<Map<String, Object>> broken = new ArrayList<>();
        for (Violation violation : violations) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("rule", violation.path());
            entry.put("problem", bounded(violation.problem()));
            entry.put("remedy", bounded(violation.remedy()));
            broken.add(entry);
        }
        details.put("violations", broken);
        putPolicy(details, policy);
        String reason = bounded(violations.stream().map(v -> v.path() + ": " + v.problem()).collect(Collectors.joining("; ")));
        AuditRecord record = new AuditRecord(type, bypass ? EventSeverity.CRITICAL : EventSeverity.WARNING, user,
                RESOURCE_TYPE, resourceId, action, Outcome.DENIED, reason, details, null);
        try {
            audit.record(record);
        } catch (RuntimeException e) {
            message += " (the refusal could not be recorded in the audit trail: " + e.getMessage() + ")";
        }
        return new PolicyDeniedException(message, violations, type);
    }

    // Internals

    private RequestStore.Stored openRequest(String name, String version, ModelStage target) {
        return store.find(name, version, target).filter(stored -> stored.request().isOpen())
                .orElseThrow(() -> new NotFoundException("There is no open request to move " + name + " " + version
                        + " to " + target.value() + "; list them with registry requests, or create one"));
    }

    private AuditRecord requestRecord(PromotionRequest request, String action, Policy policy, String reason) {
        Map<String, Object> details = requestDetails(request, policy);
        return AuditRecord.of(EventType.MODEL_UPDATED, user(), RESOURCE_TYPE, request.modelId(), action, details)
                .withReason(reason);
    }

    private AuditRecord approvalRecord(PromotionRequest request, Policy policy, long counted, int required,
                                       boolean completes) {
        Map<String, Object> details = requestDetails(request, policy);
        details.put("approvals_counted", counted);
        details.put("approvals_required", required);
        details.put("completes", completes);
        return AuditRecord.of(EventType.MODEL_UPDATED, user(), RESOURCE_TYPE, request.modelId(), "approve_promotion",
                details).withReason(request.reason());
    }

    private static Map<String, Object> requestDetails(PromotionRequest request, Policy policy) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("request_id", request.requestId());
        details.put("from_stage", request.fromStage() == null ? null : request.fromStage().value());
        details.put("to_stage", request.toStage().value());
        details.put("status", request.status().value());
        details.put("requested_by", request.requestedBy());
        details.put("agreed", request.agreed());
        details.put("approvals_required", request.approvalsRequired());
        putPolicy(details, policy);
        return details;
    }

    private static void putPolicy(Map<String, Object> details, Policy policy) {
        details.put("policy_sha256", policy.sha256().orElse(null));
    }

    private void recordFailClosed(AuditRecord record, String notDone) {
        try {
            audit.record(record);
        } catch (RuntimeException e) {
            throw new MlopsException(notDone + ": the audit trail could not record it ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "); nothing was changed", e);
        }
    }

    /** Best effort: the action was recorded as done but did not take effect. */
    private void recordFailure(AuditRecord record, RuntimeException failure) {
        try {
            audit.record(record.withOutcome(Outcome.FAILURE, EventSeverity.ERROR).withReason(bounded(failure.getMessage())));
        } catch (RuntimeException ignored) {
            // The caller reports the failure itself.
        }
    }

    private void writeOrRecordFailure(Optional<RequestStore.Stored> previous, PromotionRequest request, AuditRecord record) {
        try {
            store.write(previous, request);
        } catch (MlopsException e) {
            recordFailure(record, e);
            throw e;
        }
    }

    private static PromotionRequest withApprovals(PromotionRequest r, List<PromotionRequest.Approval> approvals) {
        return new PromotionRequest(r.requestId(), r.name(), r.version(), r.fromStage(), r.toStage(), r.status(),
                r.requestedBy(), r.requestedAt(), r.reason(), r.approvalsRequired(), approvals, r.closedBy(),
                r.closedAt(), r.closeReason());
    }

    private PromotionRequest close(PromotionRequest r, RequestStatus status, Instant at, String reason) {
        return new PromotionRequest(r.requestId(), r.name(), r.version(), r.fromStage(), r.toStage(), status,
                r.requestedBy(), r.requestedAt(), r.reason(), r.approvalsRequired(), r.approvals(), user(), at, reason);
    }

    /** The stage history's reason: the request's, and who agreed, when that fits the registry's limit. */
    private static String stageReason(PromotionRequest request) {
        String withApprovals = request.reason() + " (requested by " + request.requestedBy() + ", approved by "
                + request.approvals().stream().map(PromotionRequest.Approval::by).collect(Collectors.joining(", ")) + ")";
        return withApprovals.length() <= MAX_STAGE_REASON ? withApprovals : request.reason();
    }

    private static void checkIdentity(String name, String version, ModelStage target) {
        Names.require("model name", name);
        Names.require("version", version);
        Objects.requireNonNull(target, "target stage");
    }

    private static String requiredReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("A promotion request needs a reason: say why the version should move, "
                    + "so the approvers can judge it");
        }
        return optionalReason(reason);
    }

    private static String optionalReason(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        String text = reason.strip();
        if (text.length() > MAX_REASON) {
            throw new InvalidInputException("The reason is " + text.length() + " characters long; at most " + MAX_REASON
                    + " are allowed");
        }
        if (text.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("Invalid reason " + Names.quote(text)
                    + ": it must be one line without control characters");
        }
        return text;
    }

    private static String bounded(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= MAX_RECORDED_TEXT ? text : text.substring(0, MAX_RECORDED_TEXT - 3) + "...";
    }
}
