package neural.mlops.deployment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.AuditSink;
import neural.mlops.audit.AuditedChange;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import neural.mlops.deployment.DeploymentFiles.Entry;
import neural.mlops.deployment.DeploymentFiles.Scan;
import neural.mlops.identity.ActionPayload;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.Names;
import neural.mlops.store.SingleLine;
import neural.mlops.store.NotFoundException;
import neural.mlops.store.UserConfig;
import neural.mlops.store.Users;
import neural.mlops.store.UtcTime;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.store.storage.Optimistic;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.Version;

/**
 * The deployment tracker (SPEC 3.2): records which model version is deployed to which environment
 * and endpoint, keeps at most one deployment active per model and environment, rolls back, and
 * probes endpoints.
 *
 * <p>Each deployment is one document {@code deploy_<YYYYMMDD>_<HHMMSS>_<name>_<version>.json} at
 * the root of the tracker's {@link Storage} (a folder, or a prefix of an S3 bucket). Every
 * read-modify-write runs as the store's critical section ({@code <root>/.lock} on a folder), reads
 * the documents afresh, and writes each one conditionally on the version it read (a new id is
 * claimed with a create), retrying from fresh reads when another writer got there first, so a GUI
 * and a pipeline's CLI never lose each other's changes. An activation first writes the document
 * that states the new truth (the newly active deployment), then settles the others: every other
 * active deployment of that model and environment becomes inactive, so that one deployment is
 * active per model and environment even when writers on an object store race. Each mutation is
 * recorded in the audit trail first, fail-closed: when the {@link AuditSink} throws, nothing is
 * written.
 *
 * <pre>{@code
 * DeploymentManager manager = new DeploymentManager(Path.of("deployments"));
 * String id = manager.createDeployment("fraud_detector", "v2.0.0", "production",
 *         "http://localhost:8080/predict").id();
 * manager.activateDeployment(id);
 * List<Deployment> production = manager.listDeployments("production", null, null);
 * }</pre>
 */
public final class DeploymentManager {

    /** How long a health probe may take in all, connecting included, unless told otherwise. */
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(3);

    /** The environment whose deployments should run production-stage versions. */
    public static final String PRODUCTION = "production";

    /**
     * A file name has at most 255 bytes. {@code deploy_YYYYMMDD_HHMMSS_} (23), the {@code _}
     * between name and version, room for a {@code _NNNNN} suffix, {@code .json} and the 14
     * characters the atomic write's temporary name adds leave 206; 200 keeps a margin.
     */
    static final int MAX_NAME_AND_VERSION = 200;
    static final int MAX_REASON = 4096;
    static final int MAX_CONFIG_BYTES = 64 * 1024;
    static final Duration MAX_HEALTH_TIMEOUT = Duration.ofMinutes(2);

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,249}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Storage storage;
    private final ModelCatalog models;
    private final AuditSink audit;
    private final AuditedChange audited;
    private final String user;
    private final Clock clock;
    private final Duration healthTimeout;
    private final DeploymentFiles files;
    private final DeploymentGuard guard;
    private HealthProbe probe;
    private volatile List<DocumentProblem> problems;

    /** A tracker on its own, as in the original API: no registry, no audit trail, the OS user, the system clock. */
    public DeploymentManager(Storage root) {
        this(root, ModelCatalog.NONE, AuditSink.NONE, UserConfig.osUser(), Clock.systemUTC());
    }

    /** {@link #DeploymentManager(Storage)} on the folder {@code root}. */
    public DeploymentManager(Path root) {
        this(local(root));
    }

    /**
     * @param root   the tracker's root: a workspace passes its storage's {@code under("deployments")}
     * @param models the registry to check versions against, or {@link ModelCatalog#NONE}
     * @param audit  where every mutation is recorded (fail-closed), or {@link AuditSink#NONE}
     * @param user   the acting user, written to documents and audit events
     */
    public DeploymentManager(Storage root, ModelCatalog models, AuditSink audit, String user, Clock clock) {
        this(root, models, audit, user, clock, ZoneId.systemDefault());
    }

    /**
     * {@link #DeploymentManager(Storage, ModelCatalog, AuditSink, String, Clock)} reading the original
     * module's naive times (SPEC 10) in {@code legacyZone} (a workspace passes its {@code legacy_timezone}).
     */
    public DeploymentManager(Storage root, ModelCatalog models, AuditSink audit, String user, Clock clock,
                             ZoneId legacyZone) {
        this(root, models, audit, user, clock, legacyZone, DeploymentGuard.ALLOW_ALL);
    }

    /**
     * {@link #DeploymentManager(Storage, ModelCatalog, AuditSink, String, Clock, ZoneId)} whose every
     * change passes {@code guard} first (a workspace passes its policy guard, which signs the change
     * with the acting user's key and refuses unsigned changes where {@code policy.deployments} says so).
     */
    public DeploymentManager(Storage root, ModelCatalog models, AuditSink audit, String user, Clock clock,
                             ZoneId legacyZone, DeploymentGuard guard) {
        this(new DeploymentFiles(Objects.requireNonNull(root, "root"), Objects.requireNonNull(legacyZone, "legacyZone")),
                models, audit, user, clock, DEFAULT_HEALTH_TIMEOUT, guard);
    }

    /** {@link #DeploymentManager(Storage, ModelCatalog, AuditSink, String, Clock)} on the folder {@code root}. */
    public DeploymentManager(Path root, ModelCatalog models, AuditSink audit, String user, Clock clock) {
        this(local(root), models, audit, user, clock);
    }

    private DeploymentManager(DeploymentFiles files, ModelCatalog models, AuditSink audit, String user, Clock clock,
                              Duration healthTimeout, DeploymentGuard guard) {
        this.files = files;
        this.guard = Objects.requireNonNull(guard, "guard");
        this.storage = files.storage();
        this.models = Objects.requireNonNull(models, "models");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.audited = new AuditedChange(audit);
        this.user = Users.require(user);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.healthTimeout = healthTimeout;
    }

    private static Storage local(Path root) {
        return new LocalStorage(Objects.requireNonNull(root, "root"));
    }

    /** The same tracker with another bound on health probes (connecting and answering together). */
    public DeploymentManager withHealthTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_HEALTH_TIMEOUT) > 0) {
            throw new InvalidInputException("Invalid health timeout " + timeout + ": give a duration above zero and at most "
                    + MAX_HEALTH_TIMEOUT.toMinutes() + " minutes");
        }
        return new DeploymentManager(files, models, audit, user, clock, timeout, guard);
    }

    /** Where the tracker keeps its documents, for messages: a folder or {@code s3://bucket/prefix/deployments}. */
    public String location() {
        return storage.location();
    }

    /**
     * Whether the tracker at {@code root} has an active deployment of {@code modelName}
     * {@code modelVersion}, read from the store as it is now (the registry asks before deleting a
     * version; unreadable documents count as not active).
     */
    public static boolean isActivelyDeployed(Storage root, String modelName, String modelVersion) {
        // Only statuses are asked here, so the zone naive times are read in does not matter.
        return new DeploymentFiles(root, ZoneId.systemDefault()).scan().deployments().stream()
                .anyMatch(d -> d.isActive() && d.modelName().equals(modelName) && d.modelVersion().equals(modelVersion));
    }

    /**
     * Whether the tracker rooted at {@code root} holds a pending deployment (created, not yet
     * serving) of {@code modelName} {@code modelVersion}: the registry refuses to delete a whole
     * model then, as it does for an active one.
     */
    public static boolean hasPendingDeployment(Storage root, String modelName, String modelVersion) {
        return new DeploymentFiles(root, ZoneId.systemDefault()).scan().deployments().stream()
                .anyMatch(d -> d.status() == DeploymentStatus.PENDING && d.modelName().equals(modelName)
                        && d.modelVersion().equals(modelVersion));
    }

    /** {@link #isActivelyDeployed(Storage, String, String)} for the tracker in the folder {@code root}. */
    public static boolean isActivelyDeployed(Path root, String modelName, String modelVersion) {
        return isActivelyDeployed(local(root), modelName, modelVersion);
    }

    /**
     * What is wrong with {@code endpoint} as a deployment endpoint (SPEC 3.2: an http or https URL
     * with a host, no credentials, no spaces), or empty when {@link #createDeployment} accepts it;
     * for forms that validate as the user types.
     */
    public static Optional<String> endpointProblem(String endpoint) {
        return Optional.ofNullable(Endpoints.problem(endpoint));
    }

    public String user() {
        return user;
    }

    public Duration healthTimeout() {
        return healthTimeout;
    }

    // ---------------------------------------------------------------- creating

    /** {@link #createDeployment(String, String, String, String, Map)} with no config. */
    public CreatedDeployment createDeployment(String modelName, String modelVersion, String environment, String endpoint) {
        return createDeployment(modelName, modelVersion, environment, endpoint, Map.of());
    }

    /**
     * Records a new, {@code pending} deployment. The model version must exist when a registry is
     * linked; a version that is not in the production stage may be deployed to {@code production},
     * with a warning that is returned, kept in the deployment's history and in the audit event.
     *
     * @param config free-form settings kept with the deployment; {@code health_path} (for example
     *               {@code /health}) is what {@link #checkHealth} probes instead of the endpoint
     * @throws InvalidInputException for a bad name, version, environment, endpoint or config
     * @throws NotFoundException     when the linked registry does not know the version
     */
    public CreatedDeployment createDeployment(String modelName, String modelVersion, String environment,
                                              String endpoint, Map<String, ?> config) {
        return create(modelName, modelVersion, environment, endpoint, config, false);
    }

    /**
     * {@link #createDeployment(String, String, String, String, Map)} unless an active or pending
     * deployment of that version in that environment exists: then that one is returned
     * ({@link CreatedDeployment#existing()}) and nothing is written or recorded, so that a
     * pipeline's re-run does not pile up deployments. Checked again under the store's lock.
     */
    public CreatedDeployment createDeploymentIfAbsent(String modelName, String modelVersion, String environment,
                                                      String endpoint, Map<String, ?> config) {
        return create(modelName, modelVersion, environment, endpoint, config, true);
    }

    private CreatedDeployment create(String modelName, String modelVersion, String environment, String endpoint,
                                     Map<String, ?> config, boolean ifAbsent) {
        Names.require("model name", modelName);
        Names.require("version", modelVersion);
        Names.require("environment", environment);
        if (modelName.length() + modelVersion.length() > MAX_NAME_AND_VERSION) {
            throw new InvalidInputException("Model name and version are " + (modelName.length() + modelVersion.length())
                    + " characters together; at most " + MAX_NAME_AND_VERSION + " fit in a deployment file name");
        }
        URI url = Endpoints.require(endpoint);
        ObjectNode configNode = configNode(config);
        JsonNode healthPath = configNode.get(Deployment.HEALTH_PATH);
        Endpoints.healthUrl(url, healthPath == null || healthPath.isNull() ? null
                : healthPath.isTextual() ? healthPath.textValue() : healthPath);
        List<String> warnings = stageWarnings(modelName, modelVersion, environment);
        return mutate("deploy " + modelName + " " + modelVersion + " to " + environment,
                scan -> planCreate(scan, modelName, modelVersion, environment, url, configNode, warnings, ifAbsent));
    }

    private Plan<CreatedDeployment> planCreate(Scan scan, String modelName, String modelVersion, String environment,
                                               URI url, ObjectNode configNode, List<String> warnings,
                                               boolean ifAbsent) {
        if (ifAbsent) {
            Optional<Deployment> live = scan.deployments().stream()
                    .filter(d -> d.modelName().equals(modelName) && d.modelVersion().equals(modelVersion)
                            && d.environment().equals(environment))
                    .filter(d -> d.status() == DeploymentStatus.ACTIVE || d.status() == DeploymentStatus.PENDING)
                    .max(Comparator.comparing(Deployment::createdAt));
            if (live.isPresent()) {
                return Plan.unchanged(new CreatedDeployment(live.get(), List.of(), true));
            }
        }
        Instant now = UtcTime.now(clock);
        String base = "deploy_" + UtcTime.fileStamp(now) + "_" + modelName + "_" + modelVersion;
        String id = base;
        // The id is claimed by creating its document: a writer that lost the race reads again and takes the next suffix.
        for (int n = 2; scan.find(id).isPresent() || scan.hasKey(DeploymentFiles.keyOf(id)); n++) {
            id = base + "_" + n;
        }
        String warning = warnings.isEmpty() ? null : String.join("; ", warnings);
        Deployment fresh = new Deployment(id, modelName, modelVersion, environment, url, DeploymentStatus.PENDING,
                now, user, null, null, null, Map.of(), null,
                List.of(new StatusChange(DeploymentStatus.PENDING, now, user, warning)));
        ObjectNode document = fresh.toJson();
        document.set("config", configNode);
        Key key = DeploymentFiles.keyOf(id);
        Deployment created = files.decode(files.where(key), document);

        AuditRecord event = AuditRecords.deploymentChanged(EventType.DEPLOYMENT_CREATED, user, id, "create", null,
                facts(created), warning);
        return new Plan<>(new Write(key, document, Optional.empty()), event, change(event, created, now),
                new CreatedDeployment(created, warnings));
    }

    // ---------------------------------------------------------------- status changes

    /** {@link #activateDeployment(String, String)} without a reason. */
    public Deployment activateDeployment(String deploymentId) {
        return activateDeployment(deploymentId, null);
    }

    /**
     * Makes the deployment {@code active}. The deployment of the same model that was active in the
     * same environment becomes {@code inactive}, and its id is recorded in {@code replaces}, so that
     * {@link #rollback} can return to it. Returns the activated deployment, as activated (another
     * writer may have activated another deployment of that model and environment since).
     *
     * @throws NotFoundException when there is no such deployment, or the linked registry no longer has its version
     * @throws ConflictException when it is already active
     */
    public Deployment activateDeployment(String deploymentId, String reason) {
        String id = requireId(deploymentId);
        String why = normaliseReason(reason);
        Deployment activated = mutate("activate deployment " + id, scan -> planActivate(scan, id, why));
        settle(activated.modelName(), activated.environment(), id, null, why);
        return activated;
    }

    private Plan<Deployment> planActivate(Scan scan, String id, String reason) {
        Entry entry = require(scan, id);
        Deployment target = entry.deployment();
        if (target.isActive()) {
            throw new ConflictException("Deployment " + id + " is already active");
        }
        requireInCatalog(target.modelName(), target.modelVersion());
        Instant now = UtcTime.now(clock);
        List<Entry> active = activeEntries(scan, target.modelName(), target.environment(), null);
        String replaces = active.isEmpty() ? null : active.get(0).deployment().deploymentId();

        // Only the document that states the new truth is written here; settle() then stops the one it replaced.
        ObjectNode updated = transition(entry, DeploymentStatus.ACTIVE, now, reason, fields -> {
            fields.put("activated_at", DeploymentJson.time(now));
            fields.putNull("deactivated_at");
            fields.put("replaces", replaces);
        });
        Deployment activated = files.decode(entry.file(), updated);
        AuditRecord event = AuditRecords.deploymentChanged(EventType.DEPLOYMENT_ACTIVATED, user, id, "activate", reason,
                facts(activated), null);
        return new Plan<>(Write.over(entry, updated), event, change(event, activated, now), activated);
    }

    /** {@link #deactivateDeployment(String, String)} without a reason. */
    public Deployment deactivateDeployment(String deploymentId) {
        return deactivateDeployment(deploymentId, null);
    }

    /**
     * Makes an active or pending deployment {@code inactive}. No other deployment is activated in
     * its place (that is what {@link #rollback} does).
     *
     * @throws ConflictException when it is neither active nor pending
     */
    public Deployment deactivateDeployment(String deploymentId, String reason) {
        String id = requireId(deploymentId);
        String why = normaliseReason(reason);
        return mutate("deactivate deployment " + id, scan -> {
            Entry entry = require(scan, id);
            DeploymentStatus status = entry.deployment().status();
            if (status != DeploymentStatus.ACTIVE && status != DeploymentStatus.PENDING) {
                throw new ConflictException("Deployment " + id + " is " + status.value()
                        + ", not active or pending; there is nothing to deactivate");
            }
            Instant now = UtcTime.now(clock);
            ObjectNode updated = transition(entry, DeploymentStatus.INACTIVE, now, why,
                    fields -> fields.put("deactivated_at", DeploymentJson.time(now)));
            Deployment deactivated = files.decode(entry.file(), updated);
            AuditRecord event = AuditRecords.deploymentChanged(EventType.DEPLOYMENT_DEACTIVATED, user, id, "deactivate",
                    why, facts(deactivated), null);
            return new Plan<>(Write.over(entry, updated), event, change(event, deactivated, now), deactivated);
        });
    }

    /**
     * Marks a pending or active deployment {@code failed}, as the original module's
     * {@code fail_deployment} does (SPEC 10): the reason is kept in {@code metadata.failure_reason}
     * and the status history, and the change is audited. No other deployment is activated.
     *
     * @throws InvalidInputException when the reason is empty
     * @throws ConflictException     when it is neither pending nor active
     */
    public Deployment failDeployment(String deploymentId, String reason) {
        String id = requireId(deploymentId);
        String why = normaliseReason(reason);
        if (why == null) {
            throw new InvalidInputException("Give the reason deployment " + id + " failed (--reason)");
        }
        return mutate("mark deployment " + id + " failed", scan -> {
            Entry entry = require(scan, id);
            DeploymentStatus status = entry.deployment().status();
            if (status != DeploymentStatus.ACTIVE && status != DeploymentStatus.PENDING) {
                throw new ConflictException("Deployment " + id + " is " + status.value()
                        + ", not active or pending; only those can fail");
            }
            Instant now = UtcTime.now(clock);
            JsonNode old = entry.document().get("metadata");
            ObjectNode metadata = old != null && old.isObject() ? ((ObjectNode) old).deepCopy() : NODES.objectNode();
            metadata.put(Deployment.FAILURE_REASON, why);
            ObjectNode updated = transition(entry, DeploymentStatus.FAILED, now, why, fields -> {
                fields.set("metadata", metadata);
                if (status == DeploymentStatus.ACTIVE) {
                    fields.put("deactivated_at", DeploymentJson.time(now));
                }
            });
            Deployment failed = files.decode(entry.file(), updated);
            AuditRecord event = AuditRecords.deploymentChanged(EventType.DEPLOYMENT_DEACTIVATED, user, id, "fail", why,
                    facts(failed), null).withOutcome(Outcome.SUCCESS, EventSeverity.WARNING);
            return new Plan<>(Write.over(entry, updated), event, change(event, failed, now), failed);
        });
    }

    /** {@link #rollback(String, String, String)} without a reason. */
    public Rollback rollback(String modelName, String environment) {
        return rollback(modelName, environment, null);
    }

    /**
     * Re-activates the deployment that the active deployment of {@code modelName} in
     * {@code environment} replaced; the active one becomes {@code rolled_back}. The restored
     * deployment keeps its own {@code replaces}, so rolling back again goes one step further back.
     *
     * @throws ConflictException when nothing is active, or the active one replaced nothing that still exists
     */
    public Rollback rollback(String modelName, String environment, String reason) {
        Names.require("model name", modelName);
        Names.require("environment", environment);
        String why = normaliseReason(reason);
        Rollback planned = mutate("roll back " + modelName + " in " + environment,
                scan -> planRollback(scan, modelName, environment, why));
        String rolledBackId = planned.rolledBack().deploymentId();
        Map<String, Deployment> settled = settle(modelName, environment, planned.restored().deploymentId(),
                rolledBackId, why);
        return new Rollback(settled.getOrDefault(rolledBackId, planned.rolledBack()), planned.restored());
    }

    private Plan<Rollback> planRollback(Scan scan, String modelName, String environment, String reason) {
        List<Entry> active = activeEntries(scan, modelName, environment, null);
        if (active.isEmpty()) {
            throw new ConflictException("No deployment of " + modelName + " is active in " + environment
                    + "; there is nothing to roll back");
        }
        Entry current = active.get(0);
        String currentId = current.deployment().deploymentId();
        String previousId = current.deployment().replaces();
        if (previousId == null) {
            throw new ConflictException("Deployment " + currentId + " of " + modelName + " in " + environment
                    + " did not replace an earlier deployment; there is nothing to roll back to");
        }
        Entry previous = scan.find(previousId).orElseThrow(() -> new ConflictException("Deployment " + currentId
                + " replaced " + previousId + ", which is no longer in the store; there is nothing to roll back to"));
        Deployment restoredBefore = previous.deployment();
        if (!restoredBefore.modelName().equals(modelName) || !restoredBefore.environment().equals(environment)) {
            throw new ConflictException("Deployment " + currentId + " replaced " + previousId + ", which deploys "
                    + restoredBefore.modelName() + " to " + restoredBefore.environment() + "; refusing to roll back to it");
        }
        requireInCatalog(restoredBefore.modelName(), restoredBefore.modelVersion());
        Instant now = UtcTime.now(clock);

        // The restored one is written here (the new truth); settle() then marks the current one rolled back.
        ObjectNode rolledBackDocument = rolledBack(current, previousId, now, reason);
        ObjectNode restoredDocument = transition(previous, DeploymentStatus.ACTIVE, now,
                withReason("restored by rolling back " + currentId, reason), fields -> {
                    fields.put("activated_at", DeploymentJson.time(now));
                    fields.putNull("deactivated_at");
                });

        Deployment rolledBack = files.decode(current.file(), rolledBackDocument);
        Deployment restored = files.decode(previous.file(), restoredDocument);
        AuditRecord event = AuditRecords.deploymentRolledBack(user, currentId, reason, facts(rolledBack),
                restored.deploymentId(), restored.modelVersion());
        // Signed as the event reads: the rollback of the current deployment; the signature goes with the restored one.
        return new Plan<>(Write.over(previous, restoredDocument), event, change(event, rolledBack, now),
                new Rollback(rolledBack, restored));
    }

    // ---------------------------------------------------------------- reading

    /**
     * Deployments matching every filter given, newest first; a null filter matches anything.
     * Unreadable documents are skipped and reported by {@link #problems()}.
     */
    public List<Deployment> listDeployments(String environment, String modelName, DeploymentStatus status) {
        if (environment != null) {
            Names.require("environment", environment);
        }
        if (modelName != null) {
            Names.require("model name", modelName);
        }
        Scan scan = scan();
        return settledView(scan, scan.deployments()).stream()
                .filter(d -> environment == null || d.environment().equals(environment))
                .filter(d -> modelName == null || d.modelName().equals(modelName))
                .filter(d -> status == null || d.status() == status)
                .sorted(Comparator.comparing(Deployment::createdAt).thenComparing(Deployment::deploymentId).reversed())
                .toList();
    }

    /** The deployment with that id. */
    public Deployment getDeployment(String deploymentId) {
        Scan scan = scan();
        Deployment found = require(scan, requireId(deploymentId)).deployment();
        return found.isActive() ? settledView(scan, List.of(found)).get(0) : found;
    }

    /**
     * The deployments as readers must see them while an activation is half done: a writer killed
     * between writing the newly active deployment and stopping the one it replaced (or two writers
     * whose leases overlapped) leaves two active documents for one model and environment until the
     * next activation or rollback settles them ({@link #settle}). Readers show the one settling
     * keeps ({@link #activeEntries}) as active and the others as inactive, as they will be stored;
     * nothing is written.
     */
    private static List<Deployment> settledView(Scan scan, List<Deployment> deployments) {
        Map<String, Long> activePerPlace = scan.deployments().stream().filter(Deployment::isActive)
                .collect(Collectors.groupingBy(d -> d.modelName() + "@" + d.environment(), Collectors.counting()));
        if (activePerPlace.values().stream().allMatch(count -> count < 2)) {
            return deployments;
        }
        List<Deployment> shown = new ArrayList<>(deployments.size());
        for (Deployment deployment : deployments) {
            if (deployment.isActive() && activePerPlace.get(deployment.modelName() + "@" + deployment.environment()) > 1
                    && !activeEntries(scan, deployment.modelName(), deployment.environment(), null).get(0)
                            .deployment().deploymentId().equals(deployment.deploymentId())) {
                shown.add(new Deployment(deployment.deploymentId(), deployment.modelName(), deployment.modelVersion(),
                        deployment.environment(), deployment.endpoint(), DeploymentStatus.INACTIVE,
                        deployment.createdAt(), deployment.createdBy(), deployment.activatedAt(),
                        deployment.deactivatedAt(), deployment.replaces(), deployment.config(), deployment.health(),
                        deployment.history(), deployment.metadata()));
            } else {
                shown.add(deployment);
            }
        }
        return shown;
    }

    /** The active deployment of a model in an environment, if there is one. */
    public Optional<Deployment> activeDeployment(String modelName, String environment) {
        Names.require("model name", modelName);
        Names.require("environment", environment);
        List<Entry> active = activeEntries(scan(), modelName, environment, null);
        return active.isEmpty() ? Optional.empty() : Optional.of(active.get(0).deployment());
    }

    /**
     * Every deployment of a model in an environment (any environment when it is null), oldest
     * first: the timeline of what was deployed there, each with its own status history.
     */
    public List<Deployment> history(String modelName, String environment) {
        Names.require("model name", modelName);
        if (environment != null) {
            Names.require("environment", environment);
        }
        return scan().deployments().stream()
                .filter(d -> d.modelName().equals(modelName))
                .filter(d -> environment == null || d.environment().equals(environment))
                .sorted(Comparator.comparing(Deployment::createdAt).thenComparing(Deployment::deploymentId))
                .toList();
    }

    /**
     * The documents that could not be read by the latest read of the store (each read re-scans
     * the folder); reads the store first if this tracker has not read it yet.
     */
    public List<DocumentProblem> problems() {
        List<DocumentProblem> found = problems;
        return found != null ? found : scan().problems();
    }

    // ---------------------------------------------------------------- health

    /**
     * Probes the deployment's endpoint (or {@code config.health_path} resolved against it) with an
     * HTTP GET bounded by the health timeout, and records the result in its {@code health}. A
     * failed probe is a result, not an exception: see {@link HealthCheck#ok()}. The probe runs
     * outside the store's critical section; only the recording is one, written conditionally on
     * the document as read, so that a status change made meanwhile is kept. Not audited: it
     * changes no status.
     */
    public HealthCheck checkHealth(String deploymentId) {
        String id = requireId(deploymentId);
        Deployment deployment = require(files.find(id), id).deployment();
        HealthCheck check = probe().check(deployment.healthUrl(), UtcTime.now(clock));
        Optimistic.retry("record the health of deployment " + id, () -> storage.exclusively(DeploymentFiles.LOCK, () -> {
            Entry entry = require(files.find(id), id);
            ObjectNode changes = NODES.objectNode();
            changes.set("health", DeploymentJson.health(check));
            files.write(entry.key(), Json.preserveUnknown(entry.document(), changes), Optional.of(entry.version()));
            return check;
        }));
        return check;
    }

    private synchronized HealthProbe probe() {
        if (probe == null) {
            probe = new HealthProbe(healthTimeout);
        }
        return probe;
    }

    // ---------------------------------------------------------------- the mutation protocol

    /**
     * Plans against the store as it is (so bad input fails before the lock file is even created),
     * then, as the store's critical section, plans again on a fresh read, records the audit event
     * and writes the plan's one document conditionally; when another writer changed it (or claimed
     * the id) meanwhile, the whole change is planned again from fresh reads.
     */
    private <T> T mutate(String what, Function<Scan, Plan<T>> planner) {
        planner.apply(scan());
        return Optimistic.retry(what, () -> storage.exclusively(DeploymentFiles.LOCK, () -> {
            Plan<T> plan = planner.apply(scan());
            if (plan.write() == null) {
                return plan.result();
            }
            Write write = plan.write();
            storage.requireWritable(write.key()); // a write the storage refuses anyway is not recorded first
            // Admitted (and signed) once per attempt under the lock: the deployment id and time are final here.
            Map<String, Object> signed = guard.admit(plan.change());
            ObjectNode document = withLastHistoryFields(write.document(), signed);
            audited.apply("Did not " + plan.event().action() + " deployment " + plan.event().resourceId(),
                    List.of(plan.event().withDetails(signed)), () -> files.write(write.key(), document, write.expected()));
            return plan.result();
        }));
    }

    /**
     * The second half of an activation or a rollback: every active deployment of {@code modelName}
     * in {@code environment} but one becomes inactive ({@code rolledBackId}, when given, becomes
     * rolled back), each written conditionally on what was read. The one kept is the most recently
     * activated ({@link #activeEntries}), the same for every writer, so that two processes that
     * activated at once on an object store converge on one active deployment. Deactivations that
     * no recorded event accounts for (the loser of such a race) are recorded here.
     * Returns the deployments it changed, by id.
     */
    private Map<String, Deployment> settle(String modelName, String environment, String intended, String rolledBackId,
                                           String reason) {
        return Optimistic.retry("settle the deployments of " + modelName + " in " + environment,
                () -> storage.exclusively(DeploymentFiles.LOCK, () -> {
                    List<Entry> all = activeEntries(scan(), modelName, environment, intended);
                    List<Entry> active = all.stream()
                            .filter(entry -> !entry.deployment().deploymentId().equals(rolledBackId))
                            .toList();
                    Optional<Entry> rolledBack = all.stream()
                            .filter(entry -> entry.deployment().deploymentId().equals(rolledBackId))
                            .findFirst();
                    Map<String, Deployment> changed = new LinkedHashMap<>();
                    // The others stopped when the one kept started: a timeline shows no gap and no overlap.
                    Instant now = active.isEmpty() ? UtcTime.now(clock) : activationTime(active.get(0).deployment());
                    if (rolledBack.isPresent()) {
                        Entry entry = rolledBack.get();
                        ObjectNode document = rolledBack(entry, intended, now, reason);
                        files.write(entry.key(), document, Optional.of(entry.version()));
                        changed.put(rolledBackId, files.decode(entry.file(), document));
                    }
                    if (active.size() < 2) {
                        return changed;
                    }
                    Deployment winner = active.get(0).deployment();
                    String why = "replaced by " + winner.deploymentId() + (rolledBackId == null ? "" : " (rollback)");
                    for (Entry loser : active.subList(1, active.size())) {
                        ObjectNode document = transition(loser, DeploymentStatus.INACTIVE, now, why,
                                fields -> fields.put("deactivated_at", DeploymentJson.time(now)));
                        Deployment deactivated = files.decode(loser.file(), document);
                        String loserId = loser.deployment().deploymentId();
                        if (loserId.equals(winner.replaces())) {
                            files.write(loser.key(), document, Optional.of(loser.version()));
                        } else {
                            // Not the one the winner's recorded activation replaced: record its deactivation too.
                            AuditRecord event = AuditRecords.deploymentChanged(EventType.DEPLOYMENT_DEACTIVATED, user,
                                    loserId, "deactivate", why, facts(deactivated), null);
                            storage.requireWritable(loser.key());
                            audited.apply("Did not deactivate deployment " + loserId, List.of(event),
                                    () -> files.write(loser.key(), document, Optional.of(loser.version())));
                        }
                        changed.put(loserId, deactivated);
                    }
                    return changed;
                }));
    }

    /** What the guard admits (and the acting user signs) for the change {@code event} records on {@code deployment}. */
    private ActionPayload change(AuditRecord event, Deployment deployment, Instant now) {
        return new ActionPayload(event.action(), user, deployment.modelName(), deployment.modelVersion(),
                deployment.environment(), event.resourceId(), now);
    }

    /** {@code document} with {@code fields} (the signature) set on the history entry the change appended. */
    private static ObjectNode withLastHistoryFields(ObjectNode document, Map<String, Object> fields) {
        if (fields.isEmpty()) {
            return document;
        }
        ObjectNode copy = document.deepCopy();
        JsonNode history = copy.get("history");
        if (history == null || !history.isArray() || history.isEmpty() || !history.get(history.size() - 1).isObject()) {
            throw new IllegalStateException("a deployment change always appends a history entry");
        }
        ObjectNode last = (ObjectNode) history.get(history.size() - 1);
        fields.forEach((key, value) -> last.set(key, Json.mapper().valueToTree(value)));
        return copy;
    }

    private ObjectNode rolledBack(Entry current, String restoredId, Instant now, String reason) {
        return transition(current, DeploymentStatus.ROLLED_BACK, now, withReason("rolled back to " + restoredId, reason),
                fields -> fields.put("deactivated_at", DeploymentJson.time(now)));
    }

    private Scan scan() {
        Scan scan = files.scan();
        problems = scan.problems();
        return scan;
    }

    /** The document after a status change: the changed fields set over it, one history entry appended. */
    private ObjectNode transition(Entry entry, DeploymentStatus status, Instant now, String reason,
                                  Consumer<ObjectNode> moreFields) {
        ObjectNode changes = NODES.objectNode();
        changes.put("status", status.value());
        moreFields.accept(changes);
        JsonNode old = entry.document().get("history");
        // Copying the old entries as they are keeps fields other tools added to them.
        ArrayNode history = old != null && old.isArray() ? ((ArrayNode) old).deepCopy() : NODES.arrayNode();
        history.add(DeploymentJson.change(new StatusChange(status, now, user, reason)));
        changes.set("history", history);
        return Json.preserveUnknown(entry.document(), changes);
    }

    /**
     * Active deployments of a model in an environment (normally one), the one that counts first:
     * the most recently activated; at the same instant the one that replaced another of them
     * (activations in one clock tick), then {@code preferred}, then the greatest id, so that every
     * reader and writer picks the same one.
     */
    private static List<Entry> activeEntries(Scan scan, String modelName, String environment, String preferred) {
        List<Entry> active = scan.byId().values().stream()
                .filter(entry -> entry.deployment().isActive())
                .filter(entry -> entry.deployment().modelName().equals(modelName))
                .filter(entry -> entry.deployment().environment().equals(environment))
                .toList();
        Set<String> replaced = active.stream().map(entry -> entry.deployment().replaces())
                .filter(Objects::nonNull).collect(Collectors.toSet());
        Comparator<Entry> counts = Comparator.comparing((Entry entry) -> activationTime(entry.deployment()))
                .thenComparing(entry -> !replaced.contains(entry.deployment().deploymentId()))
                .thenComparing(entry -> entry.deployment().deploymentId().equals(preferred))
                .thenComparing(entry -> entry.deployment().deploymentId());
        return active.stream().sorted(counts.reversed()).toList();
    }

    private static Instant activationTime(Deployment deployment) {
        return deployment.activatedAt() != null ? deployment.activatedAt() : deployment.createdAt();
    }

    private Entry require(Scan scan, String id) {
        return require(scan.find(id), id);
    }

    private Entry require(Optional<Entry> found, String id) {
        return found.orElseThrow(() -> new NotFoundException("No deployment " + Names.quote(id) + " in "
                + storage.location() + "; list the deployments to see their ids"));
    }

    private List<String> stageWarnings(String modelName, String modelVersion, String environment) {
        Optional<String> stage = requireInCatalog(modelName, modelVersion);
        if (stage.isPresent() && PRODUCTION.equalsIgnoreCase(environment) && !PRODUCTION.equalsIgnoreCase(stage.get())) {
            return List.of(modelName + " " + modelVersion + " is in stage " + stage.get()
                    + ", not production, and is being deployed to " + environment);
        }
        return List.of();
    }

    /** The version's stage, or empty when no registry is linked; refuses a version the registry does not have. */
    private Optional<String> requireInCatalog(String modelName, String modelVersion) {
        if (!models.isLinked()) {
            return Optional.empty();
        }
        Optional<String> stage = models.stageOf(modelName, modelVersion);
        if (stage == null || stage.isEmpty()) {
            throw new NotFoundException("Version " + modelVersion + " of model " + modelName
                    + " is not in the model registry; register it before deploying it");
        }
        return stage;
    }

    private static AuditRecords.DeploymentFacts facts(Deployment deployment) {
        return new AuditRecords.DeploymentFacts(deployment.modelName(), deployment.modelVersion(),
                deployment.environment(), deployment.endpoint().toString(), deployment.replaces());
    }

    private static ObjectNode configNode(Map<String, ?> config) {
        if (config == null || config.isEmpty()) {
            return NODES.objectNode();
        }
        ObjectNode node;
        try {
            node = Json.mapper().valueToTree(config);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Invalid deployment config: it must hold only JSON values (text, numbers, "
                    + "true/false, lists and maps)", e);
        }
        try {
            int size = Json.mapper().writeValueAsBytes(node).length;
            if (size > MAX_CONFIG_BYTES) {
                throw new InvalidInputException("Deployment config is " + size + " bytes as JSON; at most "
                        + MAX_CONFIG_BYTES / 1024 + " KiB are kept with a deployment");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("Invalid deployment config: " + e.getOriginalMessage(), e);
        }
        return node;
    }

    private static String requireId(String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidInputException("Missing deployment id");
        }
        if (!ID.matcher(id).matches()) {
            throw new InvalidInputException("Invalid deployment id " + Names.quote(id)
                    + ": ids look like deploy_20240115_120000_fraud_detector_v2.0.0");
        }
        return id;
    }

    /** Reasons are kept on one line (they are shown in tables and audit events); null when none is given. */
    static String normaliseReason(String reason) {
        if (reason == null) {
            return null;
        }
        // Each run of control characters and line breaks becomes one space (\p{Cntrl} alone let NEL and U+2028 through).
        StringBuilder oneLine = new StringBuilder(reason.length());
        boolean inRun = false;
        for (int cp : reason.codePoints().toArray()) {
            boolean breaking = SingleLine.isBreaking(cp);
            if (!breaking) {
                oneLine.appendCodePoint(cp);
            } else if (!inRun) {
                oneLine.append(' ');
            }
            inRun = breaking;
        }
        String line = oneLine.toString().strip();
        if (line.length() > MAX_REASON) {
            throw new InvalidInputException("The reason is " + line.length() + " characters long; at most "
                    + MAX_REASON + " are kept");
        }
        return line.isEmpty() ? null : line;
    }

    private static String withReason(String what, String reason) {
        return reason == null ? what : what + ": " + reason;
    }

    /** One document to write: created when {@code expected} is empty, else replaced only if it still has that version. */
    private record Write(Key key, ObjectNode document, Optional<Version> expected) {

        static Write over(Entry entry, ObjectNode document) {
            return new Write(entry.key(), document, Optional.of(entry.version()));
        }
    }

    /**
     * What a mutation writes (one document, so that it is atomic on every backend) and records, and
     * what it returns; no write means nothing changes (and nothing is recorded).
     */
    private record Plan<T>(Write write, AuditRecord event, ActionPayload change, T result) {

        static <T> Plan<T> unchanged(T result) {
            return new Plan<>(null, null, null, result);
        }
    }
}
