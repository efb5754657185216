package neural.mlops.app.registry;

import static neural.mlops.app.common.DetailsPane.grid;
import static neural.mlops.app.common.DetailsPane.key;

import java.util.function.Supplier;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import neural.mlops.registry.LineageField;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The inline edit of a {@link DetailsEditor}: an Edit button while showing, and while editing the
 * description, the tags (comma-separated), for a version its lineage, Save and Cancel, and the
 * core's message when a save is refused. Enter in a one-line field saves, Ctrl+Enter in the
 * description saves, Esc cancels. {@code idPrefix} tells the version's edit from the model's.
 */
final class EditableDetails extends VBox {

    private final DetailsEditor editor;
    private final Supplier<Object> shown;
    private final String idPrefix;

    /** @param shown what Edit starts editing: the version or the model document shown now (null: nothing) */
    EditableDetails(DetailsEditor editor, Supplier<Object> shown, String idPrefix) {
        super(8);
        this.editor = editor;
        this.shown = shown;
        this.idPrefix = idPrefix;
        editor.editingProperty().addListener((observable, old, editing) -> render());
        editor.errorProperty().addListener((observable, old, error) -> render());
        addEventFilter(KeyEvent.KEY_PRESSED, this::keys);
        render();
    }

    private void render() {
        getChildren().clear();
        if (!editor.editingProperty().get()) {
            Button edit = new Button("Edit", new FontIcon("mdal-edit"));
            edit.setId(idPrefix + "edit-button");
            edit.setOnAction(event -> {
                Object target = shown.get();
                if (target != null) {
                    editor.edit(target);
                }
            });
            getChildren().add(edit);
            return;
        }
        TextArea description = new TextArea();
        description.setId(idPrefix + "edit-description");
        description.setWrapText(true);
        description.setPrefRowCount(3);
        description.textProperty().bindBidirectional(editor.descriptionProperty());
        TextField tags = new TextField();
        tags.setId(idPrefix + "edit-tags");
        tags.setPromptText("baseline, team=fraud");
        tags.textProperty().bindBidirectional(editor.tagsProperty());
        tags.setOnAction(event -> editor.save());

        GridPane fields = grid();
        fields.addRow(0, key("Description"), description);
        fields.addRow(1, key("Tags"), tags);
        if (editor.editsVersion()) {
            int row = 2;
            for (LineageField field : LineageField.values()) {
                TextField value = new TextField();
                value.setId(idPrefix + "edit-" + field.key());
                value.textProperty().bindBidirectional(editor.lineageProperty(field));
                value.setOnAction(event -> editor.save());
                fields.addRow(row++, key(label(field)), value);
            }
        }
        Button save = new Button("Save", new FontIcon("mdmz-save"));
        save.setId(idPrefix + "edit-save");
        save.disableProperty().bind(editor.savingProperty());
        save.setOnAction(event -> editor.save());
        Button cancel = new Button("Cancel");
        cancel.setId(idPrefix + "edit-cancel");
        cancel.setCancelButton(false); // Esc is handled below, for this pane only, not the window's default
        cancel.setOnAction(event -> editor.cancel());
        getChildren().addAll(fields, new HBox(8, save, cancel));
        String error = editor.errorProperty().get();
        if (error != null) {
            Label problem = new Label(error);
            problem.setId(idPrefix + "edit-error");
            problem.setWrapText(true);
            problem.getStyleClass().add("danger");
            getChildren().add(problem);
        }
        description.requestFocus();
    }

    private void keys(KeyEvent event) {
        if (!editor.editingProperty().get()) {
            return;
        }
        if (event.getCode() == KeyCode.ESCAPE) {
            editor.cancel();
            event.consume();
        } else if (event.getCode() == KeyCode.ENTER && event.isShortcutDown()) {
            editor.save();
            event.consume();
        }
    }

    private static String label(LineageField field) {
        return switch (field) {
            case SOURCE_COMMIT -> "Commit";
            case RUN_ID -> "Run";
            case DATASET -> "Dataset";
            case PARENT_VERSION -> "Parent version";
        };
    }
}
