package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import neural.mlops.app.common.Shown;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.EventType;
import neural.mlops.registry.ModelSummary;
import neural.mlops.registry.ModelVersion;
import neural.mlops.store.Json;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Set alias... clicked through: the chip shows on the version, aliases.json holds it and the audit trail has one event. */
@ExtendWith(ApplicationExtension.class)
class AliasViewTest {

    @TempDir
    Path dir;

    Workspace workspace;
    ScriptedDialogs dialogs = new ScriptedDialogs();
    RegistryViewModel model;

    @Start
    void start(Stage stage) throws Exception {
        workspace = RegistryFixture.create(dir);
        model = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, dialogs);
        model.showWorkspace(workspace);
        Scene scene = new Scene(new RegistryView(model), 1200, 700);
        scene.getStylesheets().add(getClass().getResource("/neural/mlops/app/app.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void settingAnAliasThroughTheDialogShowsItsChipAndWritesTheAliasesFileAndOneAuditEvent(FxRobot robot)
            throws Exception {
        ListView<ModelSummary> list = robot.lookup("#model-list").queryListView();
        robot.interact(() -> list.getSelectionModel().select(
                list.getItems().stream().filter(m -> m.name().equals("fraud_detector")).findFirst().orElseThrow()));
        TableView<ModelVersion> table = robot.lookup("#versions-table").queryTableView();
        robot.interact(() -> model.selectedVersions().setAll(
                table.getItems().stream().filter(v -> v.version().equals("v2.0.0")).findFirst().orElseThrow()));
        Shown.await(robot, "#details-set-alias");

        robot.clickOn("#details-set-alias");
        Shown.await(robot, "#alias-name");
        robot.clickOn("#alias-name").write("champion");
        robot.clickOn("#alias-reason").write("best recall");
        assertThat(robot.lookup("#alias-effect").queryLabeled().getText())
                .isEqualTo("New alias: fraud_detector@champion will point at v2.0.0.");
        robot.clickOn("#alias-confirm");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#alias-chip-champion").tryQuery().isPresent());

        assertThat(dialogs.errors).isEmpty();
        // The chip is on v2.0.0's row in the table, and in the details pane.
        assertThat(robot.lookup("#versions-table #alias-chip-champion").queryAll()).hasSize(1);
        assertThat(robot.lookup("#details-aliases #alias-chip-champion").queryAll()).hasSize(1);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir.resolve("ws"))) {
            files = walk.filter(file -> file.getFileName().toString().equals("aliases.json")).toList();
        }
        assertThat(files).singleElement().satisfies(file ->
                assertThat(Json.readObject(file).toString()).contains("champion", "v2.0.0", "best recall"));
        List<AuditEvent> updates = workspace.audit().queryEvents(AuditFilter.all().withType(EventType.MODEL_UPDATED));
        assertThat(updates).singleElement().satisfies(event -> {
            assertThat(event.details()).containsEntry("alias", "champion").containsEntry("to_version", "v2.0.0");
            assertThat(event.details().get("from_version")).isNull();
        });
    }
}
