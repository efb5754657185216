package neural.mlops.app.registry;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import neural.mlops.registry.Aliases;
import neural.mlops.registry.ModelVersion;

/**
 * The alias chips of a version ({@code @champion}), one way for the table row, the stage-board card
 * and the details pane: each chip's context menu removes its alias, and a chip dragged onto another
 * version of the model opens Set alias... there, to move it.
 */
final class AliasChips {

    private static final String DRAG_PREFIX = "neural-mlops-alias:";

    private AliasChips() {
    }

    /** The chips of the aliases pointing at {@code version}; empty when none does. */
    static HBox of(AliasesViewModel model, ModelVersion version) {
        HBox chips = new HBox(4);
        List<String> names = model.aliasesOf(version);
        names.forEach(alias -> {
            Label chip = chip(model, alias);
            chip.setOnDragDetected(event -> {
                Dragboard dragboard = chip.startDragAndDrop(TransferMode.MOVE);
                ClipboardContent content = new ClipboardContent();
                content.putString(dragContent(version, alias));
                dragboard.setContent(content);
                event.consume();
            });
            chips.getChildren().add(chip);
        });
        chips.setManaged(!names.isEmpty());
        chips.setVisible(!names.isEmpty());
        return chips;
    }

    /**
     * Makes {@code target} (a table row, a board card) take a chip dropped on it: {@code drop} gets
     * the alias once the drop event has returned, so that the dialog it opens does not run inside
     * the drag-and-drop gesture (as the stage board's confirmation does).
     */
    static void acceptDrops(Node target, Supplier<ModelVersion> version, Consumer<String> drop) {
        // Other drags (a version card onto a stage column) pass on to the parent untouched.
        target.setOnDragOver(event -> {
            if (dropped(event.getDragboard(), version.get()).isPresent()) {
                event.acceptTransferModes(TransferMode.MOVE);
                event.consume();
            }
        });
        target.setOnDragDropped(event -> {
            Optional<String> alias = dropped(event.getDragboard(), version.get());
            if (alias.isPresent()) {
                event.setDropCompleted(true);
                event.consume();
                Platform.runLater(() -> drop.accept(alias.get()));
            }
        });
    }

    /** The alias a drag carries onto {@code target}: one of the same model, dragged from another version. */
    static Optional<String> dropped(String content, ModelVersion target) {
        if (content == null || target == null || !content.startsWith(DRAG_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = content.substring(DRAG_PREFIX.length()).split("\n", -1);
        if (parts.length != 3 || !parts[0].equals(target.name()) || parts[1].equals(target.version())) {
            return Optional.empty();
        }
        return Optional.of(parts[2]);
    }

    /** What a chip's drag carries: the model, the version the alias points at, and the alias. */
    static String dragContent(ModelVersion from, String alias) {
        return DRAG_PREFIX + from.name() + "\n" + from.version() + "\n" + alias;
    }

    private static Optional<String> dropped(Dragboard dragboard, ModelVersion target) {
        return dragboard.hasString() ? dropped(dragboard.getString(), target) : Optional.empty();
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
