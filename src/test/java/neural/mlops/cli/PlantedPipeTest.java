package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import neural.mlops.registry.TreeSnapshot;
import neural.mlops.store.NamedPipes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A named pipe (FIFO) planted in a shared workspace where the tool expects one of its files: an
 * open of it blocks until someone opens the other end, so a careless reader or lock would hang
 * every later command. Each such file is reported or refused instead, and the command ends.
 */
@DisabledOnOs(OS.WINDOWS)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PlantedPipeTest {

    @TempDir
    Path workspace;

    @TempDir
    Path outside;

    @BeforeEach
    void aWorkspaceWithAVersionAndAnAuditTrail() throws IOException {
        Path model = Files.writeString(workspace.resolve("model.pt"), "weights");
        assertThat(cli("registry", "register", "--name", "fraud_detector", "--version", "v1.0.0", "--model-path",
                model.toString(), "--framework", "pytorch").status()).isZero();
    }

    @Test
    void aPipeNamedLikeAMetadataDocumentIsSkippedUnopenedAndTheRestLists() throws Exception {
        NamedPipes.plant(workspace.resolve("models/metadata/fraud_detector_v9.0.0.json"));

        CliRun list = cli("registry", "list");

        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).contains("v1.0.0");
        // The storage lists regular files only: a pipe is no document and is never opened.
        assertThat(list.out()).doesNotContain("v9.0.0");
        assertThat(cli("registry", "promote", "fraud_detector", "v1.0.0", "--to", "staging").status()).isZero();
    }

    @Test
    void aPipeInsteadOfALockFileIsRefusedNotWaitedOn() throws Exception {
        Path lock = workspace.resolve("models/.lock");
        Files.delete(lock);
        NamedPipes.plant(lock);

        CliRun promote = cli("registry", "promote", "fraud_detector", "v1.0.0", "--to", "staging");

        assertThat(promote.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(promote.err()).contains(".lock", "not a regular file");
    }

    @Test
    void aPipeInsteadOfTheChainHeadIsNeverReadAndTheTrailStaysUsable() throws Exception {
        Path head = workspace.resolve("audit_logs/head.json");
        Files.delete(head);
        NamedPipes.plant(head);

        CliRun verify = cli("audit", "verify");
        assertThat(verify.status()).isEqualTo(Cli.FAILED);
        assertThat(verify.out() + verify.err()).contains("head.json");
    }

    @Test
    void aPipeInsteadOfTheAppendHintIsReplacedAndAppendsGoOn() throws Exception {
        Path hint = workspace.resolve("audit_logs/.append-intent");
        Files.deleteIfExists(hint);
        NamedPipes.plant(hint);

        for (int i = 0; i < 2; i++) {
            CliRun logged = cli("audit", "log", "--type", "config_changed", "--action", "edit");
            assertThat(logged.status()).as(logged.err()).isZero();
        }
        CliRun verify = cli("audit", "verify");
        assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
        assertThat(Files.isRegularFile(hint)).isTrue();
    }

    @Test
    void aPipeInsteadOfTheHintIsNotWaitedOnByALoggerThatReadsIt() throws Exception {
        neural.mlops.audit.AuditLogger audit = neural.mlops.workspace.Workspace.open(workspace, "alice").audit();
        audit.logEvent(neural.mlops.audit.AuditRecord.of(neural.mlops.audit.EventType.CONFIG_CHANGED, "alice",
                "workspace", "settings", "edit", java.util.Map.of()));
        Path hint = workspace.resolve("audit_logs/.append-intent");
        Files.delete(hint);
        NamedPipes.plant(hint);

        // The same logger's next append reads the hint rather than listing the day folders.
        audit.logEvent(neural.mlops.audit.AuditRecord.of(neural.mlops.audit.EventType.CONFIG_CHANGED, "alice",
                "workspace", "settings", "edit", java.util.Map.of()));

        assertThat(audit.verifyIntegrity().problems()).isEmpty();
        assertThat(audit.head().seq()).isEqualTo(3);
    }

    static Stream<List<String>> commandsThatReadTheTrail() {
        return Stream.of(
                List.of("registry", "register", "--name", "fraud_detector", "--version", "v2.0.0", "--model-path",
                        "{model}", "--framework", "pytorch"),
                List.of("registry", "promote", "fraud_detector", "v1.0.0", "--to", "staging"),
                List.of("audit", "log", "--type", "config_changed", "--action", "edit"),
                List.of("audit", "query"),
                List.of("audit", "export", "--format", "jsonl", "--out", "{outside}/export.jsonl"),
                List.of("audit", "report"));
    }

    @ParameterizedTest(name = "a pipe as today's index, then {0}")
    @MethodSource("commandsThatReadTheTrail")
    void aPipeInTheTrailIndexHangsNoCommand(List<String> command) throws Exception {
        cli("audit", "query"); // the index exists, as it does in any workspace in use
        Path index = todaysIndex(".jsonl");
        Files.delete(index);
        NamedPipes.plant(index);

        CliRun run = cli(command.stream().map(this::placeholders).toArray(String[]::new));

        assertThat(run.status()).as(run.err()).isZero();
        CliRun verify = cli("audit", "verify");
        assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
    }

    @Test
    void aPipeAsTodaysIndexSummaryHangsNoQueryNorReport() throws Exception {
        cli("audit", "query");
        Path summary = todaysIndex(".summary.json");
        Files.deleteIfExists(summary);
        NamedPipes.plant(summary);

        assertThat(cli("audit", "query").status()).isZero();
        CliRun report = cli("audit", "report");
        assertThat(report.status()).as(report.err()).isZero();
        assertThat(report.out()).contains("Integrity:           intact");
    }

    @Test
    void aPipeInsteadOfAnEventIsReportedByVerifyAndQueriesGoOn() throws Exception {
        assertThat(cli("audit", "log", "--type", "config_changed", "--action", "edit").status()).isZero();
        Path event;
        try (Stream<Path> files = Files.walk(workspace.resolve("audit_logs/events"))) {
            event = files.filter(Files::isRegularFile).sorted().reduce((first, second) -> second).orElseThrow();
        }
        Files.delete(event);
        NamedPipes.plant(event);

        CliRun verify = cli("audit", "verify");
        assertThat(verify.status()).isEqualTo(Cli.FAILED);
        // A folder's storage lists regular files only: the pipe is no event, so the chain is short of it.
        assertThat(verify.out() + verify.err()).contains("seq 2", "removed");
        assertThat(cli("audit", "query").status()).isZero();
    }

    @Test
    void aPipeInsteadOfADeploymentDocumentIsReportedAndTheRestLists() throws Exception {
        NamedPipes.plant(workspace.resolve("deployments/deploy_planted.json"));

        CliRun list = cli("deploy", "list");

        assertThat(list.status()).as(list.err()).isIn(Cli.OK, Cli.FAILED);
        assertThat(list.err()).contains("deploy_planted.json", "not a regular file");
    }

    @Test
    void aPipeNamedLikeASavedReportIsReportedNotWaitedOn() throws Exception {
        assertThat(cli("audit", "report", "--since", "3650d").status()).isZero();
        Files.createDirectories(workspace.resolve("audit_logs/reports"));
        NamedPipes.plant(workspace.resolve("audit_logs/reports/report_20200101_000000.json"));

        CliRun reports = cli("audit", "reports");

        assertThat(reports.status()).as(reports.err()).isZero();
        assertThat(reports.err()).contains("report_20200101_000000.json", "not a regular file");
        assertThat(reports.out()).contains("report_");
    }

    @Test
    void aPipeInsteadOfAPromotionRequestIsReportedNotWaitedOn() throws Exception {
        NamedPipes.plant(workspace.resolve("models/requests/fraud_detector/v1.0.0/production.json"));

        CliRun requests = cli("registry", "requests");

        assertThat(requests.status()).as(requests.err()).isIn(Cli.OK, Cli.FAILED, Cli.BAD_INPUT);
        assertThat(requests.out() + requests.err()).contains("production.json", "not a regular file");
    }

    @Test
    void aPipeGivenAsConfigYamlIsRefusedNotWaitedOn() throws Exception {
        Path config = NamedPipes.plant(workspace.getParent().resolve(workspace.getFileName() + "-config.yaml"));
        try {
            CliRun register = cli("registry", "register", "--name", "fraud_detector", "--version", "v2.0.0",
                    "--model-path", workspace.resolve("model.pt").toString(), "--framework", "pytorch",
                    "--config", config.toString());

            assertThat(register.status()).isEqualTo(Cli.BAD_INPUT);
            assertThat(register.errLines()).hasSize(1);
            assertThat(register.err()).contains(config.toString(), "not a regular file");
        } finally {
            Files.delete(config);
        }
    }

    static Stream<String> unreadablePolicies() {
        return Stream.of("pipe", "folder", "dangling link");
    }

    @ParameterizedTest(name = "workspace.yaml as a {0}")
    @MethodSource("unreadablePolicies")
    void aWorkspaceYamlThatIsNoRegularFileRefusesToActInsteadOfDroppingThePolicy(String kind) throws Exception {
        Path settings = workspace.resolve("workspace.yaml");
        switch (kind) {
            case "pipe" -> NamedPipes.plant(settings);
            case "folder" -> Files.createDirectories(settings);
            default -> Files.createSymbolicLink(settings, workspace.resolve("gone.yaml"));
        }
        Map<String, String> before = TreeSnapshot.of(workspace);

        for (List<String> command : List.of(List.of("registry", "promote", "fraud_detector", "v1.0.0", "--to", "production"),
                List.of("audit", "log", "--type", "config_changed", "--action", "edit"))) {
            CliRun run = cli(command.toArray(String[]::new));

            assertThat(run.status()).as(run.err()).isEqualTo(Cli.BAD_INPUT);
            assertThat(run.errLines()).as(run.err()).hasSize(1);
            assertThat(run.err()).contains("Refusing to act", "workspace.yaml").doesNotContain("Exception");
        }
        assertThat(TreeSnapshot.of(workspace)).as("nothing written").isEqualTo(before);
    }

    private String placeholders(String arg) {
        return arg.replace("{model}", workspace.resolve("model.pt").toString())
                .replace("{outside}", outside.toString());
    }

    private Path todaysIndex(String suffix) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return workspace.resolve(String.format("audit_logs/index/%04d/%02d/%02d%s", today.getYear(),
                today.getMonthValue(), today.getDayOfMonth(), suffix));
    }


    private CliRun cli(String... args) {
        List<String> full = new java.util.ArrayList<>(List.of("--workspace", workspace.toString(), "--user", "alice"));
        full.addAll(List.of(args));
        return CliRun.of(full.toArray(String[]::new));
    }
}
