package neural.mlops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testfx.api.FxAssert.verifyThat;

import java.nio.file.Path;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.ThemeChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.matcher.base.NodeMatchers;
import org.testfx.util.WaitForAsyncUtils;

/** The main window under Monocle: four tabs, honest empty states, and the tab shortcuts. */
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {

    @TempDir
    static Path home;

    Stage owner;

    @Start
    void start(Stage stage) throws java.io.IOException {
        owner = stage;
        // Each test starts as a first run: the window remembers its tab, which another test changed.
        java.nio.file.Files.deleteIfExists(home.resolve("preferences.json"));
        new MainWindow(stage, new AppPreferences(home.resolve("preferences.json"))).show(null, false);
    }

    @Test
    void showsTheFourTabsWithAnEmptyStateAndAnOpenButton(FxRobot robot) {
        TabPane tabs = robot.lookup(".tab-pane").queryAs(TabPane.class);
        assertThat(tabs.getTabs()).extracting(tab -> tab.getText())
                .containsExactly("Registry", "Deployments", "Audit", "CI Templates");
        verifyThat("No workspace open", NodeMatchers.isVisible());
        verifyThat("Open Workspace...", NodeMatchers.isVisible());
        assertThat(robot.window(0).getScene().getWindow()).isInstanceOf(Stage.class);
        assertThat(((Stage) robot.window(0)).getTitle()).isEqualTo("Neural MLOps");
    }

    @Test
    void theFileMenuOffersExportAuditTrailRightAfterNewDemoWorkspaceOnceAWorkspaceIsOpen(FxRobot robot) {
        javafx.scene.control.MenuBar bar = robot.lookup(".menu-bar").queryAs(javafx.scene.control.MenuBar.class);
        java.util.List<javafx.scene.control.MenuItem> items = bar.getMenus().get(0).getItems();
        java.util.List<String> texts = items.stream().map(item -> item.getText() == null ? null : item.getText().replace("_", "")).toList();

        int export = texts.indexOf("Export Audit Trail...");
        assertThat(export).isEqualTo(texts.indexOf("New Demo Workspace...") + 1);
        assertThat(items.get(export).isDisable()).isTrue();
        assertThat(robot.lookup("#status-integrity").tryQuery()).isPresent();
    }

    @Test
    void aTabsViewIsBuiltWhenTheTabIsFirstShown(FxRobot robot) {
        TabPane tabs = robot.lookup(".tab-pane").queryAs(TabPane.class);
        assertThat(tabs.getTabs().get(0).getContent()).isNotNull();
        assertThat(tabs.getTabs().get(1).getContent()).isNull();

        robot.interact(() -> tabs.getSelectionModel().select(1));

        assertThat(tabs.getTabs().get(1).getContent()).isNotNull();
        verifyThat("No workspace open", NodeMatchers.isVisible());
    }

    @Test
    void ctrlDigitsSwitchTabs(FxRobot robot) {
        TabPane tabs = robot.lookup(".tab-pane").queryAs(TabPane.class);
        robot.press(javafx.scene.input.KeyCode.CONTROL).type(javafx.scene.input.KeyCode.DIGIT3)
                .release(javafx.scene.input.KeyCode.CONTROL);
        robot.interact(() -> { });
        assertThat(tabs.getSelectionModel().getSelectedIndex()).isEqualTo(2);
    }

    @Test
    void thePreferencesDialogWearsTheMainWindowsTheme(FxRobot robot) throws Exception {
        AppPreferences preferences = new AppPreferences(home.resolve("preferences.json"));
        ThemeChecks.opensInTheOwnersTheme(robot, owner,
                () -> ThemeChecks.windowOf(new PreferencesDialog(owner, new PreferencesViewModel(preferences, new neural.mlops.app.common.ScriptedDialogs()))));
    }

    @Test
    void f1OpensTheBundledUserGuideRenderedInAWindowOfItsOwn(FxRobot robot) throws Exception {
        robot.type(javafx.scene.input.KeyCode.F1);
        WaitForAsyncUtils.waitForFxEvents();

        Stage guide = (Stage) ThemeChecks.showing("Neural MLOps User Guide");
        assertThat(robot.from(guide.getScene().getRoot()).lookup(".title-1").queryAs(javafx.scene.control.Label.class)
                .getText()).isEqualTo("User guide");
        assertThat(robot.from(guide.getScene().getRoot()).lookup(".markdown-table").tryQuery())
                .as("the guide's tables are drawn as tables").isPresent();
        robot.interact(guide::close);
    }

    @Test
    void theUserGuideWearsTheMainWindowsTheme(FxRobot robot) throws Exception {
        ThemeChecks.opensInTheOwnersTheme(robot, owner, () -> HelpWindows.showUserGuide(owner));
    }

    @Test
    void aboutShowsTheVersionTheLicenceAndTheProjectsAddressAndWearsTheTheme(FxRobot robot) throws Exception {
        ThemeChecks.opensInTheOwnersTheme(robot, owner, () -> {
            Stage about = HelpWindows.showAbout(owner, "/home/me/.config/neural-mlops");
            javafx.scene.Parent root = about.getScene().getRoot();
            assertThat(((javafx.scene.control.Label) root.lookup("#about-version")).getText())
                    .isEqualTo("Version " + neural.mlops.store.BuildInfo.version());
            assertThat(((javafx.scene.control.Label) root.lookup("#about-licence")).getText()).startsWith("Licence: ");
            assertThat(((javafx.scene.control.Hyperlink) root.lookup("#about-project-link")).getText())
                    .isEqualTo(HelpWindows.PROJECT_URL);
            return about;
        });
    }
}
