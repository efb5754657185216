package neural.mlops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The status bar of the main window on a real workspace. */
@ExtendWith(ApplicationExtension.class)
class StatusBarTest {

    @TempDir
    Path dir;

    MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new AppPreferences(dir.resolve("preferences.json")));
        window.show(null, false);
    }

    @Test
    void theIntegrityStateIsALinkThatVerifiesAndTakesTheColourOfTheResult(FxRobot robot) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("workspace"));
        Workspace.initialise(folder, "tester").audit().logModelDeployment("fraud_detector", "v1.0.0", "devops", "production");
        robot.interact(() -> window.model().open(folder));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.workspace() != null);
        Hyperlink integrity = robot.lookup("#status-integrity").queryAs(Hyperlink.class);
        assertThat(integrity.getText()).isEqualTo("Integrity not verified");
        assertThat(integrity.getStyleClass()).doesNotContain("intact", "not-intact");

        robot.clickOn(integrity);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> integrity.getStyleClass().contains("intact"));

        assertThat(integrity.getText()).startsWith("Chain intact");
        assertThat(robot.lookup(".tab-pane").queryAs(TabPane.class).getSelectionModel().getSelectedIndex())
                .as("the Audit tab shows").isEqualTo(2);
        robot.interact(() -> Window.getWindows().stream()
                .filter(shown -> shown instanceof Stage stage && "Verify Integrity".equals(stage.getTitle()))
                .toList().forEach(Window::hide));
    }
}
