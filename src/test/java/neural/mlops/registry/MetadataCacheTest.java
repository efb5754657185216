package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import neural.mlops.store.storage.CountingStorage;
import neural.mlops.store.storage.ForwardingStorage;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.StoredObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A listing from the cache is the listing the documents give, whatever happened to them or to the cache. */
class MetadataCacheTest {

    @TempDir
    Path dir;

    Fixtures fx;

    @BeforeEach
    void aSmallRegistry() {
        fx = new Fixtures(dir);
        fx.register("fraud_detector", "v1.0.0", 0.91);
        fx.register("fraud_detector", "v1.1.0", 0.93);
        fx.registry.promoteModel("fraud_detector", "v1.1.0", ModelStage.PRODUCTION, "better");
        fx.register("churn_model", "v2.0.0", 0.8);
    }

    Path cacheFile() {
        return fx.root.resolve(MetadataCache.KEY.value());
    }

    /** What parsing every document gives, without the cache. */
    RegistrySnapshot parsed() {
        MetadataFiles.Loaded loaded = new MetadataFiles(new LocalStorage(fx.root), fx.clock, java.time.ZoneId::systemDefault).loadAll();
        return new RegistrySnapshot(loaded.entries().stream().map(MetadataFiles.Entry::version).toList(), loaded.problems());
    }

    /** A listing by a registry opened afresh (another process), on the tests' clock. */
    RegistrySnapshot listed() {
        return new ModelRegistry(fx.root, fx.audit, "alice", fx.clock).snapshot();
    }

    /** Lists twice, the racy window apart, so that every document's parse is settled in the cache. */
    void settle() {
        listed();
        fx.clock.advance(Duration.ofMillis(MetadataCache.RACY_MILLIS));
        listed();
    }

    @Test
    void aListingFromTheCacheIsTheListingTheDocumentsGive() {
        RegistrySnapshot first = listed();
        assertThat(cacheFile()).exists();
        settle();

        RegistrySnapshot fromCache = listed();

        assertThat(fromCache.versions()).isEqualTo(parsed().versions()).isEqualTo(first.versions()).hasSize(3);
        assertThat(fromCache.problems()).isEmpty();
        assertThat(fromCache.getProductionVersion("fraud_detector")).map(ModelVersion::version).hasValue("v1.1.0");
        assertThat(new MetadataCache(new LocalStorage(fx.root)).read().values())
                .allSatisfy(cached -> assertThat(cached.settled()).isTrue());
    }

    @Test
    void aSettledDocumentIsTakenFromTheCacheWithoutBeingReadAgain() throws IOException {
        settle();
        // Edited behind the storage's back, keeping size and time: its version is the same, so it is not read.
        Path file = fx.metadataFile("churn_model", "v2.0.0");
        FileTime time = Files.getLastModifiedTime(file);
        Files.writeString(file, Files.readString(file).replace("\"accuracy\" : 0.8", "\"accuracy\" : 0.7"));
        Files.setLastModifiedTime(file, time);

        assertThat(listed().listVersions("churn_model").get(0).metrics()).containsEntry("accuracy", 0.8);
        assertThat(parsed().listVersions("churn_model").get(0).metrics()).containsEntry("accuracy", 0.7);
    }

    @Test
    void aDocumentChangedBehindTheCacheIsReadAgain() throws IOException {
        settle();
        Path file = fx.metadataFile("churn_model", "v2.0.0");
        FileTime time = Files.getLastModifiedTime(file);
        // Another tool edits the document in place and the file keeps its time: its size tells.
        Files.writeString(file, Files.readString(file).replace("\"development\"", "\"staging\""));
        Files.setLastModifiedTime(file, time);

        assertThat(listed().listVersions("churn_model")).singleElement()
                .satisfies(version -> assertThat(version.stage()).isEqualTo(ModelStage.STAGING));
    }

    @Test
    void aDocumentEditedWithinTheRacyWindowAfterItWasFirstSeenIsReadAgain() throws IOException {
        listed();
        Path file = fx.metadataFile("churn_model", "v2.0.0");
        FileTime time = Files.getLastModifiedTime(file);
        // Edited again within the same tick of the file system's clock: same size, same time, same version.
        Files.writeString(file, Files.readString(file).replace("\"accuracy\" : 0.8", "\"accuracy\" : 0.6"));
        Files.setLastModifiedTime(file, time);
        fx.clock.advance(Duration.ofMillis(MetadataCache.RACY_MILLIS - 1));

        assertThat(listed().listVersions("churn_model").get(0).metrics()).containsEntry("accuracy", 0.6);
    }

    @Test
    void promotionsThroughTheRegistryShowInTheNextListing() {
        settle();

        fx.registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "rollback");

        RegistrySnapshot after = listed();
        assertThat(after.getProductionVersion("fraud_detector")).map(ModelVersion::version).hasValue("v1.0.0");
        assertThat(after.versions()).isEqualTo(parsed().versions());
    }

    @Test
    void addedAndDeletedDocumentsShowInTheNextListing() {
        settle();

        fx.register("churn_model", "v2.1.0", 0.82);
        fx.registry.deleteVersion("fraud_detector", "v1.0.0", false);

        assertThat(listed().versions()).extracting(ModelVersion::id)
                .containsExactly("churn_model:v2.0.0", "churn_model:v2.1.0", "fraud_detector:v1.1.0");
    }

    @Test
    void aDamagedCacheIsIgnoredAndRewritten() throws IOException {
        listed();
        byte[] bytes = Files.readAllBytes(cacheFile());
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(cacheFile(), bytes);

        assertThat(listed().versions()).isEqualTo(parsed().versions());
        assertThat(Files.readAllBytes(cacheFile())).isNotEqualTo(bytes);
        assertThat(new MetadataCache(new LocalStorage(fx.root)).read()).hasSize(3);
    }

    @Test
    void aCacheOfGarbageIsIgnored() throws IOException {
        Files.createDirectories(cacheFile().getParent());
        Files.write(cacheFile(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});

        assertThat(listed().versions()).isEqualTo(parsed().versions());
    }

    @Test
    void aCorruptDocumentIsReportedOnEveryListingAndNeverCached() throws IOException {
        Files.writeString(fx.root.resolve("metadata/broken_v1.json"), "{ \"name\": ");
        settle();

        RegistrySnapshot first = listed();
        RegistrySnapshot second = listed();

        assertThat(first.problems()).singleElement().satisfies(problem ->
                assertThat(problem.path().getFileName().toString()).isEqualTo("broken_v1.json"));
        assertThat(second.problems()).isEqualTo(first.problems());
        assertThat(second.versions()).hasSize(3);
        assertThat(new MetadataCache(new LocalStorage(fx.root)).read()).doesNotContainKey("broken_v1.json");
    }

    /** What a listing handed over model by model gives, and the problems it met. */
    record Streamed(List<ModelVersion> versions, List<RegistryProblem> problems) {
    }

    Streamed streamed(Storage storage) {
        List<ModelVersion> versions = new ArrayList<>();
        List<RegistryProblem> problems = new ModelRegistry(storage, fx.audit, "alice", fx.clock, PromotionGuard.ALLOW_ALL,
                ActiveDeployments.NONE).forEachVersion(ModelQuery.all(), versions::add);
        return new Streamed(versions, problems);
    }

    @Test
    void aDamagedEntryIsReadFromItsDocumentWhileTheOtherVersionsComeFromTheCache() throws IOException {
        settle();
        byte[] bytes = Files.readAllBytes(cacheFile());
        int headLength = ByteBuffer.wrap(bytes, 8, 4).getInt();
        bytes[8 + 4 + headLength + 4 + 10] ^= 0x5a; // inside the first entry, past the checked head
        Files.write(cacheFile(), bytes);
        CountingStorage counting = new CountingStorage(new LocalStorage(fx.root));

        Streamed listed = streamed(counting);

        assertThat(listed.versions()).isEqualTo(parsed().versions());
        assertThat(listed.problems()).isEmpty();
        assertThat(counting.readsAndStats()).as("the cache and the one document whose entry is damaged").isEqualTo(2);
    }

    @Test
    void twoDocumentsClaimingOneVersionAreListedAsASnapshotListsThem() throws IOException {
        settle();
        Files.copy(fx.metadataFile("churn_model", "v2.0.0"), fx.root.resolve("metadata/churn_model_copy.json"));

        Streamed listed = streamed(new LocalStorage(fx.root));

        RegistrySnapshot snapshot = listed();
        assertThat(listed.versions()).isEqualTo(snapshot.versions()).hasSize(3);
        assertThat(listed.problems()).isEqualTo(snapshot.problems()).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("describes churn_model v2.0.0 again"));
    }

    @Test
    void whichOfSeveralClaimsToOneVersionIsKeptDoesNotDependOnTheOrderTheStorageListsThem() throws IOException {
        settle();
        Path canonical = fx.metadataFile("churn_model", "v2.0.0");
        Files.copy(canonical, fx.root.resolve("metadata/churn_model_a.json"));
        Files.copy(canonical, fx.root.resolve("metadata/churn_model_b.json"));
        Files.copy(fx.metadataFile("fraud_detector", "v1.0.0"), fx.root.resolve("metadata/fraud_detector_y.json"));
        Files.move(fx.metadataFile("fraud_detector", "v1.0.0"), fx.root.resolve("metadata/fraud_detector_z.json"));
        Files.writeString(fx.root.resolve("metadata/broken_1.json"), "{");

        for (boolean reversed : new boolean[] {false, true}) {
            Storage storage = reversed ? new ReverseListing(new LocalStorage(fx.root)) : new LocalStorage(fx.root);
            RegistrySnapshot snapshot = new ModelRegistry(storage, fx.audit, "alice", fx.clock, PromotionGuard.ALLOW_ALL,
                    ActiveDeployments.NONE).snapshot();

            assertThat(snapshot.versions()).as("reversed: " + reversed).isEqualTo(parsed().versions()).hasSize(3);
            assertThat(snapshot.problems()).as("in the order of their files, reversed: " + reversed)
                    .extracting(problem -> problem.path().getFileName().toString(), RegistryProblem::message)
                    .satisfiesExactly(
                            broken -> assertThat(broken.toList()).first().isEqualTo("broken_1.json"),
                            a -> assertThat(a.toList()).containsExactly("churn_model_a.json", fx.root.resolve(
                                    "metadata/churn_model_a.json") + " describes churn_model v2.0.0 again; ignored in "
                                    + "favour of churn_model_v2.0.0.json"),
                            b -> assertThat(b.toList()).first().isEqualTo("churn_model_b.json"),
                            z -> assertThat(z.toList()).containsExactly("fraud_detector_z.json", fx.root.resolve(
                                    "metadata/fraud_detector_z.json") + " describes fraud_detector v1.0.0 again; ignored "
                                    + "in favour of fraud_detector_y.json"));
        }
    }

    /** A folder listed backwards: no storage promises an order. */
    private static final class ReverseListing extends ForwardingStorage {
        ReverseListing(Storage real) {
            super(real);
        }

        @Override
        public Stream<StoredObject> list(String folder) {
            try (Stream<StoredObject> listed = real.list(folder)) {
                List<StoredObject> objects = new ArrayList<>(listed.sorted(Comparator.comparing(StoredObject::key)).toList());
                Collections.reverse(objects);
                return objects.stream();
            }
        }
    }

    @Test
    void twoVersionsLeftInProductionAreSettledModelByModelAsTheSnapshotSettlesThem() throws IOException {
        settle();
        Path first = fx.metadataFile("fraud_detector", "v1.0.0");
        Files.writeString(first, Files.readString(first).replaceFirst("\"stage\" : \"development\"", "\"stage\" : \"production\""));
        fx.clock.advance(Duration.ofMillis(MetadataCache.RACY_MILLIS));

        Streamed listed = streamed(new LocalStorage(fx.root));

        assertThat(listed.versions()).isEqualTo(listed().versions());
        assertThat(listed.versions()).filteredOn(version -> version.stage() == ModelStage.PRODUCTION).singleElement()
                .satisfies(version -> assertThat(version.version()).isEqualTo("v1.1.0"));
    }

    @Test
    void everyValueOfAVersionSurvivesTheCache() {
        ModelVersion version = new ModelVersion("cfg_model", "v1.0.0", ModelStage.STAGING, "onnx", "erin",
                Instant.parse("2024-01-15T12:00:00.123456Z"), Instant.parse("2024-01-16T12:00:00Z"), "all values",
                Map.of("accuracy", 0.5, "loss", -1.25e-9), List.of("a", "b"), "model.onnx",
                Path.of("models", "cfg_model", "v1.0.0", "model.onnx"), 42, "ab".repeat(32),
                Map.of("int", 1, "long", 5_000_000_000L, "big", new java.math.BigInteger("123456789012345678901234567890"),
                        "double", 0.25, "bool", true, "list", List.of(1, "two", List.of()), "map", Map.of("k", "v")),
                List.of(new StageTransition(null, ModelStage.DEVELOPMENT, Instant.parse("2024-01-15T12:00:00Z"), "erin",
                        "registered")), new Lineage("abc1234", null, "s3://data", "v0.9.0"));
        MetadataCache cache = new MetadataCache(new LocalStorage(fx.root));
        MetadataCache.Cached cached = new MetadataCache.Cached(new MetadataCache.Stamp(10, "5f2a-a"), version, 20, true);

        assertThat(cache.write(Map.of("cfg_model_v1.0.0.json", cached))).isEqualTo(MetadataCache.Outcome.WRITTEN);

        assertThat(cache.read().get("cfg_model_v1.0.0.json")).isEqualTo(cached);
    }

    @Test
    void aProcessDoesNotPutItsOlderViewOverTheCacheAnotherProcessWroteSinceItRead() {
        listed();
        MetadataCache slow = new MetadataCache(new LocalStorage(fx.root));
        MetadataCache fast = new MetadataCache(new LocalStorage(fx.root));
        Map<String, MetadataCache.Cached> seenBySlow = slow.read();
        Map<String, MetadataCache.Cached> seenByFast = fast.read();
        assertThat(fast.write(Map.of())).isEqualTo(MetadataCache.Outcome.WRITTEN);

        assertThat(slow.write(seenBySlow)).isEqualTo(MetadataCache.Outcome.WRITTEN_SINCE);

        assertThat(seenByFast).isNotEmpty();
        assertThat(new MetadataCache(new LocalStorage(fx.root)).read()).isEmpty();
    }
}
