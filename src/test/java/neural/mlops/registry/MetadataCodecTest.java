package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.IndentedJsonBytes;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetadataCodecTest {

    @ParameterizedTest
    @ValueSource(strings = {"2024-01-15T12:00:00.123456Z", "2024-01-15T13:00:00.123456+01:00", "2024-01-15T12:00:00.123456",
        " 2024-01-15T12:00:00.123456Z"})
    void storedTimesAreReadByTheOneParserOfTheStores(String text) {
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("name", "m").put("version", "1").put("stage", "staging").put("created_at", text).put("updated_at", text);

        ModelVersion read = MetadataCodec.fromJson(doc, Path.of("m_1.json"), ZoneId::systemDefault);

        assertThat(read.createdAt()).isEqualTo(UtcTime.parse(text)).isEqualTo(Instant.parse("2024-01-15T12:00:00.123456Z"));
        assertThat(read.updatedAt()).isEqualTo(read.createdAt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"models/models/fraud_detector/v2.0.0/model.pt", "registry/models/fraud_detector/v2.0.0/model.pt",
        "/home/alice/work/models/models/fraud_detector/v2.0.0/model.pt", "C:\\work\\models\\models\\fraud_detector\\v2.0.0\\model.pt"})
    void theOriginalsModelPathIsResolvedToTheLayoutWhereItWroteTheFile(String stored) {
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("name", "fraud_detector").put("version", "v2.0.0").put("stage", "production").put("model_path", stored);

        ModelVersion read = MetadataCodec.fromJson(doc, Path.of("fraud_detector_v2.0.0.json"), ZoneId::systemDefault);

        assertThat(read.modelFile()).isEqualTo("model.pt");
        assertThat(read.modelPath()).isEqualTo(Path.of("models", "fraud_detector", "v2.0.0", "model.pt"));
    }

    @Test
    void nonFiniteMetricsAsPythonWritesThemAreReadNotRefused() {
        ObjectNode doc = (ObjectNode) Json.parseStoredObject("""
                {"name": "m", "version": "1", "stage": "development",
                 "metrics": {"loss": Infinity, "accuracy": NaN, "low": -Infinity, "quoted": "NaN", "auc": 0.5}}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8), Path.of("m_1.json"));

        ModelVersion read = MetadataCodec.fromJson(doc, Path.of("m_1.json"), ZoneId::systemDefault);

        assertThat(read.metrics()).containsEntry("loss", Double.POSITIVE_INFINITY).containsEntry("low", Double.NEGATIVE_INFINITY)
                .containsEntry("auc", 0.5);
        assertThat(read.metrics().get("accuracy")).isNaN();
        assertThat(read.metrics().get("quoted")).isNaN();
        assertThatThrownBy(() -> Json.parseObject("{\"a\": NaN}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Path.of("input.json"))).isInstanceOf(CorruptDocumentException.class);
    }

    @Test
    void anImpossibleDateMakesTheDocumentCorrupt() {
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("name", "m").put("version", "1").put("stage", "staging").put("created_at", "2023-02-29T00:00:00.000000Z");
        assertThatThrownBy(() -> MetadataCodec.fromJson(doc, Path.of("m_1.json"), ZoneId::systemDefault))
                .isInstanceOf(CorruptDocumentException.class)
                .hasMessageContaining("created_at");
    }

    @Test
    void aDocumentRoundTripsThroughJson() {
        Instant at = Instant.parse("2024-01-15T12:00:00.123456Z");
        ModelVersion version = new ModelVersion("m", "v1", ModelStage.STAGING, "onnx", "alice", at, at.plusSeconds(5),
                "multi\nline", java.util.Map.of("accuracy", 0.9), List.of("a"), "m.onnx",
                Path.of("models", "m", "v1", "m.onnx"), 12, "ab", java.util.Map.of("depth", 3, "lr", 0.1),
                List.of(new StageTransition(null, ModelStage.STAGING, at, "alice", "registered")),
                new Lineage("c0ffee", null, null, null));
        assertThat(MetadataCodec.fromJson(version.toJson(), Path.of("m_v1.json"), ZoneId::systemDefault)).isEqualTo(version);
    }

    /**
     * A configuration decimal written as {@code valueToTree} then the tree would write it (a BigDecimal
     * with its trailing zeros stripped), whether it takes the shortcut or not: random doubles of every
     * magnitude, fractions and whole numbers, and the edges of the shortcut's range.
     */
    @Test
    void decimalsAreWrittenAsTheirTreesWriteThem() throws Exception {
        Random random = new Random(7);
        List<Double> numbers = new ArrayList<>(List.of(1e-3, -1e-3, 9.999999999999e6,
                1e7, 1e7 + 0.5, 0.0010000000000000002, 0.5, 1.5, 10.0, 100.0, 0.1, 0.30000000000000004, 123.456,
                Math.nextDown(1e-3), Math.nextUp(1e-3), Math.nextDown(1e7), 0.0, -0.0, Double.NaN,
                Double.POSITIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE));
        for (int i = 0; i < 50_000; i++) {
            double magnitude = Math.pow(10, random.nextInt(24) - 8);
            double number = random.nextDouble() * magnitude * (random.nextBoolean() ? 1 : -1);
            numbers.add(number);
            numbers.add(Math.rint(number));
            numbers.add(Math.round(number * 1000) / 1000.0);
        }
        IndentedJsonBytes written = new IndentedJsonBytes();
        for (double number : numbers) {
            MetadataCodec.writeDecimal(number, written.clear());
            String asTree = Json.mapper().writeValueAsString(Json.mapper().valueToTree(number));
            if (Double.isFinite(number)) {
                assertThat(new String(written.bytes(), 0, written.length(), StandardCharsets.UTF_8)).as("%s", number)
                        .isEqualTo(asTree);
            } else {
                assertThat(written.plain()).as("%s is left to the tree, which quotes it as %s", number, asTree).isFalse();
            }
        }
    }
}
