package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import neural.mlops.store.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryInspectCommandTest {

    @TempDir
    Path workspace;

    @Test
    void inspectingAFilePrintsItsFormatParametersTensorsAndVerdict() throws Exception {
        CliRun run = run("registry", "inspect", fixture("tiny_mlp.pt").toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("Format:      pytorch", "Verdict:     safe", "Parameters:  67",
                "Tensors (4):", "  0.weight  float32  [8, 4]  128 bytes");
    }

    @Test
    void anUnsafeFileExitsOneAndNamesTheGlobalInItsJson() throws Exception {
        CliRun run = run("--json", "registry", "inspect", fixture("evil_nested.pt").toString());

        assertThat(run.status()).isEqualTo(Cli.FAILED);
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.path("verdict").asText()).isEqualTo("unsafe");
        assertThat(json.path("offending_globals").toString()).isEqualTo("[\"posix.system\"]");
        assertThat(json.path("scanner_version").asText()).isNotEmpty();
    }

    @Test
    void aRegisteredVersionIsInspectedByNameAndVersion() throws Exception {
        CliRun registered = run("registry", "register", "--name", "mlp", "--version", "v1", "--model-path",
                fixture("tiny_mlp.onnx").toString(), "--framework", "onnx");
        assertThat(registered.status()).as(registered.err()).isZero();

        assertThat(run("registry", "inspect", "mlp", "v1").out())
                .contains("Signature:   features float [batch, 4] -> logits float [batch, 3]");
        CliRun run = run("--json", "registry", "inspect", "mlp", "v1");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.path("format").asText()).isEqualTo("onnx");
        assertThat(json.path("parameter_count").asLong()).isEqualTo(67);
    }

    @Test
    void aMissingFileIsOneMessageNamingIt() {
        Path missing = workspace.resolve("nothing.pt");

        CliRun run = run("registry", "inspect", missing.toString());

        assertThat(run.status()).isNotZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().satisfies(line -> assertThat(line).contains(missing.toString()));
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(RegistryInspectCommandTest.class.getResource("/artifacts/" + name).toURI());
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("--workspace", workspace.toString()));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }
}
