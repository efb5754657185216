package neural.mlops.app.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.app.common.ThemeManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The CI Templates tab under Monocle: a changed parameter or platform shows in the preview at once. */
@ExtendWith(ApplicationExtension.class)
class CiTemplatesViewTest {

    CiTemplatesView view;

    @Start
    void start(Stage stage) {
        view = new CiTemplatesView(new CiTemplatesViewModel(TaskExecutor.CURRENT_THREAD, mock(DialogService.class)));
        Scene scene = new Scene(view, 1200, 760);
        new ThemeManager().manage(scene);
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void changingAParameterUpdatesThePreview(FxRobot robot) {
        assertThat(view.previewText()).contains("MODEL_NAME: \"my-model\"");

        robot.doubleClickOn("#ci-model_name").press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL)
                .write("churn_model");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(view.previewText()).contains("MODEL_NAME: \"churn_model\"").doesNotContain("my-model\"");
    }

    @Test
    void choosingJenkinsShowsTheJenkinsfile(FxRobot robot) {
        robot.clickOn("#platform-jenkins");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(view.previewText()).contains("pipeline {");
        assertThat(robot.lookup("#ci-path").queryLabeled().getText()).isEqualTo("Jenkinsfile");
    }
}
