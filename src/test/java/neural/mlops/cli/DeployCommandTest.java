package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import neural.mlops.deployment.FolderSnapshot;
import neural.mlops.deployment.TestEndpoint;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.store.Json;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeployCommandTest {

    static final String ENDPOINT = "http://localhost:8080/predict";

    @TempDir
    Path workspace;

    /** The CLI links the registry, so the deployed versions must be registered first. */
    @BeforeEach
    void registerTheModels() throws IOException {
        Path file = Files.writeString(workspace.resolve("model.pt"), "weights");
        ModelRegistry registry = Workspace.open(workspace, "alice").registry();
        for (String version : new String[] {"v1.0.0", "v2.0.0", "v3.0.0"}) {
            registry.registerModel(RegisterRequest.builder("fraud_detector", version, file).framework("pytorch").build());
        }
        Files.delete(file);
    }

    @Test
    void createPrintsTheNewIdAloneOnStdoutSoAPipelineCanCaptureIt() {
        CliRun run = deploy("create", "--model", "fraud_detector", "--version", "v2.0.0", "--env", "production",
                "--endpoint", ENDPOINT);

        assertThat(run.status()).isZero();
        assertThat(run.out()).matches("deploy_\\d{8}_\\d{6}_fraud_detector_v2\\.0\\.0\\R");
        String id = run.out().strip();
        assertThat(workspace.resolve("deployments").resolve(id + ".json")).exists();
        assertThat(run.err()).contains("Created pending deployment " + id);
    }

    @Test
    void createWithJsonPrintsTheIdTheWholeDeploymentAndTheWarnings() throws IOException {
        CliRun run = deploy("--json", "create", "--model", "fraud_detector", "--version", "v2.0.0", "--env", "staging",
                "--endpoint", ENDPOINT, "--health-path", "/health");

        assertThat(run.status()).isZero();
        JsonNode result = Json.mapper().readTree(run.out());
        String id = result.get("deployment_id").asText();
        assertThat(result.get("deployment").get("deployment_id").asText()).isEqualTo(id);
        assertThat(result.get("deployment").get("status").asText()).isEqualTo("pending");
        assertThat(result.get("deployment").get("created_by").asText()).isEqualTo("alice");
        assertThat(result.get("deployment").get("config").get("health_path").asText()).isEqualTo("/health");
        assertThat(result.get("warnings").isArray()).isTrue();
    }

    @Test
    void theOriginalExampleRunsThroughTheCommandLine() throws IOException {
        String id = create("fraud_detector", "v2.0.0", "production", ENDPOINT);

        assertThat(deploy("activate", id).status()).isZero();
        CliRun table = deploy("list", "--env", "production");
        CliRun json = deploy("--json", "list", "--env", "production");

        assertThat(table.status()).isZero();
        assertThat(table.out().lines()).hasSize(2);
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("ID").contains("STATUS", "ENDPOINT");
        assertThat(table.out()).contains(id, "fraud_detector", "v2.0.0", "production", "active", ENDPOINT);
        JsonNode array = Json.mapper().readTree(json.out());
        assertThat(array).hasSize(1);
        assertThat(array.get(0).get("deployment_id").asText()).isEqualTo(id);
        assertThat(array.get(0).get("status").asText()).isEqualTo("active");
    }

    @Test
    void activateDeactivateAndRollbackKeepTheReasonAndTheChain() throws IOException {
        String v1 = create("fraud_detector", "v1.0.0", "production", ENDPOINT);
        String v2 = create("fraud_detector", "v2.0.0", "production", ENDPOINT);
        assertThat(deploy("activate", v1).status()).isZero();

        CliRun activation = deploy("--json", "activate", v2, "--reason", "release 42");
        assertThat(activation.status()).isZero();
        assertThat(Json.mapper().readTree(activation.out()).get("replaces").asText()).isEqualTo(v1);
        assertThat(activation.err()).contains(v1 + " is now inactive");

        CliRun rollback = deploy("rollback", "--model", "fraud_detector", "--env", "production", "--reason", "errors up");
        assertThat(rollback.status()).isZero();
        assertThat(rollback.out().strip()).isEqualTo(v1);
        JsonNode rolledBack = Json.mapper().readTree(deploy("--json", "list", "--status", "rolled_back").out());
        assertThat(rolledBack).singleElement().satisfies(node -> assertThat(node.get("deployment_id").asText()).isEqualTo(v2));

        JsonNode shown = Json.mapper().readTree(deploy("--json", "show", v2).out());
        JsonNode history = shown.get("history");
        assertThat(history.get(history.size() - 1).get("reason").asText()).isEqualTo("rolled back to " + v1 + ": errors up");
        assertThat(history.get(1).get("reason").asText()).isEqualTo("release 42");

        assertThat(deploy("deactivate", v1, "--reason", "retired").status()).isZero();
        CliRun show = deploy("show", v1);
        assertThat(show.out()).contains("status         inactive", "retired", "by alice");
    }

    @Test
    void rollbackWithNothingToRollBackToExitsOneWithOneClearLine() {
        String id = create("fraud_detector", "v1.0.0", "production", ENDPOINT);
        deploy("activate", id);
        Map<String, String> before = FolderSnapshot.of(workspace);

        CliRun run = deploy("rollback", "--model", "fraud_detector", "--env", "production");

        assertThat(run.status()).isEqualTo(Cli.FAILED);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("neural-mlops: Deployment " + id).contains("nothing to roll back to");
        assertThat(run.out()).isEmpty();
        assertThat(FolderSnapshot.of(workspace)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://x", "not a url", "javascript:alert(1)", ""})
    void anEndpointThatIsNotAnHttpUrlExitsTwoNamingItAndWritesNothing(String endpoint) {
        create("fraud_detector", "v1.0.0", "production", ENDPOINT);
        Map<String, String> before = FolderSnapshot.of(workspace);

        CliRun run = deploy("create", "--model", "fraud_detector", "--version", "v2.0.0", "--env", "production",
                "--endpoint", endpoint);

        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.errLines()).singleElement().asString().startsWith("neural-mlops: Invalid endpoint '" + endpoint + "'");
        assertThat(run.out()).isEmpty();
        assertThat(FolderSnapshot.of(workspace)).isEqualTo(before);
    }

    @Test
    void aBadEnvironmentNameExitsTwoAndWritesNothing() {
        Map<String, String> before = FolderSnapshot.of(workspace);
        CliRun run = deploy("create", "--model", "fraud_detector", "--version", "v1.0.0", "--env", "../production",
                "--endpoint", ENDPOINT);

        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.errLines()).singleElement().asString().startsWith("neural-mlops: Invalid environment '../production'");
        assertThat(FolderSnapshot.of(workspace)).isEqualTo(before);
    }

    @Test
    void anUnknownDeploymentIdExitsOneAndAMalformedOneExitsTwoWritingNothing() {
        create("fraud_detector", "v1.0.0", "production", ENDPOINT);
        Map<String, String> before = FolderSnapshot.of(workspace);
        String unknown = "deploy_20990101_000000_ghost_v1";

        for (String command : new String[] {"activate", "deactivate", "show", "check"}) {
            CliRun run = deploy(command, unknown);
            assertThat(run.status()).as(command).isEqualTo(Cli.FAILED);
            assertThat(run.errLines()).as(command).singleElement().asString().contains("No deployment '" + unknown + "'");
        }
        CliRun malformed = deploy("activate", "../../etc/passwd");
        assertThat(malformed.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(malformed.errLines()).singleElement().asString().contains("Invalid deployment id");
        assertThat(FolderSnapshot.of(workspace)).isEqualTo(before);
    }

    @Test
    void anUnknownStatusFilterExitsTwo() {
        CliRun run = deploy("list", "--status", "exploded");

        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.errLines()).singleElement().asString().contains("Unknown deployment status 'exploded'");
    }

    @Test
    void aMalformedDocumentIsAWarningOnStderrAndTheRestIsListed() throws IOException {
        String id = create("fraud_detector", "v1.0.0", "production", ENDPOINT);
        Files.writeString(workspace.resolve("deployments").resolve("deploy_garbage.json"), "{not json");

        CliRun run = deploy("list");

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains(id);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("neural-mlops: warning: skipped ").contains("deploy_garbage.json");
    }

    @Test
    void anEmptyListSaysSoOnStderrAndPrintsAnEmptyJsonArray() throws IOException {
        CliRun table = deploy("list");
        CliRun json = deploy("--json", "list");

        assertThat(table.status()).isZero();
        assertThat(table.out()).isEmpty();
        assertThat(table.err()).contains("No deployments found");
        assertThat(Json.mapper().readTree(json.out()).isArray()).isTrue();
        assertThat(Json.mapper().readTree(json.out())).isEmpty();
    }

    @Test
    @Timeout(60)
    void checkExitsZeroForAHealthyEndpointAndOneForAFailingOrDeadOne() throws IOException {
        try (TestEndpoint server = new TestEndpoint()) {
            String healthy = create("fraud_detector", "v1.0.0", "production", server.url("/ok"));
            String failing = create("fraud_detector", "v2.0.0", "production", server.url("/fail"));
            String dead = create("fraud_detector", "v3.0.0", "production", TestEndpoint.closedPortUrl());

            CliRun ok = deploy("check", healthy);
            assertThat(ok.status()).isZero();
            assertThat(ok.out()).startsWith("healthy: HTTP 200 in ");

            CliRun serverError = deploy("check", failing);
            assertThat(serverError.status()).isEqualTo(Cli.FAILED);
            assertThat(serverError.out()).startsWith("unhealthy: HTTP 500 in ");
            assertThat(serverError.errLines()).singleElement().asString().contains(failing + " is unhealthy: HTTP 500");

            CliRun refused = deploy("--json", "check", dead);
            assertThat(refused.status()).isEqualTo(Cli.FAILED);
            JsonNode health = Json.mapper().readTree(refused.out());
            assertThat(health.get("ok").asBoolean()).isFalse();
            assertThat(health.get("error").asText()).startsWith("could not connect to 127.0.0.1:");

            assertThat(deploy("show", healthy).out()).contains("health         healthy: HTTP 200");
        }
    }

    @Test
    @Timeout(60)
    void checkReportsARedirectWithWhereItPointsAndDoesNotFollowIt() throws IOException {
        try (TestEndpoint server = new TestEndpoint()) {
            String id = create("fraud_detector", "v1.0.0", "production", server.raw("HTTP/1.1 302 Found\r\n"
                    + "Location: http://elsewhere.invalid/health\r\nContent-Length: 0\r\n\r\n"));

            CliRun check = deploy("check", id);

            assertThat(check.status()).isEqualTo(Cli.FAILED);
            assertThat(check.out()).startsWith("unhealthy: HTTP 302 in ")
                    .contains("redirected to http://elsewhere.invalid/health (not followed)");
            assertThat(check.errLines()).singleElement().asString().contains(id + " is unhealthy: HTTP 302");
            JsonNode health = Json.mapper().readTree(deploy("--json", "show", id).out()).get("health");
            assertThat(health.get("status_code").asInt()).isEqualTo(302);
            assertThat(health.get("ok").asBoolean()).isFalse();
        }
    }

    @Test
    @Timeout(60)
    void terminalControlsInAnEndpointsReplyReachNeitherTheTerminalNorTheDocumentShownLater() throws IOException {
        try (TestEndpoint server = new TestEndpoint()) {
            String id = create("fraud_detector", "v1.0.0", "production", server.raw("HTTP/1.1 302 Found\r\n"
                    + "Location: http://elsewhere.invalid/\u001b[2J\u001b]0;owned\u0007\r\nContent-Length: 0\r\n\r\n"));

            CliRun check = deploy("check", id);

            assertThat(check.status()).isEqualTo(Cli.FAILED);
            TerminalTest.assertNothingRaw(check.out());
            TerminalTest.assertNothingRaw(check.err());
            assertThat(check.errLines()).hasSize(1);
            assertThat(check.out()).contains("\\u001b");
            CliRun show = deploy("show", id);
            TerminalTest.assertNothingRaw(show.out());
            assertThat(show.out()).contains("health         unhealthy: ");
        }
    }

    @Test
    void deployWithoutASubcommandIsBadUsageAndHelpListsTheCommands() {
        CliRun bare = deploy();
        assertThat(bare.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(bare.errLines()).singleElement().asString().contains("Missing required subcommand");

        CliRun help = CliRun.of("deploy", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("create", "activate", "deactivate", "rollback", "list", "show", "check");
        assertThat(CliRun.of("--help").out()).contains("deploy");
    }

    @Test
    void createIfAbsentReturnsTheLiveDeploymentOfThatVersionInsteadOfAnother() throws Exception {
        String first = create("fraud_detector", "v1.0.0", "staging", ENDPOINT);
        Map<String, String> before = neural.mlops.registry.TreeSnapshot.of(workspace);

        CliRun again = deploy("create", "--model", "fraud_detector", "--version", "v1.0.0", "--env", "staging",
                "--endpoint", ENDPOINT, "--if-absent");
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out().strip()).isEqualTo(first);
        assertThat(again.err()).contains("is already pending; nothing created");
        assertThat(neural.mlops.registry.TreeSnapshot.of(workspace)).isEqualTo(before);

        assertThat(deploy("activate", first).status()).isZero();
        CliRun whileActive = deploy("create", "--model", "fraud_detector", "--version", "v1.0.0", "--env", "staging",
                "--endpoint", ENDPOINT, "--if-absent");
        assertThat(whileActive.out().strip()).isEqualTo(first);
        // Another environment, or another version, is created as usual.
        CliRun elsewhere = deploy("create", "--model", "fraud_detector", "--version", "v1.0.0", "--env", "canary",
                "--endpoint", ENDPOINT, "--if-absent");
        assertThat(elsewhere.out().strip()).isNotEqualTo(first).startsWith("deploy_");
    }

    private String create(String model, String version, String environment, String endpoint) {
        CliRun run = deploy("create", "--model", model, "--version", version, "--env", environment, "--endpoint", endpoint);
        assertThat(run.status()).as(run.err()).isZero();
        return run.out().strip();
    }

    private CliRun deploy(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "--workspace";
        all[1] = workspace.toString();
        all[2] = "--user";
        all[3] = "alice";
        all[4] = "deploy";
        System.arraycopy(args, 0, all, 5, args.length);
        return CliRun.of(all);
    }
}
