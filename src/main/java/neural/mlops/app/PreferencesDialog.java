package neural.mlops.app;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import neural.mlops.app.common.ComboBoxes;
import neural.mlops.app.common.SigningStatus;
import neural.mlops.app.common.Theme;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.identity.SigningKey;

/**
 * File > Preferences: user identity, signing key and theme, bound to a {@link PreferencesViewModel}, and the open
 * workspace's governance policy, read-only.
 */
final class PreferencesDialog extends Dialog<ButtonType> {

    private static TextField signingKey(PreferencesViewModel model) {
        TextField key = new TextField();
        key.setId("preferences-signing-key");
        key.setEditable(false);
        key.setPromptText("none: unsigned, or $" + SigningKey.VARIABLE);
        key.textProperty().bind(Bindings.createStringBinding(() -> model.signingKeyProperty().get() == null ? ""
                : model.signingKeyProperty().get().toString(), model.signingKeyProperty()));
        return key;
    }

    private static HBox signingButtons(PreferencesViewModel model) {
        Button choose = new Button("Choose...");
        choose.setId("preferences-signing-choose");
        choose.setOnAction(event -> model.chooseSigningKey());
        Button clear = new Button("Clear");
        clear.setId("preferences-signing-clear");
        clear.disableProperty().bind(model.signingKeyProperty().isNull());
        clear.setOnAction(event -> model.clearSigningKey());
        return new HBox(6, choose, clear);
    }

    /** The status in the warning colour when the key will not be accepted. */
    private static void showSigning(Label label, SigningStatus status) {
        label.setText(status.text());
        label.getStyleClass().remove("severity-warning");
        if (status.warning()) {
            label.getStyleClass().add("severity-warning");
        }
    }

    PreferencesDialog(Window owner, PreferencesViewModel model) {
        initOwner(owner);
        ThemeManager.adopt(this);
        setTitle("Preferences");
        setHeaderText("Preferences");

        TextField user = new TextField();
        user.setId("preferences-user");
        user.textProperty().bindBidirectional(model.userProperty());
        Button reset = new Button("Use OS user (" + model.osUser() + ")");
        reset.setOnAction(event -> model.resetUser());
        user.setDisable(!model.userEditable());
        reset.setDisable(!model.userEditable());
        Label problem = new Label();
        problem.getStyleClass().add("danger");
        problem.setWrapText(true);
        problem.textProperty().bind(model.userProblemProperty());
        problem.visibleProperty().bind(model.userProblemProperty().isNotNull());
        problem.managedProperty().bind(problem.visibleProperty());

        ComboBox<Theme> theme = new ComboBox<>();
        theme.getItems().setAll(Theme.values());
        theme.valueProperty().bindBidirectional(model.themeProperty());
        theme.setConverter(ComboBoxes.nullable("", value -> value == Theme.DARK ? "Dark" : "Light"));

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.setPadding(new Insets(10));
        ColumnConstraints labels = new ColumnConstraints();
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().setAll(labels, fields);
        grid.addRow(0, new Label("Acting user:"), user, reset);
        grid.add(problem, 1, 1, 2, 1);
        Label hint = new Label(model.userSource() + ". Recorded as the user of every action you take in the audit "
                + "trail; a change is confirmed with a reason and recorded there (config_changed).");
        hint.setId("preferences-user-source");
        hint.getStyleClass().add("text-muted");
        hint.setWrapText(true);
        grid.add(hint, 1, 2, 2, 1);
        grid.addRow(3, new Label("Signing key:"), signingKey(model), signingButtons(model));
        Label keyProblem = new Label();
        keyProblem.setId("preferences-signing-problem");
        keyProblem.getStyleClass().add("danger");
        keyProblem.setWrapText(true);
        keyProblem.textProperty().bind(model.signingKeyProblemProperty());
        keyProblem.visibleProperty().bind(model.signingKeyProblemProperty().isNotNull());
        keyProblem.managedProperty().bind(keyProblem.visibleProperty());
        grid.add(keyProblem, 1, 4, 2, 1);
        Label signing = new Label();
        signing.setId("preferences-signing");
        signing.setWrapText(true);
        model.signingProperty().addListener((observable, old, status) -> showSigning(signing, status));
        showSigning(signing, model.signingProperty().get());
        grid.add(signing, 1, 5, 2, 1);
        Label keyHint = new Label();
        keyHint.getStyleClass().add("text-muted");
        keyHint.setWrapText(true);
        keyHint.textProperty().bind(Bindings.createStringBinding(() -> (model.signingKeySourceProperty().get().isEmpty()
                ? "" : model.signingKeySourceProperty().get() + ". ") + "Signs your promotions, requests, approvals "
                + "and rejections with ssh-keygen -Y sign; a .pub file or certificate means the ssh-agent signs.",
                model.signingKeySourceProperty()));
        grid.add(keyHint, 1, 6, 2, 1);
        grid.addRow(7, new Label("Theme:"), theme);

        Label source = new Label();
        source.setId("policy-source");
        source.setWrapText(true);
        source.getStyleClass().add("text-muted");
        source.textProperty().bind(model.policySourceProperty());
        TextArea policy = new TextArea();
        policy.setId("policy-text");
        policy.setEditable(false);
        policy.setWrapText(true);
        policy.setPrefRowCount(8);
        policy.getStyleClass().add("mono");
        policy.textProperty().bind(Bindings.createStringBinding(() -> String.join("\n", model.policyLines()),
                model.policyLines()));
        Label how = new Label("Read-only: the policy is the policy section of workspace.yaml; edit that file to change it.");
        how.setWrapText(true);
        how.getStyleClass().add("text-muted");
        TitledPane policyPane = new TitledPane("Workspace policy", new VBox(6, source, policy, how));
        policyPane.setCollapsible(false);
        getDialogPane().setContent(new VBox(10, grid, policyPane));
        getDialogPane().setPrefWidth(560);

        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().setAll(save, ButtonType.CANCEL);
        getDialogPane().lookupButton(save).disableProperty().bind(model.canApplyProperty().not());
        setResultConverter(button -> {
            if (button == save) {
                model.apply();
            }
            return button;
        });
    }
}
