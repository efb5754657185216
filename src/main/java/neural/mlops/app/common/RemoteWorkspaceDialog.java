package neural.mlops.app.common;

import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import neural.mlops.store.MlopsException;
import neural.mlops.store.storage.S3Location;
import neural.mlops.workspace.WorkspaceLocation;

/**
 * File > Open Remote Workspace...: a workspace in an S3-compatible bucket (SPEC 9), named by
 * bucket and prefix, with an optional endpoint (MinIO, Ceph, R2 ...) and AWS profile. Credentials
 * are not asked for: they come from the AWS configuration, as for the AWS CLI. What is typed is
 * checked as it is typed; Open is enabled only for a valid location, and the problem is named.
 */
final class RemoteWorkspaceDialog {

    private RemoteWorkspaceDialog() {
    }

    static Dialog<WorkspaceLocation.Bucket> create(Window owner, Optional<WorkspaceLocation.Bucket> initial) {
        Dialog<WorkspaceLocation.Bucket> dialog = new Dialog<>();
        dialog.initOwner(owner);
        ThemeManager.adopt(dialog);
        dialog.setTitle("Open Remote Workspace");
        dialog.setHeaderText("A workspace in an S3-compatible bucket, shared by your team and its pipelines");
        dialog.setResizable(true);

        TextField bucket = field("remote-bucket", "team-models", initial.map(b -> b.location().bucket()));
        TextField prefix = field("remote-prefix", "fraud/workspace (empty: the whole bucket)",
                initial.map(b -> trimSlash(b.location().prefix())));
        TextField endpoint = field("remote-endpoint", "from AWS_ENDPOINT_URL_S3 or your profile; e.g. http://127.0.0.1:9000",
                initial.flatMap(WorkspaceLocation.Bucket::endpoint));
        TextField profile = field("remote-profile", "from AWS_PROFILE; e.g. team-dev",
                initial.flatMap(WorkspaceLocation.Bucket::profile));

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        addRow(grid, 0, "_Bucket:", bucket);
        addRow(grid, 1, "_Prefix:", prefix);
        addRow(grid, 2, "_Endpoint:", endpoint);
        addRow(grid, 3, "P_rofile:", profile);

        Label problem = new Label();
        problem.setId("remote-problem");
        problem.setWrapText(true);
        problem.setMaxWidth(520);
        problem.getStyleClass().add("danger");
        Label credentials = new Label("Credentials come from your AWS configuration (environment, profile, SSO or "
                + "role), as for the AWS CLI; they are never stored by this application.");
        credentials.setWrapText(true);
        credentials.setMaxWidth(520);
        dialog.getDialogPane().setContent(new VBox(12, grid, credentials, problem));

        ButtonType open = new ButtonType("Open", ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().setAll(open, ButtonType.CANCEL);
        ObjectBinding<Object> checked = Bindings.createObjectBinding(
                () -> check(bucket.getText(), prefix.getText(), endpoint.getText(), profile.getText()),
                bucket.textProperty(), prefix.textProperty(), endpoint.textProperty(), profile.textProperty());
        problem.textProperty().bind(Bindings.createStringBinding(() -> checked.get() instanceof String reason
                && !bucket.getText().isBlank() ? reason : "", checked));
        Node openButton = dialog.getDialogPane().lookupButton(open);
        openButton.setId("remote-open");
        openButton.disableProperty().bind(Bindings.createBooleanBinding(
                () -> !(checked.get() instanceof WorkspaceLocation.Bucket), checked));
        dialog.setResultConverter(button -> button == open && checked.get() instanceof WorkspaceLocation.Bucket chosen
                ? chosen : null);
        dialog.setOnShown(event -> bucket.requestFocus());
        return dialog;
    }

    /** The location typed, or the reason it is not one. */
    static Object check(String bucket, String prefix, String endpoint, String profile) {
        if (bucket == null || bucket.isBlank()) {
            return "Name the bucket.";
        }
        String cleanPrefix = prefix == null ? "" : trimSlash(prefix.strip());
        try {
            S3Location location = S3Location.parse("s3://" + bucket.strip() + (cleanPrefix.isEmpty() ? "" : "/" + cleanPrefix));
            return new WorkspaceLocation.Bucket(location, Optional.ofNullable(endpoint), Optional.ofNullable(profile));
        } catch (MlopsException e) {
            return e.getMessage();
        }
    }

    private static String trimSlash(String prefix) {
        String trimmed = prefix;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    private static TextField field(String id, String prompt, Optional<String> value) {
        TextField field = new TextField(value.orElse(""));
        field.setId(id);
        field.setPromptText(prompt);
        field.setPrefColumnCount(32);
        GridPane.setHgrow(field, Priority.ALWAYS);
        return field;
    }

    private static void addRow(GridPane grid, int row, String text, TextField field) {
        Label label = new Label(text);
        label.setMnemonicParsing(true);
        label.setLabelFor(field);
        grid.addRow(row, label, field);
    }
}
