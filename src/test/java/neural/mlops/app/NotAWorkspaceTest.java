package neural.mlops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Labeled;
import javafx.stage.Stage;
import javafx.stage.Window;
import neural.mlops.app.common.AppPreferences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Opening a folder that is not a workspace, in the real main window and its real dialogs. */
@ExtendWith(ApplicationExtension.class)
class NotAWorkspaceTest {

    @TempDir
    Path dir;

    MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new AppPreferences(dir.resolve("preferences.json")));
        window.show(null, false);
    }

    @Test
    void aFolderThatIsNotAWorkspaceIsNamedAndAWorkspaceIsCreatedThereWhenTheUserAccepts(FxRobot robot) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(folder.resolve("holiday.jpg"), "not a model");

        Platform.runLater(() -> window.model().open(folder));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> question() != null);
        DialogPane question = question();
        assertThat(question.getHeaderText()).isEqualTo(folder.toAbsolutePath().normalize() + " is not a workspace");
        assertThat(robot.from(question).lookup((javafx.scene.Node node) -> node instanceof Labeled labeled
                && labeled.getText() != null && labeled.getText().contains("Create an empty workspace there?")).tryQuery())
                .as("the question says what it offers").isPresent();
        assertThat(((Stage) question.getScene().getWindow()).getTitle()).isEqualTo("Create a workspace in photos?");
        assertThat(window.workspace()).as("nothing is opened before the answer").isNull();

        robot.clickOn(question.lookupButton(ButtonType.OK));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.workspace() != null);

        assertThat(window.workspace().folder()).contains(folder.toAbsolutePath().normalize());
        assertThat(folder.resolve("models")).isDirectory();
        assertThat(folder.resolve("deployments")).isDirectory();
        assertThat(folder.resolve("audit_logs")).isDirectory();
        assertThat(folder.resolve("holiday.jpg")).hasContent("not a model");
    }

    /** The confirmation showing now, if any. */
    private static DialogPane question() {
        return Window.getWindows().stream()
                .filter(window -> window.getScene() != null && window.getScene().getRoot() instanceof DialogPane)
                .map(window -> (DialogPane) window.getScene().getRoot())
                .findFirst().orElse(null);
    }
}
