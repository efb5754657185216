package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import neural.mlops.store.CorruptDocumentException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingTest {

    @TempDir
    Path workspace;

    Fixtures fx;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(workspace);
    }

    @Test
    void anEmptyOrMissingRegistryListsNothingAndWritesNothing() {
        assertThat(fx.registry.listModels()).isEmpty();
        assertThat(fx.registry.listVersions("m")).isEmpty();
        assertThat(fx.registry.getProductionVersion("m")).isEmpty();
        assertThat(fx.registry.problems()).isEmpty();
        assertThat(fx.root).doesNotExist();
    }

    @Test
    void versionsSortBySemanticVersionWithTheLeadingVOptionalAndPreReleasesFirst() {
        for (String version : List.of("v1.10.0", "v1.9.0", "v1.0.0", "v1.0.0-rc.1", "1.2", "v1.0.0-rc.10", "v1.0.0-beta", "v2")) {
            fx.register("m", version, 0.5);
        }
        assertThat(fx.registry.listVersions("m")).extracting(ModelVersion::version)
                .containsExactly("v1.0.0-beta", "v1.0.0-rc.1", "v1.0.0-rc.10", "v1.0.0", "1.2", "v1.9.0", "v1.10.0", "v2");
    }

    @Test
    void versionsThatAreNotSemanticSortByCreationTimeBeforeTheSemanticOnes() {
        fx.register("m", "v1.0.0", 0.5);
        fx.register("m", "zeta", 0.5);
        fx.register("m", "alpha", 0.5);
        assertThat(fx.registry.listVersions("m")).extracting(ModelVersion::version)
                .containsExactly("zeta", "alpha", "v1.0.0");
    }

    @Test
    void listModelsSummarizesEachModel() {
        fx.register("fraud_detector", "v1.9.0", 0.9);
        fx.register("fraud_detector", "v1.10.0", 0.91);
        fx.registry.registerModel(RegisterRequest.builder("churn", "1", fx.modelFile("m.pkl", "c"))
                .framework("sklearn").tags("retention").build());
        fx.registry.promoteModel("fraud_detector", "v1.9.0", ModelStage.PRODUCTION, null);
        fx.registry.updateModel("fraud_detector", "v1.10.0", ModelUpdate.builder().addTag("fraud").build());

        List<ModelSummary> models = fx.registry.listModels();

        assertThat(models).extracting(ModelSummary::name).containsExactly("churn", "fraud_detector");
        ModelSummary fraud = models.get(1);
        assertThat(fraud.versionCount()).isEqualTo(2);
        assertThat(fraud.latestVersion()).isEqualTo("v1.10.0");
        assertThat(fraud.productionVersion()).isEqualTo("v1.9.0");
        assertThat(fraud.frameworks()).containsExactly("pytorch");
        assertThat(fraud.tags()).containsExactly("fraud");
        assertThat(models.get(0).production()).isEmpty();
        assertThat(fraud.toJson().get("production_version").asText()).isEqualTo("v1.9.0");
    }

    @Test
    void searchFiltersByNameStageTagFrameworkAndText() {
        fx.registry.registerModel(RegisterRequest.builder("fraud_detector", "1", fx.modelFile("a.pt", "a"))
                .framework("pytorch").tags("fraud").description("Card fraud, gradient boosted").build());
        fx.registry.registerModel(RegisterRequest.builder("fraud_scorer", "1", fx.modelFile("b.onnx", "b"))
                .framework("onnx").metric("p95_latency_ms", 12).build());
        fx.registry.registerModel(RegisterRequest.builder("churn", "1", fx.modelFile("c.pkl", "c"))
                .framework("sklearn").tags("Retention").build());
        fx.registry.promoteModel("fraud_scorer", "1", ModelStage.STAGING, null);

        assertThat(ids(ModelQuery.all().withName("FRAUD"))).containsExactly("fraud_detector:1", "fraud_scorer:1");
        assertThat(ids(ModelQuery.all().withStage(ModelStage.STAGING))).containsExactly("fraud_scorer:1");
        assertThat(ids(ModelQuery.all().withTag("retention"))).containsExactly("churn:1");
        assertThat(ids(ModelQuery.all().withFramework("ONNX"))).containsExactly("fraud_scorer:1");
        assertThat(ids(ModelQuery.all().withText("boosted"))).containsExactly("fraud_detector:1");
        assertThat(ids(ModelQuery.all().withText("latency"))).containsExactly("fraud_scorer:1");
        assertThat(ids(ModelQuery.all().withName("fraud").withFramework("pytorch"))).containsExactly("fraud_detector:1");
        assertThat(ids(ModelQuery.all())).hasSize(3);
    }

    @Test
    void aCorruptDocumentIsReportedAndLeftAloneWhileTheRestStillLists() throws Exception {
        fx.register("good", "1", 0.5);
        fx.register("also_good", "1", 0.5);
        Path broken = fx.root.resolve("metadata/broken_1.json");
        Files.writeString(broken, "{\"name\": \"broken\", \"version\": ");
        Path badStage = fx.root.resolve("metadata/odd_1.json");
        Files.writeString(badStage, "{\"name\": \"odd\", \"version\": \"1\", \"stage\": \"limbo\"}");
        Path badMetric = fx.root.resolve("metadata/worse_1.json");
        Files.writeString(badMetric, "{\"name\": \"worse\", \"version\": \"1\", \"stage\": \"staging\", \"metrics\": {\"a\": \"abc\"}}");

        assertThat(fx.registry.listModels()).extracting(ModelSummary::name).containsExactly("also_good", "good");
        assertThat(fx.registry.problems()).extracting(RegistryProblem::path).containsExactly(broken, badStage, badMetric);
        assertThat(fx.registry.problems().get(1).message()).contains("Unknown stage 'limbo'");
        assertThat(fx.registry.problems().get(2).message()).contains("'a' is not a finite number");
        assertThat(broken).hasContent("{\"name\": \"broken\", \"version\": ");
        assertThatThrownBy(() -> fx.registry.getModel("broken", "1")).isInstanceOf(CorruptDocumentException.class);
    }

    @Test
    void identityComesFromTheDocumentNotItsFileName() throws Exception {
        fx.register("a_b", "c", 0.5);
        fx.register("a", "b", 0.5);
        Files.move(fx.metadataFile("a", "b"), fx.root.resolve("metadata/renamed_by_hand.json"));

        assertThat(fx.registry.search(ModelQuery.all())).extracting(ModelVersion::id)
                .containsExactlyInAnyOrder("a_b:c", "a:b");
        assertThat(fx.registry.listVersions("a_b")).extracting(ModelVersion::version).containsExactly("c");
    }

    @Test
    void aSecondDocumentForTheSameVersionIsReportedAndTheCanonicalOneWins() throws Exception {
        fx.register("m", "1", 0.5);
        Files.copy(fx.metadataFile("m", "1"), fx.root.resolve("metadata/copy_of_m.json"));

        assertThat(fx.registry.search(ModelQuery.all())).hasSize(1);
        assertThat(fx.registry.problems()).singleElement()
                .satisfies(p -> assertThat(p.path().getFileName().toString()).isEqualTo("copy_of_m.json"));
    }

    @Test
    void aDocumentWrittenByTheOriginalPythonToolIsRead() throws Exception {
        Files.createDirectories(fx.root.resolve("metadata"));
        Files.writeString(fx.metadataFile("legacy", "v1.0.0"), """
                {
                  "name": "legacy",
                  "version": "v1.0.0",
                  "stage": "staging",
                  "created_at": "2024-01-15T13:45:00.123456",
                  "created_by": "data_scientist@company.com",
                  "framework": "pytorch",
                  "metrics": {"accuracy": 0.95, "f1": 0.93},
                  "tags": [],
                  "description": "",
                  "model_path": "/home/ds/models/models/legacy/v1.0.0/model.pt",
                  "config_path": "",
                  "approval_status": "pending",
                  "approved_by": null,
                  "approved_at": null
                }
                """);

        ModelVersion legacy = fx.registry.getModel("legacy", "v1.0.0");

        assertThat(legacy.createdAt()).isEqualTo(Instant.parse("2024-01-15T13:45:00.123456Z"));
        assertThat(legacy.modelFile()).isEqualTo("model.pt");
        assertThat(legacy.modelPath()).isEqualTo(Path.of("models", "legacy", "v1.0.0", "model.pt"));
        assertThat(legacy.modelSha256()).isNull();
        assertThat(legacy.modelSizeBytes()).isEqualTo(-1);
        fx.clock.advance(Duration.ofDays(1));
        fx.registry.promoteModel("legacy", "v1.0.0", ModelStage.PRODUCTION, "reviewed");
        assertThat(neural.mlops.store.Json.readObject(fx.metadataFile("legacy", "v1.0.0")).get("approval_status").asText())
                .isEqualTo("pending");
        assertThat(fx.registry.verifyArtifact("legacy", "v1.0.0").status()).isEqualTo(ArtifactCheck.Status.MISSING);
    }

    private List<String> ids(ModelQuery query) {
        return fx.registry.search(query).stream().map(ModelVersion::id).toList();
    }
}
