package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import neural.mlops.store.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Comparing several versions: their config.yaml, a chosen baseline, versions of other models, unknown hashes. */
class CompareFullyTest {

    @TempDir
    Path workspace;

    private ModelVersion register(Fixtures fx, String name, String version, Map<String, Object> config,
                                  Map<String, Double> metrics) {
        return fx.registry.registerModel(RegisterRequest.builder(name, version, fx.modelFile("model.pt", name + version))
                .framework("pytorch").metrics(metrics).config(config).build());
    }

    @Test
    void theConfigurationDiffComesFromEachVersionsConfigYamlAgainstTheChosenBaseline() throws Exception {
        Fixtures fx = new Fixtures(workspace);
        register(fx, "fraud", "v1", Map.of("optimizer", Map.of("lr", 0.01), "epochs", 10), Map.of("accuracy", 0.9));
        register(fx, "fraud", "v2", Map.of("optimizer", Map.of("lr", 0.005), "epochs", 10), Map.of("accuracy", 0.93));
        register(fx, "fraud", "v3", Map.of("optimizer", Map.of("lr", 0.005), "epochs", 20, "seed", 7),
                Map.of("accuracy", 0.95));
        // config.yaml is what the comparison reads, even where the metadata mirrors something else.
        Files.writeString(fx.root.resolve("models/fraud/v3/config.yaml"), "optimizer:\n  lr: 0.005\nepochs: 30\nseed: 7\n");

        VersionsComparison byFirst = fx.registry.compareVersions("fraud", List.of("v1", "v2", "v3"));
        assertThat(byFirst.baselineVersion().version()).isEqualTo("v1");
        assertThat(byFirst.againstBaseline(2).orElseThrow().config().differences())
                .extracting(ConfigDiff.Entry::path, ConfigDiff.Entry::kind)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("optimizer.lr", ConfigDiff.Kind.CHANGED),
                        org.assertj.core.groups.Tuple.tuple("epochs", ConfigDiff.Kind.CHANGED),
                        org.assertj.core.groups.Tuple.tuple("seed", ConfigDiff.Kind.ADDED));
        assertThat(byFirst.againstBaseline(2).orElseThrow().config().differences())
                .filteredOn(entry -> entry.path().equals("epochs")).singleElement()
                .satisfies(entry -> assertThat(entry.other()).isEqualTo(30));

        VersionsComparison byThird = byFirst.withBaseline(2);
        assertThat(byThird.baselineVersion().version()).isEqualTo("v3");
        assertThat(byThird.againstBaseline(2)).isEmpty();
        ModelComparison v1AgainstV3 = byThird.againstBaseline(0).orElseThrow();
        assertThat(v1AgainstV3.version1()).isEqualTo("v3");
        assertThat(v1AgainstV3.version2()).isEqualTo("v1");
        assertThat(v1AgainstV3.metricsComparison().get("accuracy").difference()).isEqualTo(-0.05);
        assertThat(v1AgainstV3.config().differences()).extracting(ConfigDiff.Entry::path)
                .containsExactlyInAnyOrder("optimizer.lr", "epochs", "seed");

        assertThat(byFirst.configRows()).extracting(VersionsComparison.ConfigRow::path, VersionsComparison.ConfigRow::differs)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("optimizer.lr", true),
                        org.assertj.core.groups.Tuple.tuple("epochs", true),
                        org.assertj.core.groups.Tuple.tuple("seed", true));
        assertThat(byFirst.configRows()).filteredOn(row -> row.path().equals("seed")).singleElement()
                .satisfies(row -> assertThat(row.present()).containsExactly(false, false, true));
    }

    @Test
    void versionsOfDifferentModelsAreComparedWhenTheyShareAMetricAndRefusedWhenTheyShareNone() {
        Fixtures fx = new Fixtures(workspace);
        register(fx, "fraud", "v1", Map.of(), Map.of("accuracy", 0.9, "loss", 0.3));
        register(fx, "fraud_challenger", "v1", Map.of(), Map.of("accuracy", 0.94));
        register(fx, "churn", "v1", Map.of(), Map.of("auc", 0.8));

        VersionsComparison across = fx.registry.compare(List.of(VersionId.parse("fraud:v1"),
                VersionId.parse("fraud_challenger:v1")), 0);
        assertThat(across.acrossModels()).isTrue();
        assertThat(across.sharedMetrics()).containsExactly("accuracy");
        assertThat(across.label(1)).isEqualTo("fraud_challenger:v1");
        ModelComparison pair = across.againstBaseline(1).orElseThrow();
        assertThat(pair.metricsComparison().get("accuracy").better()).isEqualTo(MetricComparison.Better.VERSION2);
        ObjectNode json = pair.toJson();
        assertThat(json.get("name").asText()).isEqualTo("fraud");
        assertThat(json.get("name2").asText()).isEqualTo("fraud_challenger");

        assertThatThrownBy(() -> fx.registry.compare(List.of(VersionId.parse("fraud:v1"), VersionId.parse("churn:v1")), 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("share a metric")
                .hasMessageContaining("fraud:v1, churn:v1");
        assertThatThrownBy(() -> fx.registry.compare(List.of(VersionId.parse("fraud:v1"), VersionId.parse("fraud:v1")), 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("chosen twice");
        assertThatThrownBy(() -> VersionId.parse("fraud-v1")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("MODEL:VERSION");
    }

    @Test
    void theHashIsUnknownNotTheSameWhenAVersionRecordsNone() {
        Fixtures fx = new Fixtures(workspace);
        ModelVersion first = register(fx, "m", "1", Map.of(), Map.of("accuracy", 0.9));
        ModelVersion second = register(fx, "m", "2", Map.of(), Map.of("accuracy", 0.9));
        ModelVersion unhashed1 = withHash(first, null);
        ModelVersion unhashed2 = withHash(second, null);

        ModelComparison neither = ModelComparison.of(unhashed1, unhashed2);
        assertThat(neither.hash()).isEqualTo(ModelComparison.HashComparison.UNKNOWN);
        assertThat(neither.toJson().at("/artifact_comparison/sha256/changed").isNull()).isTrue();
        assertThat(neither.toJson().at("/artifact_comparison/sha256/status").asText()).isEqualTo("unknown");
        assertThat(ModelComparison.of(first, unhashed2).hash()).isEqualTo(ModelComparison.HashComparison.UNKNOWN);
        assertThat(ModelComparison.of(first, withHash(second, first.modelSha256())).hash())
                .isEqualTo(ModelComparison.HashComparison.SAME);
        assertThat(ModelComparison.of(first, second).hash()).isEqualTo(ModelComparison.HashComparison.CHANGED);
    }

    private static ModelVersion withHash(ModelVersion v, String sha256) {
        return new ModelVersion(v.name(), v.version(), v.stage(), v.framework(), v.createdBy(), v.createdAt(),
                v.updatedAt(), v.description(), v.metrics(), v.tags(), v.modelFile(), v.modelPath(),
                v.modelSizeBytes(), sha256, v.config(), v.stageHistory(), v.lineage());
    }
}
