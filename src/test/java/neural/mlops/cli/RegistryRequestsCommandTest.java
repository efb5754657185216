package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import neural.mlops.store.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The governance policy from the command line: refusals exit 1, policy typos exit 2, requests and approvals. */
class RegistryRequestsCommandTest {

    static final String POLICY = """
            name: fraud team
            policy:
              roles:
                alice: [approver]
                carol: [approver]
                bob: [data_scientist]
              stages:
                staging:
                  allowed: [data_scientist, approver]
                production:
                  allowed: [approver]
                  requires_stage: staging
                  require_reason: true
                  metric_gates: {accuracy: no_worse}
                  approvals: 2
            """;

    @TempDir
    Path workspace;

    @BeforeEach
    void setUp() throws Exception {
        Path model = Files.writeString(workspace.resolve("model.pt"), "weights");
        for (String[] version : new String[][] {{"v1.0.0", "0.90"}, {"v2.0.0", "0.95"}}) {
            ok("registry", "register", "--name", "fraud_detector", "--version", version[0], "--model-path",
                    model.toString(), "--framework", "pytorch", "--metric", "accuracy=" + version[1]);
        }
        ok("registry", "promote", "fraud_detector", "v1.0.0", "--to", "production");
        ok("registry", "promote", "fraud_detector", "v2.0.0", "--to", "staging");
        Files.writeString(workspace.resolve("workspace.yaml"), POLICY);
    }

    @Test
    void aDirectPromotionIsRefusedWithStatusOneAndTheRequestApproveRoundTripPromotes() {
        CliRun direct = run("--user", "alice", "registry", "promote", "fraud_detector", "v2.0.0", "--to", "production",
                "--reason", "beats v1");
        assertThat(direct.status()).isEqualTo(1);
        assertThat(direct.errLines()).singleElement().asString()
                .startsWith("neural-mlops: alice may not move fraud_detector v2.0.0 to production under the workspace policy: "
                        + "policy.stages.production.approvals: production needs 2 approvals")
                .contains("registry request fraud_detector v2.0.0 --to production --reason R");

        CliRun requested = run("--user", "alice", "registry", "request", "fraud_detector", "v2.0.0", "--to", "production",
                "--reason", "beats v1 on recall");
        assertThat(requested.status()).as(requested.err()).isZero();
        assertThat(requested.out()).isEqualTo("Requested fraud_detector v2.0.0 -> production (1 of 2 approvals: alice); "
                + "another permitted user approves it with: neural-mlops registry approve fraud_detector v2.0.0 "
                + "--to production\n");

        List<String> table = run("registry", "requests").out().lines().toList();
        assertThat(table).hasSize(2);
        assertThat(table.get(0)).startsWith("NAME            VERSION  TO          STATUS  APPROVALS    REQUESTED BY");
        assertThat(table.get(1)).startsWith("fraud_detector  v2.0.0   production  open    1/2 (alice)  alice")
                .endsWith("beats v1 on recall");

        CliRun own = run("--user", "alice", "registry", "approve", "fraud_detector", "v2.0.0", "--to", "production");
        assertThat(own.status()).isEqualTo(1);
        assertThat(own.err()).contains("alice requested this promotion and cannot also approve it");

        CliRun approved = run("--user", "carol", "registry", "approve", "fraud_detector", "v2.0.0", "--to", "production");
        assertThat(approved.status()).as(approved.err()).isZero();
        assertThat(approved.out()).isEqualTo("Approved fraud_detector v2.0.0 -> production (2 of 2 approvals: alice, carol); "
                + "promoted from staging to production; archived v1.0.0\n");

        CliRun none = run("registry", "requests", "--name", "fraud_detector");
        assertThat(none.status()).isZero();
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).isEqualTo("No open promotion requests.\n");
        CliRun audit = run("--json", "audit", "query", "--type", "security_violation");
        assertThat(audit.out()).contains("\"action\" : \"promote\"").contains("\"action\" : \"approve_promotion\"");
    }

    @Test
    void jsonOutputsCarryTheRequestDocumentAndThePromotion() throws Exception {
        CliRun requested = run("--json", "--user", "alice", "registry", "request", "fraud_detector", "v2.0.0", "--to",
                "production", "--reason", "beats v1");
        JsonNode request = Json.mapper().readTree(requested.out());
        assertThat(request.get("status").asText()).isEqualTo("open");
        assertThat(request.get("requested_by").asText()).isEqualTo("alice");
        assertThat(request.get("approvals_required").asInt()).isEqualTo(2);

        JsonNode approved = Json.mapper().readTree(run("--json", "--user", "carol", "registry", "approve", "fraud_detector",
                "v2.0.0", "--to", "production").out());
        assertThat(approved.at("/request/status").asText()).isEqualTo("approved");
        assertThat(approved.at("/request/approvals/0/by").asText()).isEqualTo("carol");
        assertThat(approved.at("/promotion/promoted/stage").asText()).isEqualTo("production");
        assertThat(approved.at("/promotion/archived/0/version").asText()).isEqualTo("v1.0.0");

        JsonNode all = Json.mapper().readTree(run("--json", "registry", "requests", "--all").out());
        assertThat(all).hasSize(1);
        assertThat(all.get(0).get("status").asText()).isEqualTo("approved");
    }

    @Test
    void requestIfNeededFilesOnceThenReportsTheOpenRequestAndTheStageWithoutFailing() throws Exception {
        JsonNode first = Json.mapper().readTree(run("--json", "--user", "alice", "registry", "request", "fraud_detector",
                "v2.0.0", "--to", "production", "--reason", "release v2", "--if-needed").out());
        assertThat(first.get("outcome").asText()).isEqualTo("requested");
        assertThat(first.at("/request/approvals_required").asInt()).isEqualTo(2);

        CliRun again = run("--json", "--user", "alice", "registry", "request", "fraud_detector", "v2.0.0", "--to",
                "production", "--reason", "release v2", "--if-needed");
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(Json.mapper().readTree(again.out()).get("outcome").asText()).isEqualTo("open");
        CliRun plain = run("--user", "alice", "registry", "request", "fraud_detector", "v2.0.0", "--to", "production",
                "--reason", "release v2");
        assertThat(plain.status()).isEqualTo(1);

        ok("--user", "carol", "registry", "approve", "fraud_detector", "v2.0.0", "--to", "production");
        CliRun done = run("--user", "alice", "registry", "request", "fraud_detector", "v2.0.0", "--to", "production",
                "--reason", "release v2", "--if-needed");
        assertThat(done.out()).isEqualTo("fraud_detector v2.0.0 is already in production; nothing to request\n");

        CliRun staging = run("--json", "--user", "alice", "registry", "request", "fraud_detector", "v1.0.0", "--to",
                "staging", "--reason", "back", "--if-needed");
        assertThat(Json.mapper().readTree(staging.out()).get("outcome").asText()).isEqualTo("no_approval_needed");
        assertThat(run("registry", "requests", "--all").out().lines()).hasSize(2);
    }

    @Test
    void rejectAndWithdrawCloseARequestAndAnUnpermittedRejectionExitsOne() {
        ok("--user", "alice", "registry", "request", "fraud_detector", "v2.0.0", "--to", "production", "--reason", "r");

        CliRun bob = run("--user", "bob", "registry", "reject", "fraud_detector", "v2.0.0", "--to", "production");
        assertThat(bob.status()).isEqualTo(1);
        assertThat(bob.err()).contains("policy.stages.production.allowed: bob is not allowed to reject requests");

        CliRun carol = run("--user", "carol", "registry", "reject", "fraud_detector", "v2.0.0", "--to", "production",
                "--reason", "wait for the A/B test");
        assertThat(carol.status()).isZero();
        assertThat(carol.out()).isEqualTo("Rejected the request to move fraud_detector v2.0.0 to production (requested by alice)\n");

        ok("--user", "alice", "registry", "request", "fraud_detector", "v2.0.0", "--to", "production", "--reason", "again");
        assertThat(run("--user", "alice", "registry", "reject", "fraud_detector", "v2.0.0", "--to", "production").out())
                .isEqualTo("Withdrew the request to move fraud_detector v2.0.0 to production (requested by alice)\n");
        assertThat(run("registry", "requests", "--all").out().lines()).hasSize(2);

        CliRun nothingOpen = run("--user", "carol", "registry", "approve", "fraud_detector", "v2.0.0", "--to", "production");
        assertThat(nothingOpen.status()).isEqualTo(1);
        assertThat(nothingOpen.err()).contains("There is no open request to move fraud_detector v2.0.0 to production");
    }

    @Test
    void badRequestsExitWithTheirStatus() {
        assertThat(run("--user", "alice", "registry", "request", "fraud_detector", "v2.0.0", "--to", "production").status())
                .as("--reason is required").isEqualTo(2);
        assertThat(run("--user", "alice", "registry", "request", "fraud_detector", "v2.0.0", "--to", "prod",
                "--reason", "r").status()).isEqualTo(2);
        CliRun open = run("--user", "alice", "registry", "request", "fraud_detector", "v1.0.0", "--to", "staging",
                "--reason", "r");
        assertThat(open.status()).isEqualTo(1);
        assertThat(open.err()).contains("staging needs no approval under the workspace policy");
        CliRun denied = run("--user", "bob", "registry", "request", "fraud_detector", "v2.0.0", "--to", "production",
                "--reason", "r");
        assertThat(denied.status()).isEqualTo(1);
        assertThat(denied.err()).contains("bob is not allowed to move versions into production");
    }

    @Test
    void aPolicyTypoStopsEveryCommandThatOpensTheWorkspaceWithStatusTwoNamingFileLineAndKey() throws Exception {
        Files.writeString(workspace.resolve("workspace.yaml"), POLICY.replace("approvals: 2", "aproval: 2"));

        for (String[] command : new String[][] {{"deploy", "list"}, {"registry", "requests"},
                {"registry", "promote", "fraud_detector", "v2.0.0", "--to", "production"}}) {
            CliRun run = run(command);
            assertThat(run.status()).isEqualTo(2);
            assertThat(run.errLines()).containsExactly("neural-mlops: " + workspace.resolve("workspace.yaml").toAbsolutePath()
                    .normalize() + " line 15: unknown key 'aproval' under policy.stages.production; did you mean 'approvals'?");
        }
        // Reading the registry is not governed: it does not read the policy at all.
        assertThat(run("registry", "list").status()).isZero();
        Files.writeString(workspace.resolve("workspace.yaml"), POLICY.replace("roles:\n    alice: [approver]\n    carol: [approver]\n    bob: [data_scientist]",
                "roles: [alice, carol]"));
        CliRun roles = run("registry", "requests");
        assertThat(roles.status()).isEqualTo(2);
        assertThat(roles.err()).contains("line 3: policy.roles must be a mapping of user names to lists of roles");
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
