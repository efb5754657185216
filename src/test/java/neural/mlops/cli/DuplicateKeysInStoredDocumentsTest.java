package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import neural.mlops.registry.TreeSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stored document with a duplicate key (the trick that makes two parsers disagree: the first
 * "stage" says development, a second says production) is reported as a problem and never loaded,
 * used or rewritten, in every store; the rest of the store still loads.
 */
class DuplicateKeysInStoredDocumentsTest {

    @TempDir
    Path workspace;

    String deployment;

    @BeforeEach
    void aWorkspaceWithTwoVersionsADeploymentAndEvents() throws IOException {
        Path model = Files.writeString(workspace.resolve("model.pt"), "weights");
        for (String version : List.of("v1.0.0", "v2.0.0")) {
            ok("registry", "register", "--name", "fraud_detector", "--version", version, "--model-path",
                    model.toString(), "--framework", "pytorch");
        }
        deployment = ok("deploy", "create", "--model", "fraud_detector", "--version", "v1.0.0", "--env", "staging",
                "--endpoint", "http://localhost:8080/").out().strip();
        ok("audit", "log", "--type", "config_changed", "--action", "edit");
    }

    @Test
    void aMetadataDocumentWithADuplicateStageIsReportedNotLoadedAndNeverRewritten() throws IOException {
        Path document = workspace.resolve("models/metadata/fraud_detector_v2.0.0.json");
        duplicate(document, "stage", "\"production\"");
        Map<String, String> before = TreeSnapshot.of(workspace.resolve("models"));

        CliRun list = cli("registry", "list");
        assertThat(list.status()).isZero();
        assertThat(list.out()).contains("v1.0.0").doesNotContain("v2.0.0");
        assertThat(list.errLines()).singleElement().asString()
                .startsWith("neural-mlops: warning: ").contains("fraud_detector_v2.0.0.json", "Duplicate field 'stage'");

        for (CliRun refused : List.of(cli("registry", "show", "fraud_detector", "v2.0.0"),
                cli("registry", "promote", "fraud_detector", "v2.0.0", "--to", "archived"),
                cli("registry", "register", "--name", "fraud_detector", "--version", "v2.0.0", "--model-path",
                        workspace.resolve("model.pt").toString(), "--framework", "pytorch"))) {
            assertThat(refused.status()).as(refused.err()).isEqualTo(Cli.FAILED);
            assertThat(refused.errLines()).hasSize(1);
            assertThat(refused.err()).contains("fraud_detector_v2.0.0.json").doesNotContain("Exception");
        }
        assertThat(cli("--json", "registry", "list", "--stage", "production").out()).doesNotContain("v2.0.0");
        assertThat(TreeSnapshot.of(workspace.resolve("models"))).isEqualTo(before);
    }

    @Test
    void aDeploymentDocumentWithADuplicateStatusIsReportedNotLoadedAndNeverRewritten() throws IOException {
        Path document = workspace.resolve("deployments/" + deployment + ".json");
        duplicate(document, "status", "\"active\"");
        String before = Files.readString(document);

        CliRun list = cli("deploy", "list");
        assertThat(list.status()).isZero();
        assertThat(list.out()).doesNotContain(deployment);
        assertThat(list.err()).contains(deployment + ".json", "Duplicate field 'status'");
        CliRun activate = cli("deploy", "activate", deployment);
        assertThat(activate.status()).isEqualTo(Cli.FAILED);
        assertThat(activate.err()).contains(deployment).doesNotContain("Exception");

        assertThat(Files.readString(document)).isEqualTo(before);
    }

    @Test
    void anAuditEventWithADuplicateUserIsReportedByVerifyAndSkippedByQueries() throws IOException {
        Path event;
        try (Stream<Path> files = Files.walk(workspace.resolve("audit_logs/events"))) {
            event = files.filter(file -> file.getFileName().toString().startsWith("event_")).sorted().toList().get(0);
        }
        duplicate(event, "user", "\"mallory\"");

        CliRun verify = cli("audit", "verify");
        assertThat(verify.status()).isEqualTo(Cli.FAILED);
        assertThat(verify.out() + verify.err()).contains(event.getFileName().toString()).containsIgnoringCase("malformed");

        CliRun query = cli("audit", "query", "--event-user", "mallory");
        assertThat(query.status()).isZero();
        assertThat(query.out()).doesNotContain("mallory");
        assertThat(query.err()).contains(event.getFileName().toString());
    }

    /** Adds a second {@code key} at the end of the document, as a hand edit or another tool might. */
    private static void duplicate(Path document, String key, String value) throws IOException {
        String text = Files.readString(document).strip();
        Files.writeString(document, text.substring(0, text.length() - 1) + ",\n  \"" + key + "\" : " + value + "\n}\n");
    }

    private CliRun cli(String... args) {
        String[] full = new String[args.length + 4];
        full[0] = "--workspace";
        full[1] = workspace.toString();
        full[2] = "--user";
        full[3] = "alice";
        System.arraycopy(args, 0, full, 4, args.length);
        return CliRun.of(full);
    }

    private CliRun ok(String... args) {
        CliRun run = cli(args);
        assertThat(run.status()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run;
    }
}
