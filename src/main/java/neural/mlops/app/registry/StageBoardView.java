package neural.mlops.app.registry;

import neural.mlops.app.common.Formats;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
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
 * the drop, and its header says which rule (a tooltip on the policy mark). A time control above
 * the columns shows the board as it was at an earlier time, from the stage histories; the past
 * cannot be dragged.
 */
final class StageBoardView extends ScrollPane {

    private static final String DRAG_PREFIX = "neural-mlops-version:";

    private final RegistryViewModel model;
    private final BoardTimeModel time;
    private final Map<ModelStage, VBox> cards = new EnumMap<>(ModelStage.class);
    private final Map<ModelStage, Label> counts = new EnumMap<>(ModelStage.class);
    private final Map<ModelStage, Label> policyMarks = new EnumMap<>(ModelStage.class);
    private final Map<ModelStage, VBox> columns = new EnumMap<>(ModelStage.class);

    StageBoardView(RegistryViewModel model) {
        this.model = model;
        this.time = new BoardTimeModel(model.versions());
        setId("stage-board");
        setFitToHeight(true);
        setFitToWidth(true);
        HBox columns = new HBox(10);
        columns.setPadding(new Insets(0, 10, 10, 10));
        for (ModelStage stage : ModelStage.values()) {
            columns.getChildren().add(column(stage));
        }
        VBox.setVgrow(columns, Priority.ALWAYS);
        setContent(new VBox(6, timeBar(), columns));
        model.versions().addListener((ListChangeListener<ModelVersion>) change -> rebuild());
        time.atProperty().addListener((observable, old, current) -> rebuild());
        model.selectedVersions().addListener((ListChangeListener<ModelVersion>) change -> rebuild());
        model.aliases().aliases().addListener((ListChangeListener<neural.mlops.registry.Alias>) change -> rebuild());
        model.moveHintsProperty().addListener((observable, old, current) -> showPolicy());
        rebuild();
    }

    /** For tests and the view: the board's time control. */
    BoardTimeModel time() {
        return time;
    }

    /**
     * A slider over the time the versions shown were moved in (from their first registration to
     * their last move), the time it stands at, and a button back to now. At its right end, or after
     * "Now", the board is live.
     */
    private HBox timeBar() {
        javafx.scene.control.Slider slider = new javafx.scene.control.Slider();
        slider.setId("board-time");
        slider.setTooltip(new Tooltip("Drag to see the board as it was at an earlier time"));
        HBox.setHgrow(slider, Priority.ALWAYS);
        Label shown = new Label();
        shown.setId("board-time-label");
        shown.setMinWidth(150);
        javafx.scene.control.Button now = new javafx.scene.control.Button("Now");
        now.setId("board-now");
        now.setOnAction(event -> time.showNow());
        now.disableProperty().bind(time.inThePastProperty().not());
        boolean[] updating = {false};
        Runnable range = () -> {
            updating[0] = true;
            java.time.Instant first = time.earliestProperty().get();
            java.time.Instant last = time.latestProperty().get();
            // The two ends change one after the other: between the two, one may still be unset.
            boolean known = first != null && last != null;
            slider.setDisable(!known || !last.isAfter(first));
            if (known) {
                slider.setMin(first.toEpochMilli());
                slider.setMax(last.toEpochMilli());
                slider.setValue(time.atProperty().get() == null ? last.toEpochMilli() : time.atProperty().get().toEpochMilli());
            }
            updating[0] = false;
        };
        Runnable label = () -> {
            java.time.Instant at = time.atProperty().get();
            shown.setText(at == null ? "Now" : "As it was at " + Formats.localMinute(at));
            if (at == null && !updating[0]) {
                updating[0] = true;
                slider.setValue(slider.getMax());
                updating[0] = false;
            }
        };
        slider.valueProperty().addListener((observable, old, value) -> {
            if (updating[0]) {
                return;
            }
            java.time.Instant last = time.latestProperty().get();
            // The right end is the present: the board goes live again there.
            time.atProperty().set(last == null || value.doubleValue() >= slider.getMax()
                    ? null : java.time.Instant.ofEpochMilli(value.longValue()));
        });
        time.earliestProperty().addListener((observable, old, current) -> range.run());
        time.latestProperty().addListener((observable, old, current) -> range.run());
        time.atProperty().addListener((observable, old, current) -> label.run());
        range.run();
        label.run();
        HBox bar = new HBox(8, new Label("Board at:"), slider, shown, now);
        bar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        bar.setPadding(new Insets(10, 10, 0, 10));
        return bar;
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
            if (!time.inThePastProperty().get() && draggedVersion(event.getDragboard()).filter(version -> model.moveOption(version, stage).enabled()).isPresent()) {
                event.acceptTransferModes(TransferMode.MOVE);
            }
            event.consume();
        });
        column.setOnDragEntered(event -> {
            if (!time.inThePastProperty().get() && draggedVersion(event.getDragboard()).filter(version -> model.moveOption(version, stage).enabled()).isPresent()) {
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
                if (time.stageOf(version).filter(shownStage -> shownStage == stage).isPresent()) {
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
        if (!model.aliases().aliasesOf(version).isEmpty()) {
            card.getChildren().add(AliasChips.of(model.aliases(), version));
        }
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
        if (!time.inThePastProperty().get()) {
            AliasChips.acceptDrops(card, () -> version, alias -> RegistryView.openSetAlias(this, model, version, alias));
        }
        MenuItem alias = new MenuItem("Set alias...");
        alias.setOnAction(event -> {
            model.selectedVersions().setAll(version);
            RegistryView.openSetAlias(card, model);
        });
        card.setOnContextMenuRequested(event -> {
            if (!time.inThePastProperty().get()) {
                new ContextMenu(alias).show(card, event.getScreenX(), event.getScreenY());
            }
            event.consume();
        });
        card.setOnDragDetected(event -> {
            if (time.inThePastProperty().get()) {
                return; // the past is shown, not changed
            }
            Dragboard dragboard = card.startDragAndDrop(TransferMode.MOVE);
            ClipboardContent content = new ClipboardContent();
            content.putString(dragContent(version));
            dragboard.setContent(content);
            event.consume();
        });
        return card;
    }

    /** What a card's drag carries: the version's id, which a column's drop looks up again. */
    static String dragContent(ModelVersion version) {
        return DRAG_PREFIX + version.id();
    }

    private Optional<ModelVersion> draggedVersion(Dragboard dragboard) {
        if (!dragboard.hasString() || !dragboard.getString().startsWith(DRAG_PREFIX)) {
            return Optional.empty();
        }
        String id = dragboard.getString().substring(DRAG_PREFIX.length());
        return model.versions().stream().filter(version -> version.id().equals(id)).findFirst();
    }
}
