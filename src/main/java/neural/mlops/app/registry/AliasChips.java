package neural.mlops.app.registry;

import java.util.List;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import neural.mlops.registry.Aliases;
import neural.mlops.registry.ModelVersion;

/**
 * The alias chips of a version ({@code @champion}), one way for the table row, the stage-board card
 * and the details pane: each chip's context menu removes its alias, through the view model.
 */
final class AliasChips {

    private AliasChips() {
    }

    /** The chips of the aliases pointing at {@code version}; empty when none does. */
    static HBox of(AliasesViewModel model, ModelVersion version) {
        HBox chips = new HBox(4);
        List<String> names = model.aliasesOf(version);
        names.forEach(alias -> chips.getChildren().add(chip(model, alias)));
        chips.setManaged(!names.isEmpty());
        chips.setVisible(!names.isEmpty());
        return chips;
    }

    static Label chip(AliasesViewModel model, String alias) {
        Label chip = new Label(Aliases.SEPARATOR + alias);
        chip.setId("alias-chip-" + alias);
        chip.getStyleClass().addAll("tag-chip", "alias-chip");
        chip.setMinWidth(Label.USE_PREF_SIZE);
        chip.setTooltip(new Tooltip("Alias " + alias + "; right-click to remove it"));
        MenuItem remove = new MenuItem("Remove alias...");
        remove.setId("remove-alias-" + alias);
        remove.setOnAction(event -> model.remove(alias));
        chip.setContextMenu(new ContextMenu(remove));
        return chip;
    }
}
