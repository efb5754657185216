package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import neural.mlops.store.CorruptDocumentException;
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

        ModelVersion read = MetadataCodec.fromJson(doc, Path.of("m_1.json"));

        assertThat(read.createdAt()).isEqualTo(UtcTime.parse(text)).isEqualTo(Instant.parse("2024-01-15T12:00:00.123456Z"));
        assertThat(read.updatedAt()).isEqualTo(read.createdAt());
    }

    @Test
    void anImpossibleDateMakesTheDocumentCorrupt() {
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("name", "m").put("version", "1").put("stage", "staging").put("created_at", "2023-02-29T00:00:00.000000Z");
        assertThatThrownBy(() -> MetadataCodec.fromJson(doc, Path.of("m_1.json")))
                .isInstanceOf(CorruptDocumentException.class)
                .hasMessageContaining("created_at");
    }

    @Test
    void aDocumentRoundTripsThroughJson() {
        Instant at = Instant.parse("2024-01-15T12:00:00.123456Z");
        ModelVersion version = new ModelVersion("m", "v1", ModelStage.STAGING, "onnx", "alice", at, at.plusSeconds(5),
                "multi\nline", java.util.Map.of("accuracy", 0.9), java.util.List.of("a"), "m.onnx",
                Path.of("models", "m", "v1", "m.onnx"), 12, "ab", java.util.Map.of("depth", 3, "lr", 0.1),
                java.util.List.of(new StageTransition(null, ModelStage.STAGING, at, "alice", "registered")),
                new Lineage("c0ffee", null, null, null));
        assertThat(MetadataCodec.fromJson(version.toJson(), Path.of("m_v1.json"))).isEqualTo(version);
    }
}
