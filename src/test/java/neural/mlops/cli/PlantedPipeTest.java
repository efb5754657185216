package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

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

    @BeforeEach
    void aWorkspaceWithAVersionAndAnAuditTrail() throws IOException {
        Path model = Files.writeString(workspace.resolve("model.pt"), "weights");
        assertThat(cli("registry", "register", "--name", "fraud_detector", "--version", "v1.0.0", "--model-path",
                model.toString(), "--framework", "pytorch").status()).isZero();
    }

    @Test
    void aPipeNamedLikeAMetadataDocumentIsReportedAndTheRestLists() throws Exception {
        mkfifo(workspace.resolve("models/metadata/fraud_detector_v9.0.0.json"));

        CliRun list = cli("registry", "list");

        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).contains("v1.0.0");
        assertThat(list.err()).contains("fraud_detector_v9.0.0.json", "not a regular file");
        assertThat(cli("registry", "promote", "fraud_detector", "v1.0.0", "--to", "staging").status()).isZero();
    }

    @Test
    void aPipeInsteadOfALockFileIsRefusedNotWaitedOn() throws Exception {
        Path lock = workspace.resolve("models/.lock");
        Files.delete(lock);
        mkfifo(lock);

        CliRun promote = cli("registry", "promote", "fraud_detector", "v1.0.0", "--to", "staging");

        assertThat(promote.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(promote.err()).contains(".lock", "not a regular file");
    }

    @Test
    void aPipeInsteadOfTheChainHeadIsNeverReadAndTheTrailStaysUsable() throws Exception {
        Path head = workspace.resolve("audit_logs/head.json");
        Files.delete(head);
        mkfifo(head);

        CliRun verify = cli("audit", "verify");
        assertThat(verify.status()).isEqualTo(Cli.FAILED);
        assertThat(verify.out() + verify.err()).contains("head.json");
    }

    @Test
    void aPipeInsteadOfTheAppendHintIsReplacedAndAppendsGoOn() throws Exception {
        Path hint = workspace.resolve("audit_logs/.append-intent");
        Files.deleteIfExists(hint);
        mkfifo(hint);

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
        mkfifo(hint);

        // The same logger's next append reads the hint rather than listing the day folders.
        audit.logEvent(neural.mlops.audit.AuditRecord.of(neural.mlops.audit.EventType.CONFIG_CHANGED, "alice",
                "workspace", "settings", "edit", java.util.Map.of()));

        assertThat(audit.verifyIntegrity().problems()).isEmpty();
        assertThat(audit.head().seq()).isEqualTo(3);
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        Files.createDirectories(path.getParent());
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        } catch (IOException noMkfifo) {
            Assumptions.abort("mkfifo is not available: " + noMkfifo.getMessage());
            return;
        }
        assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        assertThat(Files.isRegularFile(path)).isFalse();
    }

    private CliRun cli(String... args) {
        List<String> full = new java.util.ArrayList<>(List.of("--workspace", workspace.toString(), "--user", "alice"));
        full.addAll(List.of(args));
        return CliRun.of(full.toArray(String[]::new));
    }
}
