package neural.mlops.app.common;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.beans.binding.BooleanExpression;
import javafx.event.ActionEvent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;

/**
 * The confirm button of a dialog whose work runs in the background (a copy, a deployment): the
 * button stays disabled until the view model can run, pressing it starts the work and keeps the
 * dialog open, and the dialog closes with the work's result only when it succeeds. A failure
 * leaves it open with what the user typed, for the view model to show why.
 */
public final class ConfirmButton {

    private ConfirmButton() {
    }

    /**
     * Adds the button ({@code label}, with Cancel) to {@code dialog}.
     *
     * @param work starts the work and calls the given consumer with its result on success
     * @return the button, for the caller to style or look up
     */
    public static <R> Button install(Dialog<R> dialog, String label, String id, BooleanExpression canRun,
                                     Consumer<Consumer<R>> work) {
        ButtonType type = new ButtonType(label, ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().setAll(type, ButtonType.CANCEL);
        Button button = (Button) dialog.getDialogPane().lookupButton(type);
        button.setId(id);
        button.disableProperty().bind(canRun.not());
        AtomicReference<R> done = new AtomicReference<>();
        button.addEventFilter(ActionEvent.ACTION, event -> {
            event.consume();
            work.accept(result -> {
                done.set(result);
                dialog.setResult(result);
                dialog.close();
            });
        });
        dialog.setResultConverter(pressed -> done.get());
        return button;
    }
}
