package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeYamlTest {

    @TempDir
    Path dir;

    @Test
    void loadsAPlainMapping() throws IOException {
        Path file = Files.writeString(dir.resolve("config.yaml"), "learning_rate: 0.001\nlayers: [64, 32]\nname: x\n");
        Map<String, Object> map = SafeYaml.loadMap(file);
        assertThat(map).containsEntry("learning_rate", 0.001).containsEntry("name", "x");
        assertThat(map.get("layers")).isEqualTo(List.of(64, 32));
    }

    @Test
    void anEmptyFileIsAnEmptyMapping() throws IOException {
        assertThat(SafeYaml.loadMap(Files.writeString(dir.resolve("e.yaml"), ""))).isEmpty();
    }

    @Test
    void aBillionLaughsFileIsRefusedQuickly() {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*").append(p)
                    .append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p)
                    .append(",*").append(p).append(",*").append(p).append("]\n");
        }
        long started = System.nanoTime();
        assertThatThrownBy(() -> SafeYaml.loadMap(bomb.toString(), "bomb.yaml"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bomb.yaml");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void arbitraryTypesAreNeverConstructed() {
        String attack = "x: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1/\"]]]]";
        assertThatThrownBy(() -> SafeYaml.loadMap(attack, "evil.yaml"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("evil.yaml");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "a: " + "[".repeat(200) + "]".repeat(200);
        assertThatThrownBy(() -> SafeYaml.loadMap(deep, "deep.yaml")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void syntaxErrorsNameTheLine() {
        assertThatThrownBy(() -> SafeYaml.loadMap("a: 1\nb: [unclosed\nc: 3\n", "ws.yaml"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ws.yaml")
                .hasMessageContaining("line");
    }

    @Test
    void duplicateKeysAndNonMappingsAreRefused() {
        assertThatThrownBy(() -> SafeYaml.loadMap("a: 1\na: 2\n", "dup.yaml")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> SafeYaml.loadMap("- 1\n- 2\n", "list.yaml"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("mapping");
    }

    @Test
    void oversizedFilesAreRefusedBeforeParsing() throws IOException {
        Path big = Files.writeString(dir.resolve("big.yaml"), "a: \"" + "x".repeat(SafeYaml.MAX_BYTES) + "\"\n");
        assertThatThrownBy(() -> SafeYaml.loadMap(big))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("larger than");
    }

    @Test
    void dumpWritesBlockYamlThatLoadsBack() {
        Map<String, Object> config = Map.of("epochs", 10, "optimizer", Map.of("name", "adam", "lr", 0.01));
        assertThat(SafeYaml.loadMap(SafeYaml.dump(config), "round-trip")).isEqualTo(config);
    }

    @Test
    void aFileOfScalarAliasesThatWouldExpandToGigabytesIsRefused() {
        String amplified = scalarAliases(100 * 1024, 20_000);
        assertThat(amplified.length()).isLessThan(SafeYaml.MAX_BYTES);

        assertThatThrownBy(() -> SafeYaml.loadMap(amplified, "config.yaml"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("config.yaml")
                .hasMessageContaining("aliases expand to more than");
        assertThatThrownBy(() -> SafeYaml.compose(amplified, "workspace.yaml"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("aliases expand to more than");
    }

    @Test
    void manySmallAliasesBeyondTheNodeBoundAreRefused() {
        // 49 aliases of lists, under the alias count, that expand to 600,000 values.
        StringBuilder yaml = new StringBuilder("a: &a [" + "1,".repeat(999) + "1]\n");
        yaml.append("b: &b [").append("*a,".repeat(24)).append("*a]\n");
        yaml.append("c: [").append("*b,".repeat(23)).append("*b]\n");

        assertThatThrownBy(() -> SafeYaml.loadMap(yaml.toString(), "nodes.yaml"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("nodes.yaml")
                .hasMessageContaining("more than " + SafeYaml.MAX_EXPANDED_NODES + " values");
    }

    @Test
    void aFewAliasesAsPeopleWriteThemStillLoad() {
        String yaml = "defaults: &defaults {lr: 0.01, epochs: 10}\nname: &name fraud\n"
                + "train: *defaults\neval: *defaults\ntitle: *name\n";

        Map<String, Object> map = SafeYaml.loadMap(yaml, "config.yaml");

        assertThat(map.get("train")).isEqualTo(Map.of("lr", 0.01, "epochs", 10));
        assertThat(map.get("title")).isEqualTo("fraud");
    }

    @Test
    void theExpansionIsBoundedInCharactersJustPastTheLimitAndNotBefore() {
        int size = 64 * 1024;
        long copies = SafeYaml.MAX_EXPANDED_CHARS / size;
        assertThat(SafeYaml.loadMap(scalarAliases(size, (int) copies - 2), "under.yaml")).containsKey("l");
        assertThatThrownBy(() -> SafeYaml.loadMap(scalarAliases(size, (int) copies + 1), "over.yaml"))
                .isInstanceOf(InvalidInputException.class);
    }

    /** One anchored string of {@code size} characters, then a list that names it {@code copies} times. */
    static String scalarAliases(int size, int copies) {
        return "s: &s \"" + "x".repeat(size) + "\"\nl: [" + "*s, ".repeat(copies - 1) + "*s]\n";
    }
}
