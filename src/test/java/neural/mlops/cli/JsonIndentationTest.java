package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import neural.mlops.store.Json;
import org.junit.jupiter.api.Test;

class JsonIndentationTest {

    private static final String DOCUMENT = """
            [{"name": "fraud", "metrics": {"auc": 0.91, "f1": null}, "tags": ["a", "b"], "empty": {}, "none": [],
              "history": [{"from": null, "to": "staging", "nested": [[1, 2], [], [{"x": {"y": [true, false]}}]]}]},
             {}, [], "text", 3]""";

    @Test
    void writesJacksonsDefaultPrettyPrintingByteForByte() throws IOException {
        JsonNode document = Json.mapper().readTree(DOCUMENT);

        String jacksons = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(document);

        assertThat(Json.mapper().writer(JsonIndentation.printer()).writeValueAsString(document)).isEqualTo(jacksons);
        assertThat(throughAGenerator(document)).isEqualTo(jacksons);
    }

    /** As the command line's streamed arrays write: one UTF-8 generator, the printer set on it. */
    private static String throughAGenerator(JsonNode document) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator generator = Json.mapper().getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
            generator.setPrettyPrinter(JsonIndentation.printer());
            Json.mapper().writeTree(generator, document);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
