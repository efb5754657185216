package neural.mlops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import neural.mlops.artifact.Inspection;
import neural.mlops.artifact.Inspector;
import neural.mlops.artifact.Verdict;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.AuditSink;
import neural.mlops.audit.AuditedChange;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.Names;
import neural.mlops.store.NotFoundException;
import neural.mlops.store.SafeYaml;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.UserConfig;
import neural.mlops.store.Users;
import neural.mlops.store.UtcTime;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.ConditionFailedException;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.store.storage.Optimistic;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.StoredObject;
import neural.mlops.store.storage.Version;

/**
 * The model registry (SPEC 3.1) on the original layout (SPEC 2):
 * {@code models/<name>/<version>/<model file>} plus {@code config.yaml}, and
 * {@code metadata/<name>_<version>.json}, under the registry root (a workspace's {@code models/}),
 * on any {@link Storage}: a folder or an S3 prefix, the same code for both.
 *
 * <p>Every change is a read-modify-write run by {@link Optimistic#retry} as the store's critical
 * section ({@link Storage#exclusively}, the {@code .lock} of the root on a folder): the documents
 * are read again, the change is checked, a {@link PromotionGuard} may refuse a stage change, the
 * audit events are recorded through {@link AuditedChange} (fail-closed: when they cannot be,
 * nothing is changed), and only then is anything written, each write conditional on what was
 * read (a replace on the version read, a new version's metadata document create-only). The
 * metadata document is the truth: a version is registered when its document exists, so it is
 * written last on registration and removed first on deletion. Reads take no lock.
 */
public final class ModelRegistry {

    /**
     * How long a listing keeps reading a document that changed, rather than trusting the parse its
     * listing cache holds: two writes within one tick of a file system's clock can leave the same
     * size and time, so a parse is trusted once it was read again this long after the document's
     * version was first seen. After a cache is rebuilt, listings within this time read every document.
     */
    public static final Duration LISTING_SETTLES_AFTER = Duration.ofMillis(MetadataCache.RACY_MILLIS);

    static final Key LOCK = Key.of(".lock");
    static final String MODELS_FOLDER = "models";
    static final String CONFIG_FILE = "config.yaml";
    /** Where earlier releases moved a deleted version's folder to empty it; what is left there is garbage. */
    static final String DELETING_PREFIX = ".deleting-";
    /** Longest metadata file name most file systems accept, with room to spare. */
    static final int MAX_METADATA_FILE_NAME = 250;
    /**
     * An upload without a lease (an earlier release kept none) unfinished for this long belongs to
     * a writer that died; one with a lease is aborted as soon as its lease says its writer is gone.
     */
    static final Duration ABANDONED_AFTER = Duration.ofHours(1);

    private final Storage storage;
    private final AuditedChange audited;
    private final String user;
    private final Clock clock;
    private final MetadataFiles metadata;
    private final ModelDocuments modelDocuments;
    private final PromotionGuard promotionGuard;
    private final ActiveDeployments activeDeployments;
    /** Stateless and bounded: reading model files needs no collaborator of its own. */
    private final Inspector inspector = new Inspector();
    private volatile List<RegistryProblem> lastProblems;

    /** Opens the registry in the folder {@code root} as the original does: no audit trail, the OS user, the system clock. */
    public ModelRegistry(Path root) {
        this(new LocalStorage(root));
    }

    /** Opens the registry in the folder {@code root}, recording every change in {@code audit} as {@code user}; no policy, no deployments. */
    public ModelRegistry(Path root, AuditSink audit, String user, Clock clock) {
        this(new LocalStorage(root), audit, user, clock, PromotionGuard.ALLOW_ALL, ActiveDeployments.NONE);
    }

    /** {@link #ModelRegistry(Storage, AuditSink, String, Clock, PromotionGuard, ActiveDeployments)} on the folder {@code root}. */
    public ModelRegistry(Path root, AuditSink audit, String user, Clock clock, PromotionGuard guard,
                         ActiveDeployments activeDeployments) {
        this(new LocalStorage(root), audit, user, clock, guard, activeDeployments);
    }

    /**
     * Opens the registry rooted at {@code root} for reading, as the original API does: any change
     * made through it is unaudited, by the OS user, on the system clock.
     */
    public ModelRegistry(Storage root) {
        this(root, ZoneId::systemDefault);
    }

    /** {@link #ModelRegistry(Storage)}, reading the original module's naive times in {@code legacyZone}. */
    public ModelRegistry(Storage root, Supplier<ZoneId> legacyZone) {
        this(root, AuditSink.NONE, UserConfig.osUser(), Clock.systemUTC(), PromotionGuard.ALLOW_ALL,
                ActiveDeployments.NONE, legacyZone);
    }

    /**
     * Opens the registry rooted at {@code root} (a workspace passes {@code storage.under("models")})
     * as a workspace does: every change recorded in {@code audit} as {@code user}, every stage change
     * checked by {@code guard} (the governance policy), and deletion of an actively deployed version
     * refused by asking {@code activeDeployments}.
     */
    public ModelRegistry(Storage root, AuditSink audit, String user, Clock clock, PromotionGuard guard,
                         ActiveDeployments activeDeployments) {
        this(root, audit, user, clock, guard, activeDeployments, ZoneId::systemDefault);
    }

    /**
     * {@link #ModelRegistry(Storage, AuditSink, String, Clock, PromotionGuard, ActiveDeployments)}
     * reading the original module's naive times (SPEC 10) in {@code legacyZone}, which is asked
     * only when a document holds one (a workspace passes its {@code legacy_timezone}).
     */
    public ModelRegistry(Storage root, AuditSink audit, String user, Clock clock, PromotionGuard guard,
                         ActiveDeployments activeDeployments, Supplier<ZoneId> legacyZone) {
        this.storage = Objects.requireNonNull(root, "root");
        this.audited = new AuditedChange(Objects.requireNonNull(audit, "audit"));
        this.user = Users.require(user);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.promotionGuard = Objects.requireNonNull(guard, "guard");
        this.activeDeployments = Objects.requireNonNull(activeDeployments, "activeDeployments");
        this.metadata = new MetadataFiles(root, clock, Objects.requireNonNull(legacyZone, "legacyZone"));
        this.modelDocuments = new ModelDocuments(root);
    }

    /** The folder of a registry on a folder; empty for one in a bucket (see {@link #location()}). */
    public Optional<Path> root() {
        return storage.localFile(LOCK).map(Path::getParent);
    }

    /** Where the registry is, for messages: a folder or {@code s3://bucket/prefix/models}. */
    public String location() {
        return storage.location();
    }

    /** The storage the registry is rooted at, for the stores kept beside its documents ({@link Aliases}). */
    Storage storage() {
        return storage;
    }

    /** The registry's reader of version documents (with its legacy zone), shared by {@link Aliases}. */
    MetadataFiles metadataFiles() {
        return metadata;
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
        return new RegistrySnapshot(settledView(loaded.entries().stream().map(MetadataFiles.Entry::version).toList()),
                loaded.problems());
    }

    /**
     * Hands the versions matching {@code query} to {@code each} in the order of {@link #search}, as
     * they are read: with the listing cache current, one model's versions are held at a time, so
     * that listing a registry of any size takes memory for its largest model, not for all of it
     * (otherwise every version is read first, as {@link #snapshot} reads them). Returns the problems
     * met, also kept for {@link #problems()}.
     */
    public List<RegistryProblem> forEachVersion(ModelQuery query, Consumer<? super ModelVersion> each) {
        List<RegistryProblem> problems = metadata.streamAll(model -> {
            for (ModelVersion version : settledView(model)) {
                if (query.matches(version)) {
                    each.accept(version);
                }
            }
        });
        lastProblems = List.copyOf(problems);
        return lastProblems;
    }

    /** One summary per model, by name. */
    public List<ModelSummary> listModels() {
        return snapshot().listModels();
    }

    /** The versions of {@code name} in version order (empty when the model has none). */
    public List<ModelVersion> listVersions(String name) {
        Names.require("model name", name);
        return VersionOrder.sorted(settledView(versionsOf(metadata.loadModel(name).entries())));
    }

    /** The metadata of one version; throws {@link NotFoundException} when it is not registered. */
    public ModelVersion getModel(String name, String version) {
        ModelVersion found = require(name, version).version();
        if (found.stage() != ModelStage.PRODUCTION) {
            return found;
        }
        return settledView(versionsOf(metadata.loadModel(name).entries())).stream()
                .filter(v -> v.version().equals(found.version())).findFirst().orElse(found);
    }

    /**
     * The versions as readers must see them while a move to production is half done: a writer
     * killed between writing the new production version and archiving the one it superseded (or two
     * writers whose leases overlapped) leaves two documents in production until the next write
     * settles them ({@link #settleProduction}). Readers show the one that settling keeps in
     * production and the others as archived, as they will be stored; nothing is written. Versions
     * with no stage history were written by the original Python module, which allows several in
     * production at once (SPEC 10): they are shown as written, not settled.
     */
    static List<ModelVersion> settledView(List<ModelVersion> versions) {
        Map<String, ModelVersion> kept = new HashMap<>();
        boolean doubled = false;
        for (ModelVersion version : versions) {
            if (version.stage() != ModelStage.PRODUCTION || version.stageHistory().isEmpty()) {
                continue;
            }
            ModelVersion other = kept.get(version.name());
            if (other == null) {
                kept.put(version.name(), version);
                continue;
            }
            doubled = true;
            if (SETTLING.compare(version, other) > 0) {
                kept.put(version.name(), version);
            }
        }
        if (!doubled) {
            return versions;
        }
        List<ModelVersion> settled = new ArrayList<>(versions.size());
        for (ModelVersion version : versions) {
            settled.add(version.stage() == ModelStage.PRODUCTION && !version.stageHistory().isEmpty()
                    && kept.get(version.name()) != version ? asArchived(version) : version);
        }
        return settled;
    }

    /** Which of two production versions settling keeps: the one promoted last, ties to the greater version. */
    private static final Comparator<ModelVersion> SETTLING = Comparator
            .comparing(ModelRegistry::productionSince).thenComparing(ModelVersion::version);

    private static ModelVersion asArchived(ModelVersion v) {
        return new ModelVersion(v.name(), v.version(), ModelStage.ARCHIVED, v.framework(), v.createdBy(), v.createdAt(),
                v.updatedAt(), v.description(), v.metrics(), v.tags(), v.modelFile(), v.modelPath(),
                v.modelSizeBytes(), v.modelSha256(), v.config(), v.stageHistory(), v.lineage());
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

    /** The model file of {@code version} as a file, on a folder only: for showing it in the file manager. */
    public Optional<Path> artifactPath(ModelVersion version) {
        return storage.localFile(artifactKey(version));
    }

    /** The config.yaml of {@code version} as a file, on a folder only: for showing it in the file manager. */
    public Optional<Path> configPath(ModelVersion version) {
        return storage.localFile(configKey(version));
    }

    /**
     * Opens the model file of {@code version} for reading; the caller closes the stream. Every
     * reader of a model file goes through here, on a folder or in a bucket alike.
     *
     * @throws NotFoundException when the file is missing
     */
    public InputStream openArtifact(ModelVersion version) {
        Key key = artifactKey(version);
        return storage.openStream(key).orElseThrow(() -> new NotFoundException("The model file of " + version.name()
                + " " + version.version() + " (" + metadata.where(key) + ") is missing; restore it or delete the version"));
    }

    /**
     * Inspects the model file of {@code version} as it is stored now (docs/artifacts.md): read in
     * place on a folder, copied to a temporary file from a bucket. Never executes any of it; a
     * file that breaks the readers' bounds gives the verdict {@code unreadable}.
     *
     * @throws NotFoundException when the file is missing
     */
    public Inspection inspectArtifact(ModelVersion version) {
        return inspectStored(artifactKey(version), version.modelFile().isEmpty() ? "model" : version.modelFile());
    }

    private Inspection inspectStored(Key key, String fileName) {
        Path shown = metadata.where(key);
        Optional<Path> local = storage.localFile(key);
        if (local.isPresent() && Files.isRegularFile(local.get())) {
            return inspector.inspect(local.get()); // in place: no copy of a large file
        }
        try (InputStream in = storage.openStream(key).orElseThrow(() -> new NotFoundException("The model file "
                + shown + " is missing; restore it or delete the version"))) {
            return inspector.inspect(in, fileName);
        } catch (IOException e) {
            throw new StoreIOException("Could not read " + shown + ": " + e.getMessage(), e);
        }
    }

    /**
     * The {@code artifact} block stored in the metadata of {@code name} {@code version}: the scan of
     * its model file at registration or at the last {@link #scanArtifacts()}; empty when none is
     * recorded (a version registered before scanning, or by another tool).
     */
    public Optional<ArtifactRecord> storedArtifact(String name, String version) {
        return ArtifactRecord.fromDocument(require(name, version).document());
    }

    /**
     * Scans the model file of every version again and stores the new {@code artifact} block where
     * it differs from the stored one (another scanner version or verdict, or none stored): each
     * write under the lock, conditional on the document read, audited as one {@code model_updated}
     * event. A version whose file is missing or whose document changed meanwhile is reported, and
     * the scan goes on. Returns one row per version, in name and version order.
     */
    public List<ArtifactScan> scanArtifacts() {
        List<ArtifactScan> rows = new ArrayList<>();
        List<ModelVersion> versions = new ArrayList<>(versionsOf(metadata.listAll().entries()));
        versions.sort(Comparator.comparing(ModelVersion::name).thenComparing(VersionOrder.comparator()));
        for (ModelVersion version : versions) {
            rows.add(scanOne(version));
        }
        return rows;
    }

    /**
     * Scans the model file of {@code name} {@code version} again and stores the new {@code artifact}
     * block when it differs, as {@link #scanArtifacts()} does for every version.
     */
    public ArtifactScan scanArtifact(String name, String version) {
        return scanOne(getModel(name, version));
    }

    private ArtifactScan scanOne(ModelVersion listed) {
        String name = listed.name();
        String version = listed.version();
        Optional<ArtifactRecord> before;
        ArtifactRecord now;
        try {
            before = storedArtifact(name, version);
            now = ArtifactRecord.of(inspectArtifact(listed));
        } catch (MlopsException e) {
            return new ArtifactScan(name, version, Optional.empty(), Optional.empty(), ArtifactScan.Outcome.FAILED,
                    e.getMessage());
        }
        if (before.isPresent() && before.get().equals(now)) {
            return new ArtifactScan(name, version, before, Optional.of(now), ArtifactScan.Outcome.UNCHANGED, null);
        }
        try {
            Optional<ArtifactRecord> replaced = Optimistic.retry("store the scan of " + name + " " + version, () ->
                    storage.exclusively(LOCK, () -> {
                        MetadataFiles.Entry entry = requireWritable(name, version);
                        Optional<ArtifactRecord> stored = ArtifactRecord.fromDocument(entry.document());
                        if (!Objects.equals(entry.version().modelSha256(), listed.modelSha256())
                                || !entry.version().modelPath().equals(listed.modelPath())) {
                            throw new ConflictException("the model file of " + name + " " + version
                                    + " changed while it was scanned; scan again");
                        }
                        if (stored.isPresent() && stored.get().equals(now)) {
                            return stored; // another scan stored the same meanwhile: nothing to write
                        }
                        ObjectNode changes = Json.mapper().createObjectNode();
                        changes.set(ArtifactRecord.FIELD, now.toJson());
                        changes.put("updated_at", UtcTime.format(UtcTime.now(clock)));
                        ObjectNode document = Json.preserveUnknown(entry.document(), changes);
                        audited.apply("Did not store the scan of " + name + " " + version,
                                List.of(AuditRecords.modelUpdated(user, entry.version().id(),
                                        List.of(ArtifactRecord.FIELD))),
                                () -> storage.replace(entry.key(), Json.bytes(entry.file(), document), entry.stored()));
                        return Optional.<ArtifactRecord>empty();
                    }));
            return replaced.isPresent()
                    ? new ArtifactScan(name, version, before, Optional.of(now), ArtifactScan.Outcome.UNCHANGED, null)
                    : new ArtifactScan(name, version, before, Optional.of(now), ArtifactScan.Outcome.UPDATED, null);
        } catch (MlopsException e) {
            return new ArtifactScan(name, version, before, Optional.of(now), ArtifactScan.Outcome.FAILED,
                    e.getMessage());
        }
    }

    /**
     * The configuration of {@code version}: its config.yaml (read with the safe loader) when there
     * is one, else the {@code config} of its metadata document. A config.yaml that cannot be read is
     * reported in {@link VersionConfig#problem()}, with the metadata's values.
     */
    public VersionConfig configuration(ModelVersion version) {
        Key key = configKey(version);
        try {
            Optional<Document> document = storage.read(key, SafeYaml.MAX_BYTES);
            if (document.isEmpty()) {
                return new VersionConfig(version.config(), Optional.empty(), Optional.empty());
            }
            Map<String, Object> values = SafeYaml.loadMap(document.get().content(), metadata.where(key).toString());
            return new VersionConfig(values, storage.localFile(key), Optional.empty());
        } catch (MlopsException e) {
            return new VersionConfig(version.config(), Optional.empty(), Optional.of(e.getMessage()));
        }
    }

    /** Compares two versions of one model: version2 minus version1 for every metric of either, and their config.yaml. */
    public ModelComparison compareModels(String name, String version1, String version2) {
        ModelVersion first = getModel(name, version1);
        ModelVersion second = getModel(name, version2);
        return ModelComparison.of(first, second, configuration(first).values(), configuration(second).values());
    }

    /** Compares two or more versions of one model side by side, each against the first. */
    public VersionsComparison compareVersions(String name, List<String> versions) {
        if (versions.size() < 2) {
            throw new InvalidInputException("Choose at least two versions of " + name + " to compare");
        }
        return compare(versions.stream().map(v -> new VersionId(name, v)).toList(), 0);
    }

    /** Recomputes the model file's SHA-256, streaming it, and compares it with the one recorded at registration. */
    public ArtifactCheck verifyArtifact(String name, String version) {
        ModelVersion model = getModel(name, version);
        Path shown = metadata.where(artifactKey(model));
        ArtifactCopy.Hashed actual;
        try (InputStream in = openArtifact(model)) {
            actual = ArtifactCopy.hash(in);
        } catch (NotFoundException missing) {
            return new ArtifactCheck(name, version, shown, ArtifactCheck.Status.MISSING, model.modelSha256(), null,
                    model.modelSizeBytes(), -1);
        } catch (IOException e) {
            throw new StoreIOException("Could not read " + shown + ": " + e.getMessage(), e);
        }
        ArtifactCheck.Status status;
        if (model.modelSha256() == null) {
            status = ArtifactCheck.Status.UNRECORDED;
        } else if (model.modelSha256().equalsIgnoreCase(actual.sha256())) {
            status = ArtifactCheck.Status.INTACT;
        } else {
            status = ArtifactCheck.Status.MODIFIED;
        }
        return new ArtifactCheck(name, version, shown, status, model.modelSha256(), actual.sha256(),
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
     * and reporting progress to {@code listener}, which may cancel), then writes config.yaml and
     * then the metadata document, create-only: the commit point, so that a cancelled or killed
     * copy, or a crash before it, leaves no registered version. Registering into production
     * archives the current production version. An existing name and version is refused; what an
     * interrupted registration of the same version left is replaced. First, the unfinished uploads
     * of dead writers anywhere in the registry are aborted (one listing on a bucket): those whose
     * lease says their writer is gone, and those without a lease older than {@link #ABANDONED_AFTER}
     * (in this version's folder, of any age); an upload still under way in another process is left
     * alone.
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
        if (version.toLowerCase(Locale.ROOT).equals(ModelDocuments.FILE)) {
            throw new InvalidInputException("A version cannot be called " + ModelDocuments.FILE + ": that name holds "
                    + "the model's own description and tags; choose another version");
        }
        refuseExisting(name, version);
        storage.requireWritable(Key.of(MODELS_FOLDER, name, version, CONFIG_FILE));
        storage.requireWritable(MetadataFiles.canonicalKey(name, version));

        // What dead writers left, of any model: a killed copy's parts (on S3, billed) go with the next write.
        storage.abortUnfinishedUploads(MODELS_FOLDER, ABANDONED_AFTER);
        // And whatever an earlier release left unfinished in this version, of any age (a live upload has a lease).
        storage.abortUnfinishedUploads(versionFolder(name, version), Duration.ZERO);
        if (!leftovers(name, version).isEmpty()) {
            Optimistic.retry("clear what an interrupted registration of " + what + " left", () ->
                    storage.exclusively(LOCK, () -> {
                        refuseExisting(name, version);
                        for (StoredObject leftover : leftovers(name, version)) {
                            storage.delete(leftover.key(), Condition.matches(leftover.version()));
                        }
                        return null;
                    }));
        }
        ArtifactCopy.Copied artifact = ArtifactCopy.upload(storage, Key.of(MODELS_FOLDER, name, version, modelFile),
                source, listener, what);
        ModelVersion registered;
        try {
            // Scanned as stored, so the verdict is that of the very bytes registered, not of a source that may change.
            ArtifactRecord scanned = ArtifactRecord.of(inspectStored(artifact.key(), modelFile));
            registered = Optimistic.retry("register " + what, () -> storage.exclusively(LOCK,
                    () -> commitRegistration(request, artifact, scanned)));
        } catch (RuntimeException | Error e) {
            deleteQuietly(artifact.key(), artifact.version()); // not registered: its file is nobody's
            throw e;
        }
        if (registered.stage() == ModelStage.PRODUCTION) {
            settleProduction(name, () -> metadata.loadModel(name));
        }
        return registered;
    }

    /**
     * The critical half of a registration: check again, guard (every stage: a policy on model files
     * applies to development too), audit, then config.yaml and the metadata document with the
     * {@code artifact} block of {@code scanned}.
     */
    private ModelVersion commitRegistration(RegisterRequest request, ArtifactCopy.Copied artifact,
                                            ArtifactRecord scanned) {
        String name = request.name();
        String version = request.version();
        String what = name + " " + version;
        refuseExisting(name, version);
        if (!storage.stat(artifact.key()).map(StoredObject::version).equals(Optional.of(artifact.version()))) {
            throw new ConflictException("Cannot register " + what + ": its model file was removed or replaced while "
                    + "it was being registered (by another registration of it, or registry gc); register it again");
        }
        ModelStage stage = request.stage();
        List<MetadataFiles.Entry> entries = stage == ModelStage.DEVELOPMENT ? List.of()
                : metadata.loadModel(name).entries();
        Instant now = stage == ModelStage.PRODUCTION ? productionTime(entries, version) : UtcTime.now(clock);
        String modelFile = artifact.key().fileName();
        String creator = request.createdBy() != null ? request.createdBy() : user;
        String reason = request.reason() != null ? request.reason() : "registered";
        ModelVersion registered = new ModelVersion(name, version, stage, request.framework(), creator,
                now, now, request.description(), request.metrics(), request.tags(), modelFile,
                MetadataCodec.layoutPath(name, version, modelFile), artifact.sizeBytes(), artifact.sha256(),
                request.config(), List.of(new StageTransition(null, stage, now, user, reason)),
                request.lineage());
        promotionGuard.check(new PromotionContext(registered, null, stage, user, request.reason(),
                versionsOf(entries), null, Optional.of(scanned)));
        Key configKey = Key.of(MODELS_FOLDER, name, version, CONFIG_FILE);
        Key metadataKey = MetadataFiles.canonicalKey(name, version);
        Path metadataFile = metadata.where(metadataKey);
        storage.requireWritable(configKey);
        storage.requireWritable(metadataKey);
        ObjectNode document = registered.toJson();
        document.set(ArtifactRecord.FIELD, scanned.toJson());
        List<AuditRecord> records = new ArrayList<>(List.of(registeredRecord(registered)));
        if (scanned.verdict() == Verdict.UNSAFE) {
            records.add(AuditRecords.unsafeArtifact(user, registered.id(), "register", scanned.format(),
                    scanned.verdict().text(), scanned.offendingGlobals()));
        }
        audited.apply("Did not register " + what, records, () -> {
            Version config;
            try {
                config = storage.create(configKey, configYaml(request.config()).getBytes(StandardCharsets.UTF_8));
            } catch (ConditionFailedException e) {
                throw new ConflictException("Cannot register " + what + ": another registration of it is under way "
                        + "(its " + CONFIG_FILE + " appeared meanwhile); try again when it has finished", e);
            }
            try {
                storage.create(metadataKey, Json.bytes(metadataFile, document));
            } catch (RuntimeException | Error e) {
                // Without its metadata document the version is not registered; leave no half of it behind.
                deleteQuietly(configKey, config);
                if (e instanceof ConditionFailedException taken) {
                    throw new ConflictException("Version " + version + " of " + name + " already exists; choose a "
                            + "new version", taken);
                }
                throw e;
            }
        });
        // As a reader will see it (numbers in the config read back as JSON numbers).
        return metadata.decode(document, metadataFile);
    }

    private static String configYaml(Map<String, Object> config) {
        return config.isEmpty() ? "{}\n" : SafeYaml.dump(config);
    }

    /**
     * Moves a version to {@code target} and records the transition in its {@code stage_history}.
     * Promoting to production archives the model's current production version; an archived
     * version is restored by promoting it to any other stage. A version already in {@code target}
     * is left as it is, with nothing written or recorded ({@link Promotion#unchanged()}), so that a
     * pipeline's re-run succeeds.
     */
    public Promotion promoteModel(String name, String version, ModelStage target, String reason) {
        return promoteModel(name, version, target, reason, null);
    }

    /**
     * The same move, carrying out the promotion request {@code approvedRequest} (its id) whose
     * approvals are complete: the guard checks that the request exists, is for this very move and
     * has its approvals, rather than trusting the caller. Null when no request is carried out.
     *
     * <p>The target's new stage is written first (conditional on the document read), then the
     * versions it superseded in production are archived ({@link #settleProduction}), so that two
     * promotions to production racing without a lock still leave exactly one production version.
     */
    public Promotion promoteModel(String name, String version, ModelStage target, String reason,
                                  String approvedRequest) {
        checkIdentity(name, version);
        Objects.requireNonNull(target, "target stage");
        String why = Checks.optionalLine("reason", reason, Checks.MAX_SHORT * 4);
        Moved moved = Optimistic.retry("promote " + name + " " + version, () -> storage.exclusively(LOCK, () -> {
            MetadataFiles.Loaded loaded = metadata.loadModel(name);
            List<MetadataFiles.Entry> entries = loaded.entries();
            List<Key> keys = entries.stream().map(MetadataFiles.Entry::key).toList();
            MetadataFiles.Entry entry = entries.stream()
                    .filter(e -> MetadataFiles.matches(e, name, version)).findFirst()
                    .orElseThrow(() -> notFoundOrUnreadable(loaded, name, version));
            ModelStage from = entry.version().stage();
            if (from == target) {
                return new Moved(new Promotion(entry.version(), from, List.of()), keys);
            }
            Map<String, Object> evidence = promotionGuard.admit(new PromotionContext(entry.version(), from, target, user,
                    why, versionsOf(entries), approvedRequest, ArtifactRecord.fromDocument(entry.document())));
            Instant now = target == ModelStage.PRODUCTION ? productionTime(entries, version) : UtcTime.now(clock);
            Rewrite promoted = rewriteStage(entry, target, now, why == null ? "" : why, "promote");
            List<Rewrite> superseded = target == ModelStage.PRODUCTION ? supersededBy(promoted, entries) : List.of();
            List<AuditRecord> records = new ArrayList<>(List.of(promoted.audit().withDetails(evidence)));
            superseded.forEach(rewrite -> records.add(rewrite.audit()));
            List<ModelVersion> archived = audited.apply("Did not promote " + name + " " + version, records, () -> {
                promoted.write(storage);
                return archive(superseded);
            });
            return new Moved(new Promotion(promoted.version(), from, archived), keys);
        }));
        Promotion promotion = moved.promotion();
        if (target != ModelStage.PRODUCTION) {
            return promotion;
        }
        List<ModelVersion> archived = new ArrayList<>(promotion.archived());
        archived.addAll(settleProduction(name, () -> reloadModel(name, moved.keys())));
        return new Promotion(promotion.promoted(), promotion.fromStage(), archived);
    }

    /**
     * The archiving of every other production version among {@code entries} (read under the lock),
     * which {@code promoted}, moved to production after each of them ({@link #productionTime}),
     * supersedes: part of the promotion's own change, so that the usual promotion is one audited
     * change with one listing of the model's documents.
     */
    private List<Rewrite> supersededBy(Rewrite promoted, List<MetadataFiles.Entry> entries) {
        Instant now = UtcTime.now(clock);
        return entries.stream()
                .filter(e -> e.version().stage() == ModelStage.PRODUCTION && e != promoted.entry())
                .map(e -> rewriteStage(e, ModelStage.ARCHIVED, now,
                        "superseded by " + promoted.version().version() + " in production", "archive"))
                .toList();
    }

    /**
     * Writes each of {@code superseded}, once the promotion is written. One that cannot be written
     * (another writer changed it meanwhile, possible only without the lock, or the store failed)
     * has its event followed by a failure and is left to {@link #settleProduction}, which reads it
     * again and says what still fails: the promotion itself stands, and its event with it.
     * Returns the versions archived.
     */
    private List<ModelVersion> archive(List<Rewrite> superseded) {
        List<ModelVersion> archived = new ArrayList<>();
        for (Rewrite rewrite : superseded) {
            try {
                rewrite.write(storage);
                archived.add(rewrite.version());
            } catch (RuntimeException notWritten) {
                audited.recordFailure(rewrite.audit(), notWritten);
            }
        }
        return archived;
    }

    /** A promotion as carried out under the lock, and the keys of the model's documents it read there. */
    private record Moved(Promotion promotion, List<Key> keys) {
    }

    /**
     * Leaves one production version of {@code name}: the one promoted last (the latest transition
     * to production; a promotion's time is after every production transition it read, see
     * {@link #productionTime}), ties going to the greater version. Every other is archived, each
     * write conditional, so that any promoter that runs this from fresh reads ({@code current}, read
     * under the lock at each try) reaches the same result: without a lock, two promotions that did
     * not see each other both end here and agree. Returns the versions archived.
     */
    private List<ModelVersion> settleProduction(String name, Supplier<MetadataFiles.Loaded> current) {
        return Optimistic.retry("archive the superseded production versions of " + name, () ->
                storage.exclusively(LOCK, () -> {
                    List<MetadataFiles.Entry> production = current.get().entries().stream()
                            .filter(e -> e.version().stage() == ModelStage.PRODUCTION).toList();
                    if (production.size() < 2) {
                        return List.<ModelVersion>of();
                    }
                    MetadataFiles.Entry winner = production.stream()
                            .max((a, b) -> SETTLING.compare(a.version(), b.version())).orElseThrow();
                    Instant now = UtcTime.now(clock);
                    List<ModelVersion> archived = new ArrayList<>();
                    for (MetadataFiles.Entry entry : production) {
                        if (entry == winner) {
                            continue;
                        }
                        Rewrite rewrite = rewriteStage(entry, ModelStage.ARCHIVED, now,
                                "superseded by " + winner.version().version() + " in production", "archive");
                        audited.apply("Did not archive " + entry.version().id(), List.of(rewrite.audit()),
                                () -> rewrite.write(storage));
                        archived.add(rewrite.version());
                    }
                    return archived;
                }));
    }

    /**
     * The documents of {@code name} as they are now, read again without listing the metadata folder
     * (on disk that reads every name in it, which at 10,000 versions costs more than the rest of a
     * promotion): those at {@code known}, the keys of the model's documents read earlier, and the
     * canonical document of each of its version folders. A version registered since is found by its
     * folder, which a registration fills (model file, then config.yaml) before it writes the version's
     * metadata document.
     */
    private MetadataFiles.Loaded reloadModel(String name, List<Key> known) {
        Set<Key> keys = new HashSet<>(known);
        try (Stream<String> versions = storage.folders(MODELS_FOLDER + "/" + name)) {
            versions.filter(Names::isValid).forEach(version -> keys.add(MetadataFiles.canonicalKey(name, version)));
        }
        return metadata.loadModelAt(keys, name);
    }

    /** Now, or just after the latest production transition among {@code entries} when the clock is not past it. */
    private Instant productionTime(List<MetadataFiles.Entry> entries, String except) {
        Instant now = UtcTime.now(clock);
        Instant latest = entries.stream()
                .filter(e -> e.version().stage() == ModelStage.PRODUCTION && !e.version().version().equals(except))
                .map(e -> productionSince(e.version())).max(Comparator.naturalOrder()).orElse(Instant.MIN);
        return now.isAfter(latest) ? now : latest.plus(1, ChronoUnit.MICROS);
    }

    /** When {@code version} last moved to production (its creation when its history does not say). */
    private static Instant productionSince(ModelVersion version) {
        List<StageTransition> history = version.stageHistory();
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).to() == ModelStage.PRODUCTION) {
                return history.get(i).at();
            }
        }
        return version.createdAt();
    }

    /**
     * Changes a version's description, tags, metrics or lineage, keeping every other field of its
     * document (and of its {@code lineage}). One {@code model_updated} event records the old and new
     * value of each field changed; when nothing differs, nothing is written or recorded.
     */
    public ModelVersion updateModel(String name, String version, ModelUpdate update) {
        checkIdentity(name, version);
        Objects.requireNonNull(update, "update");
        update.lineage().getOrDefault(LineageField.PARENT_VERSION, Optional.empty())
                .filter(version::equals).ifPresent(self -> {
                    throw new InvalidInputException("The parent version of " + name + " " + version
                            + " cannot be the version itself; give the version it was derived from");
                });
        return Optimistic.retry("update " + name + " " + version, () -> storage.exclusively(LOCK, () -> {
            MetadataFiles.Entry entry = requireWritable(name, version);
            ModelVersion current = entry.version();
            List<String> tags = Tags.edit(current.tags(), update.addTags(), update.removeTags());
            Map<String, Double> metrics = new LinkedHashMap<>(current.metrics());
            metrics.putAll(update.metrics());

            ObjectNode changes = Json.mapper().createObjectNode();
            Map<String, AuditRecords.Change> changed = new LinkedHashMap<>();
            update.description().filter(d -> !d.equals(current.description())).ifPresent(description -> {
                changes.put("description", description);
                changed.put("description", new AuditRecords.Change(current.description(), description));
            });
            if (!tags.equals(current.tags())) {
                changes.set("tags", Json.mapper().valueToTree(tags));
                changed.put("tags", new AuditRecords.Change(current.tags(), tags));
            }
            if (!metrics.equals(current.metrics())) {
                ObjectNode metricObject = changes.putObject("metrics");
                metrics.forEach(metricObject::put);
                changed.put("metrics", new AuditRecords.Change(current.metrics(), metrics));
            }
            JsonNode storedLineage = entry.document().get("lineage");
            ObjectNode lineage = storedLineage instanceof ObjectNode object ? object.deepCopy()
                    : MetadataCodec.lineage(current.lineage());
            update.lineage().forEach((field, value) -> {
                String before = field.of(current.lineage());
                if (!Objects.equals(before, value.orElse(null))) {
                    lineage.put(field.key(), value.orElse(null));
                    changed.put("lineage." + field.key(), new AuditRecords.Change(before, value.orElse(null)));
                }
            });
            if (changed.keySet().stream().anyMatch(field -> field.startsWith("lineage."))) {
                changes.set("lineage", lineage); // unknown parts of another tool's lineage kept
            }
            if (changed.isEmpty()) {
                return current; // nothing differs: no write, no event
            }
            changes.put("updated_at", UtcTime.format(UtcTime.now(clock)));
            ObjectNode document = Json.preserveUnknown(entry.document(), changes);
            ModelVersion updated = metadata.decode(document, entry.file());
            audited.apply("Did not update " + name + " " + version,
                    List.of(AuditRecords.modelEdited(user, current.id(), "update", changed)),
                    () -> storage.replace(entry.key(), Json.bytes(entry.file(), document), entry.stored()));
            return updated;
        }));
    }

    /**
     * The model's own description and tags ({@code models/<name>/model.json}); an empty document
     * when it was never given any.
     *
     * @throws NotFoundException when the model has no version and no document
     */
    public ModelDocument modelDocument(String name) {
        Names.require("model name", name);
        Optional<ModelDocuments.Stored> stored = modelDocuments.read(name);
        if (stored.isPresent()) {
            return stored.get().document();
        }
        if (metadata.loadModel(name).entries().isEmpty()) {
            throw noSuchModel(name);
        }
        return ModelDocument.empty(name);
    }

    /**
     * Changes the model's own description and tags (of {@code update}; a model has no metrics or
     * lineage of its own, so an update with either is refused), keeping every other field of its
     * document: one {@code model_updated} event on the model with the old and new values, then one
     * write, create-only or conditional on the document read. Nothing differs: nothing is written.
     *
     * @throws NotFoundException when the model has no version
     */
    public ModelDocument updateModelDocument(String name, ModelUpdate update) {
        Names.require("model name", name);
        Objects.requireNonNull(update, "update");
        if (!update.metrics().isEmpty() || !update.lineage().isEmpty()) {
            throw new InvalidInputException("A model has no metrics or lineage of its own; set them on a version of "
                    + name);
        }
        return Optimistic.retry("update " + name, () -> storage.exclusively(LOCK, () -> {
            if (metadata.loadModel(name).entries().isEmpty()) {
                throw noSuchModel(name);
            }
            storage.requireWritable(ModelDocuments.key(name));
            Optional<ModelDocuments.Stored> stored = modelDocuments.read(name);
            ModelDocument current = stored.map(ModelDocuments.Stored::document).orElse(ModelDocument.empty(name));
            List<String> tags = Tags.edit(current.tags(), update.addTags(), update.removeTags());
            ObjectNode changes = Json.mapper().createObjectNode();
            Map<String, AuditRecords.Change> changed = new LinkedHashMap<>();
            update.description().filter(d -> !d.equals(current.description())).ifPresent(description -> {
                changes.put("description", description);
                changed.put("description", new AuditRecords.Change(current.description(), description));
            });
            if (!tags.equals(current.tags())) {
                changes.set("tags", Json.mapper().valueToTree(tags));
                changed.put("tags", new AuditRecords.Change(current.tags(), tags));
            }
            if (changed.isEmpty()) {
                return current; // nothing differs: no write, no event
            }
            Instant now = UtcTime.now(clock);
            changes.put("updated_at", UtcTime.format(now));
            changes.put("updated_by", user);
            ObjectNode base = stored.map(ModelDocuments.Stored::json).orElseGet(() -> current.toJson());
            ObjectNode document = Json.preserveUnknown(base, changes);
            audited.apply("Did not update " + name, List.of(AuditRecords.modelEdited(user, name, "update_model", changed)),
                    () -> modelDocuments.write(name, stored, document));
            return new ModelDocument(name, document.get("description").asText(), tags, now, user);
        }));
    }

    private static NotFoundException noSuchModel(String name) {
        return new NotFoundException("No model is called " + name + "; check the name against the list of models");
    }

    /**
     * Deletes a version, all or nothing as a reader sees it: its metadata document is removed first
     * (conditional on the document read: the version is no longer registered), then the files of
     * its folder. Files that cannot be removed then are no longer part of any version; the next
     * registration of that version, or {@link #collectGarbage}, clears them. Refused for the
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
        return Optimistic.retry("delete " + name + " " + version, () -> storage.exclusively(LOCK, () -> {
            MetadataFiles.Entry entry = requireWritable(name, version);
            ModelVersion doomed = entry.version();
            if (!force && doomed.stage() == ModelStage.PRODUCTION) {
                throw new ConflictException(name + " " + version + " is in production; promote another version "
                        + "to production first, or force the deletion");
            }
            if (!force && activeDeployments.isActive(name, version)) {
                throw new ConflictException(name + " " + version + " is actively deployed; deactivate its "
                        + "deployment first, or force the deletion");
            }
            // An alias must never point at nothing: refused unless forced, then removed with the version (Aliases).
            AliasFile.Loaded aliases = AliasFile.read(storage, name);
            List<String> pointing = aliases.aliasesOf(version);
            if (!force && !pointing.isEmpty()) {
                throw new ConflictException(name + " " + version + " is what " + (pointing.size() == 1 ? "alias "
                        : "aliases ") + String.join(", ", pointing) + " of " + name + " point" + (pointing.size() == 1
                        ? "s" : "") + " at; move or remove " + (pointing.size() == 1 ? "it" : "them")
                        + " first (registry alias set/remove), or force the deletion, which removes "
                        + (pointing.size() == 1 ? "it" : "them"));
            }
            AuditRecord record = AuditRecords.modelDeleted(user, doomed.id(), doomed.stage().value(), force,
                    doomed.modelSha256()).withReason(why == null || why.isBlank() ? null : why);
            List<AuditRecord> records = new ArrayList<>(List.of(record));
            String aliasReason = "version " + version + " deleted" + (why == null || why.isBlank() ? "" : ": " + why);
            pointing.forEach(alias -> records.add(AuditRecords.aliasChanged(user, name, alias, version, null,
                    "remove_alias", aliasReason)));
            if (!pointing.isEmpty()) {
                storage.requireWritable(aliases.key());
            }
            Instant now = UtcTime.now(clock);
            audited.apply("Did not delete " + name + " " + version, records, () -> {
                if (!pointing.isEmpty()) { // first: a crash between the two leaves the version, never a dangling alias
                    aliases.write(storage, aliases.removing(pointing, user, now, aliasReason));
                }
                storage.delete(entry.key(), Condition.matches(entry.stored()));
            });
            // Unregistered: what follows only tidies, and what it cannot remove is garbage of no version.
            for (StoredObject file : filesOf(versionFolder(name, version))) {
                deleteQuietly(file.key(), file.version());
            }
            return doomed;
        }));
    }

    // Comparing fully, history at a time, whole models (issue 21, items 4 to 6)

    /**
     * Compares versions named by model and version (of one model, or of several that share a
     * metric) against the one at {@code baseline}, with each version's configuration as
     * {@link #configuration} reads it (its config.yaml).
     */
    public VersionsComparison compare(List<VersionId> ids, int baseline) {
        return compareLoaded(ids.stream().map(id -> getModel(id.name(), id.version())).toList(), baseline);
    }

    /** {@link #compare(List, int)} for versions already read (the desktop's selection); reads their configurations. */
    public VersionsComparison compareLoaded(List<ModelVersion> versions, int baseline) {
        if (versions.size() < 2) {
            throw new InvalidInputException("Choose at least two versions to compare");
        }
        if (baseline < 0 || baseline >= versions.size()) {
            throw new InvalidInputException("The baseline must be one of the versions compared");
        }
        List<Map<String, Object>> configs = versions.stream().map(v -> configuration(v).values()).toList();
        return VersionsComparison.of(versions, configs, baseline);
    }

    /** Every stage move of {@code name}'s versions, newest first, from their stage histories. */
    public List<StageMove> history(String name) {
        List<ModelVersion> versions = listVersions(name);
        if (versions.isEmpty()) {
            throw new NotFoundException("No model is called " + name + "; check the name against the list of models");
        }
        return StageTimeline.history(versions);
    }

    /**
     * Which version of each model (of {@code name} only, when not null) was in production and in
     * staging at {@code at}, from the stage histories; with {@code audit} (the trail's registration,
     * promotion and deletion events), each answer is checked against the trail and any
     * disagreement is reported in it.
     */
    public StagesAt stagesAt(Instant at, String name, Optional<List<neural.mlops.audit.AuditEvent>> audit) {
        Objects.requireNonNull(at, "at");
        List<ModelVersion> versions;
        if (name == null) {
            versions = snapshot().versions();
        } else {
            versions = listVersions(name);
            boolean inTrail = audit.map(events -> events.stream().anyMatch(event -> event.resourceId() != null
                    && (event.resourceId().equals(name) || event.resourceId().startsWith(name + ":")))).orElse(false);
            if (versions.isEmpty() && !inTrail) {
                throw new NotFoundException("No model is called " + name + "; check the name against the list of models");
            }
        }
        return StageTimeline.at(at, versions, name, audit);
    }

    /**
     * Deletes every version of {@code name}, with one audit event naming them and {@code reason}
     * (required). Refused, with every version in the way named, while a version is in production
     * or has an active or pending deployment: promote or undeploy first. A document of the model
     * that cannot be read also refuses it (it might be the production version).
     *
     * <p>Crash safety: every metadata document is removed first (each conditional on the one read),
     * and only then the model files. A version is registered while its document exists, so a crash
     * part way leaves each version either still registered with all its files (its document not yet
     * removed, its files untouched), or unregistered with files that are garbage of no version
     * ({@link #collectGarbage} clears them); never a version listed as healthy without its file.
     */
    public List<ModelVersion> deleteModel(String name, String reason) {
        Names.require("model name", name);
        String why = Checks.line("reason for deleting " + name, reason, Checks.MAX_SHORT * 4);
        return Optimistic.retry("delete " + name, () -> storage.exclusively(LOCK, () -> {
            MetadataFiles.Loaded loaded = metadata.loadModel(name);
            List<MetadataFiles.Entry> entries = loaded.entries();
            if (entries.isEmpty()) {
                throw new NotFoundException("No model is called " + name + "; check the name against the list of models");
            }
            if (!loaded.problems().isEmpty()) {
                RegistryProblem problem = loaded.problems().get(0);
                throw new ConflictException("Cannot delete " + name + ": " + problem.message()
                        + "; repair or restore the document first");
            }
            List<String> blocking = new ArrayList<>();
            Map<String, String> stages = new LinkedHashMap<>();
            List<ModelVersion> doomed = VersionOrder.sorted(versionsOf(entries));
            for (ModelVersion version : doomed) {
                stages.put(version.version(), version.stage().value());
                if (version.stage() == ModelStage.PRODUCTION) {
                    blocking.add(version.version() + " is in production");
                }
                if (activeDeployments.isActive(name, version.version())) {
                    blocking.add(version.version() + " is actively deployed");
                } else if (activeDeployments.isPending(name, version.version())) {
                    blocking.add(version.version() + " has a pending deployment");
                }
            }
            if (!blocking.isEmpty()) {
                throw new ConflictException("Cannot delete " + name + ": " + String.join(", ", blocking)
                        + "; archive or undeploy those versions first");
            }
            entries.forEach(entry -> storage.requireWritable(entry.key())); // before the event: a refused write leaves none
            AuditRecord record = AuditRecords.modelDeletedWhole(user, name, stages, why);
            audited.apply("Did not delete " + name, List.of(record), () -> {
                for (MetadataFiles.Entry entry : entries) {
                    storage.delete(entry.key(), Condition.matches(entry.stored()));
                }
            });
            // Unregistered: what follows only tidies, and what it cannot remove is garbage of no version.
            for (StoredObject file : filesOf(MODELS_FOLDER + "/" + name)) {
                deleteQuietly(file.key(), file.version());
            }
            return doomed;
        }));
    }

    /**
     * Moves every version of {@code name} that is not archived to archived, each move checked by
     * the promotion guard and recorded in its stage history, with one audit event per version
     * (recorded together before anything is written). Returns the versions archived (none when all
     * already were: nothing is written then).
     */
    public List<ModelVersion> archiveModel(String name, String reason) {
        Names.require("model name", name);
        String why = Checks.optionalLine("reason", reason, Checks.MAX_SHORT * 4);
        return Optimistic.retry("archive " + name, () -> storage.exclusively(LOCK, () -> {
            MetadataFiles.Loaded loaded = metadata.loadModel(name);
            List<MetadataFiles.Entry> entries = loaded.entries();
            if (entries.isEmpty()) {
                throw new NotFoundException("No model is called " + name + "; check the name against the list of models");
            }
            Instant now = UtcTime.now(clock);
            List<Rewrite> rewrites = new ArrayList<>();
            for (MetadataFiles.Entry entry : entries) {
                ModelVersion version = entry.version();
                if (version.stage() == ModelStage.ARCHIVED) {
                    continue;
                }
                promotionGuard.check(new PromotionContext(version, version.stage(), ModelStage.ARCHIVED, user, why,
                        versionsOf(entries)));
                rewrites.add(rewriteStage(entry, ModelStage.ARCHIVED, now, why == null ? "model archived" : why,
                        "archive"));
            }
            if (rewrites.isEmpty()) {
                return List.<ModelVersion>of();
            }
            audited.apply("Did not archive " + name, rewrites.stream().map(Rewrite::audit).toList(),
                    () -> rewrites.forEach(rewrite -> rewrite.write(storage)));
            return VersionOrder.sorted(rewrites.stream().map(Rewrite::version).toList());
        }));
    }

    /**
     * Removes what no version owns: uploads left unfinished by writers that died (temporary files,
     * multipart uploads: at once when their lease says so, after {@code olderThan} when they have
     * none; never one still under way in another process), and the files of version folders that
     * have no metadata document (a registration that died after its copy, a deletion that could not
     * remove every file, a folder an earlier release moved aside). A version whose document exists
     * but cannot be read keeps its folder. A registration committing while this runs finds its
     * model file gone and says so; it can be run again.
     */
    public GarbageCollection collectGarbage(Duration olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        if (olderThan.isNegative()) {
            throw new InvalidInputException("The age of the unfinished uploads to remove cannot be negative: "
                    + olderThan);
        }
        int aborted = storage.abortUnfinishedUploads(MODELS_FOLDER, olderThan);
        List<String> removed = Optimistic.retry("collect the registry's garbage", () -> storage.exclusively(LOCK, () -> {
            Set<String> documented;
            try (Stream<StoredObject> documents = storage.list(MetadataFiles.FOLDER)) {
                documented = documents.map(object -> object.key().fileName()).collect(Collectors.toSet());
            }
            Set<String> owned = metadata.listAll().entries().stream()
                    .flatMap(e -> Stream.of(versionFolder(e.version().name(), e.version().version()),
                            folderOf(artifactKey(e.version()))))
                    .collect(Collectors.toSet());
            Map<String, List<StoredObject>> folders = new TreeMap<>();
            for (StoredObject file : filesOf(MODELS_FOLDER)) {
                List<String> segments = file.key().segments();
                if (segments.size() >= 4) {
                    folders.computeIfAbsent(segments.get(1) + "/" + segments.get(2), f -> new ArrayList<>()).add(file);
                }
            }
            List<String> cleared = new ArrayList<>();
            folders.forEach((folder, files) -> {
                String[] parts = folder.split("/");
                boolean ownerless = !owned.contains(MODELS_FOLDER + "/" + folder)
                        && !documented.contains(MetadataFiles.fileName(parts[0], parts[1]));
                if (ownerless || parts[1].startsWith(DELETING_PREFIX)) {
                    boolean all = true;
                    for (StoredObject file : files) {
                        all &= deleteQuietly(file.key(), file.version());
                    }
                    if (all) {
                        cleared.add(MODELS_FOLDER + "/" + folder);
                    }
                }
            });
            return cleared;
        }));
        return new GarbageCollection(aborted, removed);
    }

    // Internals

    /** A document rewritten with a new stage, with the audit record of that transition. */
    private record Rewrite(MetadataFiles.Entry entry, ObjectNode document, ModelVersion version, AuditRecord audit) {
        /** Writes the document back over the one read, or fails when another writer changed it meanwhile. */
        void write(Storage storage) {
            storage.replace(entry.key(), Json.bytes(entry.file(), document), entry.stored());
        }
    }

    private Rewrite rewriteStage(MetadataFiles.Entry entry, ModelStage target, Instant now, String reason,
                                 String action) {
        storage.requireWritable(entry.key()); // before its event is recorded: a refused write leaves none
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
        ModelVersion changed = metadata.decode(document, entry.file());
        AuditRecord record = AuditRecords.stageChanged(user, changed.id(), action, from.value(), target.value(), reason);
        return new Rewrite(entry, document, changed, record);
    }

    private AuditRecord registeredRecord(ModelVersion registered) {
        return AuditRecords.modelRegistered(user, registered.id(), registered.framework(), registered.stage().value(),
                registered.modelFile(), registered.modelSizeBytes(), registered.modelSha256());
    }

    private MetadataFiles.Entry require(String name, String version) {
        checkIdentity(name, version);
        return metadata.find(name, version).orElseThrow(() -> notFound(name, version));
    }

    /** {@link #require}, refusing at once a document this storage would not let be rewritten or removed. */
    private MetadataFiles.Entry requireWritable(String name, String version) {
        MetadataFiles.Entry entry = require(name, version);
        storage.requireWritable(entry.key());
        return entry;
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

    /** Where a version's files are: {@code models/<name>/<version>}. */
    private static String versionFolder(String name, String version) {
        return MODELS_FOLDER + "/" + name + "/" + version;
    }

    /** The key of a version's model file, from its {@code model_path}; the layout's place when that is no key. */
    private static Key artifactKey(ModelVersion version) {
        try {
            return Key.of(MetadataCodec.portable(version.modelPath()));
        } catch (InvalidInputException notAKey) {
            return Key.of(MODELS_FOLDER, version.name(), version.version(),
                    version.modelFile().isEmpty() ? "model" : version.modelFile());
        }
    }

    private static Key configKey(ModelVersion version) {
        return Key.of(MODELS_FOLDER, version.name(), version.version(), CONFIG_FILE);
    }

    private static String folderOf(Key key) {
        String value = key.value();
        return value.substring(0, Math.max(0, value.lastIndexOf('/')));
    }

    /** Every file under {@code folder}. */
    private List<StoredObject> filesOf(String folder) {
        try (Stream<StoredObject> files = storage.list(folder)) {
            return files.toList();
        }
    }

    /**
     * What an interrupted registration or deletion of {@code version} left in its folder (only ever
     * called while it has no metadata document), and the folders earlier releases moved aside.
     */
    private List<StoredObject> leftovers(String name, String version) {
        return filesOf(MODELS_FOLDER + "/" + name).stream().filter(file -> file.key().segments().size() >= 4)
                .filter(file -> {
            String folder = file.key().segments().get(2);
            return folder.equals(version) || folder.startsWith(DELETING_PREFIX);
        }).toList();
    }

    /** Deletes {@code key} if it still has {@code version}; returns false when it could not (best effort). */
    private boolean deleteQuietly(Key key, Version version) {
        try {
            storage.delete(key, Condition.matches(version));
            return true;
        } catch (RuntimeException e) {
            return false; // outside every version now; registry gc removes it
        }
    }
}
