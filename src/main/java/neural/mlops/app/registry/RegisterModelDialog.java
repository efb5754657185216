package neural.mlops.app.registry;

import javafx.beans.binding.Bindings;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.cell.TextFieldTableCell;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Window;
import neural.mlops.app.common.ConfirmButton;
import neural.mlops.app.common.ProblemDecoration;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.registry.ModelVersion;
import org.controlsfx.validation.ValidationSupport;

/**
 * Register Model: model file, name (existing names offered), version (next version suggested),
 * framework, metrics and tags editors, description. Validation shows as the user types; the copy
 * runs in the background with a progress bar and Cancel. Returns the registered version.
 */
final class RegisterModelDialog extends Dialog<ModelVersion> {

    private final RegisterModelViewModel model;

    RegisterModelDialog(Window owner, RegisterModelViewModel model) {
        this.model = model;
        initOwner(owner);
        ThemeManager.adopt(this);
        setTitle("Register Model");
        setHeaderText("Register a model version");
        setResizable(true);

        TextField file = new TextField();
        file.setId("register-file");
        file.setEditable(false);
        file.setPromptText("Choose the model file (model.pt, model.onnx, ...)");
        file.textProperty().bind(Bindings.createStringBinding(() -> model.modelFileProperty().get() == null ? ""
                : model.modelFileProperty().get().toString(), model.modelFileProperty()));
        Button browse = new Button("Browse...");
        browse.setMinWidth(Region.USE_PREF_SIZE);
        browse.setOnAction(event -> model.chooseModelFile());

        ComboBox<String> name = new ComboBox<>(model.existingNames());
        name.setId("register-name");
        name.setEditable(true);
        name.setPromptText("fraud_detector");
        // An editable combo box rewrites its editor from its value: give it the value first.
        name.setValue(model.nameProperty().get());
        name.getEditor().textProperty().bindBidirectional(model.nameProperty());
        name.setMaxWidth(Double.MAX_VALUE);

        TextField version = new TextField();
        version.setId("register-version");
        version.textProperty().bindBidirectional(model.versionProperty());
        Label suggestion = new Label();
        suggestion.getStyleClass().add("text-muted");
        suggestion.textProperty().bind(Bindings.concat("next: ", model.suggestedVersionProperty()));
        suggestion.setMinWidth(Region.USE_PREF_SIZE);

        TextField framework = new TextField();
        framework.setId("register-framework");
        framework.setPromptText("pytorch, tensorflow, sklearn, xgboost, onnx ...");
        framework.textProperty().bindBidirectional(model.frameworkProperty());

        TextArea description = new TextArea();
        description.setPrefRowCount(2);
        description.setWrapText(true);
        description.textProperty().bindBidirectional(model.descriptionProperty());

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.setPadding(new Insets(10));
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(100);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().setAll(labels, fields);
        int row = 0;
        grid.addRow(row++, new Label("Model file:"), file, browse);
        grid.addRow(row++, new Label("Name:"), name);
        grid.addRow(row++, new Label("Version:"), version, suggestion);
        grid.addRow(row++, new Label("Framework:"), framework);
        grid.add(new Label("Metrics:"), 0, row);
        grid.add(metricsEditor(), 1, row++, 2, 1);
        grid.add(new Label("Tags:"), 0, row);
        grid.add(tagEditor(), 1, row++, 2, 1);
        grid.addRow(row++, new Label("Description:"), description);

        Label problems = new Label();
        problems.setId("register-problem");
        problems.getStyleClass().add("danger");
        problems.setWrapText(true);
        problems.textProperty().bind(Bindings.createStringBinding(this::firstProblem,
                model.fileProblemProperty(), model.nameProblemProperty(), model.versionProblemProperty(),
                model.frameworkProblemProperty(), model.metricsProblemProperty(), model.errorProperty()));
        grid.add(problems, 0, row++, 3, 1);

        ProgressBar progress = new ProgressBar();
        progress.setId("register-progress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.progressProperty().bind(model.progressProperty());
        progress.visibleProperty().bind(model.runningProperty());
        grid.add(progress, 0, row, 3, 1);

        getDialogPane().setContent(grid);
        getDialogPane().setPrefWidth(780);

        ValidationSupport validation = new ValidationSupport();
        ProblemDecoration.mark(validation, name, model.nameProblemProperty(), "Invalid model name");
        ProblemDecoration.mark(validation, version, model.versionProblemProperty(), "Invalid version");

        // Keep the dialog open while the copy runs; close it when the registration succeeds.
        ConfirmButton.install(this, "Register", "register-confirm", model.canRegisterProperty(), model::register);
        Button cancel = (Button) getDialogPane().lookupButton(ButtonType.CANCEL);
        cancel.addEventFilter(ActionEvent.ACTION, event -> {
            if (model.runningProperty().get()) {
                event.consume();
                model.cancel();
            }
        });
    }

    private String firstProblem() {
        for (String problem : new String[] {model.errorProperty().get(), model.fileProblemProperty().get(),
            model.nameProblemProperty().get(), model.versionProblemProperty().get(), model.frameworkProblemProperty().get(),
            model.metricsProblemProperty().get()}) {
            if (problem != null) {
                return problem;
            }
        }
        return "";
    }

    private HBox metricsEditor() {
        TableView<RegisterModelViewModel.MetricEntry> table = new TableView<>(model.metrics());
        table.setId("register-metrics");
        table.setEditable(true);
        table.setPrefHeight(150);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<RegisterModelViewModel.MetricEntry, String> metric = new TableColumn<>("Metric");
        metric.setCellValueFactory(cell -> cell.getValue().nameProperty());
        metric.setCellFactory(TextFieldTableCell.forTableColumn());
        TableColumn<RegisterModelViewModel.MetricEntry, String> value = new TableColumn<>("Value");
        value.setCellValueFactory(cell -> cell.getValue().valueProperty());
        value.setCellFactory(TextFieldTableCell.forTableColumn());
        table.getColumns().setAll(java.util.List.of(metric, value));
        Label empty = new Label("No metrics: add accuracy, loss, f1 ...");
        empty.getStyleClass().add("text-muted");
        table.setPlaceholder(empty);

        TextField newName = new TextField();
        newName.setId("register-new-metric");
        newName.textProperty().bindBidirectional(model.newMetricNameProperty());
        newName.setPromptText("metric");
        newName.setPrefColumnCount(8);
        TextField newValue = new TextField();
        newValue.setId("register-new-metric-value");
        newValue.textProperty().bindBidirectional(model.newMetricValueProperty());
        newValue.setPromptText("value");
        newValue.setPrefColumnCount(6);
        Button add = new Button("Add");
        Runnable addMetric = () -> {
            model.addNewMetric();
            newName.requestFocus();
        };
        add.setOnAction(event -> addMetric.run());
        newValue.setOnAction(event -> addMetric.run());
        Button remove = new Button("Remove");
        remove.setOnAction(event -> model.metrics().removeAll(table.getSelectionModel().getSelectedItems()));
        remove.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        javafx.scene.layout.VBox side = new javafx.scene.layout.VBox(6, newName, newValue, new HBox(6, add, remove));
        HBox.setHgrow(table, Priority.ALWAYS);
        return new HBox(8, table, side);
    }

    private HBox tagEditor() {
        ListView<String> list = new ListView<>(model.tags());
        list.setId("register-tags");
        list.setPrefHeight(80);
        list.setOrientation(javafx.geometry.Orientation.HORIZONTAL);
        TextField tag = new TextField();
        tag.setPromptText("tag, then Enter");
        tag.setPrefColumnCount(10);
        tag.setOnAction(event -> {
            model.addTag(tag.getText());
            tag.clear();
        });
        Button remove = new Button("Remove");
        remove.setOnAction(event -> model.tags().removeAll(list.getSelectionModel().getSelectedItems()));
        remove.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        HBox.setHgrow(list, Priority.ALWAYS);
        return new HBox(8, list, new javafx.scene.layout.VBox(6, tag, remove));
    }
}
