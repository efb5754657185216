package neural.mlops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.demo.DemoWorkspace;
import neural.mlops.workspace.WorkspaceLocation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The main window at the smallest size the desktop supports, 960x640, on the demo workspace:
 * every tab shows its primary actions whole (inside the window, inside every pane that holds
 * them, labels not cut to "..."), read from the scene graph, never from pixels.
 */
@ExtendWith(ApplicationExtension.class)
class SmallWindowTest {

    /**
     * Under target/, not a JUnit temporary folder: the windows of the tests keep loading in the
     * background (the registry writes its listing cache) while JUnit would delete the folder.
     */
    static Path dir = Path.of(System.getProperty("neural.mlops.home", "target/test-home"), "small-window-"
            + System.nanoTime());

    static Path demo;

    Stage stage;
    TabPane tabs;

    @BeforeAll
    static void createDemo() {
        demo = DemoWorkspace.create(dir.resolve("demo"), message -> { });
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        new MainWindow(stage, new AppPreferences(dir.resolve("preferences-" + System.nanoTime() + ".json"))).show(new WorkspaceLocation.Folder(demo), false);
        stage.setWidth(960);
        stage.setHeight(640);
    }

    private Node tab(FxRobot robot, int index) throws Exception {
        tabs = robot.lookup(".tab-pane").queryAs(TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(index));
        WaitForAsyncUtils.waitForFxEvents();
        return tabs.getTabs().get(index).getContent();
    }

    @Test
    void theRegistryTabShowsItsActionsAndTheWholeDetailsPane(FxRobot robot) throws Exception {
        Node registry = tab(robot, 0);
        ListView<?> models = robot.from(registry).lookup("#model-list").queryListView();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !models.getItems().isEmpty());
        robot.interact(() -> models.getSelectionModel().select(0));
        TableView<?> versions = robot.from(registry).lookup("#versions-table").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !versions.getItems().isEmpty());
        robot.interact(() -> versions.getSelectionModel().select(0));
        WaitForAsyncUtils.waitForFxEvents();

        for (String id : new String[] {"#register-button", "#promote-button", "#restore-button", "#compare-button",
                "#requests-button", "#board-toggle", "#version-details", "#model-search"}) {
            assertShownWhole(robot.from(registry).lookup(id).query(), id);
        }
        Node title = robot.from(registry).lookup("#details-title").query();
        for (Node part : ((Parent) title).getChildrenUnmodifiable()) {
            assertThat(((Labeled) part).getWidth()).as("a part of the details title is not cut")
                    .isGreaterThanOrEqualTo(((Labeled) part).prefWidth(-1) - 0.5);
        }
    }

    @Test
    void theDeploymentsTabShowsItsActions(FxRobot robot) throws Exception {
        Node deployments = tab(robot, 1);
        for (String id : new String[] {"#new-deployment-button", "#activate-button", "#deactivate-button",
                "#rollback-button", "#health-button", "#health-all-button", "#deployment-search", "#deployments-table"}) {
            assertShownWhole(robot.from(deployments).lookup(id).query(), id);
        }
    }

    @Test
    void theAuditTabShowsItsActionsAndFilters(FxRobot robot) throws Exception {
        Node audit = tab(robot, 2);
        for (String id : new String[] {"#compliance-report-button", "#export-button", "#verify-button", "#type-filter",
                "#severity-filter", "#user-filter", "#from-date", "#to-date", "#text-filter", "#clear-filters",
                "#events-table"}) {
            assertShownWhole(robot.from(audit).lookup(id).query(), id);
        }
    }

    @Test
    void theCiTemplatesTabShowsItsActions(FxRobot robot) throws Exception {
        Node ci = tab(robot, 3);
        for (String id : new String[] {"#platform-github", "#platform-gitlab", "#platform-jenkins",
                "#platform-azure", "#ci-copy", "#ci-save"}) {
            assertShownWhole(robot.from(ci).lookup(id).query(), id);
        }
    }

    /**
     * The node is visible, lies inside the window and inside every ancestor (a split pane's item
     * clips what overflows it), and, if it has a label, shows that label whole.
     */
    private void assertShownWhole(Node node, String id) {
        assertThat(node).as(id).isNotNull();
        Bounds bounds = node.localToScene(node.getLayoutBounds());
        assertThat(bounds.getWidth()).as("%s has a width", id).isGreaterThan(0);
        assertThat(bounds.getMinX()).as("%s starts inside the window", id).isGreaterThanOrEqualTo(-0.5);
        assertThat(bounds.getMaxX()).as("%s ends inside the window", id).isLessThanOrEqualTo(stage.getScene().getWidth() + 0.5);
        assertThat(bounds.getMaxY()).as("%s ends above the window's bottom", id).isLessThanOrEqualTo(stage.getScene().getHeight() + 0.5);
        for (Parent parent = node.getParent(); parent != null; parent = parent.getParent()) {
            assertThat(parent.isVisible()).as("%s is in a visible pane", id).isTrue();
            if (parent instanceof ScrollPane) {
                break; // what lies below a scroll pane is reached by scrolling
            }
            Bounds outer = parent.localToScene(parent.getLayoutBounds());
            assertThat(outer.getMinX() - 0.5 <= bounds.getMinX() && bounds.getMaxX() <= outer.getMaxX() + 0.5
                    && outer.getMinY() - 0.5 <= bounds.getMinY() && bounds.getMaxY() <= outer.getMaxY() + 0.5)
                    .as("%s %s lies inside its pane %s %s", id, bounds, parent, outer).isTrue();
        }
        if (node instanceof Labeled labeled && labeled.getText() != null && !labeled.getText().isEmpty()) {
            Text shown = (Text) labeled.lookup(".text");
            assertThat(shown.getText()).as("%s's label is shown whole", id).isEqualTo(labeled.getText());
        }
    }
}
