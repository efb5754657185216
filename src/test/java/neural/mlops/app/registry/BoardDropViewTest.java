package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.javafx.scene.input.DragboardHelper;
import com.sun.javafx.tk.Toolkit;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.stage.Stage;
import javafx.stage.Window;
import neural.mlops.app.common.Shown;
import neural.mlops.app.common.FxDialogService;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelSummary;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 20 item 2: a drop on the stage board opens its dialog only once the drop event has
 * returned, and that dialog takes a click. Monocle's own drag and drop is unreliable, so the test
 * fires the DRAG_DROPPED event a real drop delivers, with a dragboard holding what a card's (or a
 * chip's) drag puts there, at the node the user drops on: the handler under test is the one the
 * application installs. A handler that opened the dialog with showAndWait would show it before
 * returning, which the window listener records.
 */
@ExtendWith(ApplicationExtension.class)
class BoardDropViewTest {

    @TempDir
    Path dir;

    Workspace workspace;
    RegistryViewModel model;
    final AtomicBoolean dropReturned = new AtomicBoolean();
    final AtomicReference<Boolean> returnedBeforeADialogShowed = new AtomicReference<>();
    final ListChangeListener<Window> dialogWatch = change -> {
        while (change.next()) {
            if (change.wasAdded()) {
                returnedBeforeADialogShowed.compareAndSet(null, dropReturned.get());
            }
        }
    };

    @Start
    void start(Stage stage) throws Exception {
        workspace = RegistryFixture.create(dir);
        workspace.aliases().set("fraud_detector", "champion", "v1.0.0", "first release");
        // The real dialogs, owned by the main window, as the application opens them.
        model = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, new FxDialogService(stage));
        model.showWorkspace(workspace);
        Scene scene = new Scene(new RegistryView(model), 1200, 700);
        scene.getStylesheets().add(getClass().getResource("/neural/mlops/app/app.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void stopWatching() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> Window.getWindows().removeListener(dialogWatch)).get();
    }

    @Test
    void aCardDroppedOnProductionOpensItsConfirmationAfterTheDropAndTheConfirmationTakesAClick(FxRobot robot)
            throws Exception {
        showBoardOfFraudDetector(robot);
        Node production = robot.lookup("#stage-column-production").query();

        DragEvent drop = drop(robot, production, StageBoardView.dragContent(
                workspace.registry().getModel("fraud_detector", "v2.0.0")));
        Shown.await(robot, "#confirm-action");

        assertThat(drop.isDropCompleted()).as("the drop is reported done to the drag source").isTrue();
        assertThat(returnedBeforeADialogShowed.get())
                .as("the drop handler returned before the confirmation opened").isTrue();
        robot.write("drag and drop test");
        robot.clickOn("#confirm-action");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#confirm-action").tryQuery().isEmpty());

        try (Workspace onDisk = Workspace.open(dir.resolve("ws"), "reader")) {
            assertThat(onDisk.registry().getModel("fraud_detector", "v2.0.0").stage()).isEqualTo(ModelStage.PRODUCTION);
            assertThat(onDisk.registry().getModel("fraud_detector", "v1.0.0").stage()).isEqualTo(ModelStage.ARCHIVED);
        }
    }

    @Test
    void anAliasChipDroppedOnAnotherCardOpensSetAliasAfterTheDropAndTheDialogTakesAClick(FxRobot robot)
            throws Exception {
        showBoardOfFraudDetector(robot);
        Node card = robot.lookup(cardOf("v2.0.0")).query();

        DragEvent drop = drop(robot, card, AliasChips.dragContent(
                workspace.registry().getModel("fraud_detector", "v1.0.0"), "champion"));
        Shown.await(robot, "#alias-confirm");

        assertThat(drop.isDropCompleted()).isTrue();
        assertThat(returnedBeforeADialogShowed.get())
                .as("the drop handler returned before Set alias opened").isTrue();
        robot.clickOn("#alias-reason").write("better recall");
        robot.clickOn("#alias-confirm");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#alias-confirm").tryQuery().isEmpty());

        try (Workspace onDisk = Workspace.open(dir.resolve("ws"), "reader")) {
            assertThat(onDisk.aliases().resolve("fraud_detector", "champion")).isEqualTo("v2.0.0");
        }
    }

    private void showBoardOfFraudDetector(FxRobot robot) throws Exception {
        ListView<ModelSummary> list = robot.lookup("#model-list").queryListView();
        robot.interact(() -> list.getSelectionModel().select(
                list.getItems().stream().filter(m -> m.name().equals("fraud_detector")).findFirst().orElseThrow()));
        robot.clickOn("#board-toggle");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup(cardOf("v2.0.0")).tryQuery().isPresent());
    }

    /** A card's id holds dots, which a CSS selector would take for classes. */
    private static Predicate<Node> cardOf(String version) {
        return node -> ("card-" + version).equals(node.getId());
    }

    /**
     * Delivers a DRAG_DROPPED carrying {@code content} to {@code target} on the FX thread, without
     * waiting for what it starts, and notes when the handler has returned; the returned event tells
     * whether the handler reported the drop done.
     */
    private DragEvent drop(FxRobot robot, Node target, String content) throws Exception {
        DragEvent event = WaitForAsyncUtils.asyncFx(() -> {
            // JavaFX offers no public way to make a Dragboard; the toolkit's local clipboard is one.
            Dragboard dragboard = DragboardHelper.createDragboard(Toolkit.getToolkit().createLocalClipboard());
            ClipboardContent clip = new ClipboardContent();
            clip.putString(content);
            dragboard.setContent(clip);
            var centre = target.localToScene(target.getBoundsInLocal().getCenterX(), target.getBoundsInLocal().getCenterY());
            var screen = target.localToScreen(target.getBoundsInLocal().getCenterX(), target.getBoundsInLocal().getCenterY());
            return new DragEvent(DragEvent.DRAG_DROPPED, dragboard, centre.getX(), centre.getY(), screen.getX(),
                    screen.getY(), TransferMode.MOVE, null, target, null);
        }).get();
        robot.interact(() -> Window.getWindows().addListener(dialogWatch));
        // Not interact(): a handler that showed its dialog and waited would never give the thread back.
        Platform.runLater(() -> {
            target.fireEvent(event);
            dropReturned.set(true);
        });
        return event;
    }
}
