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
    void inspectingAVersionShowsTheStoredScanAndUpdateStoresANewOne() throws Exception {
        register("mlp", "v1", "tiny.safetensors");
        Path document = workspace.resolve("models/metadata/mlp_v1.json");
        Files.writeString(document, Files.readString(document).replace("\"scanner_version\" : \"",
                "\"scanner_version\" : \"old-"));

        JsonNode before = Json.mapper().readTree(run("--json", "registry", "inspect", "mlp", "v1").out());
        assertThat(before.path("stored_artifact").path("scanner_version").asText()).startsWith("old-");
        CliRun update = run("registry", "inspect", "mlp", "v1", "--update");

        assertThat(update.status()).as(update.err()).isZero();
        assertThat(update.out()).contains("Stored:      safe (safetensors, scanner old-", "Update:      updated");
        assertThat(run("registry", "inspect", "mlp", "v1").out()).contains("Stored:      safe (safetensors, scanner 1)");
        assertThat(run("registry", "inspect", "mlp", "v1", "--update").out()).contains("Update:      unchanged");
    }

    @Test
    void scanAllPrintsATableUpdatesWhatChangedAndExitsOneWhenAFileIsMissing() throws Exception {
        register("mlp", "v1", "tiny.safetensors");
        register("mlp", "v2", "evil_os_system.pkl");
        Path document = workspace.resolve("models/metadata/mlp_v2.json");
        Files.writeString(document, Files.readString(document).replace("\"verdict\" : \"unsafe\"",
                "\"verdict\" : \"safe\""));

        CliRun scan = run("registry", "scan", "--all");

        assertThat(scan.status()).as(scan.err()).isZero();
        assertThat(scan.out()).contains("NAME", "BEFORE", "AFTER", "OUTCOME", "2 versions scanned, 1 updated, 0 failed");
        assertThat(scan.out().lines().filter(line -> line.startsWith("mlp") && line.contains("v2")))
                .singleElement().satisfies(line -> assertThat(line).contains("safe (pickle", "unsafe (pickle", "updated"));
        JsonNode audit = Json.mapper().readTree(run("--json", "audit", "query", "--type", "model_updated").out());
        assertThat(audit.toString()).contains("mlp:v2").doesNotContain("mlp:v1");

        Files.delete(workspace.resolve("models/models/mlp/v1/tiny.safetensors"));
        CliRun failed = run("--json", "registry", "scan", "--all");
        assertThat(failed.status()).isEqualTo(Cli.FAILED);
        JsonNode json = Json.mapper().readTree(failed.out());
        assertThat(json.path("failed").asInt()).isEqualTo(1);
        assertThat(json.path("versions").get(0).path("outcome").asText()).isEqualTo("failed");
        assertThat(failed.err()).contains("mlp v1", "missing");
    }

    @Test
    void promotingAnUnsafeVersionUnderAnArtifactRuleExitsOneNamingTheGlobal() throws Exception {
        register("mlp", "v1", "evil_nested.pt");
        Files.writeString(workspace.resolve("workspace.yaml"),
                "policy:\n  stages:\n    production:\n      artifact: {require_verdict: safe}\n");

        CliRun promote = run("registry", "promote", "mlp", "v1", "--to", "production", "--reason", "ship");

        assertThat(promote.status()).isEqualTo(Cli.FAILED);
        assertThat(promote.err()).contains("policy.stages.production.artifact", "posix.system");
        assertThat(run("--json", "audit", "query", "--type", "security_violation").out()).contains("posix.system");
    }

    private void register(String name, String version, String file) throws URISyntaxException {
        CliRun registered = run("registry", "register", "--name", name, "--version", version, "--model-path",
                fixture(file).toString(), "--framework", "pytorch");
        assertThat(registered.status()).as(registered.err()).isZero();
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
