package neural.mlops.workspace;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import neural.mlops.audit.AuditKey;
import neural.mlops.audit.AuditLogger;
import neural.mlops.deployment.DeploymentManager;
import neural.mlops.deployment.ModelCatalog;
import neural.mlops.policy.Governance;
import neural.mlops.policy.Policy;
import neural.mlops.policy.PolicyGuard;
import neural.mlops.policy.SignatureAudit;
import neural.mlops.policy.Signatures;
import neural.mlops.identity.Signer;
import neural.mlops.registry.ActiveDeployments;
import neural.mlops.registry.Aliases;
import neural.mlops.registry.LinkTemplates;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.NotFoundException;
import neural.mlops.store.OutputGuard;
import neural.mlops.store.SafeYaml;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.Users;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.Traffic;

/**
 * A workspace opened for one acting user: the model registry ({@code models/}), the deployment
 * tracker ({@code deployments/}) and the audit trail ({@code audit_logs/}), wired together so that
 * every lifecycle action is audited (fail-closed), deployments check the registry, the registry
 * refuses to delete an actively deployed version, and the governance policy of
 * {@code workspace.yaml} (SPEC 8) guards every stage change. The CLI and the GUI both open stores
 * through here, so they cannot differ.
 *
 * <p>A workspace is a folder or a prefix in an S3-compatible bucket ({@link WorkspaceLocation},
 * SPEC 9): the location's storage is opened once and each store is handed its own root in it
 * ({@link Storage#under}); no store knows which backend it is on.
 */
public final class Workspace implements AutoCloseable {

    public static final String MODELS = "models";
    public static final String DEPLOYMENTS = "deployments";
    public static final String AUDIT = "audit_logs";
    public static final String SETTINGS = "workspace.yaml";

    /** workspace.yaml is read for its name at most this large (the policy reader has the same bound). */
    /** What the registry asks of the deployment tracker before it deletes: is a version served or about to be. */
    private static ActiveDeployments deploymentsOf(Storage deploymentsRoot) {
        return new ActiveDeployments() {
            @Override
            public boolean isActive(String model, String version) {
                return DeploymentManager.isActivelyDeployed(deploymentsRoot, model, version);
            }

            @Override
            public boolean isPending(String model, String version) {
                return DeploymentManager.hasPendingDeployment(deploymentsRoot, model, version);
            }
        };
    }

    private static final long MAX_SETTINGS_BYTES = 1024 * 1024;

    private final WorkspaceLocation location;
    private final Storage storage;
    private final String user;
    private final String name;
    private final AuditLogger audit;
    private final ModelRegistry registry;
    private final DeploymentManager deployments;
    private final Governance governance;
    private final WorkspaceSettings settings;
    private final Aliases aliases;

    private Workspace(WorkspaceLocation location, Storage storage, String user, String name, AuditLogger audit,
                      ModelRegistry registry, DeploymentManager deployments, Governance governance,
                      WorkspaceSettings settings, Clock clock, PolicyGuard guard) {
        this.settings = settings;
        this.location = location;
        this.storage = storage;
        this.user = user;
        this.name = name;
        this.audit = audit;
        this.registry = registry;
        this.deployments = deployments;
        this.governance = governance;
        this.aliases = new Aliases(registry, audit, clock, guard);
    }

    /** Opens {@code folder} (which must exist) for {@code user}, with the system clock and the configured audit key. */
    public static Workspace open(Path folder, String user) {
        return open(new WorkspaceLocation.Folder(folder), user);
    }

    /** Opens {@code s3://bucket/prefix} or a {@code file:} URI for {@code user}. */
    public static Workspace open(URI location, String user) {
        return open(WorkspaceLocation.of(location), user);
    }

    /** Opens the workspace at {@code location} (a folder, or a bucket prefix) for {@code user}. */
    public static Workspace open(WorkspaceLocation location, String user) {
        return open(location, user, Clock.systemUTC(), AuditKey.configured());
    }

    /** {@link #open(WorkspaceLocation, String, Clock, Optional)} of a folder. */
    public static Workspace open(Path folder, String user, Clock clock, Optional<AuditKey> key) {
        return open(new WorkspaceLocation.Folder(folder), user, clock, key);
    }

    /**
     * Opens {@code location} with an explicit clock and audit signing key (tests, benchmarks). A
     * workspace.yaml whose policy has an unknown key or a value of the wrong type stops here with
     * a {@link neural.mlops.policy.PolicyFileException} naming the file, the line and the key. A
     * bucket whose server does not honour conditional writes is refused here, before any write.
     */
    public static Workspace open(WorkspaceLocation location, String user, Clock clock, Optional<AuditKey> key) {
        return open(location, user, clock, key, Signer.NONE);
    }

    /** {@link #open(WorkspaceLocation, String)} for a user who signs governed actions with {@code signer} (issue 24). */
    public static Workspace open(WorkspaceLocation location, String user, Signer signer) {
        return open(location, user, Clock.systemUTC(), AuditKey.configured(), signer);
    }

    /** {@link #open(WorkspaceLocation, String, Clock, Optional)} for a user who signs with {@code signer}. */
    public static Workspace open(WorkspaceLocation location, String user, Clock clock, Optional<AuditKey> key,
                                 Signer signer) {
        String actingUser = Users.require(user);
        requireExistingFolder(location);
        Storage storage = location.openStorage();
        try {
            storage.requireConditionalWrites();
            Policy.read(storage); // a broken policy stops the opening before anything else is read
            String displayName = readName(storage, location);
            WorkspaceSettings settings = WorkspaceSettings.read(storage, location + "/" + SETTINGS);
            ZoneId legacyZone = settings.legacyZone();
            AuditLogger audit = new AuditLogger(storage.under(AUDIT), clock, key, outputsOf(location), legacyZone);
            Storage deploymentsRoot = storage.under(DEPLOYMENTS);
            // Built first and handed to all: the registry calls it before every stage change, the tracker before
            // every deployment change, Governance files and approves requests against the same policy and store.
            PolicyGuard guard = PolicyGuard.of(storage.under(MODELS), storage, audit,
                    new Signatures(signer, () -> SignatureAudit.lastRecordedSha256(audit), clock));
            ModelRegistry registry = new ModelRegistry(storage.under(MODELS), audit, actingUser, clock, guard,
                    deploymentsOf(deploymentsRoot), () -> legacyZone);
            DeploymentManager deployments = new DeploymentManager(deploymentsRoot, catalogOf(registry), audit,
                    actingUser, clock, legacyZone, guard::admitDeployment);
            Governance governance = new Governance(registry, guard, clock);
            return new Workspace(location, storage, actingUser, displayName, audit, registry, deployments, governance,
                    settings, clock, guard);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    /**
     * The registry of {@code folder} alone, for reading it (listing, showing, comparing): nothing
     * is attached, so it cannot change anything, and neither the audit trail nor workspace.yaml
     * is read (the policy governs changes, not reading; their libraries take some 0.3 s to load in
     * a new process). {@link #open} is for everything else, and refuses a broken workspace.yaml.
     */
    public static ModelRegistry readRegistry(Path folder) {
        return readRegistry(new WorkspaceLocation.Folder(folder));
    }

    /** {@link #readRegistry(Path)} for any location; the registry's storage lives as long as the process. */
    public static ModelRegistry readRegistry(WorkspaceLocation location) {
        requireExistingFolder(location);
        Storage storage = location.openStorage();
        // workspace.yaml is read only when a document holds a naive time of the original module.
        return new ModelRegistry(storage.under(MODELS),
                LegacyTimezone.lazy(storage, location + "/" + SETTINGS));
    }

    /**
     * Makes the existing {@code folder} an empty workspace (its three store folders, flushed into
     * it) and opens it, so that it is recognised as one the next time ({@link #looksLikeWorkspace}).
     */
    public static Workspace initialise(Path folder, String user) {
        return initialise(new WorkspaceLocation.Folder(folder), user);
    }

    /** {@link #initialise(Path, String)} for any location; an empty bucket prefix is already an empty workspace. */
    public static Workspace initialise(WorkspaceLocation location, String user) {
        return initialise(location, user, Signer.NONE);
    }

    /** {@link #initialise(WorkspaceLocation, String)} for a user who signs governed actions with {@code signer}. */
    public static Workspace initialise(WorkspaceLocation location, String user, Signer signer) {
        if (location instanceof WorkspaceLocation.Folder folder) {
            requireExistingFolder(location);
            for (String store : List.of(MODELS, DEPLOYMENTS, AUDIT)) {
                AtomicFiles.createFoldersDurably(folder.path().resolve(store));
            }
        }
        return open(location, user, signer);
    }

    /** Creates {@code folder} when missing, then opens it. */
    public static Workspace create(Path folder, String user) {
        try {
            Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            throw StoreIOException.of("create", folder, e);
        }
        return open(folder, user);
    }

    /** True when the folder holds at least one of the three stores. */
    public static boolean looksLikeWorkspace(Path folder) {
        return Files.isDirectory(folder.resolve(MODELS)) || Files.isDirectory(folder.resolve(DEPLOYMENTS))
                || Files.isDirectory(folder.resolve(AUDIT)) || Files.isRegularFile(folder.resolve(SETTINGS));
    }

    /** {@link #looksLikeWorkspace(Path)} for any location: a bucket prefix is one when it holds anything. */
    public static boolean looksLikeWorkspace(WorkspaceLocation location) {
        if (location instanceof WorkspaceLocation.Folder folder) {
            return looksLikeWorkspace(folder.path());
        }
        try (Storage storage = location.openStorage(); var objects = storage.list("")) {
            return objects.findAny().isPresent();
        }
    }

    /** The folder of a local workspace; empty for a remote one (see {@link #location()}). */
    public Optional<Path> folder() {
        return location instanceof WorkspaceLocation.Folder folder ? Optional.of(folder.path()) : Optional.empty();
    }

    /** Where the workspace is: a folder or a bucket prefix (for titles, status bars, recent lists). */
    public WorkspaceLocation location() {
        return location;
    }

    public String user() {
        return user;
    }

    /** The {@code name} of workspace.yaml, else the location's {@link WorkspaceLocation#displayName()}. */
    public String name() {
        return name;
    }

    public ModelRegistry registry() {
        return registry;
    }

    public DeploymentManager deployments() {
        return deployments;
    }

    public AuditLogger audit() {
        return audit;
    }

    /** The aliases of the registry's models, changed as the acting user, audited and governed by {@code policy.aliases}. */
    public Aliases aliases() {
        return aliases;
    }

    /** The governance policy and its promotion requests, guarding the registry's stage changes (SPEC 8). */
    public Governance governance() {
        return governance;
    }

    /** workspace.yaml's legacy_timezone and retention, as read when the workspace opened. */
    public WorkspaceSettings settings() {
        return settings;
    }

    /** The policy of workspace.yaml as it is now; {@link Policy#OPEN} when there is none. */
    public Policy policy() {
        return governance.policy();
    }

    /** The lineage link templates of workspace.yaml as it is now ({@code links}); a bad one is refused with its key. */
    public LinkTemplates links() {
        return WorkspaceLinks.read(storage, location + "/" + SETTINGS);
    }

    /** {@link #links()} of a workspace that is not open, for a command that only reads (registry show). */
    public static LinkTemplates readLinks(WorkspaceLocation location) {
        requireExistingFolder(location);
        try (Storage settings = location.openStorage()) {
            return WorkspaceLinks.read(settings, location + "/" + SETTINGS);
        }
    }

    /** What to compare to notice another process's changes (live refresh): one small read. */
    public WorkspaceFingerprint fingerprint() {
        return WorkspaceFingerprint.of(storage, location);
    }

    /** What the workspace's storage has cost on the network so far (requests, bytes); nothing for a folder. */
    public Traffic traffic() {
        return storage.traffic();
    }

    /** Releases the workspace's connections (a bucket's client); its stores are not used afterwards. */
    @Override
    public void close() {
        storage.close();
    }

    private static void requireExistingFolder(WorkspaceLocation location) {
        if (location instanceof WorkspaceLocation.Folder folder && !Files.isDirectory(folder.path())) {
            throw new InvalidInputException("Workspace " + folder.path() + " is not a folder; create it or choose another");
        }
    }

    /** Exports and copies of reports go anywhere but into the stores (docs/security.md); a bucket has no local stores. */
    private static OutputGuard outputsOf(WorkspaceLocation location) {
        if (location instanceof WorkspaceLocation.Folder folder) {
            Path root = folder.path();
            return OutputGuard.outside(List.of(root.resolve(MODELS), root.resolve(DEPLOYMENTS), root.resolve(AUDIT),
                    root.resolve(SETTINGS)));
        }
        return OutputGuard.outside(List.of());
    }

    private static ModelCatalog catalogOf(ModelRegistry registry) {
        return (model, version) -> {
            try {
                return Optional.of(registry.getModel(model, version).stage().value());
            } catch (NotFoundException | InvalidInputException e) {
                return Optional.empty();
            }
        };
    }

    private static String readName(Storage storage, WorkspaceLocation location) {
        return storage.read(Key.of(SETTINGS), MAX_SETTINGS_BYTES).map(document -> {
            Map<String, Object> yaml = SafeYaml.loadMap(new String(document.content(),
                    java.nio.charset.StandardCharsets.UTF_8), location + "/" + SETTINGS);
            Object value = yaml.get("name");
            return value instanceof String text && !text.isBlank() ? text.strip() : null;
        }).orElse(location.displayName());
    }
}
