package neural.mlops.app.registry;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polyline;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import javafx.stage.Window;
import neural.mlops.app.common.WindowSizes;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.app.registry.CompareViewModel.Judgement;
import neural.mlops.app.registry.CompareViewModel.ConfigRow;
import neural.mlops.app.registry.CompareViewModel.MetadataRow;
import neural.mlops.app.registry.CompareViewModel.MetricRow;
import neural.mlops.registry.ConfigDiff;
import neural.mlops.registry.ModelVersion;

/**
 * The comparison window: metrics side by side with better values in green and worse in red
 * (against the chosen baseline), a parallel-coordinates chart and grouped bar charts of the
 * metrics, the configuration key by key, metadata differences, and the trend of one metric across
 * every version of the model. Every value has a tooltip with its exact value.
 */
final class CompareView extends VBox {

    private final CompareViewModel model;
    private final List<TableColumn<?, ?>> versionColumns = new ArrayList<>();

    CompareView(CompareViewModel model) {
        super(14);
        this.model = model;
        setId("compare-view");
        setPadding(new Insets(14));
        build();
        // A version of another model joined: new columns everywhere, so the window is built again.
        model.comparisonProperty().addListener((observable, old, current) -> {
            if (old != null && !old.versions().equals(current.versions())) {
                versionColumns.clear();
                build();
                if (getScene() != null && getScene().getWindow() instanceof Stage stage) {
                    stage.setTitle(model.title());
                }
            }
        });
    }

    private void build() {
        Label title = new Label(model.title());
        title.getStyleClass().add("title-3");
        Label hint = new Label("Each version is compared with the baseline. Green is better, red is worse; loss, "
                + "error and latency count lower as better. Hover over a value for its exact figure.");
        hint.getStyleClass().add("text-muted");
        hint.setWrapText(true);
        HBox charts = barCharts();
        model.rows().addListener((ListChangeListener<MetricRow>) change -> charts.getChildren().setAll(barCharts().getChildren()));
        model.baselineProperty().addListener((observable, old, current) -> labelColumns());
        getChildren().setAll(title, hint, controls(), otherModels(), metricsTable(), section("Metrics across the versions"),
                new ParallelCoordinates(model), charts, section("Configuration (config.yaml)"), configTable(),
                section("Metadata"), metadataTable(), section("Trend across all versions"), trend());
        labelColumns();
    }

    /** Opens the comparison in its own window, owned by {@code owner}. */
    void show(Window owner) {
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.setTitle(model.title());
        ScrollPane scroll = new ScrollPane(this);
        scroll.setFitToWidth(true);
        stage.setScene(WindowSizes.scene(scroll, 980, 760, owner));
        ThemeManager.adopt(stage);
        stage.show();
    }

    private HBox controls() {
        ComboBox<ModelVersion> baseline = new ComboBox<>();
        baseline.setId("compare-baseline");
        baseline.getItems().setAll(model.versions());
        baseline.setCellFactory(list -> versionCell());
        baseline.setButtonCell(versionCell());
        baseline.valueProperty().bindBidirectional(model.baselineProperty());
        CheckBox differencesOnly = new CheckBox("Differences only");
        differencesOnly.setId("compare-differences-only");
        differencesOnly.selectedProperty().bindBidirectional(model.differencesOnlyProperty());
        CheckBox fullHashes = new CheckBox("Full SHA-256");
        fullHashes.setId("compare-full-hashes");
        fullHashes.selectedProperty().bindBidirectional(model.fullHashesProperty());
        HBox controls = new HBox(12, new Label("Baseline:"), baseline, differencesOnly, fullHashes);
        controls.setAlignment(Pos.CENTER_LEFT);
        return controls;
    }

    /**
     * "Add version of another model": the versions of other models that share a metric with every
     * compared version, with the metrics they share; hidden when there are none.
     */
    private HBox otherModels() {
        ComboBox<ModelVersion> chooser = new ComboBox<>(model.candidates());
        chooser.setId("compare-add-version");
        chooser.setPromptText("Add version of another model\u2026");
        chooser.setCellFactory(list -> candidateCell());
        chooser.setButtonCell(candidateCell());
        chooser.valueProperty().bindBidirectional(model.candidateProperty());
        javafx.scene.control.Button add = new javafx.scene.control.Button("Add to comparison");
        add.setId("compare-add-button");
        add.disableProperty().bind(model.candidateProperty().isNull().or(model.addingProperty()));
        add.setOnAction(event -> model.addCandidate());
        Label hint = new Label("Versions of other models that share a metric (a challenger trained under a new name)");
        hint.getStyleClass().add("text-muted");
        HBox row = new HBox(12, chooser, add, hint);
        row.setAlignment(Pos.CENTER_LEFT);
        row.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(model.candidates()));
        row.managedProperty().bind(row.visibleProperty());
        return row;
    }

    private ListCell<ModelVersion> candidateCell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(ModelVersion version, boolean empty) {
                super.updateItem(version, empty);
                setText(empty || version == null ? null : version.name() + " " + version.version()
                        + "  (shares " + String.join(", ", model.sharedWith(version)) + ")");
            }
        };
    }

    private ListCell<ModelVersion> versionCell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(ModelVersion version, boolean empty) {
                super.updateItem(version, empty);
                setText(empty || version == null ? null : model.label(model.versions().indexOf(version)));
            }
        };
    }

    /** Column headers name each version, the baseline marked. */
    private void labelColumns() {
        int baseline = model.versions().indexOf(model.baselineProperty().get());
        for (TableColumn<?, ?> column : versionColumns) {
            int index = (Integer) column.getUserData();
            column.setText(model.label(index) + (index == baseline ? " (baseline)" : ""));
        }
    }

    private <S, T> TableColumn<S, T> versionColumn(int index) {
        TableColumn<S, T> column = new TableColumn<>(model.label(index));
        column.setUserData(index);
        versionColumns.add(column);
        return column;
    }

    private TableView<MetricRow> metricsTable() {
        TableView<MetricRow> table = new TableView<>(model.rows());
        table.setId("compare-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        fitRows(table, model.rows().size());
        model.rows().addListener((ListChangeListener<MetricRow>) change -> fitRows(table, model.rows().size()));
        TableColumn<MetricRow, String> metric = new TableColumn<>("Metric");
        metric.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().metric()
                + (cell.getValue().lowerIsBetter() ? "  \u2193" : "")));
        table.getColumns().add(metric);
        for (int i = 0; i < model.versions().size(); i++) {
            int index = i;
            TableColumn<MetricRow, MetricRow> column = versionColumn(i);
            column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue()));
            column.setCellFactory(c -> new TableCell<>() {
                @Override
                protected void updateItem(MetricRow row, boolean empty) {
                    super.updateItem(row, empty);
                    getStyleClass().removeAll("better", "worse");
                    if (empty || row == null) {
                        setText(null);
                        setTooltip(null);
                        return;
                    }
                    setText(VersionFormat.metric(row.values().get(index)));
                    setTooltip(new Tooltip(row.metric() + " of " + model.label(index) + ": "
                            + VersionFormat.exact(row.values().get(index))));
                    style(this, row.judgements().get(index));
                }
            });
            table.getColumns().add(column);
        }
        TableColumn<MetricRow, MetricRow> difference = new TableColumn<>("Difference");
        difference.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue()));
        difference.setCellFactory(c -> judgedCell(row -> VersionFormat.signed(row.difference()),
                row -> VersionFormat.exact(row.difference())));
        TableColumn<MetricRow, MetricRow> percent = new TableColumn<>("% change");
        percent.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue()));
        percent.setCellFactory(c -> judgedCell(row -> VersionFormat.percent(row.percentChange()),
                row -> VersionFormat.exact(row.percentChange()) + " %"));
        table.getColumns().addAll(List.of(difference, percent));
        return table;
    }

    private static void fitRows(TableView<?> table, int rows) {
        table.setFixedCellSize(30);
        table.setPrefHeight(30 * (rows + 1.4));
    }

    private static TableCell<MetricRow, MetricRow> judgedCell(java.util.function.Function<MetricRow, String> text,
                                                              java.util.function.Function<MetricRow, String> exact) {
        return new TableCell<>() {
            @Override
            protected void updateItem(MetricRow row, boolean empty) {
                super.updateItem(row, empty);
                getStyleClass().removeAll("better", "worse");
                if (empty || row == null) {
                    setText(null);
                    setTooltip(null);
                    return;
                }
                setText(text.apply(row));
                setTooltip(new Tooltip(exact.apply(row)));
                style(this, row.overall());
            }
        };
    }

    private static void style(TableCell<?, ?> cell, Judgement judgement) {
        if (judgement == Judgement.BETTER) {
            cell.getStyleClass().add("better");
        } else if (judgement == Judgement.WORSE) {
            cell.getStyleClass().add("worse");
        }
    }

    private TableView<ConfigRow> configTable() {
        TableView<ConfigRow> table = new TableView<>(model.configRows());
        table.setId("compare-config");
        table.setPlaceholder(new Label("No configuration differs, or none is recorded"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        fitRows(table, Math.max(1, model.configRows().size()));
        model.configRows().addListener((ListChangeListener<ConfigRow>) change ->
                fitRows(table, Math.max(1, model.configRows().size())));
        TableColumn<ConfigRow, String> key = new TableColumn<>("Key");
        key.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().path()));
        table.getColumns().add(key);
        for (int i = 0; i < model.versions().size(); i++) {
            int index = i;
            TableColumn<ConfigRow, ConfigRow> column = versionColumn(i);
            column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue()));
            column.setCellFactory(c -> new TableCell<>() {
                @Override
                protected void updateItem(ConfigRow row, boolean empty) {
                    super.updateItem(row, empty);
                    getStyleClass().removeAll("config-added", "config-removed", "config-changed");
                    if (empty || row == null) {
                        setText(null);
                        setTooltip(null);
                        return;
                    }
                    ConfigDiff.Kind kind = row.kinds().get(index);
                    setText(row.values().get(index));
                    if (kind != ConfigDiff.Kind.SAME) {
                        getStyleClass().add("config-" + kind.value());
                    }
                    setTooltip(new Tooltip(row.path() + " in " + model.label(index) + ": " + row.values().get(index)
                            + (kind == ConfigDiff.Kind.SAME ? "" : " (" + kind.value() + " against the baseline)")));
                }
            });
            table.getColumns().add(column);
        }
        return table;
    }

    /**
     * Grouped bar charts of the metrics: scores between 0 and 1 in one chart and the rest (latency,
     * error counts, ...) in another, so that neither scale flattens the other.
     */
    private HBox barCharts() {
        List<MetricRow> scores = model.rows().stream().filter(CompareView::isScore).toList();
        List<MetricRow> others = model.rows().stream().filter(row -> !isScore(row)).toList();
        HBox charts = new HBox(10);
        charts.setId("compare-chart");
        if (!scores.isEmpty()) {
            charts.getChildren().add(barChart("Scores", scores));
        }
        if (!others.isEmpty()) {
            charts.getChildren().add(barChart(scores.isEmpty() ? "Metrics" : "Other metrics", others));
        }
        charts.getChildren().forEach(chart -> HBox.setHgrow(chart, Priority.ALWAYS));
        return charts;
    }

    private static boolean isScore(MetricRow row) {
        return row.values().stream().allMatch(value -> value == null || (value >= 0 && value <= 1));
    }

    private BarChart<String, Number> barChart(String title, List<MetricRow> rows) {
        CategoryAxis metrics = new CategoryAxis();
        NumberAxis values = new NumberAxis();
        BarChart<String, Number> chart = new BarChart<>(metrics, values);
        chart.setTitle(title);
        chart.setAnimated(false);
        chart.setPrefHeight(300);
        chart.setMinWidth(200);
        for (int i = 0; i < model.versions().size(); i++) {
            XYChart.Series<String, Number> series = new XYChart.Series<>();
            series.setName(model.label(i));
            for (MetricRow row : rows) {
                Double value = row.values().get(i);
                if (value != null) {
                    XYChart.Data<String, Number> bar = new XYChart.Data<>(row.metric(), value);
                    String tip = model.label(i) + " " + row.metric() + ": " + VersionFormat.exact(value);
                    bar.nodeProperty().addListener((observable, old, node) -> {
                        if (node != null) {
                            Tooltip.install(node, new Tooltip(tip));
                        }
                    });
                    series.getData().add(bar);
                }
            }
            chart.getData().add(series);
        }
        return chart;
    }

    private TableView<MetadataRow> metadataTable() {
        TableView<MetadataRow> table = new TableView<>(model.metadataRows());
        table.setId("compare-metadata");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        fitRows(table, model.metadataRows().size());
        model.metadataRows().addListener((ListChangeListener<MetadataRow>) change ->
                fitRows(table, Math.max(1, model.metadataRows().size())));
        TableColumn<MetadataRow, String> label = new TableColumn<>("Field");
        label.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().label()));
        table.getColumns().add(label);
        for (int i = 0; i < model.versions().size(); i++) {
            int index = i;
            TableColumn<MetadataRow, MetadataRow> column = versionColumn(i);
            column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue()));
            column.setCellFactory(c -> new TableCell<>() {
                @Override
                protected void updateItem(MetadataRow row, boolean empty) {
                    super.updateItem(row, empty);
                    getStyleClass().remove("text-bold");
                    if (empty || row == null) {
                        setText(null);
                        setTooltip(null);
                        return;
                    }
                    setText(row.values().get(index));
                    String exact = row.exact().get(index);
                    setTooltip(exact == null || exact.isEmpty() ? null : new Tooltip(exact));
                    if (row.differs()) {
                        getStyleClass().add("text-bold");
                    }
                }
            });
            table.getColumns().add(column);
        }
        return table;
    }

    private VBox trend() {
        ComboBox<String> metric = new ComboBox<>();
        metric.setId("trend-metric");
        metric.getItems().setAll(model.metrics());
        metric.valueProperty().bindBidirectional(model.trendMetricProperty());
        CategoryAxis versions = new CategoryAxis();
        NumberAxis values = new NumberAxis();
        values.setForceZeroInRange(false);
        LineChart<String, Number> chart = new LineChart<>(versions, values);
        chart.setId("trend-chart");
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        chart.setPrefHeight(260);
        Runnable draw = () -> {
            XYChart.Series<String, Number> series = new XYChart.Series<>();
            model.trend().forEach(point -> series.getData().add(new XYChart.Data<>(point.version(), point.value())));
            chart.getData().setAll(List.of(series));
        };
        draw.run();
        model.trendMetricProperty().addListener((observable, old, current) -> draw.run());
        return new VBox(8, new HBox(8, new Label("Metric:"), metric), chart);
    }

    private static Label section(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("section-title");
        return label;
    }

    /**
     * Parallel coordinates: one vertical axis per metric, each normalised to the range of the
     * compared versions (its minimum at the bottom, its maximum at the top, the values written at
     * both ends), and one line per version across them; the baseline is drawn thicker. Each point
     * has a tooltip with the exact value. Drawn with shapes rather than on a Canvas so that the
     * points can carry tooltips and be found by tests.
     */
    private static final class ParallelCoordinates extends Pane {
        private static final double TOP = 28;
        private static final double BOTTOM = 34;
        private static final double SIDE = 60;
        private static final String[] PALETTE = {"#0969da", "#bf3989", "#1a7f37", "#9a6700", "#8250df", "#cf222e"};

        private final CompareViewModel model;

        ParallelCoordinates(CompareViewModel model) {
            this.model = model;
            setId("compare-parallel");
            setPrefHeight(280);
            setMinHeight(220);
            widthProperty().addListener((observable, old, width) -> draw());
            heightProperty().addListener((observable, old, height) -> draw());
            model.parallelLines().addListener((ListChangeListener<CompareViewModel.AxisLine>) change -> draw());
            draw();
        }

        private void draw() {
            getChildren().clear();
            List<CompareViewModel.Axis> axes = model.axes();
            double width = Math.max(getWidth(), 400);
            double height = Math.max(getHeight(), 220);
            if (axes.isEmpty()) {
                getChildren().add(new Text(SIDE, TOP + 20, "No metric to draw"));
                return;
            }
            double step = axes.size() == 1 ? 0 : (width - 2 * SIDE) / (axes.size() - 1);
            double plot = height - TOP - BOTTOM;
            for (int a = 0; a < axes.size(); a++) {
                CompareViewModel.Axis axis = axes.get(a);
                double x = SIDE + a * step;
                Line line = new Line(x, TOP, x, TOP + plot);
                line.getStyleClass().add("parallel-axis");
                line.setStyle("-fx-stroke: -color-border-default;");
                Text name = new Text(x - 30, height - 10, axis.metric() + (axis.lowerIsBetter() ? " \u2193" : ""));
                name.setStyle("-fx-fill: -color-fg-default;");
                Text top = new Text(x + 4, TOP - 6, VersionFormat.metric(axis.max()));
                Text bottom = new Text(x + 4, TOP + plot + 14, VersionFormat.metric(axis.min()));
                top.setStyle("-fx-fill: -color-fg-muted; -fx-font-size: 0.85em;");
                bottom.setStyle("-fx-fill: -color-fg-muted; -fx-font-size: 0.85em;");
                getChildren().addAll(line, name, top, bottom);
            }
            int colour = 0;
            for (CompareViewModel.AxisLine version : model.parallelLines()) {
                String stroke = PALETTE[colour++ % PALETTE.length];
                Polyline polyline = new Polyline();
                polyline.setStyle("-fx-stroke: " + stroke + "; -fx-stroke-width: " + (version.baseline() ? 3 : 1.6) + ";");
                List<Circle> points = new ArrayList<>();
                for (CompareViewModel.AxisPoint point : version.points()) {
                    int a = indexOf(axes, point.metric());
                    double x = SIDE + a * step;
                    double y = TOP + (1 - point.position()) * plot;
                    polyline.getPoints().addAll(x, y);
                    Circle dot = new Circle(x, y, 4);
                    dot.getStyleClass().add("parallel-point");
                    dot.setStyle("-fx-fill: " + stroke + ";");
                    Tooltip.install(dot, new Tooltip(version.version() + " " + point.metric() + ": "
                            + VersionFormat.exact(point.value())));
                    points.add(dot);
                }
                Tooltip.install(polyline, new Tooltip(version.version() + (version.baseline() ? " (baseline)" : "")));
                getChildren().add(polyline);
                getChildren().addAll(points);
            }
        }

        private static int indexOf(List<CompareViewModel.Axis> axes, String metric) {
            for (int i = 0; i < axes.size(); i++) {
                if (axes.get(i).metric().equals(metric)) {
                    return i;
                }
            }
            return 0;
        }
    }
}
