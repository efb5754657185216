package neural.mlops.app.registry;

import neural.mlops.app.common.Formats;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import neural.mlops.app.common.Badge;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelVersion;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The stage board: one column per stage holding the selected model's version cards. Dragging a
 * card to another column asks the view model to move it, with the same confirmation as the
 * buttons. For the selected version, a column the workspace policy closes is dimmed and refuses
 * the drop, and its header says which rule (a tooltip on the policy mark).
 */
final class StageBoardView extends ScrollPane {

    private static final String DRAG_PREFIX = "neural-mlops-version:";

    private final RegistryViewModel model;
    private final Map<ModelStage, VBox> cards = new EnumMap<>(ModelStage.class);
    private final Map<ModelStage, Label> counts = new EnumMap<>(ModelStage.class);
    private final Map<ModelStage, Label> policyMarks = new EnumMap<>(ModelStage.class);
    private final Map<ModelStage, VBox> columns = new EnumMap<>(ModelStage.class);

    StageBoardView(RegistryViewModel model) {
        this.model = model;
        setId("stage-board");
        setFitToHeight(true);
        setFitToWidth(true);
        HBox columns = new HBox(10);
        columns.setPadding(new Insets(10));
        for (ModelStage stage : ModelStage.values()) {
            columns.getChildren().add(column(stage));
        }
        setContent(columns);
        model.versions().addListener((ListChangeListener<ModelVersion>) change -> rebuild());
        model.selectedVersions().addListener((ListChangeListener<ModelVersion>) change -> rebuild());
        model.moveHintsProperty().addListener((observable, old, current) -> showPolicy());
        rebuild();
    }

    private VBox column(ModelStage stage) {
        Label count = new Label();
        count.getStyleClass().add("text-muted");
        counts.put(stage, count);
        Label policyMark = new Label(null, new FontIcon("mdmz-policy"));
        policyMark.setId("policy-mark-" + stage.value());
        policyMark.setTooltip(new Tooltip());
        policyMark.setVisible(false);
        policyMarks.put(stage, policyMark);
        HBox header = new HBox(8, new Badge(stage.value()), count, policyMark);
        VBox list = new VBox(8);
        cards.put(stage, list);
        VBox column = new VBox(8, header, list);
        columns.put(stage, column);
        column.setId("stage-column-" + stage.value());
        column.getStyleClass().add("stage-column");
        column.setMinWidth(170);
        HBox.setHgrow(column, Priority.ALWAYS);
        column.setMaxWidth(Double.MAX_VALUE);

        column.setOnDragOver(event -> {
            if (draggedVersion(event.getDragboard()).filter(version -> model.moveOption(version, stage).enabled()).isPresent()) {
                event.acceptTransferModes(TransferMode.MOVE);
            }
            event.consume();
        });
        column.setOnDragEntered(event -> {
            if (draggedVersion(event.getDragboard()).filter(version -> model.moveOption(version, stage).enabled()).isPresent()) {
                column.getStyleClass().add("drop-target");
            }
        });
        column.setOnDragExited(event -> column.getStyleClass().remove("drop-target"));
        column.setOnDragDropped(event -> {
            Optional<ModelVersion> version = draggedVersion(event.getDragboard());
            event.setDropCompleted(version.isPresent());
            event.consume();
            // Let the drag gesture finish before the confirmation dialog opens.
            version.ifPresent(dragged -> javafx.application.Platform.runLater(() -> model.promote(dragged, stage)));
        });
        return column;
    }

    private void rebuild() {
        List<ModelVersion> versions = model.versions();
        for (ModelStage stage : ModelStage.values()) {
            VBox list = cards.get(stage);
            list.getChildren().clear();
            long count = 0;
            for (ModelVersion version : versions) {
                if (version.stage() == stage) {
                    list.getChildren().add(card(version));
                    count++;
                }
            }
            counts.get(stage).setText(String.valueOf(count));
        }
        showPolicy();
    }

    /** Dims the columns the selected version cannot move into, and says why on the policy mark. */
    private void showPolicy() {
        for (ModelStage stage : ModelStage.values()) {
            MoveOption option = model.moveOption(stage);
            boolean closed = option.kind() == MoveOption.Kind.BLOCKED || option.kind() == MoveOption.Kind.REQUESTED;
            boolean marked = closed || option.kind() == MoveOption.Kind.REQUEST;
            columns.get(stage).setOpacity(closed ? 0.55 : 1.0);
            Label mark = policyMarks.get(stage);
            mark.setVisible(marked);
            mark.getTooltip().setText(marked ? option.hint() : "");
        }
    }

    private VBox card(ModelVersion version) {
        Label name = new Label(version.version());
        name.getStyleClass().add("text-bold");
        Label created = new Label(Formats.localMinute(version.createdAt()));
        created.getStyleClass().addAll("text-muted", "text-small");
        VBox card = new VBox(name, created);
        RegistryViewModel.mainMetrics(List.of(version)).stream().limit(2).forEach(metric -> {
            Label value = new Label(metric + " " + VersionFormat.metric(version.metrics().get(metric)));
            value.getStyleClass().add("text-small");
            card.getChildren().add(value);
        });
        card.setId("card-" + version.version());
        card.getStyleClass().add("version-card");
        if (model.selectedVersions().contains(version)) {
            card.getStyleClass().add("selected");
        }
        card.setOnMouseClicked(event -> model.selectedVersions().setAll(version));
        card.setOnDragDetected(event -> {
            Dragboard dragboard = card.startDragAndDrop(TransferMode.MOVE);
            ClipboardContent content = new ClipboardContent();
            content.putString(DRAG_PREFIX + version.id());
            dragboard.setContent(content);
            event.consume();
        });
        return card;
    }

    private Optional<ModelVersion> draggedVersion(Dragboard dragboard) {
        if (!dragboard.hasString() || !dragboard.getString().startsWith(DRAG_PREFIX)) {
            return Optional.empty();
        }
        String id = dragboard.getString().substring(DRAG_PREFIX.length());
        return model.versions().stream().filter(version -> version.id().equals(id)).findFirst();
    }
}
