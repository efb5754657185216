package neural.mlops.app.registry;

import static neural.mlops.app.common.DetailsPane.muted;
import static neural.mlops.app.common.DetailsPane.titlePart;

import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import neural.mlops.registry.ModelDocument;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The head of the details pane: the selected model's own description and tags with their inline
 * edit, and "Archive model..." and "Delete model..." ({@link ModelHeaderViewModel}).
 */
final class ModelHeaderView extends VBox {

    private final ModelHeaderViewModel model;
    private final VBox shown = new VBox(6);

    ModelHeaderView(ModelHeaderViewModel model) {
        super(8);
        this.model = model;
        setId("model-header");
        getStyleClass().add("model-header");
        Button archive = new Button("Archive model...", new FontIcon("mdal-archive"));
        archive.setId("archive-model-button");
        archive.setOnAction(event -> model.archiveModel());
        Button delete = new Button("Delete model...", new FontIcon("mdal-delete_forever"));
        delete.setId("delete-model-button");
        delete.getStyleClass().add("danger");
        delete.setOnAction(event -> model.deleteModel());
        archive.disableProperty().bind(model.documentProperty().isNull());
        delete.disableProperty().bind(model.documentProperty().isNull());
        EditableDetails edit = new EditableDetails(model.editor(), () -> model.documentProperty().get(), "model-");
        getChildren().addAll(shown, edit, new HBox(8, archive, delete));
        model.documentProperty().addListener((observable, old, document) -> show(document));
        model.problemProperty().addListener((observable, old, problem) -> show(model.documentProperty().get()));
        model.editor().editingProperty().addListener((observable, old, editing) -> shown.setVisible(!editing));
        shown.managedProperty().bind(shown.visibleProperty());
        show(model.documentProperty().get());
        visibleProperty().bind(model.documentProperty().isNotNull().or(model.problemProperty().isNotNull()));
        managedProperty().bind(visibleProperty());
    }

    private void show(ModelDocument document) {
        shown.getChildren().clear();
        if (document == null) {
            String problem = model.problemProperty().get();
            if (problem != null) {
                Label label = new Label(problem);
                label.setWrapText(true);
                label.getStyleClass().add("danger");
                shown.getChildren().add(label);
            }
            return;
        }
        Label title = titlePart(document.name());
        title.setId("model-header-title");
        Label description = document.description().isBlank() ? muted("No model description.")
                : new Label(document.description());
        description.setId("model-description");
        description.setWrapText(true);
        FlowPane tags = new FlowPane(6, 6);
        document.tags().forEach(tag -> {
            Label chip = new Label(tag);
            chip.getStyleClass().add("tag-chip");
            tags.getChildren().add(chip);
        });
        shown.getChildren().addAll(title, description);
        if (!document.tags().isEmpty()) {
            shown.getChildren().add(tags);
        }
    }
}
