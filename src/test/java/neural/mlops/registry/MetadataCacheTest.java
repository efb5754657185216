package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A listing from the cache is the listing the documents give, whatever happened to them or to the cache. */
class MetadataCacheTest {

    @TempDir
    Path dir;

    Fixtures fx;

    @BeforeEach
    void aSmallRegistry() throws IOException {
        fx = new Fixtures(dir);
        fx.register("fraud_detector", "v1.0.0", 0.91);
        fx.register("fraud_detector", "v1.1.0", 0.93);
        fx.registry.promoteModel("fraud_detector", "v1.1.0", ModelStage.PRODUCTION, "better");
        fx.register("churn_model", "v2.0.0", 0.8);
        ageDocuments(); // older than the racy window, so that the cache keeps them
    }

    Path cacheFile() {
        return fx.root.resolve(MetadataCache.FOLDER).resolve(MetadataCache.FILE);
    }

    /** What parsing every document gives, without the cache. */
    RegistrySnapshot parsed() {
        MetadataFiles.Loaded loaded = new MetadataFiles(fx.root).loadAll();
        return new RegistrySnapshot(loaded.entries().stream().map(MetadataFiles.Entry::version).toList(), loaded.problems());
    }

    RegistrySnapshot listed() {
        return new ModelRegistry(fx.root).snapshot();
    }

    @Test
    void aListingFromTheCacheIsTheListingTheDocumentsGive() {
        RegistrySnapshot first = listed();
        assertThat(cacheFile()).exists();

        RegistrySnapshot second = listed();

        assertThat(second.versions()).isEqualTo(parsed().versions()).isEqualTo(first.versions()).hasSize(3);
        assertThat(second.problems()).isEmpty();
        assertThat(second.getProductionVersion("fraud_detector")).map(ModelVersion::version).hasValue("v1.1.0");
    }

    @Test
    void aDocumentChangedBehindTheCacheIsReadAgain() throws IOException {
        listed();
        Path file = fx.metadataFile("churn_model", "v2.0.0");
        FileTime time = Files.getLastModifiedTime(file);
        // Another tool edits the document in place and the file keeps its time: its size tells.
        Files.writeString(file, Files.readString(file).replace("\"development\"", "\"staging\""));
        Files.setLastModifiedTime(file, time);

        assertThat(listed().listVersions("churn_model")).singleElement()
                .satisfies(version -> assertThat(version.stage()).isEqualTo(ModelStage.STAGING));
    }

    @Test
    void aDocumentReplacedByAnotherOfTheSameSizeAndTimeIsReadAgain() throws IOException {
        listed();
        Path file = fx.metadataFile("churn_model", "v2.0.0");
        FileTime time = Files.getLastModifiedTime(file);
        String edited = Files.readString(file).replace("\"accuracy\" : 0.8", "\"accuracy\" : 0.7");
        // Written beside it and renamed over it, as every store write is: same size, same time, a new file.
        Path replacement = file.resolveSibling("replacement.tmp");
        Files.writeString(replacement, edited);
        Files.setLastModifiedTime(replacement, time);
        Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        assertThat(listed().listVersions("churn_model").get(0).metrics()).containsEntry("accuracy", 0.7);
    }

    @Test
    void aDocumentWrittenJustBeforeAListingIsNotTrustedToTheCache() throws IOException {
        Path file = fx.metadataFile("churn_model", "v2.0.0");
        FileTime justNow = FileTime.from(Instant.now().minusMillis(500));
        Files.setLastModifiedTime(file, justNow);
        listed();
        // Edited again within the same tick of the file system's clock: same size, same time, same file.
        Files.writeString(file, Files.readString(file).replace("\"accuracy\" : 0.8", "\"accuracy\" : 0.6"));
        Files.setLastModifiedTime(file, justNow);

        assertThat(listed().listVersions("churn_model").get(0).metrics()).containsEntry("accuracy", 0.6);
    }

    @Test
    void promotionsThroughTheRegistryShowInTheNextListing() {
        listed();

        fx.registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "rollback");

        RegistrySnapshot after = listed();
        assertThat(after.getProductionVersion("fraud_detector")).map(ModelVersion::version).hasValue("v1.0.0");
        assertThat(after.versions()).isEqualTo(parsed().versions());
    }

    @Test
    void addedAndDeletedDocumentsShowInTheNextListing() throws IOException {
        listed();

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
        assertThat(new MetadataCache(fx.root).read()).hasSize(3);
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
        ageDocuments();

        RegistrySnapshot first = listed();
        RegistrySnapshot second = listed();

        assertThat(first.problems()).singleElement().satisfies(problem ->
                assertThat(problem.path().getFileName().toString()).isEqualTo("broken_v1.json"));
        assertThat(second.problems()).isEqualTo(first.problems());
        assertThat(second.versions()).hasSize(3);
        assertThat(new MetadataCache(fx.root).read()).doesNotContainKey("broken_v1.json");
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
        MetadataCache cache = new MetadataCache(fx.root);
        MetadataCache.Stamp stamp = new MetadataCache.Stamp(10, 20, "key");

        assertThat(cache.write(Map.of("cfg_model_v1.0.0.json", new MetadataCache.Cached(stamp, version)),
                System.currentTimeMillis() * 1_000_000L)).isTrue();

        assertThat(cache.read().get("cfg_model_v1.0.0.json")).isEqualTo(new MetadataCache.Cached(stamp, version));
    }

    /** Sets every document's time an hour back, as if written long before the listing. */
    private void ageDocuments() throws IOException {
        FileTime hourAgo = FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS));
        try (var files = Files.list(fx.root.resolve("metadata"))) {
            for (Path file : files.toList()) {
                Files.setLastModifiedTime(file, hourAgo);
            }
        }
    }
}
