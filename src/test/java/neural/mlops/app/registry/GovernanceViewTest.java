package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelSummary;
import neural.mlops.registry.ModelVersion;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Registry tab under a policy, as carol (an approver) with alice's request open: menu, Requests, Approve. */
@ExtendWith(ApplicationExtension.class)
class GovernanceViewTest {

    @TempDir
    Path dir;

    Path folder;

    @Start
    void start(Stage stage) throws Exception {
        folder = RegistryFixture.create(dir).folder().orElseThrow();
        Files.writeString(folder.resolve("workspace.yaml"), RegistryPolicyViewModelTest.POLICY);
        Workspace.open(folder, "alice", Clock.systemUTC(), Optional.empty()).governance()
                .request("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "beats v1 on recall");
        RegistryViewModel model = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, new ScriptedDialogs());
        model.showWorkspace(Workspace.open(folder, "carol", Clock.systemUTC(), Optional.empty()));
        Scene scene = new Scene(new RegistryView(model), 1200, 700);
        scene.getStylesheets().add(getClass().getResource("/neural/mlops/app/app.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void theMenuSaysWhatIsRequestedAndTheRequestsWindowApprovesIt(FxRobot robot) throws Exception {
        ListView<ModelSummary> list = robot.lookup("#model-list").queryListView();
        robot.interact(() -> list.getSelectionModel().select(
                list.getItems().stream().filter(m -> m.name().equals("fraud_detector")).findFirst().orElseThrow()));
        TableView<ModelVersion> table = robot.lookup("#versions-table").queryTableView();
        robot.interact(() -> table.getSelectionModel().select(
                table.getItems().stream().filter(v -> v.version().equals("v2.0.0")).findFirst().orElseThrow()));

        robot.clickOn("#promote-button");
        MenuButton promote = robot.lookup("#promote-button").queryAs(MenuButton.class);
        MenuItem production = promote.getItems().stream().filter(item -> "promote-production".equals(item.getId()))
                .findFirst().orElseThrow();
        assertThat(production.isDisable()).isTrue();
        assertThat(production.getText()).isEqualTo("Promote to Production (requested)");
        assertThat(promote.getTooltip().getText())
                .contains("production: Requested by alice (1 of 2 approvals): approve it under Requests.");
        robot.interact(promote::hide);

        Button requests = robot.lookup("#requests-button").queryButton();
        assertThat(requests.getText()).isEqualTo("Requests (1)");
        robot.clickOn(requests);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#approve-button").tryQuery().isPresent());
        assertThat(robot.lookup("#requests-hint").queryLabeled().getText())
                .isEqualTo("Your approval is the last one needed: the version moves to production when you approve.");

        robot.clickOn("#approve-button");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(Workspace.open(folder, "reader", Clock.systemUTC(), Optional.empty()).registry()
                .getModel("fraud_detector", "v2.0.0").stage()).isEqualTo(ModelStage.PRODUCTION);
        assertThat(table.getItems().stream().filter(v -> v.version().equals("v2.0.0")).findFirst().orElseThrow().stage())
                .isEqualTo(ModelStage.PRODUCTION);
        assertThat(requests.getText()).isEqualTo("Requests");
        robot.interact(() -> ((Stage) robot.lookup("#approve-button").queryButton().getScene().getWindow()).close());
    }
}
