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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.AuditSink;
import neural.mlops.audit.AuditedChange;
import neural.mlops.audit.EventType;
import neural.mlops.deployment.DeploymentFiles.Entry;
import neural.mlops.deployment.DeploymentFiles.Scan;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.Names;
import neural.mlops.store.SingleLine;
import neural.mlops.store.NotFoundException;
import neural.mlops.store.StoreLock;
import neural.mlops.store.UserConfig;
import neural.mlops.store.Users;
import neural.mlops.store.UtcTime;

/**
 * The deployment tracker (SPEC 3.2): records which model version is deployed to which environment
 * and endpoint, keeps at most one deployment active per model and environment, rolls back, and
 * probes endpoints.
 *
 * <p>Each deployment is one document {@code deploy_<YYYYMMDD>_<HHMMSS>_<name>_<version>.json} in
 * the root folder. Every read-modify-write holds the store's lock ({@code <root>/.lock}) and
 * re-reads the documents under it, so a GUI and a pipeline's CLI never lose each other's changes.
 * Each mutation is recorded in the audit trail first, fail-closed: when the {@link AuditSink}
 * throws, nothing is written.
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

    private final Path root;
    private final ModelCatalog models;
    private final AuditSink audit;
    private final AuditedChange audited;
    private final String user;
    private final Clock clock;
    private final Duration healthTimeout;
    private final DeploymentFiles files;
    private final StoreLock lock;
    private HealthProbe probe;
    private volatile List<DocumentProblem> problems;

    /** A tracker on its own, as in the original API: no registry, no audit trail, the OS user, the system clock. */
    public DeploymentManager(Path root) {
        this(root, ModelCatalog.NONE, AuditSink.NONE, UserConfig.osUser(), Clock.systemUTC());
    }

    /**
     * @param models the registry to check versions against, or {@link ModelCatalog#NONE}
     * @param audit  where every mutation is recorded (fail-closed), or {@link AuditSink#NONE}
     * @param user   the acting user, written to documents and audit events
     */
    public DeploymentManager(Path root, ModelCatalog models, AuditSink audit, String user, Clock clock) {
        this(root, models, audit, user, clock, DEFAULT_HEALTH_TIMEOUT);
    }

    private DeploymentManager(Path root, ModelCatalog models, AuditSink audit, String user, Clock clock,
                              Duration healthTimeout) {
        this.root = Objects.requireNonNull(root, "root");
        this.models = Objects.requireNonNull(models, "models");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.audited = new AuditedChange(audit);
        this.user = Users.require(user);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.healthTimeout = healthTimeout;
        this.files = new DeploymentFiles(root);
        this.lock = new StoreLock(root.resolve(DeploymentFiles.LOCK_FILE));
    }

    /** The same tracker with another bound on health probes (connecting and answering together). */
    public DeploymentManager withHealthTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_HEALTH_TIMEOUT) > 0) {
            throw new InvalidInputException("Invalid health timeout " + timeout + ": give a duration above zero and at most "
                    + MAX_HEALTH_TIMEOUT.toMinutes() + " minutes");
        }
        return new DeploymentManager(root, models, audit, user, clock, timeout);
    }

    public Path root() {
        return root;
    }

    /**
     * Whether the tracker at {@code root} has an active deployment of {@code modelName}
     * {@code modelVersion}, read from the store as it is now (the registry asks before deleting a
     * version; unreadable documents count as not active).
     */
    public static boolean isActivelyDeployed(Path root, String modelName, String modelVersion) {
        return new DeploymentFiles(root).scan().deployments().stream()
                .anyMatch(d -> d.isActive() && d.modelName().equals(modelName) && d.modelVersion().equals(modelVersion));
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
        return mutate(scan -> planCreate(scan, modelName, modelVersion, environment, url, configNode, warnings, ifAbsent));
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
        for (int n = 2; scan.find(id).isPresent() || files.fileExists(id + DeploymentFiles.SUFFIX); n++) {
            id = base + "_" + n;
        }
        String warning = warnings.isEmpty() ? null : String.join("; ", warnings);
        Deployment fresh = new Deployment(id, modelName, modelVersion, environment, url, DeploymentStatus.PENDING,
                now, user, null, null, null, Map.of(), null,
                List.of(new StatusChange(DeploymentStatus.PENDING, now, user, warning)));
        ObjectNode document = fresh.toJson();
        document.set("config", configNode);
        Path file = root.resolve(id + DeploymentFiles.SUFFIX);
        Deployment created = DeploymentJson.fromJson(file, document);

        AuditRecord event = AuditRecords.deploymentChanged(EventType.DEPLOYMENT_CREATED, user, id, "create", null,
                facts(created), warning);
        return new Plan<>(List.of(new Write(file, document)), event, new CreatedDeployment(created, warnings));
    }

    // ---------------------------------------------------------------- status changes

    /** {@link #activateDeployment(String, String)} without a reason. */
    public Deployment activateDeployment(String deploymentId) {
        return activateDeployment(deploymentId, null);
    }

    /**
     * Makes the deployment {@code active}. The deployment of the same model that was active in the
     * same environment becomes {@code inactive}, and its id is recorded in {@code replaces}, so that
     * {@link #rollback} can return to it. Returns the activated deployment.
     *
     * @throws NotFoundException when there is no such deployment, or the linked registry no longer has its version
     * @throws ConflictException when it is already active
     */
    public Deployment activateDeployment(String deploymentId, String reason) {
        String id = requireId(deploymentId);
        String why = normaliseReason(reason);
        return mutate(scan -> planActivate(scan, id, why));
    }

    private Plan<Deployment> planActivate(Scan scan, String id, String reason) {
        Entry entry = require(scan, id);
        Deployment target = entry.deployment();
        if (target.isActive()) {
            throw new ConflictException("Deployment " + id + " is already active");
        }
        requireInCatalog(target.modelName(), target.modelVersion());
        Instant now = UtcTime.now(clock);
        List<Entry> active = activeEntries(scan, target.modelName(), target.environment());
        String replaces = active.isEmpty() ? null : active.get(0).deployment().deploymentId();

        List<Write> writes = new ArrayList<>();
        // The previous one is stopped first: a crash in between leaves none active, never two.
        for (Entry previous : active) {
            writes.add(new Write(previous.file(), transition(previous, DeploymentStatus.INACTIVE, now,
                    "replaced by " + id, fields -> fields.put("deactivated_at", DeploymentJson.time(now)))));
        }
        ObjectNode updated = transition(entry, DeploymentStatus.ACTIVE, now, reason, fields -> {
            fields.put("activated_at", DeploymentJson.time(now));
            fields.putNull("deactivated_at");
            fields.put("replaces", replaces);
        });
        writes.add(new Write(entry.file(), updated));
        Deployment activated = DeploymentJson.fromJson(entry.file(), updated);
        AuditRecord event = AuditRecords.deploymentChanged(EventType.DEPLOYMENT_ACTIVATED, user, id, "activate", reason,
                facts(activated), null);
        return new Plan<>(writes, event, activated);
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
        return mutate(scan -> {
            Entry entry = require(scan, id);
            DeploymentStatus status = entry.deployment().status();
            if (status != DeploymentStatus.ACTIVE && status != DeploymentStatus.PENDING) {
                throw new ConflictException("Deployment " + id + " is " + status.value()
                        + ", not active or pending; there is nothing to deactivate");
            }
            Instant now = UtcTime.now(clock);
            ObjectNode updated = transition(entry, DeploymentStatus.INACTIVE, now, why,
                    fields -> fields.put("deactivated_at", DeploymentJson.time(now)));
            Deployment deactivated = DeploymentJson.fromJson(entry.file(), updated);
            AuditRecord event = AuditRecords.deploymentChanged(EventType.DEPLOYMENT_DEACTIVATED, user, id, "deactivate",
                    why, facts(deactivated), null);
            return new Plan<>(List.of(new Write(entry.file(), updated)), event, deactivated);
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
        return mutate(scan -> planRollback(scan, modelName, environment, why));
    }

    private Plan<Rollback> planRollback(Scan scan, String modelName, String environment, String reason) {
        List<Entry> active = activeEntries(scan, modelName, environment);
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

        List<Write> writes = new ArrayList<>();
        ObjectNode rolledBackDocument = transition(current, DeploymentStatus.ROLLED_BACK, now,
                withReason("rolled back to " + previousId, reason),
                fields -> fields.put("deactivated_at", DeploymentJson.time(now)));
        writes.add(new Write(current.file(), rolledBackDocument));
        for (Entry other : active.subList(1, active.size())) {
            writes.add(new Write(other.file(), transition(other, DeploymentStatus.INACTIVE, now,
                    "replaced by " + previousId + " (rollback)",
                    fields -> fields.put("deactivated_at", DeploymentJson.time(now)))));
        }
        ObjectNode restoredDocument = transition(previous, DeploymentStatus.ACTIVE, now,
                withReason("restored by rolling back " + currentId, reason), fields -> {
                    fields.put("activated_at", DeploymentJson.time(now));
                    fields.putNull("deactivated_at");
                });
        writes.add(new Write(previous.file(), restoredDocument));

        Deployment rolledBack = DeploymentJson.fromJson(current.file(), rolledBackDocument);
        Deployment restored = DeploymentJson.fromJson(previous.file(), restoredDocument);
        AuditRecord event = AuditRecords.deploymentRolledBack(user, currentId, reason, facts(rolledBack),
                restored.deploymentId(), restored.modelVersion());
        return new Plan<>(writes, event, new Rollback(rolledBack, restored));
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
        return scan().deployments().stream()
                .filter(d -> environment == null || d.environment().equals(environment))
                .filter(d -> modelName == null || d.modelName().equals(modelName))
                .filter(d -> status == null || d.status() == status)
                .sorted(Comparator.comparing(Deployment::createdAt).thenComparing(Deployment::deploymentId).reversed())
                .toList();
    }

    /** The deployment with that id. */
    public Deployment getDeployment(String deploymentId) {
        return require(scan(), requireId(deploymentId)).deployment();
    }

    /** The active deployment of a model in an environment, if there is one. */
    public Optional<Deployment> activeDeployment(String modelName, String environment) {
        Names.require("model name", modelName);
        Names.require("environment", environment);
        List<Entry> active = activeEntries(scan(), modelName, environment);
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
     * without the lock; only the recording holds it. Not audited: it changes no status.
     */
    @SuppressWarnings("try") // the lock is held for the block and released by close(); the variable is never read
    public HealthCheck checkHealth(String deploymentId) {
        String id = requireId(deploymentId);
        Deployment deployment = require(scan(), id).deployment();
        HealthCheck check = probe().check(deployment.healthUrl(), UtcTime.now(clock));
        try (StoreLock.Held held = lock.acquire()) {
            Entry entry = require(scan(), id);
            ObjectNode changes = NODES.objectNode();
            changes.set("health", DeploymentJson.health(check));
            files.write(entry.file(), Json.preserveUnknown(entry.document(), changes));
        }
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
     * then plans again under the lock on a fresh read, checks where it will write, records the
     * audit event and writes.
     */
    @SuppressWarnings("try") // the lock is held for the block and released by close(); the variable is never read
    private <T> T mutate(Function<Scan, Plan<T>> planner) {
        planner.apply(scan());
        try (StoreLock.Held held = lock.acquire()) {
            Plan<T> plan = planner.apply(scan());
            if (plan.writes().isEmpty()) {
                return plan.result();
            }
            plan.writes().forEach(write -> files.writable(write.file()));
            audited.apply("Did not " + plan.event().action() + " deployment " + plan.event().resourceId(),
                    List.of(plan.event()), () -> commit(plan));
            return plan.result();
        }
    }

    /** Every document of the plan is prepared before any is renamed, so a failed write changes none of them. */
    private void commit(Plan<?> plan) {
        try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
            for (Write write : plan.writes()) {
                Path file = files.writable(write.file());
                batch.add(file, Json.bytes(file, write.document()));
            }
            batch.commit();
        }
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

    /** Active deployments of a model in an environment, most recently activated first (normally one). */
    private static List<Entry> activeEntries(Scan scan, String modelName, String environment) {
        return scan.byId().values().stream()
                .filter(entry -> entry.deployment().isActive())
                .filter(entry -> entry.deployment().modelName().equals(modelName))
                .filter(entry -> entry.deployment().environment().equals(environment))
                .sorted(Comparator.comparing((Entry entry) -> activationTime(entry.deployment())).reversed())
                .toList();
    }

    private static Instant activationTime(Deployment deployment) {
        return deployment.activatedAt() != null ? deployment.activatedAt() : deployment.createdAt();
    }

    private Entry require(Scan scan, String id) {
        return scan.find(id).orElseThrow(() -> new NotFoundException("No deployment " + Names.quote(id) + " in "
                + root + "; list the deployments to see their ids"));
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

    private record Write(Path file, ObjectNode document) {
    }

    /** What a mutation writes and records, and what it returns; no writes means nothing changes (and nothing is recorded). */
    private record Plan<T>(List<Write> writes, AuditRecord event, T result) {

        static <T> Plan<T> unchanged(T result) {
            return new Plan<>(List.of(), null, result);
        }
    }
}
