package neural.mlops.policy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.AuditedChange;
import neural.mlops.identity.ActionPayload;
import neural.mlops.identity.SignedAction;
import neural.mlops.identity.Signer;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ArtifactRecord;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.Promotion;
import neural.mlops.registry.PromotionContext;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;
import neural.mlops.store.NotFoundException;
import neural.mlops.store.UtcTime;
import neural.mlops.store.storage.ConditionFailedException;

/**
 * The governance of one registry for its acting user (SPEC 8): the policy of workspace.yaml,
 * enforced on every stage change through the registry's guard, and the promotion requests and
 * approvals through which a version reaches a stage that needs more than one person.
 *
 * <p>The policy is read again whenever workspace.yaml changes, so a long-running GUI enforces the
 * policy as it is now. Every refusal is recorded ({@code access_denied}, or
 * {@code security_violation} for an attempt to bypass approvals) before the caller is told; every
 * request, approval, rejection and withdrawal is recorded as {@code model_updated} before it takes
 * effect (fail-closed). Requests change under {@code requests/.lock}, and each write is
 * conditional on the request as read, so two approvers at once never lose an approval, on a
 * folder or in an object store.
 *
 * <pre>{@code
 * Governance governance = workspace.governance();
 * governance.request("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "beats v1 on recall");  // as bob
 * // later, opened as alice:
 * ApprovalOutcome outcome = governance.approve("fraud_detector", "v2.0.0", ModelStage.PRODUCTION);
 * }</pre>
 */
public final class Governance {

    /** Long enough for any reason a person writes; leaves room in the stage history for who approved. */
    static final int MAX_REASON = 512;
    /** The registry's limit on a stage change's reason. */
    static final int MAX_STAGE_REASON = 1024;

    private final ModelRegistry registry;
    private final PolicyGuard guard;
    private final Clock clock;
    private final RequestStore store;
    private final AuditedChange audited;
    private final Signatures signatures;

    /**
     * The governance of {@code registry}, which must have been built with {@code guard} as its
     * promotion guard (a workspace builds both; see {@link neural.mlops.workspace.Workspace}).
     */
    public Governance(ModelRegistry registry, PolicyGuard guard, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = guard.requests();
        this.audited = guard.audited();
        this.signatures = guard.signatures();
    }

    /** Who signs the acting user's actions, if anyone (issue 24). */
    public Signer signer() {
        return signatures.signer();
    }

    /** The acting user: the registry's. */
    public String user() {
        return registry.user();
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** Where the policy comes from (see {@link PolicyGuard#settingsFile()}). */
    public Path settingsFile() {
        return guard.settingsFile();
    }

    /** Where the policy comes from, for people: a file, or {@code s3://bucket/prefix/workspace.yaml}. */
    public String settingsLocation() {
        return guard.settingsLocation();
    }

    /**
     * The policy as workspace.yaml states it now (read again when its content changed). Throws
     * {@link PolicyFileException} when the file has become invalid: every governed action then
     * stops rather than guessing.
     */
    public Policy policy() {
        return guard.policy();
    }

    /**
     * What the policy says about the acting user moving {@code version} to {@code target} now, for
     * showing before the click: allowed, possible through a request, or blocked (and by which rules).
     * {@code versions} are the model's versions as last read (for the metric gates).
     */
    public Verdict assess(ModelVersion version, ModelStage target, String reason, List<ModelVersion> versions) {
        Policy policy = policy();
        return policy.check(new PromotionContext(version, version.stage(), target, user(), reason, versions, null,
                storedArtifact(policy, version, target)));
    }

    /** The version's stored scan when the target stage has a rule on model files (one document read), else none. */
    private Optional<ArtifactRecord> storedArtifact(Policy policy, ModelVersion version, ModelStage target) {
        return policy.rule(target).artifact().isEmpty() ? Optional.empty()
                : registry.storedArtifact(version.name(), version.version());
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
        return store.change("request moving " + name + " " + version + " to " + target.value(), () -> {
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
                    registry.listVersions(name), null, storedArtifact(policy, current, target));
            Verdict verdict = policy.check(context, true);
            if (!verdict.allowed()) {
                throw deny(policy, current.id(), "request_promotion", current.stage(), target, verdict.violations(),
                        "request moving " + name + " " + version + " to " + target.value());
            }
            Instant now = UtcTime.now(clock);
            String requestId = UUID.randomUUID().toString();
            Optional<SignedAction> signed = signed(policy, "request_promotion", current.id(), current.stage(), target,
                    requestId, now, "request moving " + name + " " + version + " to " + target.value());
            PromotionRequest request = new PromotionRequest(requestId, name, version,
                    current.stage(), target, RequestStatus.OPEN, user(), now, why, rule.approvals(), List.of(),
                    null, null, null, signed.orElse(null), null, null);
            // Created only where no request is, or over the closed one as read: of two requesters at once, one files it.
            store.requireWritable(request);
            audited.apply("Did not record the request to move " + name + " " + version,
                    List.of(Signatures.withSignature(requestRecord(request, "request_promotion", policy, why), signed)),
                    () -> store.write(existing, request));
            return request;
        });
    }

    /**
     * Approves the open request to move {@code name version} to {@code target}. The approver must
     * be permitted for the stage and must not be the requester (who counts already) or have
     * approved before. When this approval brings the count of permitted people who agreed to the
     * stage's {@code approvals}, the promotion is carried out at once, under every other rule.
     */
    public ApprovalOutcome approve(String name, String version, ModelStage target) {
        checkIdentity(name, version, target);
        return store.change("approve moving " + name + " " + version + " to " + target.value(), () -> {
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
            Optional<SignedAction> signed = signed(policy, "approve_promotion", request.modelId(), request.fromStage(),
                    target, request.requestId(), now, doing);
            List<PromotionRequest.Approval> approvals = new ArrayList<>(request.approvals());
            approvals.add(new PromotionRequest.Approval(user, now, signed.orElse(null)));
            PromotionRequest approved = withApprovals(request, approvals);
            int required = policy.rule(target).approvals();
            long counted = approved.agreed().stream().distinct().filter(person -> policy.permits(person, target)).count();
            if (counted < required) {
                // Conditional on the request as read: an approval given meanwhile makes this one count again on top of it.
                store.requireWritable(approved);
                audited.apply("Did not record the approval of " + name + " " + version,
                        List.of(Signatures.withSignature(approvalRecord(approved, policy, counted, required, false),
                                signed)),
                        () -> store.write(Optional.of(stored), approved));
                return new ApprovalOutcome(approved, Optional.empty());
            }
            return complete(policy, stored, approved, counted, required, now, signed);
        });
    }

    /** The last approval: check the move under every other rule, record the approval, then carry it out. */
    private ApprovalOutcome complete(Policy policy, RequestStore.Stored stored, PromotionRequest approved, long counted,
                                     int required, Instant now, Optional<SignedAction> signed) {
        String name = approved.name();
        String version = approved.version();
        ModelStage target = approved.toStage();
        ModelVersion current = registry.getModel(name, version);
        if (current.stage() == target) {
            throw new ConflictException(name + " " + version + " is already in " + target.value()
                    + "; reject or withdraw the request to close it");
        }
        Verdict verdict = policy.check(new PromotionContext(current, current.stage(), target, user(),
                approved.reason(), registry.listVersions(name), null, storedArtifact(policy, current, target)), true);
        if (!verdict.allowed()) {
            throw deny(policy, approved.modelId(), "approve_promotion", current.stage(), target, verdict.violations(),
                    "approve moving " + name + " " + version + " to " + target.value());
        }
        PromotionRequest done = close(approved, RequestStatus.APPROVED, now, null);
        // The registry's guard checks the stored request itself: it must name this move, and its stored
        // approvals plus this user's must be enough. The request is closed only after the promotion.
        store.requireWritable(done);
        Promotion promotion = audited.apply("Did not approve " + name + " " + version,
                List.of(Signatures.withSignature(approvalRecord(approved, policy, counted, required, true), signed)),
                () -> {
                    Promotion promoted = registry.promoteModel(name, version, target, stageReason(approved),
                            approved.requestId());
                    closeCarriedOut(stored, done);
                    return promoted;
                });
        return new ApprovalOutcome(done, Optional.of(promotion));
    }

    /**
     * Closes the request whose promotion was just carried out. The promotion is the new truth and
     * is not redone: when the request changed since it was read (another approver closed it, or
     * added an approval), it is read again and closed over what it now holds, unless it is closed already.
     */
    private void closeCarriedOut(RequestStore.Stored stored, PromotionRequest done) {
        RequestStore.Stored current = stored;
        PromotionRequest closing = done;
        while (true) { // each turn follows another writer's successful write, so the turns are few
            try {
                store.write(Optional.of(current), closing);
                return;
            } catch (ConditionFailedException changed) {
                Optional<RequestStore.Stored> fresh = store.find(done.name(), done.version(), done.toStage());
                if (fresh.isEmpty() || !fresh.get().request().isOpen()
                        || !fresh.get().request().requestId().equals(done.requestId())) {
                    return; // closed by the other approver, or replaced by a new request: nothing of ours to close
                }
                current = fresh.get();
                // An approval given meanwhile is kept in the closed request.
                List<PromotionRequest.Approval> approvals = new ArrayList<>(done.approvals());
                current.request().approvals().stream()
                        .filter(given -> approvals.stream().noneMatch(mine -> mine.by().equals(given.by())))
                        .forEach(approvals::add);
                closing = close(withApprovals(done, approvals), RequestStatus.APPROVED, done.closedAt(), null);
            }
        }
    }

    /**
     * Closes the open request to move {@code name version} to {@code target}: a withdrawal when the
     * requester does it, a rejection when another user permitted for the stage does.
     */
    public PromotionRequest reject(String name, String version, ModelStage target, String reason) {
        checkIdentity(name, version, target);
        String why = optionalReason(reason);
        return store.change("close the request to move " + name + " " + version + " to " + target.value(), () -> {
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
            String action = withdrawal ? "withdraw_promotion" : "reject_promotion";
            Instant now = UtcTime.now(clock);
            Optional<SignedAction> signed = signed(policy, action, request.modelId(), request.fromStage(), target,
                    request.requestId(), now, (withdrawal ? "withdraw" : "reject") + " the request to move " + name + " "
                            + version + " to " + target.value());
            PromotionRequest closed = withCloseSignature(close(request, withdrawal ? RequestStatus.WITHDRAWN
                    : RequestStatus.REJECTED, now, why), signed.orElse(null));
            store.requireWritable(closed);
            audited.apply("Did not " + (withdrawal ? "withdraw" : "reject") + " the request for " + name + " " + version,
                    List.of(Signatures.withSignature(requestRecord(closed, action, policy, why), signed)),
                    () -> store.write(Optional.of(stored), closed));
            return closed;
        });
    }

    // Alias requests (#21): an alias whose policy needs approvals moves only by an approved request

    /**
     * Asks for alias {@code alias} of {@code name} to point at {@code version}, where
     * {@code policy.aliases.<alias>.approvals} needs more than one person. The requester counts as
     * the first approval and must be allowed to change the alias. Once approved, {@code alias set}
     * carries it out (see {@link PolicyGuard#check(neural.mlops.registry.AliasContext)}).
     */
    public PromotionRequest requestAlias(String name, String version, String alias, String reason) {
        checkAliasIdentity(name, version, alias);
        String why = requiredReason(reason);
        String doing = "request pointing " + name + "@" + alias + " at " + version;
        return store.change(doing, () -> {
            Policy policy = policy();
            AliasRule rule = policy.aliasRule(alias);
            if (!rule.needsApprovals()) {
                throw new ConflictException("The alias " + alias + " needs no approval under the workspace policy; "
                        + "set it directly with: neural-mlops registry alias set " + name + " " + alias + " " + version);
            }
            registry.getModel(name, version);
            if (neural.mlops.registry.Aliases.reading(registry).list(name).stream()
                    .anyMatch(set -> set.alias().equals(alias) && set.version().equals(version))) {
                throw new ConflictException(name + "@" + alias + " already points at " + version + "; nothing to request");
            }
            Optional<RequestStore.Stored> existing = store.findAlias(name, version, alias);
            if (existing.isPresent() && existing.get().request().isOpen()) {
                PromotionRequest open = existing.get().request();
                throw new ConflictException(name + "@" + alias + " -> " + version + " was already requested by "
                        + open.requestedBy() + " at " + UtcTime.format(open.requestedAt()) + " ("
                        + open.agreed().size() + " of " + rule.approvals() + " approvals); approve or reject that request");
            }
            if (!policy.permitsAlias(user(), alias)) {
                throw guard.denyAlias(policy, user(), name + ":" + version, "request_alias",
                        List.of(policy.aliasNotPermitted(user(), name, alias)), doing);
            }
            Instant now = UtcTime.now(clock);
            String requestId = UUID.randomUUID().toString();
            Optional<SignedAction> signed = signedAlias(policy, "request_alias", name, version, alias, requestId, now,
                    doing);
            PromotionRequest request = new PromotionRequest(requestId, name, version, null, null,
                    RequestStatus.OPEN, user(), now, why, rule.approvals(), List.of(), null, null, null,
                    signed.orElse(null), null, alias);
            store.requireWritable(request);
            audited.apply("Did not record the request to point " + name + "@" + alias + " at " + version,
                    List.of(Signatures.withSignature(requestRecord(request, "request_alias", policy, why), signed)),
                    () -> store.write(existing, request));
            return request;
        });
    }

    /**
     * Approves the open request to point {@code alias} of {@code name} at {@code version}: by a
     * user allowed to change the alias, other than the requester, once. The approval that makes the
     * count does not move the alias; {@code alias set} then does, once.
     */
    public PromotionRequest approveAlias(String name, String version, String alias) {
        checkAliasIdentity(name, version, alias);
        String doing = "approve pointing " + name + "@" + alias + " at " + version;
        return store.change(doing, () -> {
            Policy policy = policy();
            RequestStore.Stored stored = openAliasRequest(name, version, alias);
            PromotionRequest request = stored.request();
            String user = user();
            AliasRule rule = policy.aliasRule(alias);
            if (request.requestedBy().equals(user)) {
                throw guard.denyAlias(policy, user, request.modelId(), "approve_alias", List.of(new AliasRule.Broken(
                        rule.path("approvals"), user + " requested this alias change and cannot also approve it (the "
                        + "requester already counts as one approval)", "ask another permitted user to approve it",
                        true)), doing);
            }
            if (!policy.permitsAlias(user, alias)) {
                throw guard.denyAlias(policy, user, request.modelId(), "approve_alias",
                        List.of(policy.aliasNotPermitted(user, name, alias)), doing);
            }
            if (request.hasAgreed(user)) {
                throw guard.denyAlias(policy, user, request.modelId(), "approve_alias", List.of(new AliasRule.Broken(
                        rule.path("approvals"), user + " already approved this request",
                        "another permitted user must approve it", false)), doing);
            }
            Instant now = UtcTime.now(clock);
            Optional<SignedAction> signed = signedAlias(policy, "approve_alias", name, version, alias,
                    request.requestId(), now, doing);
            List<PromotionRequest.Approval> approvals = new ArrayList<>(request.approvals());
            approvals.add(new PromotionRequest.Approval(user, now, signed.orElse(null)));
            PromotionRequest approved = withApprovals(request, approvals);
            int required = rule.approvals();
            long counted = approved.agreed().stream().distinct().filter(person -> policy.permitsAlias(person, alias))
                    .count();
            store.requireWritable(approved);
            audited.apply("Did not record the approval of " + name + "@" + alias + " -> " + version,
                    List.of(Signatures.withSignature(AuditRecords.approval(user, approved.modelId(), "approve_alias",
                            facts(approved, policy), counted, required, false, approved.reason()), signed)),
                    () -> store.write(Optional.of(stored), approved));
            return approved;
        });
    }

    /** Closes the open alias request: a withdrawal by the requester, a rejection by another permitted user. */
    public PromotionRequest rejectAlias(String name, String version, String alias, String reason) {
        checkAliasIdentity(name, version, alias);
        String why = optionalReason(reason);
        String doing = "reject the request to point " + name + "@" + alias + " at " + version;
        return store.change(doing, () -> {
            Policy policy = policy();
            RequestStore.Stored stored = openAliasRequest(name, version, alias);
            PromotionRequest request = stored.request();
            String user = user();
            boolean withdrawal = request.requestedBy().equals(user);
            if (!withdrawal && !policy.permitsAlias(user, alias)) {
                throw guard.denyAlias(policy, user, request.modelId(), "reject_alias",
                        List.of(policy.aliasNotPermitted(user, name, alias)), doing);
            }
            String action = withdrawal ? "withdraw_alias" : "reject_alias";
            Instant now = UtcTime.now(clock);
            Optional<SignedAction> signed = signedAlias(policy, action, name, version, alias, request.requestId(), now,
                    doing);
            PromotionRequest closed = withCloseSignature(close(request, withdrawal ? RequestStatus.WITHDRAWN
                    : RequestStatus.REJECTED, now, why), signed.orElse(null));
            store.requireWritable(closed);
            audited.apply("Did not " + (withdrawal ? "withdraw" : "reject") + " the request for " + name + "@" + alias,
                    List.of(Signatures.withSignature(requestRecord(closed, action, policy, why), signed)),
                    () -> store.write(Optional.of(stored), closed));
            return closed;
        });
    }

    /** The alias requests, oldest first: only open ones unless {@code includeClosed}; of model {@code name} when given. */
    public RequestListing aliasRequests(String name, boolean includeClosed) {
        if (name != null) {
            Names.require("model name", name);
        }
        RequestListing all = store.listAliases(name);
        if (includeClosed) {
            return all;
        }
        return new RequestListing(all.requests().stream().filter(PromotionRequest::isOpen).toList(), all.problems());
    }

    private RequestStore.Stored openAliasRequest(String name, String version, String alias) {
        return store.findAlias(name, version, alias).filter(stored -> stored.request().isOpen())
                .orElseThrow(() -> new NotFoundException("There is no open request to point " + name + "@" + alias
                        + " at " + version + "; list them with registry requests, or create one"));
    }

    private static void checkAliasIdentity(String name, String version, String alias) {
        Names.require("model name", name);
        Names.require("version", version);
        neural.mlops.registry.Aliases.checkAlias(alias);
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

    /** Records the refusal of {@code doing} by the acting user and returns the exception to throw. */
    private PolicyDeniedException deny(Policy policy, String resourceId, String action, ModelStage from,
                                       ModelStage target, List<Violation> violations, String doing) {
        return guard.deny(policy, user(), resourceId, action, from, target, violations, doing);
    }

    // Internals

    private RequestStore.Stored openRequest(String name, String version, ModelStage target) {
        return store.find(name, version, target).filter(stored -> stored.request().isOpen())
                .orElseThrow(() -> new NotFoundException("There is no open request to move " + name + " " + version
                        + " to " + target.value() + "; list them with registry requests, or create one"));
    }

    private AuditRecord requestRecord(PromotionRequest request, String action, Policy policy, String reason) {
        return AuditRecords.requestChanged(user(), request.modelId(), action, facts(request, policy), reason);
    }

    private AuditRecord approvalRecord(PromotionRequest request, Policy policy, long counted, int required,
                                       boolean completes) {
        return AuditRecords.approval(user(), request.modelId(), facts(request, policy), counted, required, completes,
                request.reason());
    }

    private static AuditRecords.RequestFacts facts(PromotionRequest request, Policy policy) {
        return new AuditRecords.RequestFacts(request.requestId(),
                request.fromStage() == null ? null : request.fromStage().value(), request.target(),
                request.status().value(), request.requestedBy(), request.agreed(), request.approvalsRequired(),
                policy.sha256().orElse(null));
    }

    private static PromotionRequest withApprovals(PromotionRequest r, List<PromotionRequest.Approval> approvals) {
        return new PromotionRequest(r.requestId(), r.name(), r.version(), r.fromStage(), r.toStage(), r.status(),
                r.requestedBy(), r.requestedAt(), r.reason(), r.approvalsRequired(), approvals, r.closedBy(),
                r.closedAt(), r.closeReason(), r.requestSignature(), r.closeSignature(), r.alias());
    }

    private PromotionRequest close(PromotionRequest r, RequestStatus status, Instant at, String reason) {
        return new PromotionRequest(r.requestId(), r.name(), r.version(), r.fromStage(), r.toStage(), status,
                r.requestedBy(), r.requestedAt(), r.reason(), r.approvalsRequired(), r.approvals(), user(), at, reason,
                r.requestSignature(), r.closeSignature(), r.alias());
    }

    private static PromotionRequest withCloseSignature(PromotionRequest r, SignedAction signature) {
        return new PromotionRequest(r.requestId(), r.name(), r.version(), r.fromStage(), r.toStage(), r.status(),
                r.requestedBy(), r.requestedAt(), r.reason(), r.approvalsRequired(), r.approvals(), r.closedBy(),
                r.closedAt(), r.closeReason(), r.requestSignature(), signature, r.alias());
    }

    /**
     * The acting user's signature over {@code action} on the version {@code modelId} towards
     * {@code target} (issue 24), checked against the policy: an unsigned action where the stage
     * requires signatures, or a signature that does not speak for the user, is refused and recorded
     * as a {@code security_violation} naming the user. A valid signature's identities are in the
     * trail before it is recorded.
     */
    private Optional<SignedAction> signed(Policy policy, String action, String modelId, ModelStage from,
                                          ModelStage target, String requestId, Instant at, String doing) {
        int colon = modelId.indexOf(':');
        ActionPayload payload = new ActionPayload(action, user(), modelId.substring(0, colon),
                modelId.substring(colon + 1), target.value(), requestId, at);
        Optional<SignedAction> signed = signatures.sign(policy, target, payload);
        Optional<Violation> violation = signatures.violation(policy, target, user(), signed);
        if (violation.isPresent()) {
            throw deny(policy, modelId, action, from, target, List.of(violation.get()), doing);
        }
        if (signed.isPresent()) {
            signatures.recordIdentities(policy, user(), audited);
        }
        return signed;
    }

    /**
     * {@link #signed} for an action on a request to point {@code alias} at a version: checked against
     * {@code policy.aliases.<alias>.require_signed}, its target {@code @alias}.
     */
    private Optional<SignedAction> signedAlias(Policy policy, String action, String name, String version, String alias,
                                               String requestId, Instant at, String doing) {
        AliasRule rule = policy.aliasRule(alias);
        ActionPayload payload = new ActionPayload(action, user(), name, version, AliasRule.target(alias), requestId, at);
        Optional<SignedAction> signed = signatures.sign(policy, rule.requireSigned(), payload);
        Optional<Signatures.Refusal> refusal = signatures.refusal(policy, rule.requireSigned(), "the alias " + alias,
                user(), signed);
        if (refusal.isPresent()) {
            throw guard.denyAlias(policy, user(), AuditRecords.modelId(name, version), action,
                    List.of(new AliasRule.Broken(rule.path(Rule.REQUIRE_SIGNED.key()), refusal.get().problem(),
                            refusal.get().remedy(), true)), doing);
        }
        if (signed.isPresent()) {
            signatures.recordIdentities(policy, user(), audited);
        }
        return signed;
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
}
