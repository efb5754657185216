package neural.mlops.app.audit;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.PieChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import neural.mlops.app.common.WindowSizes;
import neural.mlops.app.common.DatePickers;
import neural.mlops.app.common.Formats;
import neural.mlops.app.audit.ComplianceReportViewModel.Count;
import neural.mlops.app.audit.ComplianceReportViewModel.Figure;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.app.common.WrappingRow;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.ComplianceReport;
import neural.mlops.audit.SavedReport;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The Compliance Report window: period pickers and Generate, the summary figures, the integrity
 * of the period, charts of events by type, by severity and per day, and the tables of security
 * violations, access denials and deployments; Save As JSON or HTML; and the saved reports (the
 * original Python module's included), one chosen showing its summary.
 */
public final class ComplianceReportView extends VBox {

    private final ComplianceReportViewModel model;
    private final FlowPane figures = new FlowPane(10, 10);
    private final Label integrity = new Label();
    private final Label verified = new Label();
    private final VBox results = new VBox(14);

    public ComplianceReportView(ComplianceReportViewModel model) {
        super(14);
        this.model = model;
        setId("compliance-report-view");
        setPadding(new Insets(14));

        Label title = new Label("Compliance report");
        title.getStyleClass().add("title-3");
        getChildren().addAll(title, controls(), results, section("Saved reports"), savedReports());

        figures.setId("report-figures");
        integrity.setId("report-integrity");
        integrity.setWrapText(true);
        verified.setId("report-verified");
        verified.setWrapText(true);
        verified.getStyleClass().add("note");
        HBox charts = new HBox(12, typeChart(), severityChart());
        charts.getChildren().forEach(chart -> HBox.setHgrow(chart, Priority.ALWAYS));
        results.getChildren().addAll(figures, section("Integrity of the period"), integrity, verified, charts, dayChart(),
                section("Security violations"), eventsTable("violations-table", model.violations()),
                section("Access denials"), eventsTable("denials-table", model.denials()),
                section("Deployments"), eventsTable("deployments-table", model.deployments()));
        results.visibleProperty().bind(model.reportProperty().isNotNull());
        results.managedProperty().bind(results.visibleProperty());
        model.reportProperty().addListener((observable, old, report) -> showFigures(report));
    }

    /** Opens the report in its own window, owned by {@code owner}. */
    public void show(Window owner) {
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.setTitle("Compliance Report");
        ScrollPane scroll = new ScrollPane(this);
        scroll.setFitToWidth(true);
        stage.setScene(WindowSizes.scene(scroll, 1100, 820, owner));
        ThemeManager.adopt(stage);
        stage.show();
    }

    private HBox savedReports() {
        ListView<SavedReport> list = new ListView<>(model.savedReports());
        list.setId("saved-reports");
        list.setPrefHeight(160);
        list.setCellFactory(view -> new ListCell<>() {
            @Override
            protected void updateItem(SavedReport saved, boolean empty) {
                super.updateItem(saved, empty);
                setText(empty || saved == null ? null : ComplianceReportViewModel.savedText(saved));
            }
        });
        model.selectedSavedProperty().bind(list.getSelectionModel().selectedItemProperty());
        Label summary = new Label();
        summary.setId("saved-report-summary");
        summary.setWrapText(true);
        summary.textProperty().bind(model.savedSummaryProperty());
        HBox.setHgrow(list, Priority.ALWAYS);
        HBox.setHgrow(summary, Priority.ALWAYS);
        model.loadSavedReports();
        return new HBox(12, list, summary);
    }

    private VBox controls() {
        DatePicker from = DatePickers.create("report-from", "From");
        from.valueProperty().bindBidirectional(model.fromDateProperty());
        DatePicker to = DatePickers.create("report-to", "To");
        to.valueProperty().bindBidirectional(model.toDateProperty());
        Button generate = new Button("Generate", new FontIcon("mdal-assessment"));
        generate.setId("report-generate");
        generate.getStyleClass().add("accent");
        generate.setDefaultButton(true);
        generate.disableProperty().bind(model.canGenerateProperty().not());
        generate.setOnAction(event -> model.generate());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(18, 18);
        busy.visibleProperty().bind(model.runningProperty());
        Button json = new Button("Save JSON As...", new FontIcon("mdmz-save"));
        json.setId("report-save-json");
        json.disableProperty().bind(model.canSaveProperty().not());
        json.setOnAction(event -> model.saveJsonAs());
        Button html = new Button("Save HTML As...", new FontIcon("mdmz-print"));
        html.setId("report-save-html");
        html.disableProperty().bind(model.canSaveProperty().not());
        html.setOnAction(event -> model.saveHtmlAs());
        Label status = new Label();
        status.setId("report-status");
        status.getStyleClass().add("text-muted");
        status.textProperty().bind(Bindings.createStringBinding(() -> model.problemProperty().get() != null
                ? model.problemProperty().get() : model.statusProperty().get(), model.problemProperty(), model.statusProperty()));
        HBox presets = new HBox(4);
        for (int days : ComplianceReportViewModel.PRESET_DAYS) {
            ToggleButton preset = new ToggleButton("Last " + days + " days");
            preset.setId("report-last-" + days);
            preset.getStyleClass().add("small");
            // Selected when the model shows that preset (dates picked by hand select none). Not a binding:
            // a toggle button sets its own state when pressed, which a bound property refuses with an error.
            Runnable follow = () -> preset.setSelected(Integer.valueOf(days).equals(model.lastDaysProperty().get()));
            model.lastDaysProperty().addListener((observable, old, current) -> follow.run());
            follow.run();
            preset.setOnAction(event -> {
                model.showLastDays(days);
                follow.run();
            });
            presets.getChildren().add(preset);
        }
        presets.setAlignment(Pos.CENTER_LEFT);
        HBox period = new HBox(8, new Label("Period:"), from, new Label("\u2013"), to);
        period.setAlignment(Pos.CENTER_LEFT);
        HBox run = new HBox(8, generate, busy);
        run.setAlignment(Pos.CENTER_LEFT);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        WrappingRow row = new WrappingRow(8, 6, period, presets, run, spacer, new WrappingRow(8, 6, json, html).alignRight());
        Label covered = new Label();
        covered.setId("report-period");
        covered.setWrapText(true);
        covered.getStyleClass().add("text-muted");
        covered.textProperty().bind(model.periodTextProperty());
        return new VBox(6, row, covered, status);
    }

    private void showFigures(ComplianceReport report) {
        figures.getChildren().clear();
        for (Figure figure : model.figures()) {
            Label value = new Label(Formats.count(figure.value()));
            value.getStyleClass().add("figure-value");
            Label label = new Label(figure.label());
            label.getStyleClass().add("text-muted");
            VBox box = new VBox(2, value, label);
            box.getStyleClass().add("figure");
            if (figure.alert()) {
                box.getStyleClass().add("alert");
            }
            box.setId("figure-" + figure.label().toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
            figures.getChildren().add(box);
        }
        integrity.setText(model.integrityText());
        verified.setText(model.verifiedText());
        integrity.getStyleClass().removeAll("intact", "not-intact");
        if (report != null) {
            integrity.getStyleClass().add(report.integrity().intact() ? "intact" : "not-intact");
        }
    }

    private BarChart<Number, String> typeChart() {
        NumberAxis counts = new NumberAxis();
        counts.setLabel("events");
        CategoryAxis types = new CategoryAxis();
        BarChart<Number, String> chart = new BarChart<>(counts, types);
        chart.setId("chart-by-type");
        chart.setTitle("Events by type");
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        chart.setPrefHeight(360);
        XYChart.Series<Number, String> series = new XYChart.Series<>();
        chart.getData().add(series);
        Runnable fill = () -> {
            List<Count> rows = model.byType();
            // A horizontal bar chart draws its first category at the bottom; reverse so the largest is on top.
            series.getData().setAll(rows.stream().sorted((a, b) -> Long.compare(a.count(), b.count()))
                    .map(row -> new XYChart.Data<Number, String>(row.count(), Formats.words(row.label()))).toList());
        };
        model.byType().addListener((javafx.collections.ListChangeListener<Count>) change -> fill.run());
        return chart;
    }

    private PieChart severityChart() {
        PieChart chart = new PieChart();
        chart.setId("chart-by-severity");
        chart.setTitle("Events by severity");
        chart.setAnimated(false);
        chart.setPrefHeight(360);
        chart.setMinWidth(320);
        chart.setLabelsVisible(true);
        // Each slice in its severity's colour, as in every badge; the slice labels name them, so no
        // legend in the chart's default palette.
        chart.setLegendVisible(false);
        model.bySeverity().addListener((javafx.collections.ListChangeListener<Count>) change -> {
            List<Count> rows = List.copyOf(model.bySeverity());
            chart.getData().setAll(rows.stream().map(row -> new PieChart.Data(Formats.words(row.label()) + " ("
                    + Formats.count(row.count()) + ")", row.count())).toList());
            for (int i = 0; i < rows.size(); i++) {
                chart.getData().get(i).getNode().getStyleClass().add("severity-slice-" + rows.get(i).label());
            }
        });
        return chart;
    }

    private BarChart<String, Number> dayChart() {
        CategoryAxis days = new CategoryAxis();
        NumberAxis counts = new NumberAxis();
        BarChart<String, Number> chart = new BarChart<>(days, counts);
        chart.setId("chart-by-day");
        chart.setTitle("Events per day (UTC)");
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        chart.setCategoryGap(1);
        chart.setBarGap(0);
        chart.setPrefHeight(280);
        XYChart.Series<String, Number> series = new XYChart.Series<>();
        chart.getData().add(series);
        model.byDay().addListener((javafx.collections.ListChangeListener<Count>) change -> series.getData().setAll(
                model.byDay().stream().map(row -> new XYChart.Data<String, Number>(row.label().substring(5), row.count())).toList()));
        return chart;
    }

    private static Label section(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("section-title");
        return label;
    }

    private static TableView<AuditEvent> eventsTable(String id, ObservableList<AuditEvent> events) {
        TableView<AuditEvent> table = new TableView<>(events);
        table.setId(id);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        // Rows grow with a long reason; room for up to ten rows of about a line and a half, then it scrolls.
        table.prefHeightProperty().bind(Bindings.createDoubleBinding(
                () -> 44 + 40.0 * Math.min(Math.max(events.size(), 1), 10), events));
        table.minHeightProperty().bind(table.prefHeightProperty());
        Label empty = new Label("None in this period.");
        empty.getStyleClass().add("text-muted");
        table.setPlaceholder(empty);

        table.getColumns().setAll(List.of(EventColumns.time(), EventColumns.type(), EventColumns.severity(), EventColumns.user(),
                EventColumns.resource(), EventColumns.action(), EventColumns.wrappedReason()));
        return table;
    }
}
