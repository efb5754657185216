package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import neural.mlops.store.Json;
import neural.mlops.testing.SshKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --sign-with on deployments and aliases: an unsigned deployment to a signed environment exits 1,
 * a signed one verifies, and an edited deployment signature shows in {@code audit verify --json}
 * as a problem of kind signature naming the event and the claimed user.
 */
class SignedDeploymentsCommandTest {

    @TempDir
    Path workspace;

    private Path alice;

    @BeforeEach
    void setUp() throws Exception {
        SshKeys keys = new SshKeys(Files.createDirectories(workspace.resolve("keys")));
        alice = keys.generate("alice", "ed25519", 0);
        Path model = Files.writeString(workspace.resolve("model.pt"), "weights");
        ok("registry", "register", "--name", "fraud_detector", "--version", "v1.0.0", "--model-path", model.toString(),
                "--framework", "pytorch");
        Files.writeString(workspace.resolve("workspace.yaml"), "identities:\n"
                + "  alice: [\"" + keys.publicLine(alice) + "\"]\n"
                + "policy:\n"
                + "  aliases:\n    champion: {require_signed: true}\n"
                + "  deployments:\n    production: {require_signed: true}\n");
    }

    @Test
    void anUnsignedDeploymentExitsOneAndASignedOneVerifies() throws Exception {
        CliRun unsigned = run("--user", "alice", "deploy", "create", "--model", "fraud_detector", "--version", "v1.0.0",
                "--env", "production", "--endpoint", "http://localhost:8080/predict");
        assertThat(unsigned.status()).isEqualTo(1);
        assertThat(unsigned.err()).contains("policy.deployments.production.require_signed").contains("not signed");

        ok("--user", "alice", "--sign-with", alice.toString(), "deploy", "create", "--model", "fraud_detector",
                "--version", "v1.0.0", "--env", "production", "--endpoint", "http://localhost:8080/predict");
        CliRun alias = run("--user", "alice", "registry", "alias", "set", "fraud_detector", "champion", "v1.0.0");
        assertThat(alias.status()).isEqualTo(1);
        assertThat(alias.err()).contains("policy.aliases.champion.require_signed");
        ok("--user", "alice", "--sign-with", alice.toString(), "registry", "alias", "set", "fraud_detector", "champion",
                "v1.0.0");

        CliRun verify = run("audit", "verify", "--json");
        assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
        assertThat(Json.mapper().readTree(verify.out()).get("problems")).isEmpty();
    }

    @Test
    void anEditedDeploymentSignatureIsListedByVerifyJsonWithTheEventAndTheClaimedUser() throws Exception {
        ok("--user", "alice", "--sign-with", alice.toString(), "deploy", "create", "--model", "fraud_detector",
                "--version", "v1.0.0", "--env", "production", "--endpoint", "http://localhost:8080/predict");
        Path event = deploymentEvent();
        ObjectNode document = (ObjectNode) Json.mapper().readTree(event.toFile());
        ObjectNode signature = (ObjectNode) document.get("details").get("signature");
        String sshsig = signature.get("sshsig").asText();
        int at = sshsig.length() - 10;
        signature.put("sshsig", sshsig.substring(0, at) + (sshsig.charAt(at) == 'A' ? 'B' : 'A')
                + sshsig.substring(at + 1));
        Files.writeString(event, Json.mapper().writeValueAsString(document));

        CliRun verify = run("audit", "verify", "--json");

        assertThat(verify.status()).isEqualTo(1);
        JsonNode report = Json.mapper().readTree(verify.out());
        assertThat(report.get("intact").asBoolean()).isFalse();
        List<JsonNode> signatureProblems = new ArrayList<>();
        report.get("problems").forEach(problem -> {
            if (problem.has("event_id")) {
                signatureProblems.add(problem);
            }
        });
        assertThat(signatureProblems).singleElement().satisfies(problem -> {
            assertThat(problem.get("kind").asText()).isEqualTo("signature");
            assertThat(problem.get("event_id").asText()).isEqualTo(document.get("event_id").asText());
            assertThat(problem.get("seq").asLong()).isEqualTo(document.get("seq").asLong());
            assertThat(problem.get("user").asText()).isEqualTo("alice");
            assertThat(problem.get("why").asText()).contains("does not speak for alice");
            assertThat(problem.get("message").asText()).contains("deployment_created create");
        });
        // A window that holds the event finds it in the same pass as its chain.
        CliRun window = run("audit", "verify", "--since", "1d", "--json");
        assertThat(window.status()).isEqualTo(1);
        assertThat(Json.mapper().readTree(window.out()).get("problems").findValuesAsText("event_id"))
                .containsExactly(document.get("event_id").asText());
        assertThat(window.err()).contains("1 stored action signature(s) do not verify");
    }

    private Path deploymentEvent() throws Exception {
        try (Stream<Path> files = Files.walk(workspace.resolve("audit_logs").resolve("events"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                JsonNode event = Json.mapper().readTree(file.toFile());
                if ("deployment_created".equals(event.path("event_type").asText())) {
                    return file;
                }
            }
        }
        throw new AssertionError("no deployment_created event");
    }

    private void ok(String... args) {
        CliRun run = run(args);
        assertThat(run.status()).as(String.join(" ", args) + ": " + run.err()).isZero();
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("--workspace", workspace.toString()));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }
}
