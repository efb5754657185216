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
 * Documents that another tool, or anyone who can write the shared folder, put in the stores: one
 * with a duplicate key (the trick that makes two parsers disagree: the first "stage" says
 * development, a second says production) is reported as a problem and never loaded, used or
 * rewritten, in every store, and the rest still loads; one whose text fields hold line breaks
 * forges no line when the CLI shows it.
 */
class HostileStoredDocumentsTest {

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

        // Queries answer from the day index written with each append, which an edit in place does
        // not change; verification reads the events themselves, and that is what catches the edit.
        CliRun query = cli("audit", "query", "--event-user", "mallory");
        assertThat(query.status()).isZero();
        assertThat(query.out()).doesNotContain("mallory");
    }

    @Test
    void textWithLineBreaksInDocumentsOfOtherToolsForgesNoLineWhenShown() throws IOException {
        Path metadata = workspace.resolve("models/metadata/fraud_detector_v1.0.0.json");
        com.fasterxml.jackson.databind.node.ObjectNode version = neural.mlops.store.Json.readObject(metadata);
        version.put("created_by", "bob\u2028FORGED created_by");
        version.put("framework", "torch\u0085FORGED framework");
        version.putArray("tags").add("fraud\nFORGED tag");
        version.putObject("metrics").put("accuracy\rFORGED metric", 0.9);
        ((com.fasterxml.jackson.databind.node.ObjectNode) version.get("stage_history").get(0))
                .put("by", "alice\nFORGED by").put("reason", "because\u2029FORGED reason");
        Files.writeString(metadata, version.toPrettyString());
        Path document = workspace.resolve("deployments/" + deployment + ".json");
        com.fasterxml.jackson.databind.node.ObjectNode deployed = neural.mlops.store.Json.readObject(document);
        deployed.put("created_by", "carol\u0085FORGED created_by");
        ((com.fasterxml.jackson.databind.node.ObjectNode) deployed.get("history").get(0))
                .put("reason", "rollout\u2028FORGED reason").put("user", "dave\u2029FORGED user");
        Files.writeString(document, deployed.toPrettyString());

        for (CliRun shown : List.of(cli("registry", "show", "fraud_detector", "v1.0.0"), cli("registry", "list"),
                cli("registry", "compare", "fraud_detector", "v1.0.0", "v2.0.0"), cli("deploy", "show", deployment),
                cli("deploy", "list"))) {
            assertThat(shown.status()).as(shown.err()).isZero();
            assertThat(shown.out().split("\\R", -1)).as(shown.out()).noneMatch(line -> line.strip().startsWith("FORGED"));
            assertThat(shown.out()).doesNotContain("\u2028", "\u2029", "\u0085", "\r");
        }
        assertThat(cli("registry", "show", "fraud_detector", "v1.0.0").out()).contains("FORGED by", "FORGED reason");
    }

    @Test
    void aDeploymentDocumentWithDataAfterTheJsonIsReportedAndNeverRewrittenWithoutIt() throws IOException {
        Path document = workspace.resolve("deployments/" + deployment + ".json");
        Files.writeString(document, Files.readString(document) + "{\"status\": \"active\"}\n");
        Map<String, String> before = TreeSnapshot.of(workspace.resolve("deployments"));

        CliRun list = cli("deploy", "list");
        assertThat(list.status()).isZero();
        assertThat(list.out()).doesNotContain(deployment);
        assertThat(list.errLines()).first().asString().contains(deployment + ".json", "more data after the JSON value");
        for (CliRun refused : List.of(cli("deploy", "activate", deployment), cli("deploy", "show", deployment))) {
            assertThat(refused.status()).as(refused.err()).isEqualTo(Cli.FAILED);
            assertThat(refused.errLines()).singleElement().asString().contains(deployment).doesNotContain("Exception");
        }
        assertThat(TreeSnapshot.of(workspace.resolve("deployments"))).isEqualTo(before);
    }

    @Test
    void aMetadataDocumentWithDataAfterTheJsonIsReportedAndNeverRewrittenWithoutIt() throws IOException {
        Path document = workspace.resolve("models/metadata/fraud_detector_v2.0.0.json");
        Files.writeString(document, Files.readString(document) + "\n{\"stage\": \"production\"}");
        Map<String, String> before = TreeSnapshot.of(workspace.resolve("models"));

        CliRun list = cli("registry", "list");
        assertThat(list.status()).isZero();
        assertThat(list.out()).contains("v1.0.0").doesNotContain("v2.0.0");
        assertThat(list.errLines()).singleElement().asString()
                .contains("fraud_detector_v2.0.0.json", "more data after the JSON value");
        CliRun promote = cli("registry", "promote", "fraud_detector", "v2.0.0", "--to", "staging");
        assertThat(promote.status()).as(promote.err()).isEqualTo(Cli.FAILED);
        assertThat(promote.errLines()).singleElement().asString().contains("fraud_detector_v2.0.0.json");
        assertThat(TreeSnapshot.of(workspace.resolve("models"))).isEqualTo(before);
    }

    @Test
    void aDuplicateKeyNestedInADeploymentDocumentIsReportedToo() throws IOException {
        Path document = workspace.resolve("deployments/" + deployment + ".json");
        String text = Files.readString(document);
        Files.writeString(document, text.replaceFirst("\"history\" : \\[ \\{", "\"history\" : [ { \"status\" : \"active\","));
        assertThat(Files.readString(document)).as("the edit was made").isNotEqualTo(text);
        String before = Files.readString(document);

        CliRun list = cli("deploy", "list");
        assertThat(list.out()).doesNotContain(deployment);
        assertThat(list.err()).contains(deployment + ".json", "Duplicate field 'status'");
        assertThat(cli("deploy", "deactivate", deployment).status()).isEqualTo(Cli.FAILED);
        assertThat(Files.readString(document)).isEqualTo(before);
    }

    @Test
    void terminalControlsAndInvisibleCharactersInDocumentsOfOtherToolsAreShownEscaped() throws IOException {
        String disguised = "mallory\u202egnp.exe";
        String coloured = "bob\u001b[2J\u001b[31m";
        Path metadata = workspace.resolve("models/metadata/fraud_detector_v1.0.0.json");
        com.fasterxml.jackson.databind.node.ObjectNode version = neural.mlops.store.Json.readObject(metadata);
        version.put("created_by", disguised);
        version.put("framework", coloured);
        version.putArray("tags").add("zero\u200bwidth");
        Files.writeString(metadata, version.toPrettyString());
        Path document = workspace.resolve("deployments/" + deployment + ".json");
        com.fasterxml.jackson.databind.node.ObjectNode deployed = neural.mlops.store.Json.readObject(document);
        deployed.put("created_by", coloured);
        ((com.fasterxml.jackson.databind.node.ObjectNode) deployed.get("history").get(0))
                .put("reason", "ok\u2028FORGED").put("by", disguised);
        Files.writeString(document, deployed.toPrettyString());

        for (CliRun shown : List.of(cli("registry", "show", "fraud_detector", "v1.0.0"), cli("registry", "list"),
                cli("deploy", "show", deployment), cli("deploy", "list"),
                cli("--json", "deploy", "show", deployment), cli("--json", "registry", "list"))) {
            assertThat(shown.status()).as(shown.err()).isZero();
            TerminalTest.assertNothingRaw(shown.out());
        }
        assertThat(cli("registry", "show", "fraud_detector", "v1.0.0").out())
                .contains("mallory\\u202egnp.exe", "bob\\u001b[2J", "zero\\u200bwidth");
        assertThat(cli("deploy", "show", deployment).out()).contains("ok\\u2028FORGED", "mallory\\u202egnp.exe");
        var json = neural.mlops.store.Json.mapper().readTree(cli("--json", "deploy", "show", deployment).out());
        assertThat(json.get("created_by").asText()).as("--json stays the exact value").isEqualTo(coloured);
        assertThat(json.get("history").get(0).get("by").asText()).isEqualTo(disguised);
    }

    /** Adds a second {@code key} at the end of the document, as a hand edit or another tool might. */
    private static void duplicate(Path document, String key, String value) throws IOException {
        String text = Files.readString(document).strip();
        Files.writeString(document, text.substring(0, text.length() - 1) + ",\n  \"" + key + "\" : " + value + "\n}\n");
    }

    private CliRun cli(String... args) {
        return CliRun.in(workspace, "alice", args);
    }

    private CliRun ok(String... args) {
        CliRun run = cli(args);
        assertThat(run.status()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run;
    }
}
