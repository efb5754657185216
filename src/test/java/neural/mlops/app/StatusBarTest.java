package neural.mlops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.store.UserConfig;
import neural.mlops.testing.SshKeys;
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
    AppPreferences preferences;

    @Start
    void start(Stage stage) {
        preferences = new AppPreferences(dir.resolve("preferences.json"));
        window = new MainWindow(stage, preferences);
        window.show(null, false);
    }

    @Test
    void theStatusBarSaysSignedAsTheActingUserWithTheKeyListedForThem(FxRobot robot) throws Exception {
        SshKeys keys = new SshKeys(Files.createDirectories(dir.resolve("keys")));
        Path key = keys.generate("mine", "ed25519", 0);
        Path folder = Files.createDirectories(dir.resolve("workspace"));
        Workspace.initialise(folder, "tester");
        Files.writeString(folder.resolve("workspace.yaml"), "identities:\n  \"" + UserConfig.osUser() + "\": [\""
                + keys.publicLine(key) + "\"]\n");
        preferences.setSigningKey(java.util.Optional.of(key));

        robot.interact(() -> window.model().open(folder));
        Label signing = robot.lookup("#status-signing").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !signing.getText().isEmpty());

        assertThat(signing.getText()).isEqualTo("signed as " + UserConfig.osUser() + " (ed25519 " + keys.fingerprint(key) + ")");
        assertThat(signing.getStyleClass()).doesNotContain("severity-warning");
    }

    @Test
    void theIntegrityStateIsALinkThatVerifiesAndTakesTheColourOfTheResult(FxRobot robot) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("workspace"));
        Workspace.initialise(folder, "tester").audit().logModelDeployment("fraud_detector", "v1.0.0", "devops", "production");
        robot.interact(() -> window.model().open(folder));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.workspace() != null);
        Hyperlink integrity = robot.lookup("#status-integrity").queryAs(Hyperlink.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> integrity.getStyleClass().contains("intact"));

        robot.clickOn(integrity);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> Window.getWindows().stream().anyMatch(shown -> shown instanceof Stage stage
                        && "Verify Integrity".equals(stage.getTitle())));

        assertThat(integrity.getText()).startsWith("Chain intact");
        assertThat(robot.lookup(".tab-pane").queryAs(TabPane.class).getSelectionModel().getSelectedIndex())
                .as("the Audit tab shows").isEqualTo(2);
        robot.interact(() -> Window.getWindows().stream()
                .filter(shown -> shown instanceof Stage stage && "Verify Integrity".equals(stage.getTitle()))
                .toList().forEach(Window::hide));
    }

    @Test
    void openingVerifiesOnlyWhatCameSinceTheLastVerifiedHeadAndColoursTheResult(FxRobot robot) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("workspace"));
        Workspace.initialise(folder, "tester").audit().logModelDeployment("fraud_detector", "v1.0.0", "devops", "production");
        String location = new neural.mlops.workspace.WorkspaceLocation.Folder(folder).toString();
        Hyperlink integrity = robot.lookup("#status-integrity").queryAs(Hyperlink.class);

        robot.interact(() -> window.model().open(folder));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> integrity.getText().startsWith("Chain intact \u00b7 "));
        assertThat(integrity.getStyleClass()).contains("intact");
        long verified = preferences.verifiedHead(location).orElseThrow().seq();

        robot.interact(() -> window.model().reopen());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> integrity.getText().contains("no new events"));

        Workspace.open(folder, "other").audit().logModelDeployment("fraud_detector", "v1.1.0", "devops", "staging");
        robot.interact(() -> window.model().reopen());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> integrity.getText().startsWith("Chain intact \u00b7 ")
                && !integrity.getText().contains("no new events"));
        assertThat(preferences.verifiedHead(location).orElseThrow().seq()).isGreaterThan(verified);
    }
}
