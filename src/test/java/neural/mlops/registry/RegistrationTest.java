package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.SafeYaml;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistrationTest {

    @TempDir
    Path workspace;

    Fixtures fx;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(workspace);
    }

    @Test
    void theNewFoldersOfARegistrationAreFlushedIntoTheirParentsSoTheySurviveAPowerCut() throws Exception {
        Path source = fx.modelFile("model.pt", "weights");
        java.util.List<Path> synced = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AutoCloseable recording = neural.mlops.store.Faults.recordSyncedFolders(synced)) {
            fx.registry.registerModel(RegisterRequest.builder("fraud_detector", "v1.0.0", source).framework("pytorch")
                    .build());
        }
        Path models = fx.root.resolve("models").toAbsolutePath();
        // models/fraud_detector/v1.0.0 were created for the artifact: each one's entry is flushed in its parent.
        assertThat(synced).contains(models, models.resolve("fraud_detector"), models.resolve("fraud_detector/v1.0.0"));
    }

    @Test
    void registeringCopiesTheModelFileAndWritesConfigThenMetadataOnTheOriginalLayout() throws Exception {
        Path source = fx.modelFile("model.pt", "weights");
        ModelVersion registered = fx.registry.registerModel(RegisterRequest.builder("fraud_detector", "v1.0.0", source)
                .framework("pytorch")
                .createdBy("data_scientist@company.com")
                .metric("accuracy", 0.95)
                .metric("f1", 0.93)
                .tags("fraud", "baseline")
                .description("First fraud model")
                .config(Map.of("learning_rate", 0.001))
                .build());

        Path versionDir = fx.root.resolve("models/fraud_detector/v1.0.0");
        assertThat(versionDir.resolve("model.pt")).hasContent("weights");
        assertThat(SafeYaml.loadMap(versionDir.resolve("config.yaml"))).containsEntry("learning_rate", 0.001);
        ObjectNode doc = Json.readObject(fx.metadataFile("fraud_detector", "v1.0.0"));
        assertThat(doc.get("name").asText()).isEqualTo("fraud_detector");
        assertThat(doc.get("version").asText()).isEqualTo("v1.0.0");
        assertThat(doc.get("stage").asText()).isEqualTo("development");
        assertThat(doc.get("framework").asText()).isEqualTo("pytorch");
        assertThat(doc.get("created_by").asText()).isEqualTo("data_scientist@company.com");
        assertThat(doc.get("created_at").asText()).isEqualTo("2024-01-15T12:00:00.123456Z");
        assertThat(doc.get("updated_at").asText()).isEqualTo("2024-01-15T12:00:00.123456Z");
        assertThat(doc.get("description").asText()).isEqualTo("First fraud model");
        assertThat(doc.get("metrics").get("accuracy").asDouble()).isEqualTo(0.95);
        assertThat(doc.get("tags").toString()).isEqualTo("[\"fraud\",\"baseline\"]");
        assertThat(doc.get("model_file").asText()).isEqualTo("model.pt");
        assertThat(doc.get("model_path").asText()).isEqualTo("models/fraud_detector/v1.0.0/model.pt");
        assertThat(doc.get("model_size_bytes").asLong()).isEqualTo(7);
        assertThat(doc.get("model_sha256").asText()).isEqualTo(sha256("weights"));
        assertThat(doc.get("config").get("learning_rate").asDouble()).isEqualTo(0.001);
        assertThat(doc.get("stage_history")).hasSize(1);
        assertThat(doc.get("stage_history").get(0).get("from").isNull()).isTrue();
        assertThat(doc.get("stage_history").get(0).get("to").asText()).isEqualTo("development");
        assertThat(doc.get("stage_history").get(0).get("by").asText()).isEqualTo("alice");
        assertThat(doc.has("lineage")).isFalse();
        assertThat(registered).isEqualTo(fx.registry.getModel("fraud_detector", "v1.0.0"));
        assertThat(fx.registry.artifactPath(registered)).hasValue(fx.root.resolve("models/fraud_detector/v1.0.0/model.pt"));
        assertThat(fx.registry.configPath(registered)).hasValue(versionDir.resolve("config.yaml"));
    }

    @Test
    void theMetadataDocumentHoldsExactlyTheFieldsOfSpec21AndTheArtifactScan() {
        fx.registry.registerModel(RegisterRequest.builder("m", "1", fx.modelFile("m.onnx", "x"))
                .framework("onnx")
                .lineage(new Lineage("abc123", "run-7", "s3://data/2024-01", "0"))
                .build());
        ObjectNode doc = Json.readObject(fx.metadataFile("m", "1"));
        List<String> fields = new ArrayList<>();
        doc.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("name", "version", "stage", "framework", "created_by", "created_at",
                "updated_at", "description", "metrics", "tags", "model_file", "model_path", "model_size_bytes",
                "model_sha256", "config", "stage_history", "lineage", "artifact");
        assertThat(doc.get("lineage").toString()).isEqualTo(
                "{\"source_commit\":\"abc123\",\"run_id\":\"run-7\",\"dataset\":\"s3://data/2024-01\",\"parent_version\":\"0\"}");
        assertThat(fx.registry.getModel("m", "1").lineage().runId()).isEqualTo("run-7");
    }

    @Test
    void theCreatorDefaultsToTheActingUser() {
        assertThat(fx.register("m", "1", 0.5).createdBy()).isEqualTo("alice");
    }

    @Test
    void registeringAnExistingVersionIsRefusedAndChangesNothing() {
        fx.register("fraud_detector", "v1.0.0", 0.9);
        Map<String, String> before = TreeSnapshot.of(workspace);

        assertThatThrownBy(() -> fx.register("fraud_detector", "v1.0.0", 0.99))
                .isInstanceOf(ConflictException.class)
                .hasMessage("Version v1.0.0 of fraud_detector already exists; choose a new version");
        assertThat(TreeSnapshot.of(workspace)).isEqualTo(before);
    }

    @Test
    void aVersionWhoseMetadataFileNameIsTakenByAnotherIdentityIsRefused() {
        fx.register("a_b", "c", 0.9);
        Map<String, String> before = TreeSnapshot.of(fx.root);

        assertThatThrownBy(() -> fx.register("a", "b_c", 0.9))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("a_b_c.json is already used by a_b c");
        assertThat(TreeSnapshot.of(fx.root)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil", "a/b", "", ".", "..", "has space", "CON", "nul.txt", "-dash", "trailing.",
        "x12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678"})
    void namesAndVersionsBreakingTheRuleAreRefusedBeforeAnythingIsWritten(String bad) throws IOException {
        Path source = fx.modelFile("model.pt", "w");
        Map<String, String> before = TreeSnapshot.of(workspace);

        assertThatThrownBy(() -> RegisterRequest.builder(bad, "v1", source).framework("pytorch").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("model name");
        assertThatThrownBy(() -> RegisterRequest.builder("ok", bad, source).framework("pytorch").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("version");
        assertThat(TreeSnapshot.of(workspace)).isEqualTo(before);
        assertThat(fx.root).doesNotExist();
    }

    @Test
    void aMissingModelFileOrAFolderIsRefusedAndNothingIsWritten() throws IOException {
        Path folder = Files.createDirectories(workspace.resolve("model_dir"));
        Map<String, String> before = TreeSnapshot.of(workspace);

        assertThatThrownBy(() -> fx.registry.registerModel(
                RegisterRequest.builder("m", "1", workspace.resolve("missing.pt")).framework("pytorch").build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("missing.pt does not exist");
        assertThatThrownBy(() -> fx.registry.registerModel(
                RegisterRequest.builder("m", "1", folder).framework("pytorch").build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is a folder");
        assertThat(TreeSnapshot.of(workspace)).isEqualTo(before);
    }

    @Test
    void aModelFileWhoseNameBreaksTheRuleOrIsConfigYamlIsRefused() {
        Path spaced = fx.modelFile("my model.pt", "w");
        Path config = fx.modelFile("config.yaml", "w");
        assertThatThrownBy(() -> fx.registry.registerModel(RegisterRequest.builder("m", "1", spaced).framework("x").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("model file name 'my model.pt'");
        assertThatThrownBy(() -> fx.registry.registerModel(RegisterRequest.builder("m", "1", config).framework("x").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("config.yaml");
        assertThat(fx.root).doesNotExist();
    }

    @Test
    void metricsThatAreNotFiniteNumbersAreRefused() {
        RegisterRequest.Builder builder = RegisterRequest.builder("m", "1", Path.of("m.pt")).framework("x");
        assertThatThrownBy(() -> builder.metric("accuracy", Double.NaN))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("Metric 'accuracy' must be a finite number, not NaN");
        assertThatThrownBy(() -> builder.metric("loss", Double.POSITIVE_INFINITY))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> builder.metrics(Map.of("x", Double.NEGATIVE_INFINITY)))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aFrameworkIsRequiredAndTagsAreKeptOnceInTheirOrder() {
        assertThatThrownBy(() -> RegisterRequest.builder("m", "1", Path.of("m.pt")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("framework");
        RegisterRequest request = RegisterRequest.builder("m", "1", Path.of("m.pt")).framework("x")
                .tags("b", "a", "B").tag("c").build();
        assertThat(request.tags()).containsExactly("b", "a", "c");
        assertThatThrownBy(() -> RegisterRequest.builder("m", "1", Path.of("m.pt")).framework("x").tag("two\nlines").build())
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aConfigurationIsMirroredInConfigYamlAndTheMetadata() {
        Map<String, Object> config = SafeYaml.loadMap("optimizer: adam\nlayers: [64, 32]\nschedule:\n  warmup: 10\n", "config");
        ModelVersion registered = fx.registry.registerModel(
                RegisterRequest.builder("m", "1", fx.modelFile("m.pt", "x")).framework("x").config(config).build());

        assertThat(SafeYaml.loadMap(fx.registry.configPath(registered).orElseThrow())).isEqualTo(config);
        assertThat(registered.config()).containsEntry("optimizer", "adam").containsEntry("layers", List.of(64, 32));
        assertThat(Json.readObject(fx.metadataFile("m", "1")).get("config").toString())
                .isEqualTo("{\"optimizer\":\"adam\",\"layers\":[64,32],\"schedule\":{\"warmup\":10}}");
    }

    @Test
    void aConfigurationWithANonFiniteNumberIsRefused() {
        Map<String, Object> config = SafeYaml.loadMap("rate: .nan\n", "config");
        assertThatThrownBy(() -> RegisterRequest.builder("m", "1", Path.of("m.pt")).framework("x").config(config).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("config.rate");
    }

    @Test
    void theCopyReportsProgressUpToTheFileSize() {
        byte[] content = new byte[ArtifactCopy.CHUNK * 2 + 10];
        Path source = write("big.bin", content);
        List<long[]> calls = new ArrayList<>();
        fx.registry.registerModel(RegisterRequest.builder("m", "1", source).framework("x").build(),
                (done, total) -> calls.add(new long[] {done, total}));

        assertThat(calls).hasSize(3);
        assertThat(calls.get(0)).containsExactly(ArtifactCopy.CHUNK, content.length);
        assertThat(calls.get(2)).containsExactly(content.length, content.length);
        assertThat(fx.registry.getModel("m", "1").modelSizeBytes()).isEqualTo(content.length);
    }

    @Test
    void aCancelledCopyThrowsAndLeavesNothingBehind() {
        Path source = write("big.bin", new byte[ArtifactCopy.CHUNK * 3]);
        Map<String, String> before = TreeSnapshot.of(workspace);

        assertThatThrownBy(() -> fx.registry.registerModel(RegisterRequest.builder("m", "1", source).framework("x").build(),
                (done, total) -> done < ArtifactCopy.CHUNK * 2))
                .isInstanceOf(RegistrationCancelledException.class)
                .hasMessageContaining("cancelled");
        assertThat(TreeSnapshot.of(workspace)).isEqualTo(before);
        assertThat(fx.registry.listVersions("m")).isEmpty();
    }

    @Test
    void aCancelledCopyInAnExistingRegistryRemovesOnlyWhatItCreated() {
        fx.register("m", "1", 0.5);
        Path source = write("big.bin", new byte[ArtifactCopy.CHUNK + 1]);
        Map<String, String> before = TreeSnapshot.of(workspace);

        assertThatThrownBy(() -> fx.registry.registerModel(RegisterRequest.builder("m", "2", source).framework("x").build(),
                (done, total) -> false))
                .isInstanceOf(RegistrationCancelledException.class);
        assertThat(TreeSnapshot.of(workspace)).isEqualTo(before);
    }

    @Test
    void aVersionFolderWithoutMetadataIsNotRegisteredAndRegisteringAgainReplacesIt() throws IOException {
        Path versionDir = Files.createDirectories(fx.root.resolve("models/m/1"));
        Files.writeString(versionDir.resolve("old_model.pt"), "half");
        Files.writeString(versionDir.resolve(".model.pt.1a2b3c4d.tmp"), "half a copy");
        Files.writeString(versionDir.resolve("config.yaml"), "stale: true\n");
        assertThat(fx.registry.listVersions("m")).isEmpty();
        assertThat(fx.registry.listModels()).isEmpty();

        fx.register("m", "1", 0.5);

        try (Stream<Path> files = Files.list(versionDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.pt", "config.yaml");
        }
        assertThat(versionDir.resolve("config.yaml")).hasContent("{}\n");
        assertThat(fx.registry.listVersions("m")).extracting(ModelVersion::version).containsExactly("1");
    }

    @Test
    void registeringStraightIntoProductionArchivesTheCurrentProductionVersion() {
        fx.register("m", "1", 0.5);
        fx.registry.promoteModel("m", "1", ModelStage.PRODUCTION, "first release");

        ModelVersion second = fx.registry.registerModel(RegisterRequest.builder("m", "2", fx.modelFile("m.pt", "2"))
                .framework("x").stage(ModelStage.PRODUCTION).reason("hotfix").build());

        assertThat(second.stage()).isEqualTo(ModelStage.PRODUCTION);
        assertThat(second.stageHistory()).singleElement()
                .satisfies(t -> assertThat(t.reason()).isEqualTo("hotfix"));
        assertThat(fx.registry.getModel("m", "1").stage()).isEqualTo(ModelStage.ARCHIVED);
        assertThat(fx.registry.getProductionVersion("m")).contains(second);
    }

    private Path write(String name, byte[] content) {
        try {
            return Files.write(Files.createDirectories(workspace.resolve("incoming")).resolve(name), content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theNextRegistrationOfAModelRemovesThePartialCopyOfAnAbandonedOne() throws IOException {
        fx.register("m", "1", 0.5);
        // A registration of m 2 killed during its copy two hours ago, never retried; one of m 3 copying now.
        Path abandoned = Files.createDirectories(fx.root.resolve("models/m/2")).resolve(".model.pt.0a1b2c3d.tmp");
        Files.writeString(abandoned, "half a model");
        Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(2))));
        Path copying = Files.createDirectories(fx.root.resolve("models/m/3")).resolve(".model.pt.4e5f6a7b.tmp");
        Files.writeString(copying, "a copy under way");

        fx.register("m", "4", 0.6);

        assertThat(fx.root.resolve("models/m/2")).doesNotExist();
        assertThat(copying).exists();
        assertThat(fx.registry.listVersions("m")).extracting(ModelVersion::version).containsExactly("1", "4");
    }
}
