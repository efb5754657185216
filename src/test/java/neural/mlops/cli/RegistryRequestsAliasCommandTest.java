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

/** An alias that needs approvals, from the command line: request, list, approve, then alias set carries it out once. */
class RegistryRequestsAliasCommandTest {

    static final String POLICY = """
            policy:
              roles:
                alice: [approver]
                carol: [approver]
              aliases:
                champion:
                  allowed: [approver]
                  approvals: 2
            """;

    @TempDir
    Path workspace;

    @BeforeEach
    void setUp() throws Exception {
        Path model = Files.writeString(workspace.resolve("model.pt"), "weights");
        for (String version : List.of("v1.0.0", "v2.0.0")) {
            CliRun registered = run("registry", "register", "--name", "fraud_detector", "--version", version,
                    "--model-path", model.toString(), "--framework", "pytorch");
            assertThat(registered.status()).as(registered.err()).isZero();
        }
        Files.writeString(workspace.resolve("workspace.yaml"), POLICY);
    }

    @Test
    void anAliasRequestIsListedApprovedByAnotherAndCarriedOutOnceByAliasSet() throws Exception {
        CliRun direct = run("--user", "alice", "registry", "alias", "set", "fraud_detector", "champion", "v2.0.0");
        assertThat(direct.status()).isEqualTo(1);
        assertThat(direct.err()).contains("policy.aliases.champion.approvals")
                .contains("neural-mlops registry approve fraud_detector v2.0.0 --alias champion");

        CliRun requested = run("--user", "alice", "registry", "request", "fraud_detector", "v2.0.0", "--alias",
                "champion", "--reason", "beats v1");
        assertThat(requested.status()).as(requested.err()).isZero();
        assertThat(requested.out()).isEqualTo("Requested fraud_detector@champion -> v2.0.0 (1 of 2 approvals: alice); "
                + "another permitted user approves it with: neural-mlops registry approve fraud_detector v2.0.0 "
                + "--alias champion\n");

        List<String> table = run("registry", "requests").out().lines().toList();
        assertThat(table).hasSize(2);
        assertThat(table.get(1)).startsWith("fraud_detector  v2.0.0   @champion  open    1/2 (alice)  alice");
        JsonNode listed = Json.mapper().readTree(run("--json", "registry", "requests").out());
        assertThat(listed).singleElement().satisfies(node -> {
            assertThat(node.get("alias").asText()).isEqualTo("champion");
            assertThat(node.get("to_stage").isNull()).isTrue();
        });

        CliRun own = run("--user", "alice", "registry", "approve", "fraud_detector", "v2.0.0", "--alias", "champion");
        assertThat(own.status()).isEqualTo(1);
        assertThat(own.err()).contains("cannot also approve it");

        CliRun approved = run("--user", "carol", "registry", "approve", "fraud_detector", "v2.0.0", "--alias", "champion");
        assertThat(approved.status()).as(approved.err()).isZero();
        assertThat(approved.out()).isEqualTo("Approved fraud_detector@champion -> v2.0.0 (2 of 2 approvals: alice, "
                + "carol); a permitted user carries it out with: neural-mlops registry alias set fraud_detector "
                + "champion v2.0.0\n");

        CliRun set = run("--user", "carol", "registry", "alias", "set", "fraud_detector", "champion", "v2.0.0");
        assertThat(set.status()).as(set.err()).isZero();
        CliRun show = run("registry", "alias", "list", "fraud_detector");
        assertThat(show.out()).contains("champion").contains("v2.0.0");
        JsonNode all = Json.mapper().readTree(run("--json", "registry", "requests", "--all").out());
        assertThat(all).singleElement().satisfies(node -> assertThat(node.get("status").asText()).isEqualTo("approved"));

        CliRun again = run("--user", "carol", "registry", "alias", "set", "fraud_detector", "champion", "v1.0.0");
        assertThat(again.status()).isEqualTo(1);
    }

    @Test
    void aRequestNamesExactlyOneOfAStageAndAnAlias() {
        CliRun both = run("--user", "alice", "registry", "request", "fraud_detector", "v2.0.0", "--alias", "champion",
                "--to", "production", "--reason", "r");
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.err()).contains("Give --to STAGE for a stage request or --alias A for an alias request, not both");
        CliRun neither = run("--user", "carol", "registry", "approve", "fraud_detector", "v2.0.0");
        assertThat(neither.status()).isEqualTo(2);
        assertThat(run("--json", "registry", "requests", "--all").out().strip()).isEqualTo("[ ]");
    }

    @Test
    void aRejectedAliasRequestIsClosedAndTheAliasStaysUnset() {
        run("--user", "alice", "registry", "request", "fraud_detector", "v2.0.0", "--alias", "champion", "--reason", "r");

        CliRun rejected = run("--user", "carol", "registry", "reject", "fraud_detector", "v2.0.0", "--alias", "champion",
                "--reason", "not yet");

        assertThat(rejected.status()).as(rejected.err()).isZero();
        assertThat(rejected.out()).isEqualTo("Rejected the request to point fraud_detector@champion at v2.0.0 "
                + "(requested by alice)\n");
        assertThat(run("registry", "requests").err()).isEqualTo("No open promotion requests.\n");
        assertThat(run("--user", "carol", "registry", "alias", "set", "fraud_detector", "champion", "v2.0.0").status())
                .isEqualTo(1);
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("--workspace", workspace.toString()));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }
}
