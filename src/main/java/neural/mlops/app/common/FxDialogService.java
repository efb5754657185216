package neural.mlops.app.common;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import neural.mlops.store.ErrorLog;

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
    public boolean confirm(String title, String header, String message) {
        Alert alert = alert(Alert.AlertType.CONFIRMATION, title, message);
        alert.setHeaderText(header);
        return alert.showAndWait().filter(ButtonType.OK::equals).isPresent();
    }

    @Override
    public Optional<String> confirmWithReason(String title, String header, String message) {
        Alert alert = alert(Alert.AlertType.CONFIRMATION, title, null);
        alert.setHeaderText(header);
        TextArea reason = new TextArea();
        reason.setPromptText("Reason (optional, recorded in the stage history and the audit trail)");
        reason.setPrefRowCount(3);
        reason.setWrapText(true);
        Label text = new Label(message);
        text.setWrapText(true);
        VBox content = new VBox(10, text, reason);
        alert.getDialogPane().setContent(content);
        alert.setOnShown(event -> reason.requestFocus());
        return alert.showAndWait().filter(ButtonType.OK::equals).map(button -> reason.getText().strip());
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
