package neural.mlops.app.registry;

import java.util.HashMap;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polygon;
import javafx.stage.Stage;
import javafx.stage.Window;
import neural.mlops.app.common.Badge;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.app.common.WindowSizes;
import neural.mlops.registry.LineageGraph;
import neural.mlops.registry.ModelStage;

/**
 * The lineage window: the selected model's versions as a parent graph, a column per generation
 * (roots on the left), each node coloured by its stage. A node is a button: Tab moves between
 * them, Enter or a click selects the version in the registry. Beside it the same graph as a list
 * ("v2.0.0 ← v1.0.0"), navigable with the arrow keys. A parent that is not in the registry is a
 * dashed "missing" node; versions whose parents go round in a circle have a dashed red outline.
 */
final class LineageView extends BorderPane {

    static final double NODE_WIDTH = 112;
    static final double NODE_HEIGHT = 30;
    static final double LAYER_GAP = 150;
    static final double ROW_GAP = 50;
    static final double MARGIN = 20;

    private final LineageViewModel model;
    private final Pane canvas = new Pane();
    private final ListView<LineageGraph.Node> list = new ListView<>();
    private final Label title = new Label();
    private final Map<String, Button> buttons = new HashMap<>();

    LineageView(LineageViewModel model) {
        this.model = model;
        setId("lineage-view");
        setPadding(new Insets(12));
        title.getStyleClass().add("title-3");
        Label hint = new Label("Each version points to the versions trained from it (lineage parent_version). "
                + "Click a version, or press Enter on it, to select it in the registry.");
        hint.getStyleClass().add("text-muted");
        hint.setWrapText(true);
        FlowPane legend = new FlowPane(6, 6);
        for (ModelStage stage : ModelStage.values()) {
            legend.getChildren().add(new Badge(stage.value()));
        }
        Label missing = new Label("missing");
        missing.getStyleClass().addAll("lineage-node", "lineage-missing");
        Label circle = new Label("circle of parents");
        circle.getStyleClass().addAll("lineage-node", "lineage-cycle");
        legend.getChildren().addAll(missing, circle);
        setTop(new VBox(6, title, hint, legend));

        canvas.setId("lineage-graph");
        canvas.getStyleClass().add("lineage-canvas");
        ScrollPane scroll = new ScrollPane(canvas);
        scroll.setFitToHeight(true);
        scroll.setFitToWidth(true);

        list.setId("lineage-list");
        list.setCellFactory(view -> new NodeCell());
        list.setOnKeyPressed(event -> {
            if (event.getCode() == KeyCode.ENTER) {
                selectInRegistry(list.getSelectionModel().getSelectedItem());
            }
        });
        list.setOnMouseClicked(event -> selectInRegistry(list.getSelectionModel().getSelectedItem()));
        list.setPrefWidth(220);

        SplitPane split = new SplitPane(scroll, list);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.72);
        BorderPane.setMargin(split, new Insets(10, 0, 0, 0));
        setCenter(split);

        model.graphProperty().addListener((observable, old, graph) -> draw(graph));
        model.selectedVersion().addListener((observable, old, version) -> markSelected());
        draw(model.graphProperty().get());
    }

    /** Opens the lineage in its own window, owned by {@code owner}. */
    void show(Window owner) {
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.titleProperty().bind(title.textProperty());
        stage.setScene(WindowSizes.scene(this, 860, 520, owner));
        ThemeManager.adopt(stage);
        stage.show();
    }

    private void selectInRegistry(LineageGraph.Node node) {
        if (node != null && !node.missing()) {
            model.select(node.label());
        }
    }

    private void draw(LineageGraph graph) {
        title.setText("Lineage" + (model.modelName().isEmpty() ? "" : " of " + model.modelName()));
        canvas.getChildren().clear();
        buttons.clear();
        for (LineageGraph.Edge edge : graph.edges()) {
            LineageGraph.Node parent = graph.node(edge.parent()).orElseThrow();
            LineageGraph.Node child = graph.node(edge.child()).orElseThrow();
            canvas.getChildren().addAll(edge(parent, child, edge.inCycle()));
        }
        for (LineageGraph.Node node : graph.nodes()) {
            canvas.getChildren().add(node(node));
        }
        canvas.setPrefSize(MARGIN * 2 + Math.max(1, graph.layers()) * LAYER_GAP,
                MARGIN * 2 + Math.max(1, graph.width()) * ROW_GAP);
        list.getItems().setAll(graph.nodes());
        if (graph.nodes().isEmpty()) {
            Label empty = new Label("Select a model with versions in the registry.");
            empty.getStyleClass().add("text-muted");
            empty.relocate(MARGIN, MARGIN);
            canvas.getChildren().add(empty);
        }
        markSelected();
    }

    private Node node(LineageGraph.Node node) {
        Button button = new Button(node.label());
        button.setId("lineage-node-" + node.label());
        button.getStyleClass().add("lineage-node");
        button.getStyleClass().add(node.missing() ? "lineage-missing" : "lineage-" + node.version().stage().value());
        if (node.inCycle()) {
            button.getStyleClass().add("lineage-cycle");
        }
        button.setPrefSize(NODE_WIDTH, NODE_HEIGHT);
        button.setMinSize(NODE_WIDTH, NODE_HEIGHT);
        button.relocate(x(node), y(node));
        String what = node.missing() ? "not in the registry (deleted, or registered elsewhere)"
                : node.version().stage().value() + ", created by " + node.version().createdBy();
        button.setTooltip(new Tooltip(node.label() + ": " + what + (node.inCycle() ? "; its parents go round in a circle" : "")));
        button.setOnAction(event -> {
            if (!node.missing()) {
                model.select(node.label());
            }
        });
        buttons.put(node.label(), button);
        return button;
    }

    /** A line from the parent's right edge to the child's left edge, with an arrow head at the child. */
    private Node[] edge(LineageGraph.Node parent, LineageGraph.Node child, boolean inCycle) {
        double startX = x(parent) + NODE_WIDTH;
        double startY = y(parent) + NODE_HEIGHT / 2;
        double endX = x(child);
        double endY = y(child) + NODE_HEIGHT / 2;
        if (child.layer() <= parent.layer()) {
            // Back to an earlier column (a circle): from the parent's bottom to the child's bottom.
            startX = x(parent) + NODE_WIDTH / 2;
            startY = y(parent) + NODE_HEIGHT;
            endX = x(child) + NODE_WIDTH / 2;
            endY = y(child) + NODE_HEIGHT;
        }
        Line line = new Line(startX, startY, endX, endY);
        line.getStyleClass().add("lineage-edge");
        double angle = Math.atan2(endY - startY, endX - startX);
        double size = 8;
        Polygon head = new Polygon(endX, endY,
                endX - size * Math.cos(angle - Math.PI / 7), endY - size * Math.sin(angle - Math.PI / 7),
                endX - size * Math.cos(angle + Math.PI / 7), endY - size * Math.sin(angle + Math.PI / 7));
        head.getStyleClass().add("lineage-arrow");
        if (inCycle) {
            line.getStyleClass().add("lineage-edge-cycle");
            head.getStyleClass().add("lineage-edge-cycle");
        }
        return new Node[] {line, head};
    }

    private void markSelected() {
        String selected = model.selectedVersion().getValue() == null ? null : model.selectedVersion().getValue().version();
        buttons.forEach((label, button) -> {
            button.getStyleClass().remove("lineage-selected");
            if (label.equals(selected)) {
                button.getStyleClass().add("lineage-selected");
            }
        });
        list.getItems().stream().filter(node -> node.label().equals(selected)).findFirst()
                .ifPresent(node -> list.getSelectionModel().select(node));
    }

    private static double x(LineageGraph.Node node) {
        return MARGIN + node.layer() * LAYER_GAP;
    }

    private static double y(LineageGraph.Node node) {
        return MARGIN + node.row() * ROW_GAP;
    }

    /** A version in the list: "v2.0.0 ← v1.0.0", with its stage, or "(missing)". */
    private final class NodeCell extends ListCell<LineageGraph.Node> {
        @Override
        protected void updateItem(LineageGraph.Node node, boolean empty) {
            super.updateItem(node, empty);
            if (empty || node == null) {
                setText(null);
                return;
            }
            String parent = model.graphProperty().get().parent(node.label()).map(p -> " \u2190 " + p).orElse("");
            String state = node.missing() ? " (missing)" : " \u00b7 " + node.version().stage().value();
            setText(node.label() + parent + state + (node.inCycle() ? " (circle)" : ""));
        }
    }
}
