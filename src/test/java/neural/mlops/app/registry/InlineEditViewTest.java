package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import neural.mlops.app.common.Shown;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.EventType;
import neural.mlops.registry.ModelSummary;
import neural.mlops.store.Json;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The inline edit of the details pane, clicked through: a new description saved lands on disk and in the audit trail. */
@ExtendWith(ApplicationExtension.class)
class InlineEditViewTest {

    @TempDir
    Path dir;

    Workspace workspace;
    RegistryViewModel model;

    @Start
    void start(Stage stage) throws Exception {
        workspace = RegistryFixture.create(dir);
        model = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, new ScriptedDialogs());
        model.showWorkspace(workspace);
        Scene scene = new Scene(new RegistryView(model), 1200, 700);
        scene.getStylesheets().add(getClass().getResource("/neural/mlops/app/app.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void typingANewDescriptionAndSavingWritesTheDocumentAndOneAuditEventWithTheOldAndNewValue(FxRobot robot)
            throws Exception {
        ListView<ModelSummary> list = robot.lookup("#model-list").queryListView();
        robot.interact(() -> list.getSelectionModel().select(
                list.getItems().stream().filter(m -> m.name().equals("fraud_detector")).findFirst().orElseThrow()));
        Shown.await(robot, "#edit-button");

        robot.clickOn("#edit-button");
        TextArea description = robot.lookup("#edit-description").queryAs(TextArea.class);
        robot.interact(description::selectAll);
        robot.clickOn(description).eraseText(description.getText().length()).write("Transformer encoder, retrained");
        robot.clickOn("#edit-save");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#edit-description").tryQuery().isEmpty());

        Path document = dir.resolve("ws/models/metadata/fraud_detector_v2.0.0.json");
        assertThat(Json.readObject(document).get("description").asText()).isEqualTo("Transformer encoder, retrained");
        List<AuditEvent> updates = workspace.audit().queryEvents(AuditFilter.all().withType(EventType.MODEL_UPDATED));
        assertThat(updates).singleElement().satisfies(event -> {
            assertThat(event.resourceId()).isEqualTo("fraud_detector:v2.0.0");
            assertThat(((Map<?, ?>) event.details().get("changes")).get("description"))
                    .isEqualTo(Map.of("old", "Transformer encoder", "new", "Transformer encoder, retrained"));
        });
        assertThat(robot.lookup("#edit-button").tryQuery()).isPresent();
    }
}
