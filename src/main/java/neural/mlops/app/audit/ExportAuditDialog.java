package neural.mlops.app.audit;

import javafx.beans.binding.Bindings;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.Window;
import neural.mlops.app.common.WrappingRow;
import neural.mlops.app.common.DatePickers;
import neural.mlops.app.common.ComboBoxes;
import neural.mlops.app.common.Formats;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.ExportFormat;
import neural.mlops.audit.ExportResult;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Export Audit Trail: period, filters, format and destination; Export runs in the background
 * with a progress bar and Cancel, and the dialog stays open to show the summary (events, size,
 * SHA-256). Returns what was written, if anything.
 */
final class ExportAuditDialog extends Dialog<ExportResult> {

    private final ExportAuditViewModel model;

    ExportAuditDialog(Window owner, ExportAuditViewModel model) {
        this.model = model;
        initOwner(owner);
        ThemeManager.adopt(this);
        setTitle("Export Audit Trail");
        setHeaderText("Export audit events to a file");
        setGraphic(new FontIcon("mdal-get_app"));
        setResizable(true);

        DatePicker from = DatePickers.create("export-from", "from the beginning");
        from.valueProperty().bindBidirectional(model.fromDateProperty());
        DatePicker to = DatePickers.create("export-to", "until now");
        to.valueProperty().bindBidirectional(model.toDateProperty());

        ComboBox<EventType> type = new ComboBox<>();
        type.getItems().add(null);
        type.getItems().addAll(EventType.values());
        ComboBoxes.anyOf(type, "Any type", value -> Formats.words(value.value()));
        type.valueProperty().bindBidirectional(model.typeProperty());
        type.setPrefWidth(190);
        ComboBox<EventSeverity> severity = new ComboBox<>();
        severity.getItems().add(null);
        severity.getItems().addAll(EventSeverity.values());
        ComboBoxes.anyOf(severity, "Any severity", value -> Formats.words(value.value()));
        severity.valueProperty().bindBidirectional(model.severityProperty());
        severity.setPrefWidth(140);
        TextField user = new TextField();
        user.setPromptText("any user");
        user.setPrefColumnCount(10);
        user.textProperty().bindBidirectional(model.userProperty());
        TextField text = new TextField();
        text.setPromptText("any text");
        text.textProperty().bindBidirectional(model.textProperty());

        ToggleGroup formats = new ToggleGroup();
        HBox formatRow = new HBox(14);
        for (ExportFormat format : ExportFormat.values()) {
            RadioButton button = new RadioButton(label(format));
            button.setId("export-format-" + format.value());
            button.setUserData(format);
            button.setToggleGroup(formats);
            button.setSelected(format == model.formatProperty().get());
            formatRow.getChildren().add(button);
        }
        formats.selectedToggleProperty().addListener((observable, old, selected) -> {
            if (selected != null) {
                model.formatProperty().set((ExportFormat) selected.getUserData());
            }
        });

        TextField destination = new TextField();
        destination.setId("export-destination");
        destination.setEditable(false);
        destination.setPromptText("Choose the file to write");
        destination.textProperty().bind(Bindings.createStringBinding(() -> model.destinationProperty().get() == null ? ""
                : model.destinationProperty().get().toString(), model.destinationProperty()));
        HBox.setHgrow(destination, Priority.ALWAYS);
        Button browse = new Button("Choose...");
        browse.setId("export-choose");
        browse.setOnAction(event -> model.chooseDestination());

        ProgressBar progress = new ProgressBar(0);
        progress.setId("export-progress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.progressProperty().bind(model.progressProperty());
        progress.visibleProperty().bind(model.runningProperty());
        Label progressText = new Label();
        progressText.textProperty().bind(model.progressTextProperty());
        progressText.visibleProperty().bind(model.runningProperty());

        Label problem = new Label();
        problem.setId("export-problem");
        problem.getStyleClass().add("danger");
        problem.setWrapText(true);
        problem.textProperty().bind(Bindings.createStringBinding(() -> model.errorProperty().get() != null
                ? model.errorProperty().get() : model.problemProperty().get() == null ? "" : model.problemProperty().get(),
                model.errorProperty(), model.problemProperty()));

        TextArea summary = new TextArea();
        summary.setId("export-summary");
        summary.setEditable(false);
        summary.setWrapText(true);
        summary.setPrefRowCount(4);
        summary.getStyleClass().add("mono");
        summary.textProperty().bind(model.summaryProperty());
        // Always there, so the dialog keeps its size when the summary arrives.
        summary.setPromptText("The summary (events written, file size, SHA-256) appears here when the export is done.");

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.setPadding(new Insets(10));
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(90);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().setAll(labels, fields);
        int row = 0;
        // Rows that wrap rather than cut a filter to "...".
        grid.addRow(row++, new Label("Period:"), new WrappingRow(8, 6, from, new Label("\u2013"), to));
        grid.addRow(row++, new Label("Filters:"), new WrappingRow(8, 6, type, severity, user));
        grid.addRow(row++, new Label("Text:"), text);
        grid.addRow(row++, new Label("Format:"), formatRow);
        grid.addRow(row++, new Label("Save to:"), new HBox(8, destination, browse));
        grid.add(problem, 0, row++, 2, 1);
        grid.add(progress, 0, row++, 2, 1);
        grid.add(progressText, 0, row++, 2, 1);
        grid.add(summary, 0, row, 2, 1);
        getDialogPane().setContent(grid);
        getDialogPane().setPrefWidth(720);

        ButtonType exportType = new ButtonType("Export", ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().setAll(exportType, ButtonType.CLOSE);
        Button export = (Button) getDialogPane().lookupButton(exportType);
        export.setId("export-confirm");
        export.disableProperty().bind(model.canExportProperty().not());
        // Keep the dialog open: the progress, then the summary, show in it.
        export.addEventFilter(ActionEvent.ACTION, event -> {
            event.consume();
            model.export();
        });
        Button close = (Button) getDialogPane().lookupButton(ButtonType.CLOSE);
        close.setId("export-close");
        close.textProperty().bind(Bindings.when(model.runningProperty()).then("Cancel").otherwise("Close"));
        close.addEventFilter(ActionEvent.ACTION, event -> {
            if (model.runningProperty().get()) {
                event.consume();
                model.cancel();
            }
        });
        setOnCloseRequest(event -> {
            if (model.runningProperty().get()) {
                event.consume();
                model.cancel();
            }
        });
        setResultConverter(button -> model.resultProperty().get());
    }

    private static String label(ExportFormat format) {
        return switch (format) {
            case JSON -> "JSON";
            case JSONL -> "JSON Lines";
            case CSV -> "CSV";
            case YAML -> "YAML";
        };
    }
}
