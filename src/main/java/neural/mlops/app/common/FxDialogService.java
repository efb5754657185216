package neural.mlops.app.common;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import atlantafx.base.theme.Styles;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.Dialog;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import neural.mlops.store.ErrorLog;
import neural.mlops.workspace.WorkspaceLocation;

/** The JavaFX dialogs behind {@link DialogService}, always owned by the main window. */
public final class FxDialogService implements DialogService {

    private final Window owner;

    public FxDialogService(Window owner) {
        this.owner = owner;
    }

    @Override
    public void showError(String title, String message) {
        Alert alert = alert(Alert.AlertType.ERROR, title, message);
        alert.showAndWait();
    }

    @Override
    public void showError(String title, Throwable error) {
        errorAlert(title, error).showAndWait();
    }

    /**
     * The dialog for {@code error}, not yet shown; logs the stack trace first when it belongs in
     * the log, so that it is kept even if the dialog cannot be shown.
     */
    Alert errorAlert(String title, Throwable error) {
        ErrorReport report = ErrorReport.of(error);
        Path log = report.worthLogging() ? ErrorLog.append(title, report.error()) : null;
        Alert alert = alert(Alert.AlertType.ERROR, title,
                report.message() + (log == null ? "" : "\n\nThe details are in " + log + "."));
        if (!report.expected()) {
            TextArea trace = new TextArea(report.stackTrace());
            trace.setId("error-trace");
            trace.setEditable(false);
            trace.setWrapText(false);
            trace.setPrefRowCount(14);
            trace.setMaxWidth(Double.MAX_VALUE);
            trace.setMaxHeight(Double.MAX_VALUE);
            VBox.setVgrow(trace, Priority.ALWAYS);
            VBox details = new VBox(6, new Label("The stack trace (also in the log):"), trace);
            alert.getDialogPane().setExpandableContent(details);
        }
        return alert;
    }

    @Override
    public void showInformation(String title, String message) {
        alert(Alert.AlertType.INFORMATION, title, message).showAndWait();
    }

    @Override
    public void notifySuccess(String message) {
        org.controlsfx.control.Notifications.create()
                .owner(owner)
                .title("Done")
                .text(message)
                .position(javafx.geometry.Pos.BOTTOM_RIGHT)
                .hideAfter(javafx.util.Duration.seconds(4))
                .showInformation();
    }

    @Override
    public boolean confirm(String title, String header, String message) {
        Alert alert = alert(Alert.AlertType.CONFIRMATION, title, message);
        alert.setHeaderText(header);
        return alert.showAndWait().filter(ButtonType.OK::equals).isPresent();
    }

    @Override
    public Optional<String> confirmWithReason(Confirmation confirmation) {
        return confirmationDialog(confirmation).showAndWait().map(String::strip);
    }

    /**
     * The dialog of {@link #confirmWithReason}, not yet shown: the reason field takes the focus once
     * the window has placed it on its default button (so typing never presses a button), Enter in
     * it is a new line, Ctrl+Enter (Cmd+Enter) confirms, and a destructive action's default button
     * is Cancel. Its result is the reason typed, or none when cancelled.
     */
    Dialog<String> confirmationDialog(Confirmation confirmation) {
        Dialog<String> dialog = new Dialog<>();
        dialog.initOwner(owner);
        ThemeManager.adopt(dialog);
        dialog.setTitle(confirmation.title());
        dialog.setHeaderText(confirmation.header());
        dialog.setResizable(true);
        ButtonType act = new ButtonType(confirmation.verb(), ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().setAll(act, ButtonType.CANCEL);
        Button actButton = (Button) dialog.getDialogPane().lookupButton(act);
        actButton.setId("confirm-action");
        Button cancelButton = (Button) dialog.getDialogPane().lookupButton(ButtonType.CANCEL);
        actButton.setDefaultButton(!confirmation.destructive());
        cancelButton.setDefaultButton(confirmation.destructive());
        if (confirmation.destructive()) {
            actButton.getStyleClass().add(Styles.DANGER);
        }
        TextArea reason = new TextArea();
        reason.setId("confirm-reason");
        reason.setPromptText("Reason, recorded in the history and the audit trail (Ctrl+Enter: "
                + confirmation.verb() + ")");
        reason.setPrefRowCount(3);
        reason.setWrapText(true);
        reason.addEventFilter(KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() == KeyCode.ENTER && event.isShortcutDown()) {
                event.consume();
                actButton.fire();
            }
        });
        Label text = new Label(confirmation.message());
        text.setId("dialog-message");
        text.setWrapText(true);
        text.setMaxWidth(520);
        dialog.getDialogPane().setContent(new VBox(10, text, reason));
        keepFocusOn(reason, dialog);
        dialog.setResultConverter(button -> button == act ? reason.getText() : null);
        return dialog;
    }

    /**
     * Keeps the focus in {@code field} until the user moves it on purpose (Tab, or the mouse).
     * A dialog gives its default button the focus as it opens, and the window system may hand the
     * focus over again after that (under a real window manager, after onShown): a reason typed then
     * would press the button at its first space. Every such move is sent back to the field.
     */
    private static void keepFocusOn(TextArea field, Dialog<?> dialog) {
        boolean[] movedOnPurpose = {false};
        dialog.getDialogPane().addEventFilter(KeyEvent.ANY, event -> {
            if (event.getCode() == KeyCode.TAB) {
                movedOnPurpose[0] = true;
            } else if (!movedOnPurpose[0] && event.getTarget() instanceof Button && event.getCode() == KeyCode.SPACE) {
                // Typing meant for the reason: never a press of the button that had the focus.
                event.consume();
                field.requestFocus();
            }
        });
        dialog.getDialogPane().addEventFilter(MouseEvent.MOUSE_PRESSED,
                event -> movedOnPurpose[0] = true);
        dialog.setOnShown(event -> {
            Scene scene = dialog.getDialogPane().getScene();
            scene.focusOwnerProperty().addListener((owner, before, now) -> {
                if (now != field && !movedOnPurpose[0]) {
                    Platform.runLater(field::requestFocus);
                }
            });
            scene.getWindow().focusedProperty().addListener((focused, was, is) -> {
                if (is && !movedOnPurpose[0]) {
                    Platform.runLater(field::requestFocus);
                }
            });
            Platform.runLater(field::requestFocus);
        });
    }

    @Override
    public Optional<Path> chooseDirectory(String title, Path initial) {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(title);
        if (initial != null && Files.isDirectory(initial)) {
            chooser.setInitialDirectory(initial.toFile());
        }
        return Optional.ofNullable(chooser.showDialog(owner)).map(file -> file.toPath());
    }

    @Override
    public Optional<WorkspaceLocation.Bucket> askRemoteWorkspace(Optional<WorkspaceLocation.Bucket> initial) {
        return RemoteWorkspaceDialog.create(owner, initial).showAndWait();
    }

    @Override
    public Optional<Path> chooseFileToOpen(String title, Path initial) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        if (initial != null && Files.isDirectory(initial)) {
            chooser.setInitialDirectory(initial.toFile());
        }
        return Optional.ofNullable(chooser.showOpenDialog(owner)).map(file -> file.toPath());
    }

    @Override
    public Optional<Path> chooseFileToSave(String title, Path initialFolder, String initialName, List<String> extensions) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.setInitialFileName(initialName);
        if (initialFolder != null && Files.isDirectory(initialFolder)) {
            chooser.setInitialDirectory(initialFolder.toFile());
        }
        for (String extension : extensions) {
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(extension, extension));
        }
        return Optional.ofNullable(chooser.showSaveDialog(owner)).map(file -> file.toPath());
    }

    private Alert alert(Alert.AlertType type, String title, String message) {
        Alert alert = new Alert(type);
        alert.initOwner(owner);
        ThemeManager.adopt(alert);
        alert.setTitle(title);
        alert.setHeaderText(title);
        if (message != null) {
            Label text = new Label(message);
            text.setId("dialog-message");
            text.setWrapText(true);
            text.setMaxWidth(520);
            alert.getDialogPane().setContent(text);
        }
        return alert;
    }
}
