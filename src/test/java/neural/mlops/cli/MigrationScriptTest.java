package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import neural.mlops.store.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python example of docs/migration.md, on the legacy fixture workspace: the commands it runs
 * give the fields it reads (always), and the script itself prints what it should (where a
 * python3 is installed).
 */
class MigrationScriptTest {

    private static final Path DOC = Path.of("docs", "migration.md");

    @TempDir
    Path workspace;

    @TempDir
    Path scripts;

    @BeforeEach
    void copyTheFixture() throws IOException, URISyntaxException {
        LegacyWorkspaceTest.copyLegacyFixture(workspace);
    }

    static String script() throws IOException {
        Matcher block = Pattern.compile("```python\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        assertThat(block.find()).as("a python block in " + DOC).isTrue();
        return block.group(1);
    }

    private JsonNode json(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--workspace", workspace.toString(), "--json"));
        all.addAll(List.of(args));
        CliRun run = CliRun.of(all.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isZero();
        return Json.mapper().readTree(run.out());
    }

    @Test
    void theCommandsOfTheScriptGiveTheFieldsItReads() throws IOException {
        String script = script();
        assertThat(script).contains("\"registry\", \"list\", \"--stage\", \"production\"")
                .contains("\"audit\", \"report\", \"--shape\", \"original\", \"--since\", \"2024-01-01\", \"--until\", \"2024-12-31\"");

        JsonNode production = json("registry", "list", "--stage", "production");
        List<String> names = new ArrayList<>();
        production.forEach(version -> names.add(version.get("name").asText() + ":" + version.get("version").asText()));
        assertThat(names).containsExactlyInAnyOrder("fraud_detector:v1.0.0", "fraud_detector:v2.0.0");

        JsonNode report = json("audit", "report", "--shape", "original", "--since", "2024-01-01", "--until", "2024-12-31");
        assertThat(report.get("total_events").asInt()).isEqualTo(LegacyWorkspaceTest.LEGACY_EVENTS);
        assertThat(report.get("critical_events").get(0).get("event_id").asText()).isEqualTo("event_20240116_093100_000002");
        assertThat(report.get("summary").get("most_active_user").isTextual()).isTrue();
    }

    @Test
    void theScriptPrintsTheProductionVersionsAndTheCriticalEvents() throws IOException, InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3 on this machine");
        Path file = Files.writeString(scripts.resolve("report.py"), script());
        String cli = String.join(" ", quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                quote("-Dneural.mlops.home=" + System.getProperty("neural.mlops.home", "target/test-home")),
                "-cp", quote(System.getProperty("java.class.path")), "neural.mlops.Main");
        ProcessBuilder builder = new ProcessBuilder(python.toString(), file.toString(), workspace.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("NEURAL_MLOPS", cli);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();

        JsonNode printed = Json.mapper().readTree(out);
        assertThat(printed.get("production")).extracting(JsonNode::asText)
                .containsExactly("fraud_detector:v1.0.0", "fraud_detector:v2.0.0");
        assertThat(printed.get("total_events").asInt()).isEqualTo(LegacyWorkspaceTest.LEGACY_EVENTS);
        assertThat(printed.get("critical")).extracting(JsonNode::asText).containsExactly("event_20240116_093100_000002");
    }

    /** Single quotes for shlex.split, which the script splits NEURAL_MLOPS with. */
    private static String quote(String text) {
        return "'" + text.replace("'", "'\"'\"'") + "'";
    }
}
