package neural.mlops.app.registry;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.registry.Aliases;
import neural.mlops.registry.ModelVersion;

/**
 * Set alias...: an editable choice of the model's aliases (a new name sets one, an existing one
 * moves it, saying from which version) and a reason. Returns the choice; the view model carries it
 * out, and the core (with the workspace policy) has the last word.
 */
final class SetAliasDialog extends Dialog<SetAliasDialog.Choice> {

    /** The alias to point at the version, and why (may be empty; a policy may require one). */
    record Choice(String alias, String reason) {
    }

    /** {@code alias}: the alias to offer (a chip dragged onto the version), or null. */
    SetAliasDialog(Window owner, AliasesViewModel model, ModelVersion version, String alias) {
        initOwner(owner);
        ThemeManager.adopt(this);
        setTitle("Set alias");
        setHeaderText("Point an alias of " + version.name() + " at " + version.version());

        String offered = alias;
        ComboBox<String> choice = new ComboBox<>();
        choice.setId("alias-name");
        choice.setEditable(true);
        choice.getItems().setAll(model.names());
        choice.setPromptText("champion");
        if (offered != null) {
            choice.getEditor().setText(offered);
        }
        TextField reason = new TextField();
        reason.setId("alias-reason");
        reason.setPromptText("Why (recorded in the audit trail)");
        Label effect = new Label();
        effect.setId("alias-effect");
        effect.setWrapText(true);
        effect.textProperty().bind(Bindings.createStringBinding(() -> model.effect(version,
                choice.getEditor().getText()), choice.getEditor().textProperty()));

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.setPadding(new Insets(10));
        grid.addRow(0, new Label("Alias"), choice);
        grid.addRow(1, new Label("Reason"), reason);
        grid.add(effect, 0, 2, 2, 1);
        getDialogPane().setContent(grid);

        ButtonType set = new ButtonType("Set alias", ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().setAll(set, ButtonType.CANCEL);
        getDialogPane().lookupButton(set).setId("alias-confirm");
        // A name the core would refuse as invalid is not offered; the core checks it again.
        getDialogPane().lookupButton(set).disableProperty().bind(Bindings.createBooleanBinding(() -> {
            String text = choice.getEditor().getText();
            return text == null || text.isBlank() || Aliases.problem(text.strip()) != null;
        }, choice.getEditor().textProperty()));
        setResultConverter(button -> button == set
                ? new Choice(choice.getEditor().getText().strip(), reason.getText().strip()) : null);
    }
}
