package neural.mlops.app.registry;

import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import neural.mlops.app.common.WindowSizes;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.app.registry.CompareViewModel.Judgement;
import neural.mlops.app.registry.CompareViewModel.MetadataRow;
import neural.mlops.app.registry.CompareViewModel.MetricRow;

/**
 * The comparison window: metrics side by side with better values in green and worse in red
 * (against the first version), a grouped bar chart, metadata differences, and the trend of one
 * metric across every version of the model.
 */
final class CompareView extends VBox {

    private final CompareViewModel model;

    CompareView(CompareViewModel model) {
        super(14);
        this.model = model;
        setId("compare-view");
        setPadding(new Insets(14));
        Label title = new Label(model.title());
        title.getStyleClass().add("title-3");
        Label hint = new Label("Compared with " + model.versions().get(0).version()
                + " (the first version). Green is better, red is worse; loss, error and latency count lower as better.");
        hint.getStyleClass().add("text-muted");
        hint.setWrapText(true);
        getChildren().addAll(title, hint, metricsTable(), barCharts(), section("Metadata"), metadataTable(),
                section("Trend across all versions"), trend());
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

    private TableView<MetricRow> metricsTable() {
        TableView<MetricRow> table = new TableView<>(model.rows());
        table.setId("compare-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setFixedCellSize(30);
        table.prefHeightProperty().bind(table.fixedCellSizeProperty().multiply(model.rows().size() + 1.4));
        TableColumn<MetricRow, String> metric = new TableColumn<>("Metric");
        metric.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().metric()
                + (cell.getValue().lowerIsBetter() ? "  \u2193" : "")));
        table.getColumns().add(metric);
        for (int i = 0; i < model.versions().size(); i++) {
            int index = i;
            TableColumn<MetricRow, MetricRow> column = new TableColumn<>(model.versions().get(i).version());
            column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue()));
            column.setCellFactory(c -> new TableCell<>() {
                @Override
                protected void updateItem(MetricRow row, boolean empty) {
                    super.updateItem(row, empty);
                    getStyleClass().removeAll("better", "worse");
                    if (empty || row == null) {
                        setText(null);
                        return;
                    }
                    setText(VersionFormat.metric(row.values().get(index)));
                    style(this, row.judgements().get(index));
                }
            });
            table.getColumns().add(column);
        }
        TableColumn<MetricRow, MetricRow> difference = new TableColumn<>("Difference");
        difference.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue()));
        difference.setCellFactory(c -> judgedCell(row -> VersionFormat.signed(row.difference())));
        TableColumn<MetricRow, MetricRow> percent = new TableColumn<>("% change");
        percent.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue()));
        percent.setCellFactory(c -> judgedCell(row -> VersionFormat.percent(row.percentChange())));
        table.getColumns().addAll(List.of(difference, percent));
        return table;
    }

    private static TableCell<MetricRow, MetricRow> judgedCell(java.util.function.Function<MetricRow, String> text) {
        return new TableCell<>() {
            @Override
            protected void updateItem(MetricRow row, boolean empty) {
                super.updateItem(row, empty);
                getStyleClass().removeAll("better", "worse");
                if (empty || row == null) {
                    setText(null);
                    return;
                }
                setText(text.apply(row));
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
        charts.getChildren().forEach(chart -> HBox.setHgrow(chart, javafx.scene.layout.Priority.ALWAYS));
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
            series.setName(model.versions().get(i).version());
            for (MetricRow row : rows) {
                Double value = row.values().get(i);
                if (value != null) {
                    series.getData().add(new XYChart.Data<>(row.metric(), value));
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
        table.setFixedCellSize(30);
        table.prefHeightProperty().bind(table.fixedCellSizeProperty().multiply(model.metadataRows().size() + 1.4));
        TableColumn<MetadataRow, String> label = new TableColumn<>("Field");
        label.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().label()));
        table.getColumns().add(label);
        for (int i = 0; i < model.versions().size(); i++) {
            int index = i;
            TableColumn<MetadataRow, MetadataRow> column = new TableColumn<>(model.versions().get(i).version());
            column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue()));
            column.setCellFactory(c -> new TableCell<>() {
                @Override
                protected void updateItem(MetadataRow row, boolean empty) {
                    super.updateItem(row, empty);
                    getStyleClass().remove("text-bold");
                    if (empty || row == null) {
                        setText(null);
                        return;
                    }
                    setText(row.values().get(index));
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
}
