package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.Alias;
import neural.mlops.registry.ModelVersion;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aliases of the registry tab: set, moved, removed after a confirmation, and refused by the policy with its message. */
class AliasesViewModelTest {

    @TempDir
    Path dir;

    Workspace workspace;
    ScriptedDialogs dialogs = new ScriptedDialogs();
    RegistryViewModel model;

    @BeforeEach
    void setUp() throws Exception {
        workspace = RegistryFixture.create(dir);
        model = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, dialogs);
        model.showWorkspace(workspace);
        select("fraud_detector");
    }

    @Test
    void settingAnAliasShowsItOnItsVersionAndMovingItSaysFromWhichVersion() {
        ModelVersion v1 = version("v1.0.0");
        ModelVersion v2 = version("v2.0.0");
        AliasesViewModel aliases = model.aliases();
        assertThat(aliases.effect(v1, "champion")).isEqualTo("New alias: fraud_detector@champion will point at v1.0.0.");

        aliases.set(v1, "champion", "first release");

        assertThat(dialogs.errors).isEmpty();
        assertThat(aliases.aliasesOf(version("v1.0.0"))).containsExactly("champion");
        assertThat(aliases.names()).containsExactly("champion");
        assertThat(aliases.effect(v2, "champion")).isEqualTo("Moves champion from v1.0.0 to v2.0.0.");
        assertThat(aliases.effect(v2, "production")).startsWith("Invalid alias: it is a stage name");

        aliases.set(v2, "champion", "better recall");

        assertThat(aliases.aliasesOf(version("v1.0.0"))).isEmpty();
        assertThat(aliases.aliasesOf(version("v2.0.0"))).containsExactly("champion");
        assertThat(workspace.aliases().resolve("fraud_detector", "champion")).isEqualTo("v2.0.0");
    }

    @Test
    void removingAnAliasAsksForAReasonAndCancelKeepsIt() {
        model.aliases().set(version("v1.0.0"), "champion", "first release");

        dialogs.reason(null); // Cancel
        model.aliases().remove("champion");
        assertThat(workspace.aliases().list("fraud_detector")).extracting(Alias::alias).containsExactly("champion");

        dialogs.reason("retired");
        model.aliases().remove("champion");

        assertThat(dialogs.asked).last().satisfies(asked -> assertThat(asked.destructive()).isTrue());
        assertThat(workspace.aliases().list("fraud_detector")).isEmpty();
        assertThat(model.aliases().aliases()).isEmpty();
        assertThat(workspace.aliases().history("fraud_detector").get(0).reason()).isEqualTo("retired");
    }

    @Test
    void anAliasThePolicyRefusesIsShownWithTheCoresMessageAndNothingIsWritten() throws Exception {
        Path yaml = dir.resolve("ws/workspace.yaml");
        String existing = Files.exists(yaml) ? Files.readString(yaml) : "";
        Files.writeString(yaml, existing + "\npolicy:\n  aliases:\n    champion:\n      allowed: [release_manager]\n");

        model.aliases().set(version("v1.0.0"), "champion", "first release");

        assertThat(dialogs.errors).singleElement().asString()
                .startsWith("Cannot set fraud_detector@champion: ")
                .contains("tester is not allowed to change the alias fraud_detector@champion");
        assertThat(workspace.aliases().list("fraud_detector")).isEmpty();
        try (var files = Files.walk(dir.resolve("ws"))) {
            assertThat(files.filter(file -> file.getFileName().toString().equals("aliases.json"))).isEmpty();
        }
    }

    @Test
    void aChipDroppedOnAnotherVersionOfItsModelOffersItsAliasThereAndNowhereElse() {
        String champion = AliasChips.dragContent(version("v1.0.0"), "champion");

        assertThat(AliasChips.dropped(champion, version("v2.0.0"))).contains("champion");
        assertThat(AliasChips.dropped(champion, version("v1.0.0"))).as("onto its own version").isEmpty();
        select("churn_predictor");
        assertThat(AliasChips.dropped(champion, version("v1.0.0"))).as("onto another model").isEmpty();
        assertThat(AliasChips.dropped("neural-mlops-version:fraud_detector:v1.0.0", version("v1.0.0")))
                .as("a version card's drag").isEmpty();
    }

    private void select(String name) {
        model.selectedModelProperty().set(model.models().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow());
    }

    private ModelVersion version(String version) {
        return model.versions().stream().filter(v -> v.version().equals(version)).findFirst().orElseThrow();
    }
}
