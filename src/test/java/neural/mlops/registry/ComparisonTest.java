package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ComparisonTest {

    @TempDir
    Path workspace;

    @ParameterizedTest
    @ValueSource(strings = {"loss", "val_loss", "error_rate", "MAE", "test_mse", "rmse", "p95_latency_ms", "perplexity"})
    void lossErrorAndLatencyMetricsAreLowerIsBetter(String metric) {
        assertThat(MetricDirection.lowerIsBetter(metric)).isTrue();
        assertThat(MetricDirection.of(metric)).isEqualTo(MetricDirection.LOWER_IS_BETTER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"accuracy", "f1", "auc", "precision", "recall", "throughput"})
    void otherMetricsAreHigherIsBetter(String metric) {
        assertThat(MetricDirection.lowerIsBetter(metric)).isFalse();
        assertThat(MetricDirection.of(metric)).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
    }

    @Test
    void aMetricComparisonGivesDifferencePercentChangeAndTheBetterVersion() {
        MetricComparison accuracy = MetricComparison.of("accuracy", 0.95, 0.96);
        assertThat(accuracy.difference()).isEqualTo(0.01);
        assertThat(accuracy.percentChange()).isCloseTo(1.0526315789, within(1e-9));
        assertThat(accuracy.better()).isEqualTo(MetricComparison.Better.VERSION2);

        MetricComparison loss = MetricComparison.of("val_loss", 0.20, 0.25);
        assertThat(loss.difference()).isEqualTo(0.05);
        assertThat(loss.percentChange()).isEqualTo(25.0);
        assertThat(loss.better()).isEqualTo(MetricComparison.Better.VERSION1);
        assertThat(loss.lowerIsBetter()).isTrue();

        assertThat(MetricComparison.of("f1", 0.9, 0.9).better()).isEqualTo(MetricComparison.Better.EQUAL);
        assertThat(MetricComparison.of("bias", 0.0, 0.5).percentChange()).isNull();
        assertThat(MetricComparison.of("bias", -2.0, -1.0).percentChange()).isEqualTo(50.0);
    }

    @Test
    void aMetricPresentOnOneSideOnlyIsNullOnTheOther() {
        MetricComparison onlyFirst = MetricComparison.of("recall", 0.8, null);
        assertThat(onlyFirst.version2()).isNull();
        assertThat(onlyFirst.difference()).isNull();
        assertThat(onlyFirst.percentChange()).isNull();
        assertThat(onlyFirst.better()).isNull();
    }

    @Test
    void comparingTwoVersionsCoversMetricsStageFrameworkTagsAndArtifact() {
        Fixtures fx = new Fixtures(workspace);
        fx.registry.registerModel(RegisterRequest.builder("fraud_detector", "v1.0.0", fx.modelFile("model.pt", "one"))
                .framework("pytorch").metric("accuracy", 0.95).metric("loss", 0.30).metric("recall", 0.7)
                .tags("fraud", "baseline").build());
        fx.registry.registerModel(RegisterRequest.builder("fraud_detector", "v2.0.0", fx.modelFile("model.onnx", "two!"))
                .framework("onnx").metric("accuracy", 0.96).metric("loss", 0.25).metric("f1", 0.94)
                .tags("fraud", "production-ready").build());
        fx.registry.promoteModel("fraud_detector", "v2.0.0", ModelStage.STAGING, null);

        ModelComparison comparison = fx.registry.compareModels("fraud_detector", "v1.0.0", "v2.0.0");

        assertThat(comparison.metricsComparison()).containsOnlyKeys("accuracy", "loss", "recall", "f1");
        assertThat(comparison.metricsComparison().get("accuracy").difference()).isEqualTo(0.01);
        assertThat(comparison.metricsComparison().get("loss").better()).isEqualTo(MetricComparison.Better.VERSION2);
        assertThat(comparison.metricsComparison().get("recall").version2()).isNull();
        assertThat(comparison.metricsComparison().get("f1").version1()).isNull();
        assertThat(comparison.stage()).isEqualTo(new ValueChange<>(ModelStage.DEVELOPMENT, ModelStage.STAGING));
        assertThat(comparison.framework().changed()).isTrue();
        assertThat(comparison.tagsAdded()).containsExactly("production-ready");
        assertThat(comparison.tagsRemoved()).containsExactly("baseline");
        assertThat(comparison.sizeBytes()).isEqualTo(new ValueChange<>(3L, 4L));
        assertThat(comparison.sha256().changed()).isTrue();

        ObjectNode json = comparison.toJson();
        assertThat(json.at("/metrics_comparison/accuracy/difference").asDouble()).isEqualTo(0.01);
        assertThat(json.at("/metrics_comparison/accuracy/version1").asDouble()).isEqualTo(0.95);
        assertThat(json.at("/metrics_comparison/accuracy/percent_change").isNumber()).isTrue();
        assertThat(json.at("/metrics_comparison/loss/better").asText()).isEqualTo("version2");
        assertThat(json.at("/metrics_comparison/recall/version2").isNull()).isTrue();
        assertThat(json.at("/metrics_comparison/recall/better").isNull()).isTrue();
        assertThat(json.at("/stage_comparison/version2").asText()).isEqualTo("staging");
        assertThat(json.at("/framework_comparison/version2").asText()).isEqualTo("onnx");
        assertThat(json.at("/tags_added/0").asText()).isEqualTo("production-ready");
        assertThat(json.at("/tags_removed/0").asText()).isEqualTo("baseline");
        assertThat(json.at("/artifact_comparison/size_bytes/difference").asLong()).isEqualTo(1);
        assertThat(json.at("/artifact_comparison/sha256/changed").asBoolean()).isTrue();
    }

    @Test
    void severalVersionsCanBeComparedSideBySide() {
        Fixtures fx = new Fixtures(workspace);
        fx.register("m", "1", 0.90);
        fx.register("m", "2", 0.93);
        fx.register("m", "3", 0.92);

        VersionsComparison table = fx.registry.compareVersions("m", java.util.List.of("1", "2", "3"));

        assertThat(table.versions()).extracting(ModelVersion::version).containsExactly("1", "2", "3");
        assertThat(table.metrics()).containsExactly("accuracy");
        assertThat(table.value("accuracy", 2)).isEqualTo(0.92);
        assertThat(table.best("accuracy")).map(ModelVersion::version).contains("2");
        assertThat(table.againstBaseline()).extracting(ModelComparison::version2).containsExactly("2", "3");
        assertThat(table.againstBaseline().get(1).metricsComparison().get("accuracy").difference()).isEqualTo(0.02);
    }
}
