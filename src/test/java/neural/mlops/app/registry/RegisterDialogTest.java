package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;
import neural.mlops.app.common.Shown;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.ModelSummary;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Register Model dialog under Monocle, typed into as a user would. */
@ExtendWith(ApplicationExtension.class)
class RegisterDialogTest {

    @TempDir
    Path dir;

    Workspace workspace;
    ScriptedDialogs dialogs = new ScriptedDialogs();

    @Start
    void start(Stage stage) throws Exception {
        workspace = RegistryFixture.create(dir.resolve("workspace"));
        RegistryViewModel model = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, dialogs);
        model.showWorkspace(workspace);
        Scene scene = new Scene(new RegistryView(model), 1200, 700);
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void aMetricTypedButNotAddedIsRegistered(FxRobot robot) throws Exception {
        Path artifact = Files.writeString(dir.resolve("model.pt"), "weights");
        dialogs.path(artifact);
        robot.clickOn("#register-button");
        Shown.await(robot, "#register-name");

        robot.clickOn("Browse...");
        robot.clickOn("#register-name").eraseText(40).write("ranker");
        robot.clickOn("#register-version").eraseText(20).write("v1.0.0");
        robot.clickOn("#register-framework").write("lightgbm");
        // The metric is typed into the new-metric fields, and the user never presses Add.
        robot.clickOn("#register-new-metric").write("ndcg");
        robot.clickOn("#register-new-metric-value").write("0.71");
        assertThat(robot.lookup("#register-problem").queryLabeled().getText()).as("nothing stops the registration").isEmpty();
        robot.clickOn("#register-confirm");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Window.getWindows().stream()
                .noneMatch(window -> window instanceof Stage stage && "Register Model".equals(stage.getTitle())));

        assertThat(workspace.registry().listModels()).as("registered models").extracting(ModelSummary::name).contains("ranker");
        assertThat(workspace.registry().getModel("ranker", "v1.0.0").metrics()).containsEntry("ndcg", 0.71);
        assertThat(dialogs.errors).isEmpty();
    }
}
