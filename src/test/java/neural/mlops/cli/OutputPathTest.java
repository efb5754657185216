package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import neural.mlops.registry.TreeSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code audit export --out} and {@code audit report --out} write where the user says, but never
 * inside the workspace's stores (an export over head.json broke the chain, a report over a
 * metadata document made a version vanish), links followed, and never over an existing file
 * unless --force is given. A refusal is one line, and the workspace stays as it was, byte for byte.
 */
class OutputPathTest {

    @TempDir
    Path dir;

    Path workspace;
    Path outside;

    @BeforeEach
    void aWorkspaceWithAVersionADeploymentAndAnAuditTrail() throws IOException {
        workspace = Files.createDirectories(dir.resolve("workspace"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Path model = Files.writeString(dir.resolve("model.pt"), "weights");
        ok("registry", "register", "--name", "m1", "--version", "v1", "--model-path", model.toString(),
                "--framework", "pytorch");
        String deployment = ok("deploy", "create", "--model", "m1", "--version", "v1", "--env", "staging",
                "--endpoint", "http://localhost:8080/").out().strip();
        assertThat(deployment).isNotBlank();
        Files.writeString(workspace.resolve("workspace.yaml"), "name: test\n");
    }

    static Stream<Arguments> insideTheStores() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String day = String.format("audit_logs/events/%04d/%02d/%02d", today.getYear(), today.getMonthValue(),
                today.getDayOfMonth());
        List<Arguments> cases = new ArrayList<>();
        for (String place : List.of("audit_logs/head.json", "models/metadata/m1_v1.json", day + "/export.json",
                "deployments/new.json", "models/brand-new-folder/x.json", "workspace.yaml", "audit_logs/reports/r.json")) {
            cases.add(arguments(place, List.of("audit", "export", "--format", "json", "--force", "--out", "{ws}/" + place)));
            cases.add(arguments(place, List.of("audit", "report", "--force", "--out", "{ws}/" + place)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} into {0}")
    @MethodSource("insideTheStores")
    void anOutputInsideAStoreIsRefusedEvenWithForce(String place, List<String> command) {
        Map<String, String> before = TreeSnapshot.of(workspace);

        CliRun run = cli(command);

        assertThat(run.status()).as(run.err()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        assertThat(run.err()).contains("inside the store", place.split("/")[0]).doesNotContain("Exception");
        assertThat(TreeSnapshot.of(workspace)).as("the workspace").isEqualTo(before);
    }

    @Test
    void aRelativePathThatClimbsBackIntoAStoreIsRefused() {
        Map<String, String> before = TreeSnapshot.of(workspace);

        CliRun run = cli(List.of("audit", "export", "--format", "csv", "--out",
                outside + "/../workspace/./audit_logs/../audit_logs/head.json"));

        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.err()).contains("inside the store");
        assertThat(TreeSnapshot.of(workspace)).isEqualTo(before);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aLinkOutsideThatLeadsIntoAStoreIsRefused() throws IOException {
        Files.createSymbolicLink(outside.resolve("trail"), workspace.resolve("audit_logs"));
        Files.createSymbolicLink(outside.resolve("meta.json"), workspace.resolve("models/metadata/m1_v1.json"));
        Files.createSymbolicLink(outside.resolve("dangling.json"), workspace.resolve("models/metadata/m2_v1.json"));
        Map<String, String> before = TreeSnapshot.of(workspace);

        for (String out : List.of("trail/head.json", "trail/new.json", "meta.json", "dangling.json")) {
            CliRun export = cli(List.of("audit", "export", "--format", "json", "--force", "--out", outside + "/" + out));
            CliRun report = cli(List.of("audit", "report", "--force", "--out", outside + "/" + out));

            for (CliRun run : List.of(export, report)) {
                assertThat(run.status()).as(out + ": " + run.err()).isEqualTo(Cli.BAD_INPUT);
                assertThat(run.errLines()).hasSize(1);
                assertThat(run.err()).contains("inside the store", "through a link");
            }
        }
        assertThat(TreeSnapshot.of(workspace)).isEqualTo(before);
    }

    @Test
    void anExistingFileIsReplacedOnlyWithForce() throws IOException {
        Path export = Files.writeString(outside.resolve("export.json"), "precious");
        Path report = Files.writeString(outside.resolve("report.json"), "precious");
        Map<String, String> before = TreeSnapshot.of(workspace);

        CliRun refusedExport = cli(List.of("audit", "export", "--format", "json", "--out", export.toString()));
        CliRun refusedReport = cli(List.of("audit", "report", "--out", report.toString()));

        for (CliRun run : List.of(refusedExport, refusedReport)) {
            assertThat(run.status()).as(run.err()).isIn(Cli.FAILED, Cli.BAD_INPUT);
            assertThat(run.errLines()).hasSize(1);
            assertThat(run.err()).contains("already exists", "--force");
        }
        assertThat(export).hasContent("precious");
        assertThat(report).hasContent("precious");
        assertThat(TreeSnapshot.of(workspace)).as("no report saved, no event recorded").isEqualTo(before);

        assertThat(cli(List.of("audit", "export", "--format", "json", "--force", "--out", export.toString())).status())
                .isZero();
        assertThat(cli(List.of("audit", "report", "--force", "--out", report.toString())).status()).isZero();
        assertThat(Files.readString(export)).contains("\"events\"");
        assertThat(Files.readString(report)).contains("\"report_id\"");
    }

    @Test
    void aNewFileOutsideTheStoresIsWrittenAndTheDefaultReportsFolderStillServes() {
        CliRun export = cli(List.of("audit", "export", "--format", "jsonl", "--out", outside + "/new/export.jsonl"));
        CliRun report = cli(List.of("audit", "report", "--out", workspace + "/report-copy.json"));

        assertThat(export.status()).as(export.err()).isZero();
        assertThat(report.status()).as(report.err()).isZero();
        assertThat(outside.resolve("new/export.jsonl")).exists();
        assertThat(workspace.resolve("report-copy.json")).exists();
        assertThat(workspace.resolve("audit_logs/reports")).isDirectoryContaining("glob:**.json");
        assertThat(cli(List.of("audit", "verify")).status()).isZero();
    }

    private CliRun ok(String... args) {
        CliRun run = cli(List.of(args));
        assertThat(run.status()).as(run.err()).isZero();
        return run;
    }

    private CliRun cli(List<String> args) {
        List<String> full = new ArrayList<>(List.of("--workspace", workspace.toString(), "--user", "alice"));
        args.forEach(arg -> full.add(arg.replace("{ws}", workspace.toString())));
        return CliRun.of(full.toArray(String[]::new));
    }
}
