package neural.mlops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.AuditSink;
import neural.mlops.audit.AuditedChange;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.Names;
import neural.mlops.store.NotFoundException;
import neural.mlops.store.SafeYaml;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.StoreLock;
import neural.mlops.store.StorePaths;
import neural.mlops.store.UserConfig;
import neural.mlops.store.Users;
import neural.mlops.store.UtcTime;

/**
 * The model registry (SPEC 3.1) on the original layout (SPEC 2):
 * {@code models/<name>/<version>/<model file>} plus {@code config.yaml}, and
 * {@code metadata/<name>_<version>.json}, under the registry root (a workspace's {@code models/}).
 *
 * <p>Every change is a read-modify-write under the store's {@link StoreLock} ({@code .lock} in the
 * root): the documents are read again under the lock, the change is checked, a
 * {@link PromotionGuard} may refuse a stage change, the audit events are recorded through
 * {@link AuditedChange} (fail-closed: when they cannot be, nothing is changed), and only then are
 * files written, each atomically, the metadata document last. Reads take no lock.
 */
public final class ModelRegistry {

    static final String LOCK_FILE = ".lock";
    static final String MODELS_FOLDER = "models";
    static final String CONFIG_FILE = "config.yaml";
    /** Where a deleted version's folder waits to be emptied: a name no version can have (names start with a letter or digit). */
    static final String DELETING_PREFIX = ".deleting-";
    /** Longest metadata file name most file systems accept, with room to spare. */
    static final int MAX_METADATA_FILE_NAME = 250;

    private final Path root;
    private final AuditedChange audited;
    private final String user;
    private final Clock clock;
    private final StoreLock lock;
    private final MetadataFiles metadata;
    private final PromotionGuard promotionGuard;
    private final ActiveDeployments activeDeployments;
    private volatile List<RegistryProblem> lastProblems;

    /** Opens the registry at {@code root} as the original does: no audit trail, the OS user, the system clock. */
    public ModelRegistry(Path root) {
        this(root, AuditSink.NONE, UserConfig.osUser(), Clock.systemUTC());
    }

    /** Opens the registry at {@code root}, recording every change in {@code audit} as {@code user}; no policy, no deployments. */
    public ModelRegistry(Path root, AuditSink audit, String user, Clock clock) {
        this(root, audit, user, clock, PromotionGuard.ALLOW_ALL, ActiveDeployments.NONE);
    }

    /**
     * Opens the registry at {@code root} as a workspace does: every change recorded in {@code audit}
     * as {@code user}, every stage change checked by {@code guard} (the governance policy), and
     * deletion of an actively deployed version refused by asking {@code activeDeployments}.
     */
    public ModelRegistry(Path root, AuditSink audit, String user, Clock clock, PromotionGuard guard,
                         ActiveDeployments activeDeployments) {
        this.root = Objects.requireNonNull(root, "root");
        this.audited = new AuditedChange(Objects.requireNonNull(audit, "audit"));
        this.user = Users.require(user);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.promotionGuard = Objects.requireNonNull(guard, "guard");
        this.activeDeployments = Objects.requireNonNull(activeDeployments, "activeDeployments");
        this.lock = new StoreLock(root.resolve(LOCK_FILE));
        this.metadata = new MetadataFiles(root);
    }

    public Path root() {
        return root;
    }

    /** The acting user recorded in stage history and audit events. */
    public String user() {
        return user;
    }

    // Reading

    /** Reads every metadata document once; the problems met are also kept for {@link #problems()}. */
    public RegistrySnapshot snapshot() {
        MetadataFiles.Loaded loaded = metadata.listAll();
        lastProblems = loaded.problems();
        return new RegistrySnapshot(loaded.entries().stream().map(MetadataFiles.Entry::version).toList(),
                loaded.problems());
    }

    /** One summary per model, by name. */
    public List<ModelSummary> listModels() {
        return snapshot().listModels();
    }

    /** The versions of {@code name} in version order (empty when the model has none). */
    public List<ModelVersion> listVersions(String name) {
        Names.require("model name", name);
        return VersionOrder.sorted(versionsOf(metadata.loadModel(name).entries()));
    }

    /** The metadata of one version; throws {@link NotFoundException} when it is not registered. */
    public ModelVersion getModel(String name, String version) {
        return require(name, version).version();
    }

    public Optional<ModelVersion> getProductionVersion(String name) {
        return RegistrySnapshot.production(listVersions(name));
    }

    /** The versions matching {@code query}, by model name and then in version order. */
    public List<ModelVersion> search(ModelQuery query) {
        return snapshot().search(query);
    }

    /** The documents the last listing could not load (a listing is made if none was). */
    public List<RegistryProblem> problems() {
        List<RegistryProblem> problems = lastProblems;
        return problems != null ? problems : snapshot().problems();
    }

    /** Where the model file of {@code version} is on disk. */
    public Path artifactPath(ModelVersion version) {
        return root.resolve(version.modelPath());
    }

    /** Where the config.yaml of {@code version} is on disk. */
    public Path configPath(ModelVersion version) {
        return root.resolve(MODELS_FOLDER).resolve(version.name()).resolve(version.version()).resolve(CONFIG_FILE);
    }

    /**
     * The configuration of {@code version}: its config.yaml (read with the safe loader) when there
     * is one, else the {@code config} of its metadata document. A config.yaml that cannot be read is
     * reported in {@link VersionConfig#problem()}, with the metadata's values.
     */
    public VersionConfig configuration(ModelVersion version) {
        Path file = configPath(version);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return new VersionConfig(version.config(), Optional.empty(), Optional.empty());
        }
        try {
            return new VersionConfig(SafeYaml.loadMap(file), Optional.of(file), Optional.empty());
        } catch (MlopsException e) {
            return new VersionConfig(version.config(), Optional.empty(), Optional.of(e.getMessage()));
        }
    }

    /** Compares two versions of one model: version2 minus version1 for every metric of either. */
    public ModelComparison compareModels(String name, String version1, String version2) {
        return ModelComparison.of(getModel(name, version1), getModel(name, version2));
    }

    /** Compares two or more versions side by side, each against the first. */
    public VersionsComparison compareVersions(String name, List<String> versions) {
        if (versions.size() < 2) {
            throw new InvalidInputException("Choose at least two versions of " + name + " to compare");
        }
        return VersionsComparison.of(versions.stream().map(v -> getModel(name, v)).toList());
    }

    /** Recomputes the model file's SHA-256 and compares it with the one recorded at registration. */
    public ArtifactCheck verifyArtifact(String name, String version) {
        ModelVersion model = getModel(name, version);
        Path file = artifactPath(model);
        if (!Files.isRegularFile(file)) {
            return new ArtifactCheck(name, version, file, ArtifactCheck.Status.MISSING, model.modelSha256(), null,
                    model.modelSizeBytes(), -1);
        }
        ArtifactCopy.Copied actual;
        try {
            actual = ArtifactCopy.hash(file);
        } catch (NoSuchFileException e) {
            return new ArtifactCheck(name, version, file, ArtifactCheck.Status.MISSING, model.modelSha256(), null,
                    model.modelSizeBytes(), -1);
        } catch (IOException e) {
            throw StoreIOException.of("read", file, e);
        }
        ArtifactCheck.Status status;
        if (model.modelSha256() == null) {
            status = ArtifactCheck.Status.UNRECORDED;
        } else if (model.modelSha256().equalsIgnoreCase(actual.sha256())) {
            status = ArtifactCheck.Status.INTACT;
        } else {
            status = ArtifactCheck.Status.MODIFIED;
        }
        return new ArtifactCheck(name, version, file, status, model.modelSha256(), actual.sha256(),
                model.modelSizeBytes(), actual.sizeBytes());
    }

    // Changing

    /**
     * Registers a version unless the very same one is registered already: same model file
     * (SHA-256), framework, metrics, tags, description, configuration and lineage. Then nothing is
     * written and {@link Registration#alreadyRegistered()} is true, so that a pipeline's re-run
     * succeeds; the same name and version with anything different is refused as
     * {@link #registerModel(RegisterRequest, CopyListener)} refuses it, naming what differs.
     */
    public Registration registerOrConfirm(RegisterRequest request, CopyListener listener) {
        Optional<MetadataFiles.Entry> existing;
        try {
            existing = metadata.readCanonical(request.name(), request.version())
                    .filter(entry -> MetadataFiles.matches(entry, request.name(), request.version()));
        } catch (MlopsException e) {
            existing = Optional.empty(); // registerModel words the problem
        }
        if (existing.isEmpty()) {
            return new Registration(registerModel(request, listener), false);
        }
        ModelVersion registered = existing.get().version();
        checkSource(request.modelFile());
        String sha256;
        try {
            sha256 = ArtifactCopy.hash(request.modelFile()).sha256();
        } catch (IOException e) {
            throw StoreIOException.of("read", request.modelFile(), e);
        }
        List<String> differences = new ArrayList<>();
        if (!sha256.equalsIgnoreCase(String.valueOf(registered.modelSha256()))) {
            differences.add("model file (sha256 " + sha256 + ", registered " + registered.modelSha256() + ")");
        }
        addIfDifferent(differences, "framework", request.framework(), registered.framework());
        addIfDifferent(differences, "metrics", request.metrics(), registered.metrics());
        addIfDifferent(differences, "tags", request.tags(), registered.tags());
        addIfDifferent(differences, "description", request.description(), registered.description());
        addIfDifferent(differences, "config", request.config(), registered.config());
        addIfDifferent(differences, "lineage", request.lineage(), registered.lineage());
        if (!differences.isEmpty()) {
            throw new ConflictException("Version " + request.version() + " of " + request.name()
                    + " already exists with a different " + String.join(", ", differences) + "; choose a new version");
        }
        return new Registration(registered, true);
    }

    private static void addIfDifferent(List<String> differences, String field, Object requested, Object registered) {
        if (!Objects.equals(requested, registered)) {
            differences.add(field);
        }
    }

    /** Registers a version, copying its model file in; see {@link #registerModel(RegisterRequest, CopyListener)}. */
    public ModelVersion registerModel(RegisterRequest request) {
        return registerModel(request, CopyListener.NONE);
    }

    /**
     * Registers a version: streams the model file into {@code models/<name>/<version>/} (hashing it
     * and reporting progress to {@code listener}, which may cancel), writes config.yaml and then the
     * metadata document. Registering into production archives the current production version in
     * the same locked operation. An existing name and version is refused; a version folder left by
     * an interrupted registration is replaced.
     */
    public ModelVersion registerModel(RegisterRequest request, CopyListener listener) {
        Objects.requireNonNull(listener, "listener");
        String name = request.name();
        String version = request.version();
        String what = name + " " + version;
        Path source = request.modelFile();
        String modelFile = checkSource(source);
        if (MetadataFiles.fileName(name, version).length() > MAX_METADATA_FILE_NAME) {
            throw new InvalidInputException("The model name and version of " + what + " are too long together: "
                    + "their metadata file name would exceed " + MAX_METADATA_FILE_NAME + " characters");
        }
        refuseExisting(name, version);

        Path versionDir = StorePaths.forWrite(root, MODELS_FOLDER, name, version);
        Path target = StorePaths.forWrite(root, MODELS_FOLDER, name, version, modelFile);
        Path configFile = StorePaths.forWrite(root, MODELS_FOLDER, name, version, CONFIG_FILE);
        Path metadataFile = StorePaths.forWrite(root, MetadataFiles.FOLDER, MetadataFiles.fileName(name, version));
        List<Path> createdFolders = createFolders(versionDir);
        ArtifactCopy.Copied copied = null;
        try {
            copied = ArtifactCopy.copy(source, target, listener, what);
            ArtifactCopy.Copied artifact = copied;
            return locked(() -> commitRegistration(request, artifact, configFile, metadataFile));
        } catch (RuntimeException | Error e) {
            if (copied != null) {
                ArtifactCopy.deleteQuietly(copied.temp());
            }
            removeEmptyFolders(createdFolders);
            throw e;
        }
    }

    /** The locked half of a registration: check again, guard, audit, then commit, metadata last. */
    private ModelVersion commitRegistration(RegisterRequest request, ArtifactCopy.Copied artifact, Path configFile,
                                            Path metadataFile) {
        String name = request.name();
        String version = request.version();
        refuseExisting(name, version);
        Instant now = UtcTime.now(clock);
        ModelStage stage = request.stage();
        String modelFile = artifact.target().getFileName().toString();
        String creator = request.createdBy() != null ? request.createdBy() : user;
        String reason = request.reason() != null ? request.reason() : "registered";
        ModelVersion registered = new ModelVersion(name, version, stage, request.framework(), creator,
                now, now, request.description(), request.metrics(), request.tags(), modelFile,
                MetadataCodec.layoutPath(name, version, modelFile), artifact.sizeBytes(), artifact.sha256(),
                request.config(), List.of(new StageTransition(null, stage, now, user, reason)),
                request.lineage());

        List<MetadataFiles.Entry> toArchive = List.of();
        if (stage != ModelStage.DEVELOPMENT) {
            List<MetadataFiles.Entry> entries = metadata.loadModel(name).entries();
            promotionGuard.check(new PromotionContext(registered, null, stage, user, request.reason(),
                    versionsOf(entries)));
            if (stage == ModelStage.PRODUCTION) {
                toArchive = inProduction(entries, version);
            }
        }
        List<Rewrite> archived = archive(toArchive, version, now);
        List<AuditRecord> records = new ArrayList<>();
        records.add(registeredRecord(registered));
        archived.forEach(rewrite -> records.add(rewrite.audit()));
        ObjectNode document = registered.toJson();
        audited.apply("Did not register " + name + " " + version, records, () -> {
            try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
                clearLeftovers(artifact.target().getParent(), artifact.temp());
                clearDeleted(artifact.target().getParent().getParent());
                clearAbandoned(name, version, artifact.target().getParent().getParent());
                batch.add(configFile, configYaml(request.config()).getBytes(StandardCharsets.UTF_8));
                archived.forEach(rewrite -> rewrite.addTo(batch));
                batch.add(metadataFile, Json.bytes(metadataFile, document));
                // Every document is on disk: a full disk has failed by now with nothing changed. Renames only from here.
                AtomicFiles.commit(artifact.temp(), artifact.target());
                batch.commit();
            } catch (MlopsException e) {
                // Without its metadata document the version is not registered; leave no half of it behind.
                ArtifactCopy.deleteQuietly(artifact.target());
                ArtifactCopy.deleteQuietly(configFile);
                throw e;
            }
        });
        // As a reader will see it (numbers in the config read back as JSON numbers).
        return MetadataCodec.fromJson(document, metadataFile);
    }

    private static String configYaml(Map<String, Object> config) {
        return config.isEmpty() ? "{}\n" : SafeYaml.dump(config);
    }

    /**
     * Moves a version to {@code target} and records the transition in its {@code stage_history}.
     * Promoting to production archives the model's current production version in the same locked
     * operation; an archived version is restored by promoting it to any other stage. A version
     * already in {@code target} is left as it is, with nothing written or recorded
     * ({@link Promotion#unchanged()}), so that a pipeline's re-run succeeds.
     */
    public Promotion promoteModel(String name, String version, ModelStage target, String reason) {
        return promoteModel(name, version, target, reason, null);
    }

    /**
     * The same move, carrying out the promotion request {@code approvedRequest} (its id) whose
     * approvals are complete: the guard checks that the request exists, is for this very move and
     * has its approvals, rather than trusting the caller. Null when no request is carried out.
     */
    public Promotion promoteModel(String name, String version, ModelStage target, String reason,
                                  String approvedRequest) {
        checkIdentity(name, version);
        Objects.requireNonNull(target, "target stage");
        String why = Checks.optionalLine("reason", reason, Checks.MAX_SHORT * 4);
        return locked(() -> {
            MetadataFiles.Loaded loaded = metadata.loadModel(name);
            List<MetadataFiles.Entry> entries = loaded.entries();
            MetadataFiles.Entry entry = entries.stream()
                    .filter(e -> MetadataFiles.matches(e, name, version)).findFirst()
                    .orElseThrow(() -> notFoundOrUnreadable(loaded, name, version));
            ModelStage from = entry.version().stage();
            if (from == target) {
                return new Promotion(entry.version(), from, List.of());
            }
            promotionGuard.check(new PromotionContext(entry.version(), from, target, user, why, versionsOf(entries),
                    approvedRequest));
            Instant now = UtcTime.now(clock);
            List<Rewrite> archived = target == ModelStage.PRODUCTION
                    ? archive(inProduction(entries, version), version, now) : List.of();
            Rewrite promoted = rewriteStage(entry, target, now, why == null ? "" : why, "promote");

            List<AuditRecord> records = new ArrayList<>();
            records.add(promoted.audit());
            archived.forEach(rewrite -> records.add(rewrite.audit()));
            audited.apply("Did not promote " + name + " " + version, records, () -> {
                try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
                    // The superseded version goes first: a crash in between leaves no production version, never two.
                    archived.forEach(rewrite -> rewrite.addTo(batch));
                    promoted.addTo(batch);
                    batch.commit();
                }
            });
            return new Promotion(promoted.version(), from, archived.stream().map(Rewrite::version).toList());
        });
    }

    /** Changes a version's description, tags or metrics, keeping every other field of its document. */
    public ModelVersion updateModel(String name, String version, ModelUpdate update) {
        checkIdentity(name, version);
        Objects.requireNonNull(update, "update");
        return locked(() -> {
            MetadataFiles.Entry entry = writable(require(name, version));
            ModelVersion current = entry.version();
            List<String> tags = new ArrayList<>(current.tags());
            tags.removeIf(tag -> update.removeTags().stream().anyMatch(tag::equalsIgnoreCase));
            update.addTags().stream().filter(tag -> tags.stream().noneMatch(tag::equalsIgnoreCase)).forEach(tags::add);
            Map<String, Double> metrics = new LinkedHashMap<>(current.metrics());
            metrics.putAll(update.metrics());

            ObjectNode changes = Json.mapper().createObjectNode();
            List<String> fields = new ArrayList<>();
            update.description().filter(d -> !d.equals(current.description())).ifPresent(description -> {
                changes.put("description", description);
                fields.add("description");
            });
            if (!tags.equals(current.tags())) {
                ArrayNode tagArray = changes.putArray("tags");
                tags.forEach(tagArray::add);
                fields.add("tags");
            }
            if (!metrics.equals(current.metrics())) {
                ObjectNode metricObject = changes.putObject("metrics");
                metrics.forEach(metricObject::put);
                fields.add("metrics");
            }
            if (fields.isEmpty()) {
                return current; // nothing differs: no write, no event
            }
            changes.put("updated_at", UtcTime.format(UtcTime.now(clock)));
            ObjectNode document = Json.preserveUnknown(entry.document(), changes);
            ModelVersion updated = MetadataCodec.fromJson(document, entry.file());
            audited.apply("Did not update " + name + " " + version,
                    List.of(AuditRecords.modelUpdated(user, current.id(), fields)),
                    () -> Json.writeAtomically(entry.file(), document));
            return updated;
        });
    }

    /**
     * Deletes a version, all or nothing as a reader sees it: its folder is first moved aside under
     * a name no version can have (one rename: when it fails, nothing changed), then its metadata
     * document is removed (the version is no longer registered; when that fails, the folder is put
     * back), and only then is the moved folder emptied. Files that cannot be removed then are no
     * longer part of any version; the next registration of that model clears them. Refused for the
     * production version and for an actively deployed one unless {@code force}. Returns the deleted
     * version's metadata.
     */
    public ModelVersion deleteVersion(String name, String version, boolean force) {
        return deleteVersion(name, version, force, null);
    }

    /** {@link #deleteVersion(String, String, boolean)}, recording why in the audit event. */
    public ModelVersion deleteVersion(String name, String version, boolean force, String reason) {
        checkIdentity(name, version);
        String why = Checks.optionalLine("reason", reason, Checks.MAX_SHORT * 4);
        return locked(() -> {
            MetadataFiles.Entry entry = writable(require(name, version));
            ModelVersion doomed = entry.version();
            if (!force && doomed.stage() == ModelStage.PRODUCTION) {
                throw new ConflictException(name + " " + version + " is in production; promote another version "
                        + "to production first, or force the deletion");
            }
            if (!force && activeDeployments.isActive(name, version)) {
                throw new ConflictException(name + " " + version + " is actively deployed; deactivate its "
                        + "deployment first, or force the deletion");
            }
            Path versionDir = StorePaths.forWrite(root, MODELS_FOLDER, name, version);
            AuditRecord record = AuditRecords.modelDeleted(user, doomed.id(), doomed.stage().value(), force,
                    doomed.modelSha256()).withReason(why == null || why.isBlank() ? null : why);
            Path movedAside = audited.apply("Did not delete " + name + " " + version, List.of(record),
                    () -> unregister(entry.file(), versionDir));
            if (movedAside != null) {
                try {
                    deleteTree(movedAside);
                } catch (IOException e) {
                    // Deleted as far as any reader can tell; what is left is outside every version.
                }
            }
            removeEmptyFolders(List.of(versionDir.getParent()));
            return doomed;
        });
    }

    /** Moves the version folder aside, then removes the metadata document; returns where the folder went. */
    private static Path unregister(Path metadataFile, Path versionDir) {
        Path aside = null;
        if (Files.exists(versionDir, LinkOption.NOFOLLOW_LINKS)) {
            aside = versionDir.resolveSibling(DELETING_PREFIX + versionDir.getFileName() + "-" + UUID.randomUUID());
            try {
                Files.move(versionDir, aside, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw StoreIOException.of("move aside", versionDir, e);
            }
        }
        try {
            Files.delete(metadataFile);
        } catch (IOException e) {
            if (aside != null) {
                try {
                    Files.move(aside, versionDir, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException putBack) {
                    e.addSuppressed(putBack);
                }
            }
            throw StoreIOException.of("delete", metadataFile, e);
        }
        return aside;
    }

    // Internals

    /** Runs a read-modify-write under the store's lock. */
    private <T> T locked(java.util.function.Supplier<T> action) {
        StoreLock.Held held = lock.acquire();
        try {
            return action.get();
        } finally {
            held.close();
        }
    }

    /** A document rewritten with a new stage, with the audit record of that transition. */
    private record Rewrite(Path file, ObjectNode document, ModelVersion version, AuditRecord audit) {
        void addTo(AtomicFiles.Batch batch) {
            batch.add(file, Json.bytes(file, document));
        }
    }

    private Rewrite rewriteStage(MetadataFiles.Entry entry, ModelStage target, Instant now, String reason,
                                 String action) {
        writable(entry);
        ModelStage from = entry.version().stage();
        StageTransition transition = new StageTransition(from, target, now, user, reason);
        ObjectNode changes = Json.mapper().createObjectNode();
        changes.put("stage", target.value());
        changes.put("updated_at", UtcTime.format(now));
        JsonNode existing = entry.document().get("stage_history");
        ArrayNode history = existing instanceof ArrayNode array ? array.deepCopy() : Json.mapper().createArrayNode();
        history.add(MetadataCodec.transition(transition));
        changes.set("stage_history", history);
        // Only the changed fields are set over the document, so fields of other tools survive.
        ObjectNode document = Json.preserveUnknown(entry.document(), changes);
        ModelVersion changed = MetadataCodec.fromJson(document, entry.file());
        AuditRecord record = AuditRecords.stageChanged(user, changed.id(), action, from.value(), target.value(), reason);
        return new Rewrite(entry.file(), document, changed, record);
    }

    private List<Rewrite> archive(List<MetadataFiles.Entry> entries, String successor, Instant now) {
        List<Rewrite> rewrites = new ArrayList<>();
        for (MetadataFiles.Entry entry : entries) {
            rewrites.add(rewriteStage(entry, ModelStage.ARCHIVED, now,
                    "superseded by " + successor + " in production", "archive"));
        }
        return rewrites;
    }

    private static List<MetadataFiles.Entry> inProduction(List<MetadataFiles.Entry> entries, String except) {
        return entries.stream()
                .filter(e -> e.version().stage() == ModelStage.PRODUCTION && !e.version().version().equals(except))
                .toList();
    }

    private AuditRecord registeredRecord(ModelVersion registered) {
        return AuditRecords.modelRegistered(user, registered.id(), registered.framework(), registered.stage().value(),
                registered.modelFile(), registered.modelSizeBytes(), registered.modelSha256());
    }

    /** Refuses to rewrite a document reached through a symbolic link that leads outside the store. */
    private MetadataFiles.Entry writable(MetadataFiles.Entry entry) {
        StorePaths.requireInside(root, entry.file());
        return entry;
    }

    private MetadataFiles.Entry require(String name, String version) {
        checkIdentity(name, version);
        return metadata.find(name, version).orElseThrow(() -> notFound(name, version));
    }

    /** Not registered, unless its document is there but cannot be read: then say so, rather than "not registered". */
    private MlopsException notFoundOrUnreadable(MetadataFiles.Loaded loaded, String name, String version) {
        Path canonical = metadata.canonicalFile(name, version);
        return loaded.problems().stream().filter(problem -> problem.path().equals(canonical)).findFirst()
                .<MlopsException>map(problem -> new ConflictException("Cannot change " + name + " " + version + ": "
                        + problem.message() + "; repair or restore the document first"))
                .orElseGet(() -> notFound(name, version));
    }

    private static NotFoundException notFound(String name, String version) {
        return new NotFoundException("Version " + version + " of " + name + " is not registered; check the name "
                + "and version against the list of models");
    }

    private static void checkIdentity(String name, String version) {
        Names.require("model name", name);
        Names.require("version", version);
    }

    private static List<ModelVersion> versionsOf(List<MetadataFiles.Entry> entries) {
        return entries.stream().map(MetadataFiles.Entry::version).toList();
    }

    /** Refuses a version that is registered, or whose metadata file another version already holds. */
    private void refuseExisting(String name, String version) {
        MetadataFiles.Entry existing;
        try {
            existing = metadata.readCanonical(name, version).orElse(null);
        } catch (MlopsException e) {
            throw new ConflictException("Cannot register " + name + " " + version + ": its metadata file "
                    + metadata.canonicalFile(name, version) + " exists but cannot be read (" + e.getMessage()
                    + "); repair or remove it first");
        }
        if (existing == null) {
            return;
        }
        if (MetadataFiles.matches(existing, name, version)) {
            throw new ConflictException("Version " + version + " of " + name + " already exists; choose a new version");
        }
        throw new ConflictException("Cannot register " + name + " " + version + ": its metadata file name "
                + MetadataFiles.fileName(name, version) + " is already used by " + existing.version().name() + " "
                + existing.version().version() + "; choose another version");
    }

    /** The file name the artifact will have in the store; checks the source is a readable file. */
    private static String checkSource(Path source) {
        if (Files.isDirectory(source)) {
            throw new InvalidInputException("The model file " + source + " is a folder; give the model file itself "
                    + "(archive a folder first)");
        }
        if (!Files.isRegularFile(source)) {
            throw new InvalidInputException("The model file " + source + " does not exist; check the path");
        }
        if (!Files.isReadable(source)) {
            throw new InvalidInputException("The model file " + source + " cannot be read; check its permissions");
        }
        Path fileName = source.getFileName();
        String modelFile = fileName == null ? "" : fileName.toString();
        Names.require("model file name", modelFile);
        if (modelFile.toLowerCase(Locale.ROOT).equals(CONFIG_FILE)) {
            throw new InvalidInputException("The model file cannot be called " + CONFIG_FILE
                    + ": that name holds the version's configuration; rename the model file");
        }
        return modelFile;
    }

    /** Creates {@code folder} and its missing parents; returns those it created, deepest first. */
    private static List<Path> createFolders(Path folder) {
        List<Path> missing = new ArrayList<>();
        for (Path p = folder.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(p);
        }
        AtomicFiles.createFoldersDurably(folder);
        return missing;
    }

    /** Removes each folder (deepest first) that is empty, stopping at the first that is not. */
    private static void removeEmptyFolders(List<Path> folders) {
        for (Path folder : folders) {
            try {
                Files.deleteIfExists(folder);
            } catch (IOException e) {
                return; // not empty, or not ours to remove
            }
        }
    }

    /**
     * Empties a version folder that has no metadata document (an interrupted registration or
     * deletion), keeping only our own temporary file. Any other registration of this version still
     * copying would be refused as a duplicate anyway.
     */
    private static void clearLeftovers(Path versionDir, Path keep) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(versionDir)) {
            for (Path entry : entries) {
                if (!entry.getFileName().equals(keep.getFileName())) {
                    deleteTree(entry);
                }
            }
        } catch (IOException e) {
            throw StoreIOException.of("clean", versionDir, e);
        }
    }

    /** Empties, best effort, the folders of deleted versions that could not be emptied when they were deleted. */
    private static void clearDeleted(Path modelDir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(modelDir, DELETING_PREFIX + "*")) {
            for (Path entry : entries) {
                deleteTree(entry);
            }
        } catch (IOException e) {
            // Still outside every version; the next registration tries again.
        }
    }

    /**
     * Removes the stale temporary files ({@link AtomicFiles#STALE_AFTER}) of the model's other
     * version folders that have no metadata document: a registration killed during its copy and
     * never retried leaves its partial copy there (tens of MB), and nothing else ever writes to that
     * folder again. A folder left empty goes too. A copy still running is younger than the cutoff.
     */
    private void clearAbandoned(String name, String registering, Path modelDir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(modelDir,
                entry -> Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS))) {
            for (Path folder : entries) {
                String version = folder.getFileName().toString();
                if (version.equals(registering) || !Names.isValid(version) || hasMetadata(name, version)) {
                    continue;
                }
                AtomicFiles.removeStaleTemporaries(folder, AtomicFiles.STALE_AFTER);
                removeEmptyFolders(List.of(folder));
            }
        } catch (IOException e) {
            // Best effort: the next registration of this model tries again.
        }
    }

    /** True when the version has a metadata document, or one that cannot be read (never sweep beside it). */
    private boolean hasMetadata(String name, String version) {
        try {
            return metadata.readCanonical(name, version).isPresent();
        } catch (MlopsException unreadable) {
            return true;
        }
    }

    /** Deletes a file or folder tree without following symbolic links (a link is removed, not its target). */
    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
