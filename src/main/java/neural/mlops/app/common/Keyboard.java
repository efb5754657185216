package neural.mlops.app.common;

import java.util.Optional;
import javafx.collections.ListChangeListener;
import javafx.event.Event;
import javafx.event.EventHandler;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Control;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.TableView;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;

/**
 * The keyboard conventions every window shares (GNOME, Windows and macOS agree on them): Esc
 * closes a secondary window, and the context-menu key or Shift+F10 opens the focused list's or
 * table's menu at its focused row. Glass does not turn those keys into context-menu requests on
 * every platform, so they are turned into one here, the same request a right click makes.
 */
public final class Keyboard {

    /** The style class of a tab's search field, which Ctrl+F focuses. */
    public static final String SEARCH = "tab-search";
    /** The style class of a tab's "New..." button, which Ctrl+N presses. */
    public static final String CREATE = "tab-create";
    private static final String ESCAPE_CLOSES = Keyboard.class.getName() + ".escapeCloses";

    private Keyboard() {
    }

    /**
     * A tab's search field: Ctrl+F finds it, and a clear button (ControlsFX) empties it with one
     * click. Every tab's search field is made here.
     */
    public static TextField searchField(String id, String prompt) {
        TextField search = org.controlsfx.control.textfield.TextFields.createClearableTextField();
        search.setId(id);
        search.getStyleClass().add(SEARCH);
        search.setPromptText(prompt);
        return search;
    }

    /**
     * From now on Esc closes every window but {@code main}: the ones open now and the ones opened
     * later. A window is asked first (its close-request handler, which a dialog uses to pick its
     * Cancel result, may refuse); a control that uses Esc itself (an open popup, a dialog's Cancel
     * button) consumes it before the window sees it.
     */
    public static void escapeClosesSecondaryWindows(Window main) {
        Window.getWindows().forEach(window -> closeOnEscape(window, main));
        Window.getWindows().addListener((ListChangeListener<Window>) change -> {
            while (change.next()) {
                change.getAddedSubList().forEach(window -> closeOnEscape(window, main));
            }
        });
    }

    private static void closeOnEscape(Window window, Window main) {
        if (window == main || !(window instanceof Stage stage) || stage.getProperties().containsKey(ESCAPE_CLOSES)) {
            return;
        }
        stage.getProperties().put(ESCAPE_CLOSES, Boolean.TRUE);
        stage.addEventHandler(KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() != KeyCode.ESCAPE || event.isConsumed() || !stage.isShowing()) {
                return;
            }
            event.consume();
            WindowEvent request = new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST);
            EventHandler<WindowEvent> handler = stage.getOnCloseRequest();
            if (handler != null) {
                handler.handle(request);
            }
            if (!request.isConsumed() && stage.isShowing()) {
                stage.hide();
            }
        });
    }

    /** The context-menu key and Shift+F10 open the focused control's menu in {@code scene}, at its focused row. */
    public static void contextMenuKeyOpensMenus(Scene scene) {
        scene.addEventHandler(KeyEvent.KEY_PRESSED, event -> {
            boolean menuKey = event.getCode() == KeyCode.CONTEXT_MENU
                    || event.getCode() == KeyCode.F10 && event.isShiftDown();
            if (!menuKey || event.isConsumed()
                    || !(scene.getFocusOwner() instanceof Control control) || control.getContextMenu() == null) {
                return;
            }
            event.consume();
            Bounds anchor = focusedRow(control).map(row -> row.localToScreen(row.getBoundsInLocal()))
                    .orElseGet(() -> control.localToScreen(control.getBoundsInLocal()));
            double screenX = anchor.getMinX() + Math.min(24, anchor.getWidth() / 2);
            double screenY = anchor.getMaxY();
            var local = control.screenToLocal(screenX, screenY);
            Event.fireEvent(control, new ContextMenuEvent(ContextMenuEvent.CONTEXT_MENU_REQUESTED,
                    local.getX(), local.getY(), screenX, screenY, true, null));
        });
    }

    /** The row cell that has the keyboard focus in a list or table, if it is on screen. */
    private static Optional<Node> focusedRow(Control control) {
        int focused;
        String rows;
        if (control instanceof TableView<?> table) {
            focused = table.getFocusModel().getFocusedIndex();
            rows = ".table-row-cell";
        } else if (control instanceof ListView<?> list) {
            focused = list.getFocusModel().getFocusedIndex();
            rows = ".list-cell";
        } else if (control instanceof TreeTableView<?> tree) {
            focused = tree.getFocusModel().getFocusedIndex();
            rows = ".tree-table-row-cell";
        } else {
            return Optional.empty();
        }
        if (focused < 0) {
            return Optional.empty();
        }
        return control.lookupAll(rows).stream()
                .filter(node -> node instanceof IndexedCell<?> cell && cell.getIndex() == focused && cell.isVisible()
                        && cell.localToScreen(cell.getBoundsInLocal()) != null)
                .findFirst();
    }
}
