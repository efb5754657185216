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

/** {@code registry alias set|remove|list}, and {@code NAME@ALIAS} wherever a version is given. */
class RegistryAliasesCommandTest {

    @TempDir
    Path workspace;

    @BeforeEach
    void setUp() throws Exception {
        Path one = Files.writeString(workspace.resolve("one.pt"), "weights one");
        Path two = Files.writeString(workspace.resolve("two.pt"), "weights two");
        register("fraud", "v1", one, "accuracy=0.9");
        register("fraud", "v2", two, "accuracy=0.95");
    }

    @Test
    void settingMovingListingAndRemovingAnAliasWithJsonAndOneAuditEventEach() throws Exception {
        CliRun set = run("registry", "alias", "set", "fraud", "champion", "v1", "--reason", "first");
        assertThat(set.status()).as(set.err()).isZero();
        assertThat(set.out()).isEqualTo("Set fraud@champion to v1\n");

        JsonNode moved = Json.mapper().readTree(run("--json", "registry", "alias", "set", "fraud", "champion", "v2",
                "--reason", "better").out());
        assertThat(moved.get("version").asText()).isEqualTo("v2");
        assertThat(moved.get("previous_version").asText()).isEqualTo("v1");
        assertThat(moved.get("changed").asBoolean()).isTrue();

        JsonNode listed = Json.mapper().readTree(run("--json", "registry", "alias", "list", "fraud").out());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("alias").asText()).isEqualTo("champion");
        assertThat(listed.get(0).get("set_by").asText()).isEqualTo("alice");
        assertThat(run("registry", "alias", "list").out()).contains("fraud", "champion", "v2", "better");

        JsonNode models = Json.mapper().readTree(run("--json", "registry", "list", "--models").out());
        assertThat(models.get(0).at("/aliases/champion").asText()).isEqualTo("v2");
        assertThat(run("registry", "list", "--models").out()).contains("champion=v2");

        CliRun removed = run("registry", "alias", "remove", "fraud", "champion", "--reason", "retired");
        assertThat(removed.out()).isEqualTo("Removed fraud@champion (it pointed at v2)\n");
        assertThat(Files.readString(workspace.resolve("models/models/fraud/aliases.json"))).contains("retired");

        JsonNode events = Json.mapper().readTree(run("--json", "audit", "query", "--type", "model_updated").out());
        assertThat(events).extracting(event -> event.get("action").asText())
                .containsExactlyInAnyOrder("set_alias", "move_alias", "remove_alias");

        JsonNode history = Json.mapper().readTree(run("--json", "registry", "history", "fraud").out());
        assertThat(history.get(0).get("alias").asText()).isEqualTo("champion");
        assertThat(history.get(0).get("from_version").asText()).isEqualTo("v2");
        assertThat(history.get(0).get("to_version").isNull()).isTrue();
        assertThat(run("registry", "history", "fraud").out()).contains("alias champion: v1 -> v2");
    }

    @Test
    void nameAtAliasNamesTheVersionInShowCompareVerifyAndDeployCreate() throws Exception {
        assertThat(run("registry", "alias", "set", "fraud", "champion", "v2").status()).isZero();
        assertThat(run("registry", "alias", "set", "fraud", "challenger", "v1").status()).isZero();

        JsonNode shown = Json.mapper().readTree(run("--json", "registry", "show", "fraud@champion").out());
        assertThat(shown.get("version").asText()).isEqualTo("v2");
        assertThat(run("registry", "show", "fraud", "@challenger").out()).startsWith("fraud v1\n");

        CliRun compared = run("registry", "compare", "fraud", "@challenger", "@champion");
        assertThat(compared.status()).as(compared.err()).isZero();
        assertThat(compared.out()).contains("fraud: v1 -> v2");
        assertThat(run("registry", "compare", "fraud@challenger", "fraud@champion").out()).contains("fraud: v1 -> v2");

        CliRun verified = run("--json", "registry", "verify", "fraud@champion");
        assertThat(verified.status()).as(verified.err()).isZero();
        assertThat(Json.mapper().readTree(verified.out()).get("version").asText()).isEqualTo("v2");

        CliRun created = run("--json", "deploy", "create", "--model", "fraud@champion", "--env", "staging",
                "--endpoint", "https://models.example.com/fraud");
        assertThat(created.status()).as(created.err()).isZero();
        assertThat(Json.mapper().readTree(created.out()).at("/deployment/model_version").asText()).isEqualTo("v2");
        CliRun byVersion = run("--json", "deploy", "create", "--model", "fraud", "--version", "@challenger",
                "--env", "dev", "--endpoint", "https://models.example.com/fraud");
        assertThat(Json.mapper().readTree(byVersion.out()).at("/deployment/model_version").asText()).isEqualTo("v1");
    }

    @Test
    void anUnknownAliasExitsOneNamingItAndTheModelsAliases() {
        run("registry", "alias", "set", "fraud", "champion", "v2");

        CliRun unknown = run("registry", "show", "fraud@champ");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("No alias 'champ' of fraud; its aliases are champion");
        CliRun deploy = run("deploy", "create", "--model", "fraud@champ", "--env", "staging",
                "--endpoint", "https://models.example.com/fraud");
        assertThat(deploy.status()).isEqualTo(1);
        assertThat(deploy.err()).contains("its aliases are champion");
    }

    @Test
    void badAliasInputIsRefusedWithOneMessageAndNothingWritten() {
        CliRun stage = run("registry", "alias", "set", "fraud", "production", "v1");
        assertThat(stage.status()).isEqualTo(2);
        assertThat(stage.err()).contains("it is a stage name");
        CliRun unregistered = run("registry", "alias", "set", "fraud", "champion", "v9");
        assertThat(unregistered.status()).isEqualTo(1);
        assertThat(unregistered.err()).contains("v9 of fraud is not registered");
        assertThat(workspace.resolve("models/models/fraud/aliases.json")).doesNotExist();
        CliRun notSet = run("registry", "alias", "remove", "fraud", "champion");
        assertThat(notSet.status()).isEqualTo(1);
        assertThat(notSet.err()).contains("fraud has no aliases");
    }

    @Test
    void deletingAVersionAnAliasPointsAtIsRefusedUnlessForced() {
        run("registry", "alias", "set", "fraud", "champion", "v1");

        CliRun refused = run("registry", "delete", "fraud", "v1");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("alias champion", "force");
        assertThat(run("registry", "delete", "fraud", "v1", "--force").status()).isZero();
        assertThat(run("registry", "alias", "list", "fraud").err()).contains("fraud has no aliases");
    }

    private void register(String name, String version, Path file, String metric) {
        CliRun run = run("registry", "register", "--name", name, "--version", version, "--model-path", file.toString(),
                "--framework", "pytorch", "--metric", metric);
        assertThat(run.status()).as(run.err()).isZero();
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("--workspace", workspace.toString(), "--user", "alice"));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }
}
