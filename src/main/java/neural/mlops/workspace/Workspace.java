package neural.mlops.workspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
import neural.mlops.registry.ModelRegistry;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.NotFoundException;
import neural.mlops.store.OutputGuard;
import neural.mlops.store.SafeYaml;
import neural.mlops.store.Users;

/**
 * A workspace folder opened for one acting user: the model registry ({@code models/}), the
 * deployment tracker ({@code deployments/}) and the audit trail ({@code audit_logs/}), wired
 * together so that every lifecycle action is audited (fail-closed), deployments check the
 * registry, the registry refuses to delete an actively deployed version, and the governance
 * policy of {@code workspace.yaml} (SPEC 8) guards every stage change. The CLI and the GUI both
 * open stores through here, so they cannot differ.
 */
public final class Workspace {

    public static final String MODELS = "models";
    public static final String DEPLOYMENTS = "deployments";
    public static final String AUDIT = "audit_logs";
    public static final String SETTINGS = "workspace.yaml";

    private final WorkspaceLocation location;
    private final Path folder;
    private final String user;
    private final String name;
    private final AuditLogger audit;
    private final ModelRegistry registry;
    private final DeploymentManager deployments;
    private final Governance governance;

    private Workspace(WorkspaceLocation location, Path folder, String user, String name, AuditLogger audit,
                      ModelRegistry registry, DeploymentManager deployments, Governance governance) {
        this.location = location;
        this.folder = folder;
        this.user = user;
        this.name = name;
        this.audit = audit;
        this.registry = registry;
        this.deployments = deployments;
        this.governance = governance;
    }

    /** Opens {@code folder} (which must exist) for {@code user}, with the system clock and the configured audit key. */
    public static Workspace open(Path folder, String user) {
        return open(folder, user, Clock.systemUTC(), AuditKey.configured());
    }

    /**
     * Opens {@code folder} with an explicit clock and audit signing key (tests, benchmarks). A
     * workspace.yaml whose policy has an unknown key or a value of the wrong type stops here with
     * a {@link neural.mlops.policy.PolicyFileException} naming the file, the line and the key.
     */
    public static Workspace open(Path folder, String user, Clock clock, Optional<AuditKey> key) {
        Path absolute = existingFolder(folder);
        String actingUser = Users.require(user);
        Path settings = absolute.resolve(SETTINGS);
        Policy.read(settings); // a broken policy stops the opening before anything else is read
        String displayName = readName(absolute);
        // Exports and copies of reports go anywhere but into the stores (docs/security.md).
        OutputGuard outputs = OutputGuard.outside(List.of(absolute.resolve(MODELS), absolute.resolve(DEPLOYMENTS),
                absolute.resolve(AUDIT), settings));
        AuditLogger audit = new AuditLogger(absolute.resolve(AUDIT), clock, key, outputs);
        Path deploymentsRoot = absolute.resolve(DEPLOYMENTS);
        // Built first and handed to both: the registry calls it before every stage change, Governance
        // files and approves requests against the same policy and request store.
        PolicyGuard guard = PolicyGuard.of(absolute.resolve(MODELS), settings, audit);
        ModelRegistry registry = new ModelRegistry(absolute.resolve(MODELS), audit, actingUser, clock, guard,
                (model, version) -> DeploymentManager.isActivelyDeployed(deploymentsRoot, model, version));
        DeploymentManager deployments = new DeploymentManager(deploymentsRoot, catalogOf(registry), audit, actingUser,
                clock);
        Governance governance = new Governance(registry, guard, clock);
        return new Workspace(new WorkspaceLocation.Folder(absolute), absolute, actingUser, displayName, audit,
                registry, deployments, governance);
    }

    /** Opens the workspace at {@code location} (a folder, or a bucket prefix) for {@code user}. */
    public static Workspace open(WorkspaceLocation location, String user) {
        return open(folderOf(location), user);
    }

    /** Opens {@code s3://bucket/prefix} or a {@code file:} URI for {@code user}. */
    public static Workspace open(java.net.URI location, String user) {
        return open(WorkspaceLocation.of(location), user);
    }

    /** {@link #readRegistry(Path)} for any location. */
    public static ModelRegistry readRegistry(WorkspaceLocation location) {
        return readRegistry(folderOf(location));
    }

    /** {@link #initialise(Path, String)} for any location. */
    public static Workspace initialise(WorkspaceLocation location, String user) {
        return initialise(folderOf(location), user);
    }

    /** {@link #looksLikeWorkspace(Path)} for any location. */
    public static boolean looksLikeWorkspace(WorkspaceLocation location) {
        return looksLikeWorkspace(folderOf(location));
    }

    private static Path folderOf(WorkspaceLocation location) {
        if (location instanceof WorkspaceLocation.Folder folder) {
            return folder.path();
        }
        throw new InvalidInputException("Remote workspaces (" + location + ") cannot be opened by this build yet: "
                + "the stores are being moved onto the storage seam (issue 16)");
    }

    /**
     * The registry of {@code folder} alone, for reading it (listing, showing, comparing): nothing
     * is attached, so it cannot change anything, and neither the audit trail nor workspace.yaml
     * is read (the policy governs changes, not reading; their libraries take some 0.3 s to load in
     * a new process). {@link #open} is for everything else, and refuses a broken workspace.yaml.
     */
    public static ModelRegistry readRegistry(Path folder) {
        return new ModelRegistry(existingFolder(folder).resolve(MODELS));
    }

    private static Path existingFolder(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new InvalidInputException("Workspace " + absolute + " is not a folder; create it or choose another");
        }
        return absolute;
    }

    /**
     * Makes the existing {@code folder} an empty workspace (its three store folders, flushed into
     * it) and opens it, so that it is recognised as one the next time ({@link #looksLikeWorkspace}).
     */
    public static Workspace initialise(Path folder, String user) {
        Path absolute = existingFolder(folder);
        for (String store : List.of(MODELS, DEPLOYMENTS, AUDIT)) {
            AtomicFiles.createFoldersDurably(absolute.resolve(store));
        }
        return open(absolute, user);
    }

    /** Creates {@code folder} when missing, then opens it. */
    public static Workspace create(Path folder, String user) {
        try {
            Files.createDirectories(folder);
        } catch (java.io.IOException e) {
            throw neural.mlops.store.StoreIOException.of("create", folder, e);
        }
        return open(folder, user);
    }

    public Path folder() {
        return folder;
    }

    /** Where the workspace is: a folder or a bucket prefix (for titles, status bars, recent lists). */
    public WorkspaceLocation location() {
        return location;
    }

    public String user() {
        return user;
    }

    /** The {@code name} of workspace.yaml, else the folder's name. */
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

    /** The governance policy and its promotion requests, guarding the registry's stage changes (SPEC 8). */
    public Governance governance() {
        return governance;
    }

    /** The policy of workspace.yaml as it is now; {@link Policy#OPEN} when there is none. */
    public Policy policy() {
        return governance.policy();
    }

    /** What to compare to notice another process's changes (live refresh). */
    public WorkspaceFingerprint fingerprint() {
        return WorkspaceFingerprint.of(folder);
    }

    /** True when the folder holds at least one of the three stores. */
    public static boolean looksLikeWorkspace(Path folder) {
        return Files.isDirectory(folder.resolve(MODELS)) || Files.isDirectory(folder.resolve(DEPLOYMENTS))
                || Files.isDirectory(folder.resolve(AUDIT)) || Files.isRegularFile(folder.resolve(SETTINGS));
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

    private static String readName(Path folder) {
        Path settings = folder.resolve(SETTINGS);
        if (Files.isRegularFile(settings)) {
            Map<String, Object> yaml = SafeYaml.loadMap(settings);
            Object value = yaml.get("name");
            if (value instanceof String text && !text.isBlank()) {
                return text.strip();
            }
        }
        Path fileName = folder.getFileName();
        return fileName == null ? folder.toString() : fileName.toString();
    }
}
