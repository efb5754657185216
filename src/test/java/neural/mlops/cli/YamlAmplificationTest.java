package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import neural.mlops.registry.TreeSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A YAML file of scalar aliases (no nested bomb, few enough aliases of collections) that a
 * reader would expand to gigabytes: a 419 KB config.yaml of them once ran for a minute and took
 * 2.3 GB. The expansion is bounded, so the file is refused at once with one clear line.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class YamlAmplificationTest {

    @TempDir
    Path workspace;

    @TempDir
    Path inputs;

    Path model;

    @BeforeEach
    void aWorkspaceWithAVersion() throws IOException {
        model = Files.writeString(inputs.resolve("model.pt"), "weights");
        assertThat(cli("registry", "register", "--name", "fraud_detector", "--version", "v1.0.0", "--model-path",
                model.toString(), "--framework", "pytorch").status()).isZero();
    }

    @Test
    void aConfigYamlOfScalarAliasesIsRefusedAndNothingIsWritten() throws IOException {
        Path config = Files.writeString(inputs.resolve("config.yaml"), scalarAliases());
        assertThat(Files.size(config)).isBetween(400_000L, 1_000_000L);
        Map<String, String> before = TreeSnapshot.of(workspace);

        CliRun run = cli("registry", "register", "--name", "fraud_detector", "--version", "v2.0.0", "--model-path",
                model.toString(), "--framework", "pytorch", "--config", config.toString());

        assertThat(run.status()).as(run.err()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        assertThat(run.err()).contains("config.yaml", "aliases expand to more than").doesNotContain("Exception");
        HostileInputTest.assertOneCleanLine(run.err());
        assertThat(TreeSnapshot.of(workspace)).as("the workspace is unchanged").isEqualTo(before);
    }

    @Test
    void aWorkspaceYamlOfScalarAliasesRefusesToActAndChangesNothing() throws IOException {
        Files.writeString(workspace.resolve("workspace.yaml"), scalarAliases());
        Map<String, String> before = TreeSnapshot.of(workspace);

        CliRun run = cli("registry", "promote", "fraud_detector", "v1.0.0", "--to", "staging");

        assertThat(run.status()).as(run.err()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        assertThat(run.err()).contains("workspace.yaml", "aliases expand to more than");
        assertThat(TreeSnapshot.of(workspace)).isEqualTo(before);
    }

    @Test
    void aConfigYamlWithAFewAliasesIsStillRegistered() throws IOException {
        Path config = Files.writeString(inputs.resolve("config.yaml"),
                "defaults: &defaults {lr: 0.01, epochs: 10}\ntrain: *defaults\neval: *defaults\n");

        CliRun run = cli("registry", "register", "--name", "fraud_detector", "--version", "v2.0.0", "--model-path",
                model.toString(), "--framework", "pytorch", "--config", config.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(workspace.resolve("models/models/fraud_detector/v2.0.0/config.yaml")).content().contains("epochs: 10");
    }

    /** About 419 KB: one anchored string of 100 KiB and some 80,000 aliases of it (some 8 GB expanded). */
    private static String scalarAliases() {
        return "s: &s \"" + "x".repeat(100 * 1024) + "\"\nl: [" + "*s, ".repeat(80_000) + "*s]\n";
    }

    private CliRun cli(String... args) {
        return CliRun.in(workspace, "alice", args);
    }
}
