package neural.mlops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Border;
import javafx.stage.Stage;
import javafx.stage.Window;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.Theme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The main window driven by the keyboard alone (issue 20 item 12), on a real workspace. */
@ExtendWith(ApplicationExtension.class)
class KeyboardTest {

    @TempDir
    Path dir;

    MainWindow window;
    Stage main;

    @Start
    void start(Stage stage) {
        main = stage;
        window = new MainWindow(stage, new AppPreferences(dir.resolve("preferences.json")));
        window.show(null, false);
    }

    /** The window's background work (the watcher, probes) ends before the temporary folder is removed. */
    @org.junit.jupiter.api.AfterEach
    void closeTheWindow(FxRobot robot) {
        robot.interact(window::close);
    }

    @Test
    void everyMenuAndMenuItemHasAMnemonic(FxRobot robot) {
        MenuBar bar = robot.lookup(".menu-bar").queryAs(MenuBar.class);
        for (Menu menu : bar.getMenus()) {
            assertThat(menu.getText()).as("menu %s", menu.getText()).contains("_");
            for (MenuItem item : menu.getItems()) {
                if (item.getText() != null) {
                    assertThat(item.getText()).as("item %s", item.getText()).contains("_");
                    assertThat(item.isMnemonicParsing()).isTrue();
                }
            }
        }
    }

    @Test
    void ctrlFGoesToTheCurrentTabsSearchAndCtrlNToItsNewDialogWhichEscCloses(FxRobot robot) throws Exception {
        open(robot);

        shortcut(robot, KeyCode.F);
        assertThat(focusId()).isEqualTo("model-search");

        shortcut(robot, KeyCode.N);
        Stage register = waitForWindow("Register Model");
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(register.isShowing()).as("Esc closes the Register dialog").isFalse();

        shortcut(robot, KeyCode.DIGIT2);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#deployment-search").tryQuery().isPresent());
        shortcut(robot, KeyCode.F);
        assertThat(focusId()).isEqualTo("deployment-search");

        shortcut(robot, KeyCode.N);
        Stage deploy = waitForWindow("New Deployment");
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(deploy.isShowing()).as("Esc closes the New Deployment dialog").isFalse();

        shortcut(robot, KeyCode.DIGIT3);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#text-filter").tryQuery().isPresent());
        shortcut(robot, KeyCode.F);
        assertThat(focusId()).isEqualTo("text-filter");

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.E).release(KeyCode.SHIFT, KeyCode.CONTROL);
        Stage export = waitForWindow("Export Audit Trail");
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(export.isShowing()).as("Esc closes the Export dialog").isFalse();
        assertThat(main.isShowing()).as("Esc never closes the main window").isTrue();
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(main.isShowing()).isTrue();
    }

    @Test
    void theContextMenuKeyAndShiftF10OpenTheRowMenuAndTwoRowsSelectedByKeyboardCompareInAWindowEscCloses(FxRobot robot)
            throws Exception {
        open(robot);
        TableView<?> versions = robot.lookup("#versions-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> versions.getItems().size() == 3);
        selectFirstTwoRowsByKeyboard(robot, versions);
        assertThat(versions.getSelectionModel().getSelectedIndices()).containsExactly(0, 1);

        robot.type(KeyCode.CONTEXT_MENU);
        ContextMenu menu = versions.getContextMenu();
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, menu::isShowing);
        MenuItem compare = menu.getItems().stream().filter(item -> "Compare Selected".equals(item.getText()))
                .findFirst().orElseThrow();
        assertThat(compare.isDisable()).as("Compare is offered for the two rows").isFalse();
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !menu.isShowing());

        robot.press(KeyCode.SHIFT).type(KeyCode.F10).release(KeyCode.SHIFT);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, menu::isShowing);
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !menu.isShowing());

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.C).release(KeyCode.SHIFT, KeyCode.CONTROL);
        Stage comparison = waitForWindow("Compare");
        robot.interact(comparison::requestFocus);
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(comparison.isShowing()).as("Esc closes the comparison").isFalse();
    }

    @Test
    void theFocusedRowOfAFocusedTableIsOutlinedInBothThemes(FxRobot robot) throws Exception {
        open(robot);
        TableView<?> versions = robot.lookup("#versions-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> versions.getItems().size() == 3);
        robot.interact(versions::requestFocus);
        robot.type(KeyCode.HOME);
        for (Theme theme : Theme.values()) {
            robot.interact(() -> window.setTheme(theme));
            WaitForAsyncUtils.waitForFxEvents();
            TableRow<?> focused = robot.lookup(".table-row-cell").queryAllAs(TableRow.class).stream()
                    .filter(row -> row.getIndex() == versions.getFocusModel().getFocusedIndex()).findFirst().orElseThrow();
            TableRow<?> other = robot.lookup(".table-row-cell").queryAllAs(TableRow.class).stream()
                    .filter(row -> row.getIndex() == 2).findFirst().orElseThrow();
            assertThat(widest(focused.getBorder())).as("%s: the focused row has an outline", theme).isGreaterThanOrEqualTo(2);
            assertThat(widest(other.getBorder())).as("%s: other rows have none", theme).isLessThan(2);
        }
    }

    private static double widest(Border border) {
        return border == null ? 0 : border.getStrokes().stream()
                .mapToDouble(stroke -> Math.max(stroke.getWidths().getTop(), stroke.getWidths().getLeft())).max().orElse(0);
    }

    private void open(FxRobot robot) throws Exception {
        Path folder = dir.resolve("workspace");
        TestWorkspaces.withDeployments(folder);
        robot.interact(() -> window.model().open(folder));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.workspace() != null);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> robot.lookup("#model-list").queryListView().getItems().size() == 1);
        robot.interact(() -> robot.lookup("#model-list").queryListView().getSelectionModel().select(0));
        WaitForAsyncUtils.waitForFxEvents();
    }

    /**
     * Home, then Shift+Down, in the focused table. Once in CI (7 December 2026) the selection was
     * empty after the keys, its cause not found: the rows replaced just after they first appeared,
     * or the focus not yet in the table. Focus and keys are given again then, up to three times, so
     * that what is tested is the keyboard, not the moment the table settles.
     */
    /**
     * Home, then Shift+Down, in the focused table: at least once, and again (up to three times in
     * all) while the first two rows are not what is selected, for a focus that had not yet arrived.
     */
    private static void selectFirstTwoRowsByKeyboard(FxRobot robot, TableView<?> table) {
        int attempt = 0;
        do {
            robot.interact(table::requestFocus);
            robot.type(KeyCode.HOME);
            robot.press(KeyCode.SHIFT).type(KeyCode.DOWN).release(KeyCode.SHIFT);
            WaitForAsyncUtils.waitForFxEvents();
            attempt++;
        } while (attempt < 3 && !table.getSelectionModel().getSelectedIndices().equals(List.of(0, 1)));
    }

    private static void shortcut(FxRobot robot, KeyCode key) {
        robot.press(KeyCode.CONTROL).type(key).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private String focusId() {
        return Optional.ofNullable(main.getScene().getFocusOwner()).map(node -> node.getId()).orElse(null);
    }

    private static Stage waitForWindow(String titleStart) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> shown(titleStart).isPresent());
        return shown(titleStart).orElseThrow();
    }

    private static Optional<Stage> shown(String titleStart) {
        List<Window> windows = List.copyOf(Window.getWindows());
        return windows.stream().filter(window -> window instanceof Stage stage && stage.isShowing()
                && stage.getTitle() != null && stage.getTitle().startsWith(titleStart)).map(Stage.class::cast).findFirst();
    }
}
