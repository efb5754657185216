package neural.mlops.app.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Dialog;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A confirmation that asks for a reason, under Monocle, driven by the keyboard: what is typed goes
 * into the reason (a space never presses a button), Enter starts a new line, Ctrl+Enter confirms,
 * and a destructive action's default button is Cancel.
 */
@ExtendWith(ApplicationExtension.class)
class ConfirmationDialogTest {

    FxDialogService dialogs;

    @Start
    void start(Stage stage) {
        stage.setScene(new Scene(new StackPane(), 300, 200));
        stage.show();
        dialogs = new FxDialogService(stage);
    }

    @Test
    void typingAReasonRecordsItAndCtrlEnterConfirms(FxRobot robot) throws Exception {
        Dialog<String> dialog = open(robot, Confirmation.of("Promote fraud_detector v2.0.0 to production",
                "fraud_detector v2.0.0: staging \u2192 production", "v1.0.0 is archived.", "Promote to production"));

        robot.write("passed the A/B test");
        robot.press(KeyCode.ENTER).release(KeyCode.ENTER);
        robot.write("ticket 42");
        assertThat(dialog.isShowing()).as("Enter starts a new line, it does not confirm").isTrue();
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !dialog.isShowing());

        assertThat(dialog.getResult()).isEqualTo("passed the A/B test\nticket 42");
    }

    @Test
    void aDestructiveConfirmationSaysItsActionAndDefaultsToCancel(FxRobot robot) throws Exception {
        Dialog<String> dialog = open(robot, Confirmation.destructive("Delete fraud_detector v2.0.0",
                "Delete fraud_detector v2.0.0?", "This cannot be undone.", "Delete v2.0.0"));
        Button delete = (Button) dialog.getDialogPane().lookup("#confirm-action");
        TextArea reason = (TextArea) dialog.getDialogPane().lookup("#confirm-reason");

        assertThat(delete.getText()).isEqualTo("Delete v2.0.0");
        assertThat(delete.isDefaultButton()).isFalse();
        assertThat(dialog.getTitle()).isEqualTo("Delete fraud_detector v2.0.0");
        robot.write("obsolete ");
        robot.press(KeyCode.ENTER).release(KeyCode.ENTER);
        assertThat(dialog.isShowing()).isTrue();
        assertThat(reason.getText()).isEqualTo("obsolete \n");

        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !dialog.isShowing());
        assertThat(dialog.getResult()).isNull();
    }

    /** Shows the dialog without waiting for it and waits until its reason field has the focus. */
    private Dialog<String> open(FxRobot robot, Confirmation confirmation) throws Exception {
        Dialog<String> dialog = WaitForAsyncUtils.asyncFx(() -> {
            Dialog<String> shown = dialogs.confirmationDialog(confirmation);
            shown.show();
            return shown;
        }).get();
        TextArea reason = (TextArea) dialog.getDialogPane().lookup("#confirm-reason");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, reason::isFocused);
        // Keys go where a user's would: to the dialog's window, to whatever has the focus there.
        robot.targetWindow(dialog.getDialogPane().getScene().getWindow());
        return dialog;
    }
}
