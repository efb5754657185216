package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import neural.mlops.JvmProcess;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditSink;
import neural.mlops.audit.Outcome;
import neural.mlops.store.NotFoundException;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.CountingStorage;
import neural.mlops.store.storage.ForwardingStorage;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.store.storage.S3Storage;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.StoredObject;
import neural.mlops.store.storage.TestStorages;
import neural.mlops.store.storage.Version;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's guarantees, written once (STYLE 14) and run on every storage backend by a
 * subclass: the same registry code on a folder and on an S3 prefix must behave alike.
 */
abstract class RegistryStoreContract {

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-01-15T12:00:00.123456Z");
    final RecordingSink audit = new RecordingSink();
    Storage storage;
    ModelRegistry registry;

    /** The backend under test. */
    protected abstract TestStorages.Backend backend();

    @BeforeEach
    void open() {
        storage = TestStorages.create(backend(), dir.resolve("registry"));
        registry = registryOn(storage);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    ModelRegistry registryOn(Storage root) {
        return new ModelRegistry(root, audit, "alice", clock, PromotionGuard.ALLOW_ALL, ActiveDeployments.NONE);
    }

    @Test
    void registeringListingShowingComparingPromotingVerifyingAndDeletingWorkOnThisBackend() throws IOException {
        ModelVersion v1 = register(registry, "fraud_detector", "v1.0.0", "weights one", 0.91);
        ModelVersion v2 = registry.registerModel(RegisterRequest.builder("fraud_detector", "v2.0.0",
                        source("weights two")).framework("pytorch").metric("accuracy", 0.95)
                .config(Map.of("epochs", 10)).build());

        assertThat(registry.listModels()).singleElement().satisfies(summary ->
                assertThat(summary.versionCount()).isEqualTo(2));
        assertThat(registry.listVersions("fraud_detector")).containsExactly(v1, v2);
        assertThat(registry.getModel("fraud_detector", "v2.0.0")).isEqualTo(v2);
        assertThat(registry.configuration(v2).values()).isEqualTo(Map.of("epochs", 10));
        assertThat(registry.compareModels("fraud_detector", "v1.0.0", "v2.0.0").metricsComparison()
                .get("accuracy").difference()).isCloseTo(0.04, org.assertj.core.data.Offset.offset(1e-9));

        Promotion promoted = registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "first");
        Promotion replaced = registry.promoteModel("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "better");

        assertThat(promoted.archived()).isEmpty();
        assertThat(replaced.archived()).extracting(ModelVersion::version).containsExactly("v1.0.0");
        assertThat(registry.getProductionVersion("fraud_detector")).map(ModelVersion::version).hasValue("v2.0.0");
        assertThat(registry.getModel("fraud_detector", "v1.0.0").stage()).isEqualTo(ModelStage.ARCHIVED);
        assertThat(registry.verifyArtifact("fraud_detector", "v2.0.0").status()).isEqualTo(ArtifactCheck.Status.INTACT);
        try (InputStream in = registry.openArtifact(v2)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("weights two");
        }

        registry.deleteVersion("fraud_detector", "v1.0.0", false);

        assertThatThrownBy(() -> registry.getModel("fraud_detector", "v1.0.0")).isInstanceOf(NotFoundException.class);
        assertThat(keys("models/fraud_detector/v1.0.0")).isEmpty();
        assertThat(registry.listVersions("fraud_detector")).extracting(ModelVersion::version).containsExactly("v2.0.0");
    }

    @Test
    void aVersionIsStoredAtExactlyTheKeysOfSpec2() {
        register(registry, "fraud_detector", "v1.0.0", "weights", 0.9);

        assertThat(keys("metadata")).containsExactly("metadata/fraud_detector_v1.0.0.json");
        assertThat(keys("models")).containsExactlyInAnyOrder("models/fraud_detector/v1.0.0/model.pt",
                "models/fraud_detector/v1.0.0/config.yaml");
    }

    @Test
    void aRegistryCopiedKeyByKeyFromAFolderIsTheSameRegistryHere() throws IOException {
        Path folder = dir.resolve("local-registry");
        ModelRegistry local = registryOn(new LocalStorage(folder));
        register(local, "churn_model", "1.0.0", "churn weights", 0.8);
        local.promoteModel("churn_model", "1.0.0", ModelStage.STAGING, "looks good");
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = folder.relativize(file).toString().replace('\\', '/');
                if (key.startsWith("metadata/") || key.startsWith("models/")) {
                    storage.create(Key.of(key), Files.readAllBytes(file));
                }
            }
        }

        assertThat(registry.listVersions("churn_model")).isEqualTo(local.listVersions("churn_model"));
        assertThat(registry.verifyArtifact("churn_model", "1.0.0").ok()).isTrue();
        assertThat(keys("")).filteredOn(key -> !key.startsWith(".")).containsExactlyInAnyOrderElementsOf(
                new LocalStorageKeys(folder).list());
    }

    @Test
    void aCorruptMetadataDocumentIsReportedAndTheRestStillLoads() {
        register(registry, "fraud_detector", "v1.0.0", "weights", 0.9);
        storage.create(Key.of("metadata/broken_v1.json"), "{ \"name\": ".getBytes(StandardCharsets.UTF_8));

        RegistrySnapshot snapshot = registry.snapshot();

        assertThat(snapshot.versions()).extracting(ModelVersion::id).containsExactly("fraud_detector:v1.0.0");
        assertThat(snapshot.problems()).singleElement().satisfies(problem ->
                assertThat(problem.path().getFileName().toString()).isEqualTo("broken_v1.json"));
        assertThatThrownBy(() -> registry.promoteModel("broken", "v1", ModelStage.STAGING, null))
                .hasMessageContaining("broken_v1.json");
    }

    @Test
    void twoThreadsPromotingTwoVersionsToProductionAtOnceLeaveExactlyOneInProduction() throws Exception {
        register(registry, "fraud_detector", "v1.0.0", "one", 0.9);
        register(registry, "fraud_detector", "v2.0.0", "two", 0.95);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Future<Promotion>> promotions = new ArrayList<>();
        try {
            for (String version : List.of("v1.0.0", "v2.0.0")) {
                Storage own = TestStorages.open(TestStorages.arguments(storage)); // as another desktop would
                ModelRegistry writer = new ModelRegistry(own, AuditSink.NONE, "bob", clock, PromotionGuard.ALLOW_ALL,
                        ActiveDeployments.NONE);
                promotions.add(threads.submit(() -> {
                    start.await();
                    try (own) {
                        return writer.promoteModel("fraud_detector", version, ModelStage.PRODUCTION, "race");
                    }
                }));
            }
            start.countDown();
            for (Future<Promotion> promotion : promotions) {
                promotion.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertExactlyOneProductionAndBothTransitions();
    }

    @Test
    void twoProcessesPromotingTwoVersionsToProductionAtOnceLeaveExactlyOneInProduction() throws Exception {
        register(registry, "fraud_detector", "v1.0.0", "one", 0.9);
        register(registry, "fraud_detector", "v2.0.0", "two", 0.95);
        List<Process> children = new ArrayList<>();
        try {
            for (String version : List.of("v1.0.0", "v2.0.0")) {
                List<String> arguments = new ArrayList<>(TestStorages.arguments(storage));
                arguments.addAll(List.of("fraud_detector", version));
                children.add(JvmProcess.start(List.of(), RegistryRaceChild.class.getName(),
                        arguments.toArray(String[]::new)));
            }
            for (Process child : children) {
                JvmProcess.awaitLine(child, RegistryRaceChild.READY);
            }
            for (Process child : children) {
                OutputStream go = child.getOutputStream();
                go.write("go\n".getBytes(StandardCharsets.UTF_8));
                go.flush();
            }
            for (Process child : children) {
                assertThat(child.waitFor(90, TimeUnit.SECONDS)).isTrue();
                assertThat(child.exitValue()).isZero();
            }
        } finally {
            children.forEach(Process::destroyForcibly);
        }

        assertExactlyOneProductionAndBothTransitions();
    }

    @Test
    void aPromotionWithoutALockSettlesWithAVersionPromotedBetweenItsReadAndItsWrite() {
        register(registry, "fraud_detector", "v1.0.0", "one", 0.9);
        register(registry, "fraud_detector", "v2.0.0", "two", 0.95);
        ModelRegistry other = registryOn(new Unlocked(storage, () -> { }));

        // The other promotion is the later one (its settling saw v1.0.0 not yet in production): this one yields.
        promoteV1UnlockedWhile(() -> other.promoteModel("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "meanwhile"),
                "v2.0.0");
    }

    @Test
    void aPromotionWithoutALockSettlesWithAVersionRegisteredIntoProductionBetweenItsReadAndItsWrite() {
        register(registry, "fraud_detector", "v1.0.0", "one", 0.9);
        ModelRegistry other = registryOn(new Unlocked(storage, () -> { }));

        // v3.0.0 is in no listing this promotion read: its settling finds it by its version folder.
        promoteV1UnlockedWhile(() -> other.registerModel(RegisterRequest.builder("fraud_detector", "v3.0.0",
                source("three")).framework("pytorch").stage(ModelStage.PRODUCTION).build()), "v3.0.0");
    }

    /**
     * Promotes fraud_detector v1.0.0 to production through a storage without a lock while
     * {@code meanwhile}, a minute later, puts {@code later} in production between the promotion's
     * reads and its write; then checks that the promotion's settling archived v1.0.0 itself.
     */
    private void promoteV1UnlockedWhile(Runnable meanwhile, String later) {
        ModelRegistry promoter = registryOn(new Unlocked(storage, () -> {
            clock.advance(Duration.ofMinutes(1));
            meanwhile.run();
        }));

        Promotion promotion = promoter.promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "read before");

        assertThat(promotion.archived()).extracting(ModelVersion::version).containsExactly("v1.0.0");
        assertThat(registryOn(storage).listVersions("fraud_detector"))
                .extracting(ModelVersion::version, ModelVersion::stage)
                .containsExactly(tuple("v1.0.0", ModelStage.ARCHIVED), tuple(later, ModelStage.PRODUCTION));
    }

    @Test
    void aPromotionStandsWhenTheVersionItSupersedesWasChangedMeanwhileAndItsSettlingArchivesThatVersion() {
        register(registry, "fraud_detector", "v1.0.0", "one", 0.9);
        register(registry, "fraud_detector", "v2.0.0", "two", 0.95);
        registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "first");
        ModelRegistry other = registryOn(new Unlocked(storage, () -> { }));
        ModelRegistry promoter = registryOn(new Unlocked(storage, () -> other.updateModel("fraud_detector", "v1.0.0",
                ModelUpdate.builder().description("edited meanwhile").build())));
        audit.records.clear();

        Promotion promotion = promoter.promoteModel("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "better");

        assertThat(promotion.archived()).extracting(ModelVersion::version).containsExactly("v1.0.0");
        ModelVersion v1 = registryOn(storage).getModel("fraud_detector", "v1.0.0");
        assertThat(v1.stage()).isEqualTo(ModelStage.ARCHIVED);
        assertThat(v1.description()).as("the edit made meanwhile is kept").isEqualTo("edited meanwhile");
        assertThat(registryOn(storage).getProductionVersion("fraud_detector")).map(ModelVersion::version)
                .hasValue("v2.0.0");
        assertThat(audit.records).extracting(AuditRecord::resourceId, AuditRecord::action, AuditRecord::outcome)
                .as("one change for the promotion and the archiving it read; the archiving that lost to the edit "
                        + "is said to have failed, then done again from a fresh read")
                .containsExactly(
                        tuple("fraud_detector:v2.0.0", "promote", Outcome.SUCCESS),
                        tuple("fraud_detector:v1.0.0", "archive", Outcome.SUCCESS),
                        tuple("fraud_detector:v1.0.0", "update", Outcome.SUCCESS),
                        tuple("fraud_detector:v1.0.0", "archive", Outcome.FAILURE),
                        tuple("fraud_detector:v1.0.0", "archive", Outcome.SUCCESS));
    }

    /**
     * A storage with no critical section (as under an S3 lease that expired under a stalled
     * holder, or a file lock a network file system ignores) that runs {@code meanwhile} once, just
     * before its first write of a metadata document: between a promotion's reads and its write.
     */
    private static final class Unlocked extends ForwardingStorage {

        private Runnable meanwhile;

        Unlocked(Storage real, Runnable meanwhile) {
            super(real);
            this.meanwhile = meanwhile;
        }

        @Override
        public Version write(Key key, byte[] content, Condition condition) {
            if (key.value().startsWith("metadata/")) {
                Runnable now = meanwhile;
                meanwhile = () -> { };
                now.run();
            }
            return real.write(key, content, condition);
        }

        @Override
        public <T> T exclusively(Key lock, Duration wait, Supplier<T> body) {
            return body.get();
        }
    }

    @Test
    void aCancelledUploadLeavesNoVersionAndNoUnfinishedUpload() throws IOException {
        Path big = Files.write(dir.resolve("big.bin"), new byte[S3Storage.MIN_PART_BYTES * 2 + 10]);

        assertThatThrownBy(() -> registry.registerModel(RegisterRequest.builder("m", "1", big).framework("x").build(),
                (done, total) -> done < S3Storage.MIN_PART_BYTES))
                .isInstanceOf(RegistrationCancelledException.class)
                .hasMessageContaining("cancelled");

        assertThat(registry.listVersions("m")).isEmpty();
        assertThat(keys("")).filteredOn(key -> key.startsWith("models/") || key.startsWith("metadata/")).isEmpty();
        assertThat(storage.abortUnfinishedUploads("", Duration.ZERO)).as("unfinished uploads left").isZero();
        assertThat(audit.records).isEmpty();
    }

    @Test
    void aWarmRegistryListsWithOneListingAndReadsNoUnchangedDocument() {
        register(registry, "fraud_detector", "v1.0.0", "one", 0.9);
        register(registry, "fraud_detector", "v2.0.0", "two", 0.95);
        register(registry, "churn_model", "1", "three", 0.7);
        CountingStorage counting = new CountingStorage(storage);
        ModelRegistry reader = registryOn(counting);
        reader.snapshot();
        clock.advance(Duration.ofMillis(MetadataCache.RACY_MILLIS)); // read again after the racy window: settled
        reader.snapshot();
        counting.reset();

        RegistrySnapshot warm = reader.snapshot();

        assertThat(warm.versions()).hasSize(3);
        assertThat(counting.lists).hasValue(1);
        assertThat(counting.readsAndStats()).isZero();

        registry.promoteModel("churn_model", "1", ModelStage.STAGING, null);
        assertThat(reader.snapshot().listVersions("churn_model").get(0).stage()).isEqualTo(ModelStage.STAGING);
        assertThat(counting.readsAndStats()).as("only the changed document is read").isEqualTo(1);
    }

    @Test
    void aPromotionLooksOnlyAtTheDocumentsOfItsModelHoweverManyOthersTheRegistryHolds() {
        register(registry, "fraud", "v1", "one", 0.9);
        register(registry, "fraud", "v2", "two", 0.95);
        register(registry, "fraud_detector", "v1", "a name that starts alike", 0.8);
        for (int i = 0; i < 6; i++) {
            register(registry, "churn_model", "v" + i, "another model", 0.7);
        }
        CountingStorage counting = new CountingStorage(storage);
        ModelRegistry promoter = registryOn(counting);

        promoter.promoteModel("fraud", "v2", ModelStage.PRODUCTION, null);

        assertThat(promoter.getModel("fraud", "v2").stage()).isEqualTo(ModelStage.PRODUCTION);
        assertThat(counting.listedObjects.get()).as("fraud's two documents and fraud_detector's, per listing")
                .isLessThanOrEqualTo(3 * counting.lists.get());
        assertThat(registry.getModel("fraud_detector", "v1").stage()).isEqualTo(ModelStage.DEVELOPMENT);
    }

    @Test
    void aNewProcessListsFromTheCacheAnEarlierListingLeftWithoutReadingAnyUnchangedDocument() {
        register(registry, "fraud_detector", "v1.0.0", "one", 0.9);
        register(registry, "fraud_detector", "v2.0.0", "two", 0.95);
        register(registry, "churn_model", "1", "three", 0.7);
        ModelRegistry earlier = registryOn(storage);
        earlier.snapshot();
        if (!storage.versionsIdentifyContent()) {
            // A file's stamp may hide a rewrite within one clock tick: a parse is trusted once read after it.
            clock.advance(Duration.ofMillis(MetadataCache.RACY_MILLIS));
            earlier.snapshot();
        }
        CountingStorage counting = new CountingStorage(storage);

        RegistrySnapshot cold = registryOn(counting).snapshot();

        assertThat(cold.versions()).hasSize(3);
        assertThat(counting.lists).hasValue(1);
        assertThat(counting.readsAndStats()).as("the cache itself, and no document").isEqualTo(1);
    }

    @Test
    void aListingFromACurrentCacheIsHandedOverModelByModelReadingNoDocumentAndGivesWhatTheSnapshotGives() {
        register(registry, "fraud_detector", "v1.0.0", "one", 0.9);
        register(registry, "fraud_detector", "v2.0.0", "two", 0.95);
        register(registry, "churn_model", "1", "three", 0.7);
        register(registry, "zeta_model", "v0.1.0", "four", 0.6);
        settleListingCache();
        CountingStorage counting = new CountingStorage(storage);
        List<ModelVersion> streamed = new ArrayList<>();

        List<RegistryProblem> problems = registryOn(counting).forEachVersion(ModelQuery.all(), streamed::add);

        assertThat(problems).isEmpty();
        assertThat(streamed).isEqualTo(registry.snapshot().versions()).extracting(ModelVersion::id)
                .containsExactly("churn_model:1", "fraud_detector:v1.0.0", "fraud_detector:v2.0.0", "zeta_model:v0.1.0");
        assertThat(counting.lists).hasValue(1);
        assertThat(counting.readsAndStats()).as("the cache itself, and no document").isEqualTo(1);

        // Changed since: a new model between two others, a new version, a promotion, a deletion, a corrupt document.
        register(registry, "eta_model", "v1.0.0", "five", 0.8);
        register(registry, "churn_model", "2", "six", 0.75);
        registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "rollback");
        registry.deleteVersion("zeta_model", "v0.1.0", false);
        storage.write(Key.of("metadata/broken_v1.json"), "{ \"name\": ".getBytes(StandardCharsets.UTF_8), Condition.none());
        counting.reset();
        // A large registry reads the few changed documents and merges them in (here: told every registry is large).
        MetadataFiles large = new MetadataFiles(counting, clock, java.time.ZoneId::systemDefault, 0);
        List<ModelVersion> after = new ArrayList<>();

        List<RegistryProblem> found = large.streamAll(after::addAll);

        RegistrySnapshot snapshot = registryOn(storage).snapshot();
        assertThat(after).isEqualTo(snapshot.versions()).extracting(ModelVersion::id).containsExactly("churn_model:1",
                "churn_model:2", "eta_model:v1.0.0", "fraud_detector:v1.0.0", "fraud_detector:v2.0.0");
        assertThat(found).isEqualTo(snapshot.problems()).singleElement()
                .satisfies(problem -> assertThat(problem.path().toString()).endsWith("broken_v1.json"));
        assertThat(counting.readsAndStats()).as("the cache, and the four documents it does not hold as they are")
                .isEqualTo(5);
        ModelQuery production = new ModelQuery(null, ModelStage.PRODUCTION, null, null, null);
        List<ModelVersion> inProduction = new ArrayList<>();
        registryOn(storage).forEachVersion(production, inProduction::add);
        assertThat(inProduction).isEqualTo(snapshot.search(production)).extracting(ModelVersion::id)
                .containsExactly("fraud_detector:v1.0.0");
    }

    @Test
    void listingsHandedOverModelByModelAloneBringASmallRegistrysCacheUpToDate() {
        register(registry, "fraud_detector", "v1.0.0", "one", 0.9);
        register(registry, "churn_model", "1", "three", 0.7);
        settleListingCache();
        register(registry, "fraud_detector", "v2.0.0", "two", 0.95);
        registry.promoteModel("churn_model", "1", ModelStage.STAGING, "tested");

        // As a pipeline lists, from new processes: the listing rewrites the cache, a later one settles it.
        List<ModelVersion> first = new ArrayList<>();
        registryOn(storage).forEachVersion(ModelQuery.all(), first::add);
        clock.advance(Duration.ofMillis(MetadataCache.RACY_MILLIS));
        registryOn(storage).forEachVersion(ModelQuery.all(), version -> { });
        CountingStorage counting = new CountingStorage(storage);
        List<ModelVersion> settled = new ArrayList<>();

        registryOn(counting).forEachVersion(ModelQuery.all(), settled::add);

        assertThat(settled).isEqualTo(first).isEqualTo(registry.snapshot().versions()).hasSize(3);
        assertThat(counting.readsAndStats()).as("the cache itself, and no document").isEqualTo(1);
    }

    /** Lists so that the cache holds a settled parse of every document (a file's stamp is trusted once read after it). */
    void settleListingCache() {
        registryOn(storage).snapshot();
        clock.advance(Duration.ofMillis(MetadataCache.RACY_MILLIS));
        registryOn(storage).snapshot();
    }

    @Test
    void garbageCollectionRemovesVersionFoldersWithoutMetadataAndKeepsEveryVersion() {
        register(registry, "fraud_detector", "v1.0.0", "one", 0.9);
        storage.create(Key.of("models/fraud_detector/v9.0.0/model.pt"), "abandoned".getBytes(StandardCharsets.UTF_8));
        storage.create(Key.of("models/fraud_detector/v9.0.0/config.yaml"), "{}\n".getBytes(StandardCharsets.UTF_8));
        storage.create(Key.of("metadata/broken_1.json"), "{".getBytes(StandardCharsets.UTF_8));
        storage.create(Key.of("models/broken/1/model.pt"), "unreadable document".getBytes(StandardCharsets.UTF_8));

        GarbageCollection collected = registry.collectGarbage(Duration.ofHours(1));

        assertThat(collected.foldersRemoved()).containsExactly("models/fraud_detector/v9.0.0");
        assertThat(keys("models")).containsExactlyInAnyOrder("models/fraud_detector/v1.0.0/model.pt",
                "models/fraud_detector/v1.0.0/config.yaml", "models/broken/1/model.pt");
        assertThat(registry.verifyArtifact("fraud_detector", "v1.0.0").ok()).isTrue();
        assertThat(registry.collectGarbage(Duration.ZERO)).isEqualTo(new GarbageCollection(0, List.of()));
    }

    @Test
    void aModelDocumentKeepsUnknownFieldsIsLeftAloneByListingAndGarbageCollectionAndGoesWithTheModel() {
        register(registry, "fraud_detector", "v1.0.0", "one", 0.9);
        registry.updateModelDocument("fraud_detector", ModelUpdate.builder().description("Card fraud")
                .addTag("team=risk").build());
        Key key = Key.of("models/fraud_detector/model.json");
        com.fasterxml.jackson.databind.node.ObjectNode stored = neural.mlops.store.Json.parseObject(
                storage.read(key, 1 << 20).orElseThrow().content(), Path.of(key.value()));
        stored.put("owner_team", "risk-ml"); // written by another tool
        storage.replace(key, neural.mlops.store.Json.bytes(Path.of(key.value()), stored),
                storage.read(key, 1 << 20).orElseThrow().version());

        ModelDocument updated = registry.updateModelDocument("fraud_detector",
                ModelUpdate.builder().addTag("team=fraud").build());

        assertThat(updated.tags()).containsExactly("team=fraud");
        assertThat(registryOn(storage).modelDocument("fraud_detector").description()).isEqualTo("Card fraud");
        assertThat(new String(storage.read(key, 1 << 20).orElseThrow().content(), StandardCharsets.UTF_8))
                .contains("\"owner_team\" : \"risk-ml\"");
        assertThat(keys("metadata")).containsExactly("metadata/fraud_detector_v1.0.0.json");
        assertThat(registry.listVersions("fraud_detector")).hasSize(1);
        assertThat(registry.snapshot().problems()).isEmpty();
        assertThat(registry.collectGarbage(Duration.ZERO)).isEqualTo(new GarbageCollection(0, List.of()));
        assertThat(keys("models")).contains("models/fraud_detector/model.json");

        registry.deleteModel("fraud_detector", "retired");

        assertThat(keys("models")).isEmpty();
    }

    @Test
    void aModelDocumentOfAModelWithoutVersionsIsRefusedAndNothingIsWritten() {
        assertThatThrownBy(() -> registry.updateModelDocument("ghost", ModelUpdate.builder().description("x").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("No model is called ghost");

        assertThat(keys("")).filteredOn(key -> key.startsWith("models/") || key.startsWith("metadata/")).isEmpty();
        assertThat(audit.records).isEmpty();
    }

    @Test
    void aRegistrationKilledDuringItsUploadLeavesNothingOnceAnotherProcessWritesAndCanBeRegisteredAgain()
            throws Exception {
        try (Storage workspace = newWorkspace()) {
            Path big = largeModel();
            Key upload = Key.of("models/models/m/v1/" + big.getFileName());

            killDuringUpload(workspace, big, upload);

            Cli list = cli(workspace, "registry", "list", "--json");
            assertThat(list.status()).as(list.output()).isZero();
            assertThat(com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(list.output())
                    .findValuesAsText("name")).doesNotContain("m");
            assertThat(cli(workspace, "registry", "show", "m", "v1").status()).isEqualTo(1);
            assertThat(TestStorages.unfinishedUploads(workspace)).as("what the killed copy left").isNotEmpty();

            TestStorages.awaitUploadLeasesExpired(workspace, upload, Duration.ofSeconds(90));
            Cli other = cli(workspace, "registry", "register", "--name", "other", "--version", "v1",
                    "--model-path", source("other weights").toString(), "--framework", "pytorch");
            assertThat(other.status()).as(other.output()).isZero();

            assertThat(TestStorages.unfinishedUploads(workspace)).isEmpty();
            assertThat(TestStorages.uploadLeases(workspace)).isEmpty();
            Cli again = cli(workspace, "registry", "register", "--name", "m", "--version", "v1",
                    "--model-path", big.toString(), "--framework", "pytorch");
            assertThat(again.status()).as(again.output()).isZero();
            assertThat(cli(workspace, "registry", "show", "m", "v1").status()).isZero();
            assertThat(TestStorages.unfinishedUploads(workspace)).isEmpty();
        }
    }

    @Test
    void theWriteThatAbortsADeadUploadLeavesALiveOneInAnotherProcessAlone() throws Exception {
        try (Storage workspace = newWorkspace()) {
            Path big = largeModel();
            Key dead = Key.of("models/models/m/v1/" + big.getFileName());
            List<String> arguments = new ArrayList<>(TestStorages.arguments(workspace));
            arguments.addAll(List.of("live", "v1", big.toString()));
            Process live = JvmProcess.start(List.of(), PausedRegistrationChild.class.getName(),
                    arguments.toArray(String[]::new));
            try {
                JvmProcess.awaitLine(live, PausedRegistrationChild.UPLOADING);
                killDuringUpload(workspace, big, dead);
                TestStorages.awaitUploadLeasesExpired(workspace, dead, Duration.ofSeconds(90));

                register(registryOn(workspace.under("models")), "other", "v1", "other weights", 0.5);

                assertThat(TestStorages.unfinishedUploads(workspace)).as("the live upload, and only it").isNotEmpty()
                        .allMatch(left -> left.startsWith("models/models/live/v1/"));
                assertThat(TestStorages.uploadLeases(workspace)).hasSize(1);
                OutputStream go = live.getOutputStream();
                go.write("go\n".getBytes(StandardCharsets.UTF_8));
                go.flush();
                String output = new String(live.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(live.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(live.exitValue()).as(output).isZero();
            } finally {
                live.destroyForcibly();
            }
            ModelRegistry reader = registryOn(workspace.under("models"));
            assertThat(reader.listVersions("live")).extracting(ModelVersion::version).containsExactly("v1");
            assertThat(reader.listVersions("m")).isEmpty();
            assertThat(TestStorages.unfinishedUploads(workspace)).isEmpty();
            assertThat(TestStorages.uploadLeases(workspace)).isEmpty();
        }
    }

    // Helpers

    private void assertExactlyOneProductionAndBothTransitions() {
        List<ModelVersion> versions = registryOn(storage).listVersions("fraud_detector");
        assertThat(versions).filteredOn(v -> v.stage() == ModelStage.PRODUCTION).hasSize(1);
        ModelVersion archived = versions.stream().filter(v -> v.stage() == ModelStage.ARCHIVED).findFirst()
                .orElseThrow();
        assertThat(archived.stageHistory()).extracting(StageTransition::to)
                .containsExactly(ModelStage.DEVELOPMENT, ModelStage.PRODUCTION, ModelStage.ARCHIVED);
    }

    /** A CLI process's exit status and what it printed (stdout and stderr), SLF4J's notes left out. */
    record Cli(int status, String output) {
    }

    /** A new, empty workspace on this backend (the registry lives under its {@code models/}). */
    Storage newWorkspace() throws IOException {
        return TestStorages.create(backend(), Files.createDirectories(dir.resolve("workspace")));
    }

    /** A model file of 50 MB: a multipart upload of several parts on S3, fifty chunks on a folder. */
    Path largeModel() throws IOException {
        byte[] content = new byte[50 * 1024 * 1024];
        new java.util.Random(16).nextBytes(content);
        return Files.write(Files.createDirectories(dir.resolve("large")).resolve("model.bin"), content);
    }

    /** Starts a CLI process registering {@code m v1} from {@code model}, and SIGKILLs it once its upload to {@code upload} is under way. */
    void killDuringUpload(Storage workspace, Path model, Key upload) throws Exception {
        try (AutoCloseable held = TestStorages.holdCommits(workspace)) {
            Process killed = startCli(workspace, "registry", "register", "--name", "m", "--version", "v1",
                    "--model-path", model.toString(), "--framework", "pytorch");
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!TestStorages.uploadUnderWay(workspace, upload)) {
                    if (killed.waitFor(20, TimeUnit.MILLISECONDS) || System.nanoTime() > deadline) {
                        throw new AssertionError("The registration was not seen uploading; it printed:\n"
                                + new String(killed.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            } finally {
                killed.destroyForcibly(); // SIGKILL on Linux: no finally block, no shutdown hook runs in the child
                assertThat(killed.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    /** Runs the CLI in a process of its own on {@code workspace}, as a pipeline step would, and waits for it. */
    Cli cli(Storage workspace, String... command) throws Exception {
        Process process = startCli(workspace, command);
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return new Cli(process.exitValue(), output.lines().filter(line -> !line.startsWith("SLF4J"))
                    .collect(Collectors.joining("\n")));
        } finally {
            process.destroyForcibly();
        }
    }

    private Process startCli(Storage workspace, String... command) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("--workspace", TestStorages.workspaceArgument(workspace)));
        arguments.addAll(List.of(command));
        return JvmProcess.start(TestStorages.cliJvmOptions(workspace), TestStorages.cliEnvironment(workspace),
                "neural.mlops.Main", arguments.toArray(String[]::new));
    }

    @Test
    void anAliasIsStoredBesideTheVersionFoldersAndEveryReaderOfVersionsIgnoresIt() {
        register(registry, "fraud_detector", "v1.0.0", "weights one", 0.9);
        register(registry, "fraud_detector", "v2.0.0", "weights two", 0.95);
        Aliases aliases = new Aliases(registry, audit, clock, AliasGuard.ALLOW_ALL);

        aliases.set("fraud_detector", "champion", "v1.0.0", "first");
        clock.advance(Duration.ofMinutes(1));
        aliases.set("fraud_detector", "champion", "v2.0.0", "better");

        assertThat(keys("models")).contains("models/fraud_detector/aliases.json");
        assertThat(keys("metadata")).allMatch(key -> key.startsWith("metadata/fraud_detector_v"));
        assertThat(registry.snapshot().problems()).isEmpty();
        assertThat(registry.collectGarbage(Duration.ZERO).foldersRemoved()).isEmpty();
        assertThat(Aliases.reading(registryOn(storage)).resolve("fraud_detector", "champion")).isEqualTo("v2.0.0");
        assertThat(aliases.history("fraud_detector")).extracting(AliasMove::fromVersion, AliasMove::toVersion)
                .containsExactly(tuple("v1.0.0", "v2.0.0"),
                        tuple(null, "v1.0.0"));
    }

    @Test
    void anAliasChangeIsConditionalOnTheDocumentItRead() {
        register(registry, "fraud_detector", "v1.0.0", "weights one", 0.9);
        register(registry, "fraud_detector", "v2.0.0", "weights two", 0.95);
        Aliases aliases = new Aliases(registry, audit, clock, AliasGuard.ALLOW_ALL);
        aliases.set("fraud_detector", "champion", "v1.0.0", null);
        AliasFile.Loaded read = AliasFile.read(storage, "fraud_detector");

        aliases.set("fraud_detector", "challenger", "v2.0.0", null); // another writer, after the read

        assertThatThrownBy(() -> read.write(storage, read.with("champion",
                new AliasFile.Entry("v2.0.0", "bob", clock.instant(), null))))
                .isInstanceOf(neural.mlops.store.storage.ConditionFailedException.class);
        assertThat(aliases.list("fraud_detector")).extracting(Alias::alias, Alias::version).containsExactly(
                tuple("challenger", "v2.0.0"),
                tuple("champion", "v1.0.0"));
    }

    @Test
    void deletingAWholeModelRemovesItsAliases() {
        register(registry, "fraud_detector", "v1.0.0", "weights one", 0.9);
        Aliases aliases = new Aliases(registry, audit, clock, AliasGuard.ALLOW_ALL);
        aliases.set("fraud_detector", "champion", "v1.0.0", null);

        registry.deleteModel("fraud_detector", "retired");

        assertThat(keys("models")).isEmpty();
        assertThat(aliases.listAll()).isEmpty();
    }

    ModelVersion register(ModelRegistry target, String name, String version, String weights, double accuracy) {
        clock.advance(Duration.ofMinutes(1));
        return target.registerModel(RegisterRequest.builder(name, version, source(weights)).framework("pytorch")
                .metric("accuracy", accuracy).build());
    }

    Path source(String weights) {
        try {
            Path folder = Files.createDirectories(dir.resolve("incoming").resolve(Integer.toString(weights.hashCode())));
            return Files.writeString(folder.resolve("model.pt"), weights);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The keys under {@code folder} in this backend. */
    List<String> keys(String folder) {
        try (Stream<StoredObject> listed = storage.list(folder)) {
            return listed.map(object -> object.key().value()).sorted().toList();
        }
    }

    /** The SPEC 2 keys of a registry in a folder, as a bucket would hold them. */
    private record LocalStorageKeys(Path folder) {
        List<String> list() {
            try (Storage local = new LocalStorage(folder); Stream<StoredObject> listed = local.list("")) {
                return listed.map(object -> object.key().value())
                        .filter(key -> key.startsWith("metadata/") || key.startsWith("models/"))
                        .sorted().collect(Collectors.toList());
            }
        }
    }

}
