package neural.mlops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
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
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditSink;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
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
 * {@link PromotionGuard} may refuse a stage change, the audit event is recorded (fail-closed: when
 * it cannot be, nothing is changed), and only then are files written, each atomically, the
 * metadata document last. Reads take no lock.
 */
public final class ModelRegistry {

    static final String LOCK_FILE = ".lock";
    static final String MODELS_FOLDER = "models";
    static final String CONFIG_FILE = "config.yaml";
    static final String RESOURCE_TYPE = "model";
    /** Longest metadata file name most file systems accept, with room to spare. */
    static final int MAX_METADATA_FILE_NAME = 250;

    private final Path root;
    private final AuditSink audit;
    private final String user;
    private final Clock clock;
    private final StoreLock lock;
    private final MetadataFiles metadata;
    private volatile ActiveDeployments activeDeployments = ActiveDeployments.NONE;
    private volatile PromotionGuard promotionGuard = PromotionGuard.ALLOW_ALL;
    private volatile List<RegistryProblem> lastProblems;

    /** Opens the registry at {@code root} as the original does: no audit trail, the OS user, the system clock. */
    public ModelRegistry(Path root) {
        this(root, AuditSink.NONE, UserConfig.osUser(), Clock.systemUTC());
    }

    /** Opens the registry at {@code root}, recording every change in {@code audit} as {@code user}. */
    public ModelRegistry(Path root, AuditSink audit, String user, Clock clock) {
        this.root = Objects.requireNonNull(root, "root");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.user = Users.require(user);
        this.clock = Objects.requireNonNull(clock, "clock");
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

    /** Sets the hook that tells whether a version is actively deployed (default: none is). */
    public void setActiveDeployments(ActiveDeployments hook) {
        this.activeDeployments = Objects.requireNonNull(hook, "hook");
    }

    /** Sets the check run before every stage change (default: allow all). */
    public void setPromotionGuard(PromotionGuard guard) {
        this.promotionGuard = Objects.requireNonNull(guard, "guard");
    }

    /** The check run before every stage change (the governance policy's, in a workspace). */
    public PromotionGuard promotionGuard() {
        return promotionGuard;
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
        recordFailClosed(records, "Did not register " + name + " " + version);
        ObjectNode document = registered.toJson();

        try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
            clearLeftovers(artifact.target().getParent(), artifact.temp());
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
            // Every event recorded for it (the archiving too) is followed by its failure.
            records.forEach(record -> recordFailure(record, e));
            throw e;
        }
        // As a reader will see it (numbers in the config read back as JSON numbers).
        return MetadataCodec.fromJson(document, metadataFile);
    }

    private static String configYaml(Map<String, Object> config) {
        return config.isEmpty() ? "{}\n" : SafeYaml.dump(config);
    }

    /**
     * Moves a version to {@code target} and records the transition in its {@code stage_history}.
     * Promoting to production archives the model's current production version in the same locked
     * operation; an archived version is restored by promoting it to any other stage.
     */
    public Promotion promoteModel(String name, String version, ModelStage target, String reason) {
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
                throw new ConflictException(name + " " + version + " is already in " + target
                        + "; nothing to change");
            }
            promotionGuard.check(new PromotionContext(entry.version(), from, target, user, why, versionsOf(entries)));
            Instant now = UtcTime.now(clock);
            List<Rewrite> archived = target == ModelStage.PRODUCTION
                    ? archive(inProduction(entries, version), version, now) : List.of();
            Rewrite promoted = rewriteStage(entry, target, now, why == null ? "" : why, "promote");

            List<AuditRecord> records = new ArrayList<>();
            records.add(promoted.audit());
            archived.forEach(rewrite -> records.add(rewrite.audit()));
            recordFailClosed(records, "Did not promote " + name + " " + version);
            try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
                // The superseded version goes first: a crash in between leaves no production version, never two.
                archived.forEach(rewrite -> rewrite.addTo(batch));
                promoted.addTo(batch);
                batch.commit();
            } catch (MlopsException e) {
                records.forEach(record -> recordFailure(record, e));
                throw e;
            }
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
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("fields", fields);
            AuditRecord record = AuditRecord.of(EventType.MODEL_UPDATED, user, RESOURCE_TYPE, current.id(),
                    "update", details);
            recordFailClosed(List.of(record), "Did not update " + name + " " + version);
            writeDocument(entry.file(), document, record);
            return updated;
        });
    }

    /**
     * Deletes a version: its metadata document first (so it is no longer registered), then its
     * folder. Refused for the production version and for an actively deployed one unless
     * {@code force}. Returns the deleted version's metadata.
     */
    public ModelVersion deleteVersion(String name, String version, boolean force) {
        checkIdentity(name, version);
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
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("stage", doomed.stage().value());
            details.put("forced", force);
            details.put("model_sha256", doomed.modelSha256());
            AuditRecord record = new AuditRecord(EventType.MODEL_DELETED,
                    force ? EventSeverity.WARNING : EventSeverity.INFO, user, RESOURCE_TYPE, doomed.id(), "delete",
                    Outcome.SUCCESS, null, details, null);
            recordFailClosed(List.of(record), "Did not delete " + name + " " + version);
            try {
                Files.delete(entry.file());
                deleteTree(versionDir);
                removeEmptyFolders(List.of(versionDir.getParent()));
            } catch (IOException e) {
                StoreIOException failure = StoreIOException.of("delete", entry.file(), e);
                recordFailure(record, failure);
                throw failure;
            }
            return doomed;
        });
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
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("from_stage", from.value());
        details.put("to_stage", target.value());
        details.put("reason", reason);
        AuditRecord record = AuditRecord.of(EventType.MODEL_PROMOTED, user, RESOURCE_TYPE, changed.id(), action, details)
                .withReason(reason.isEmpty() ? null : reason);
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
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("framework", registered.framework());
        details.put("stage", registered.stage().value());
        details.put("model_file", registered.modelFile());
        details.put("model_size_bytes", registered.modelSizeBytes());
        details.put("model_sha256", registered.modelSha256());
        return AuditRecord.of(EventType.MODEL_REGISTERED, user, RESOURCE_TYPE, registered.id(), "register", details);
    }

    /**
     * Records every event before anything is committed. When one cannot be recorded the change is
     * abandoned; events already recorded for it are followed, best effort, by failure events.
     */
    private void recordFailClosed(List<AuditRecord> records, String notDone) {
        if (records.size() > 1 && audit instanceof AuditLogger logger) {
            // The trail can take them as one commit, all or none: no failure events to make up for, one disk wait.
            try {
                logger.logEvents(records);
                return;
            } catch (RuntimeException e) {
                throw new MlopsException(notDone + ": the audit trail could not record it ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        + "); nothing was changed", e);
            }
        }
        List<AuditRecord> recorded = new ArrayList<>();
        for (AuditRecord record : records) {
            try {
                audit.record(record);
                recorded.add(record);
            } catch (RuntimeException e) {
                MlopsException failure = new MlopsException(notDone + ": the audit trail could not record it ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        + "); nothing was changed", e);
                recorded.forEach(done -> recordFailure(done, failure));
                throw failure;
            }
        }
    }

    /** Best effort: the action was recorded as done but its commit failed. */
    private void recordFailure(AuditRecord record, MlopsException failure) {
        try {
            audit.record(record.withOutcome(Outcome.FAILURE, EventSeverity.ERROR).withReason(failure.getMessage()));
        } catch (RuntimeException ignored) {
            // The caller already reports the failure itself.
        }
    }

    private void writeDocument(Path file, ObjectNode document, AuditRecord record) {
        try {
            Json.writeAtomically(file, document);
        } catch (MlopsException e) {
            recordFailure(record, e);
            throw e;
        }
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

    /** Deletes a file or folder tree without following symbolic links (a link is removed, not its target). */
    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
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
