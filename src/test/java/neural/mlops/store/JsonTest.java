package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {

    @TempDir
    Path dir;

    @Test
    void unknownFieldsSurviveARewrite() throws IOException {
        Path file = Files.writeString(dir.resolve("doc.json"),
                "{\"name\": \"m\", \"stage\": \"development\", \"written_by_other_tool\": {\"x\": [1, 2]}}");
        ObjectNode original = Json.readObject(file);
        ObjectNode updated = Json.mapper().createObjectNode().put("name", "m").put("stage", "staging");

        Json.writeAtomically(file, Json.preserveUnknown(original, updated));

        ObjectNode reread = Json.readObject(file);
        assertThat(reread.get("stage").asText()).isEqualTo("staging");
        assertThat(reread.get("written_by_other_tool").get("x").get(1).asInt()).isEqualTo(2);
    }

    @Test
    void dataAfterTheValueIsACorruptDocumentSoItIsNeverRewrittenWithoutIt() throws IOException {
        for (String trailing : new String[] {" {\"stage\": \"production\"}", "\n[1]", " 42", " \"x\"", " garbage"}) {
            Path file = Files.writeString(dir.resolve("trailing.json"), "{\"stage\": \"development\"}" + trailing);
            assertThatThrownBy(() -> Json.readObject(file))
                    .as(trailing)
                    .isInstanceOf(CorruptDocumentException.class)
                    .hasMessageContaining("trailing.json");
        }
        Path file = Files.writeString(dir.resolve("trailing.json"), "{\"stage\": \"development\"} {\"stage\": \"x\"}");
        assertThatThrownBy(() -> Json.readObject(file)).hasMessageContaining("more data after the JSON value");
    }

    @Test
    void whiteSpaceAfterTheValueIsFine() throws IOException {
        Path file = Files.writeString(dir.resolve("spaced.json"), "{\"stage\": \"development\"}\n\n  \t\r\n");
        assertThat(Json.readObject(file).get("stage").asText()).isEqualTo("development");
    }

    @Test
    void duplicateKeysAreACorruptDocument() throws IOException {
        Path file = Files.writeString(dir.resolve("dup.json"), "{\"stage\": \"production\", \"stage\": \"archived\"}");
        assertThatThrownBy(() -> Json.readObject(file))
                .isInstanceOf(CorruptDocumentException.class)
                .hasMessageContaining("dup.json")
                .hasMessageContaining("Duplicate field");
    }

    @Test
    void nonFiniteNumbersTruncatedFilesAndNonObjectsAreCorrupt() throws IOException {
        for (String content : new String[] {"{\"accuracy\": NaN}", "{\"name\": \"m\"", "[1, 2]", "", "not json"}) {
            Path file = Files.writeString(dir.resolve("bad.json"), content);
            assertThatThrownBy(() -> Json.readObject(file))
                    .as(content)
                    .isInstanceOf(CorruptDocumentException.class)
                    .satisfies(error -> assertThat(((CorruptDocumentException) error).path()).isEqualTo(file));
        }
    }

    @Test
    void deepNestingIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("deep.json"), "{\"a\":" + "[".repeat(500) + "]".repeat(500) + "}");
        assertThatThrownBy(() -> Json.readObject(file)).isInstanceOf(CorruptDocumentException.class);
    }

    @Test
    void aMissingFileIsAnIoErrorNamingThePath() {
        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> Json.readObject(missing))
                .isInstanceOf(StoreIOException.class)
                .hasMessageContaining("missing.json");
    }
}
