package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.EventType;
import neural.mlops.store.Json;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code registry update N [V]}: audited edits of a version's or a model's description, tags and lineage. */
class RegistryUpdateCommandTest {

    @TempDir
    Path workspace;

    @BeforeEach
    void setUp() throws Exception {
        Path model = Files.writeString(workspace.resolve("model.pt"), "weights");
        CliRun registered = run("registry", "register", "--name", "fraud", "--version", "v1", "--model-path",
                model.toString(), "--framework", "pytorch", "--tag", "baseline", "--description", "first");
        assertThat(registered.status()).as(registered.err()).isZero();
    }

    @Test
    void updatingAVersionPrintsWhatChangedAsJsonAndRecordsOneEventWithTheOldAndNewValues() throws Exception {
        CliRun run = run("--json", "registry", "update", "fraud", "v1", "--description", "second",
                "--add-tag", "team=fraud", "--remove-tag", "baseline", "--set-lineage", "commit=abc123",
                "--set-lineage", "parent_version=v0");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.get("changed").asBoolean()).isTrue();
        assertThat(json.get("fields")).extracting(JsonNode::asText).containsExactly("description", "tags",
                "lineage.source_commit", "lineage.parent_version");
        assertThat(json.at("/version/description").asText()).isEqualTo("second");
        assertThat(json.at("/version/tags/0").asText()).isEqualTo("team=fraud");
        assertThat(json.at("/version/lineage/source_commit").asText()).isEqualTo("abc123");
        AuditEvent event = updates().get(0);
        assertThat(updates()).hasSize(1);
        assertThat(event.resourceId()).isEqualTo("fraud:v1");
        assertThat(((Map<?, ?>) event.details().get("changes")).get("description"))
                .isEqualTo(Map.of("old", "first", "new", "second"));

        CliRun filtered = run("--json", "registry", "list", "--tag", "team");
        assertThat(Json.mapper().readTree(filtered.out()).toString()).contains("team=fraud");
        CliRun none = run("--json", "registry", "list", "--tag", "team=risk");
        assertThat(Json.mapper().readTree(none.out()).toString()).doesNotContain("\"fraud\"");
    }

    @Test
    void updatingWithTheStoredValuesSaysNothingChangedExitsZeroAndRecordsNothing() {
        CliRun run = run("registry", "update", "fraud", "v1", "--description", "first", "--add-tag", "baseline");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("Nothing changed: fraud v1 already has these values");
        assertThat(updates()).isEmpty();
    }

    @Test
    void withoutAVersionTheModelsOwnDescriptionAndTagsAreEdited() throws Exception {
        CliRun run = run("--json", "registry", "update", "fraud", "--description", "Card fraud", "--add-tag", "pii");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.at("/model/description").asText()).isEqualTo("Card fraud");
        assertThat(json.at("/model/tags/0").asText()).isEqualTo("pii");
        assertThat(workspace.resolve("models/models/fraud/model.json")).exists();
        assertThat(updates()).singleElement().satisfies(event -> assertThat(event.resourceId()).isEqualTo("fraud"));

        CliRun text = run("registry", "update", "fraud", "--remove-tag", "pii");
        assertThat(text.out()).contains("Updated the model fraud: tags");
    }

    @Test
    void badInputIsRefusedWithAClearMessageAndNothingIsWritten() throws Exception {
        byte[] before = Files.readAllBytes(workspace.resolve("models/metadata/fraud_v1.json"));

        CliRun badKey = run("registry", "update", "fraud", "v1", "--set-lineage", "author=bob");
        CliRun badTag = run("registry", "update", "fraud", "v1", "--add-tag", "a=b=c");
        CliRun noEquals = run("registry", "update", "fraud", "v1", "--set-lineage", "commit");
        CliRun missing = run("registry", "update", "fraud", "v9", "--description", "x");
        CliRun nothing = run("registry", "update", "fraud", "v1");
        CliRun modelLineage = run("registry", "update", "fraud", "--set-lineage", "run=r1");

        assertThat(badKey.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(badKey.err()).contains("Unknown lineage key 'author'", "source_commit");
        assertThat(badTag.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(badTag.err()).contains("exactly one '='");
        assertThat(noEquals.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(noEquals.err()).contains("give KEY=VALUE");
        assertThat(missing.status()).isEqualTo(Cli.FAILED);
        assertThat(missing.err()).contains("Version v9 of fraud is not registered");
        assertThat(nothing.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(nothing.err()).contains("Nothing to update");
        assertThat(modelLineage.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(Files.readAllBytes(workspace.resolve("models/metadata/fraud_v1.json"))).isEqualTo(before);
        assertThat(workspace.resolve("models/models/fraud/model.json")).doesNotExist();
        assertThat(updates()).isEmpty();
    }

    private List<AuditEvent> updates() {
        try (Workspace opened = Workspace.open(workspace, "reviewer")) {
            return new ArrayList<>(opened.audit().queryEvents(AuditFilter.all().withType(EventType.MODEL_UPDATED)));
        }
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("--workspace", workspace.toString()));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }
}
