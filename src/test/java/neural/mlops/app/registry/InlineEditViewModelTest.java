package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.EventType;
import neural.mlops.registry.LineageField;
import neural.mlops.registry.ModelVersion;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The details pane's inline edits and the model header's operations, through the view models, without a display. */
class InlineEditViewModelTest {

    @TempDir
    Path dir;

    Workspace workspace;
    ScriptedDialogs dialogs = new ScriptedDialogs();
    RegistryViewModel model;

    @BeforeEach
    void open() throws IOException {
        workspace = RegistryFixture.create(dir);
        model = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, dialogs);
        model.showWorkspace(workspace);
        select("fraud_detector", "v2.0.0");
    }

    private void select(String name, String version) {
        model.selectedModelProperty().set(model.models().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow());
        model.selectedVersions().setAll(model.versions().stream().filter(v -> v.version().equals(version)).toList());
    }

    private List<AuditEvent> updates() {
        return workspace.audit().queryEvents(AuditFilter.all().withType(EventType.MODEL_UPDATED));
    }

    @Test
    void savingAnEditWritesOnlyWhatChangedAndShowsTheVersionAsStored() {
        DetailsEditor editor = model.versionEditor();
        editor.edit(model.selectedVersionProperty().get());
        assertThat(editor.tagsProperty().get()).isEqualTo("fraud, production-ready");

        editor.descriptionProperty().set("Transformer encoder, retrained");
        editor.tagsProperty().set("fraud, team=risk");
        editor.lineageProperty(LineageField.RUN_ID).set("run-42");
        editor.save();

        assertThat(editor.editingProperty().get()).isFalse();
        assertThat(editor.errorProperty().get()).isNull();
        ModelVersion shown = model.selectedVersionProperty().get();
        assertThat(shown.version()).isEqualTo("v2.0.0");
        assertThat(shown.description()).isEqualTo("Transformer encoder, retrained");
        assertThat(shown.tags()).containsExactly("fraud", "team=risk");
        assertThat(shown.lineage().runId()).isEqualTo("run-42");
        assertThat(updates()).singleElement().satisfies(event -> {
            assertThat(event.user()).isEqualTo("tester");
            assertThat(event.details().get("fields")).isEqualTo(List.of("description", "tags", "lineage.run_id"));
        });
        assertThat(model.tags()).contains("team", "team=risk");
    }

    @Test
    void aRefusedSaveKeepsWhatWasTypedAndShowsTheCoresMessageInThePane() {
        DetailsEditor editor = model.versionEditor();
        editor.edit(model.selectedVersionProperty().get());
        editor.tagsProperty().set("fraud, a=b=c");
        editor.lineageProperty(LineageField.PARENT_VERSION).set("v2.0.0");

        editor.save();

        assertThat(editor.editingProperty().get()).isTrue();
        assertThat(editor.errorProperty().get()).contains("exactly one '='");
        assertThat(editor.tagsProperty().get()).isEqualTo("fraud, a=b=c");
        assertThat(dialogs.errors).isEmpty();

        editor.tagsProperty().set("fraud");
        editor.save();
        assertThat(editor.errorProperty().get()).contains("cannot be the version itself");
        assertThat(updates()).isEmpty();
    }

    @Test
    void cancellingDropsTheChangesAndSelectingAnotherVersionEndsTheEdit() {
        DetailsEditor editor = model.versionEditor();
        editor.edit(model.selectedVersionProperty().get());
        editor.descriptionProperty().set("typed, not saved");
        editor.cancel();
        assertThat(editor.editingProperty().get()).isFalse();

        editor.edit(model.selectedVersionProperty().get());
        assertThat(editor.descriptionProperty().get()).isEqualTo("Transformer encoder");
        select("fraud_detector", "v1.0.0");
        assertThat(editor.editingProperty().get()).isFalse();
        assertThat(updates()).isEmpty();
    }

    @Test
    void theModelHeaderShowsAndEditsTheModelsOwnDescriptionAndTags() {
        ModelHeaderViewModel header = model.modelHeader();
        assertThat(header.documentProperty().get().name()).isEqualTo("fraud_detector");
        assertThat(header.documentProperty().get().description()).isEmpty();

        header.edit();
        header.editor().descriptionProperty().set("Card fraud scoring");
        header.editor().tagsProperty().set("team=risk");
        header.editor().save();

        assertThat(header.documentProperty().get().description()).isEqualTo("Card fraud scoring");
        assertThat(workspace.registry().modelDocument("fraud_detector").tags()).containsExactly("team=risk");
        assertThat(updates()).singleElement().satisfies(event -> assertThat(event.resourceId()).isEqualTo("fraud_detector"));
        select("churn_predictor", "v1.0.0");
        assertThat(header.documentProperty().get().name()).isEqualTo("churn_predictor");
    }

    @Test
    void deletingAModelAsksForAReasonWithCancelAsDefaultAndShowsTheCoresRefusal() {
        ModelHeaderViewModel header = model.modelHeader();

        dialogs.reason("   ");
        header.deleteModel();
        assertThat(dialogs.asked.get(0).destructive()).isTrue();
        assertThat(dialogs.asked.get(0).verb()).isEqualTo("Delete model");
        assertThat(dialogs.errors).singleElement().asString().contains("A reason is required");

        dialogs.reason("retired");
        header.deleteModel();
        assertThat(dialogs.errors.get(1)).contains("Cannot delete fraud_detector", "v1.0.0 is in production");
        assertThat(workspace.registry().listVersions("fraud_detector")).hasSize(2);

        select("churn_predictor", "v1.0.0");
        dialogs.reason("replaced by a new model");
        header.deleteModel();
        assertThat(workspace.registry().listVersions("churn_predictor")).isEmpty();
        assertThat(model.models()).extracting(m -> m.name()).containsExactly("fraud_detector");
        assertThat(workspace.audit().queryEvents(AuditFilter.all().withType(EventType.MODEL_DELETED)))
                .singleElement().satisfies(event -> assertThat(event.reason()).isEqualTo("replaced by a new model"));
    }

    @Test
    void archivingAModelArchivesEveryVersionWithTheReason() {
        dialogs.reason("superseded");

        model.modelHeader().archiveModel();

        assertThat(dialogs.asked.get(0).destructive()).isTrue();
        assertThat(workspace.registry().listVersions("fraud_detector"))
                .allSatisfy(version -> assertThat(version.stage().value()).isEqualTo("archived"));
        assertThat(dialogs.errors).isEmpty();
    }
}
