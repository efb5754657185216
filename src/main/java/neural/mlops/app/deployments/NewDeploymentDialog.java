package neural.mlops.app.deployments;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.stage.Window;
import neural.mlops.app.common.ConfirmButton;
import neural.mlops.app.common.ProblemDecoration;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.deployment.Deployment;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelVersion;
import org.controlsfx.validation.ValidationSupport;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * New Deployment: model and version pickers (the version defaults to the production version),
 * environment, endpoint validated as the user types, and whether to activate at once. Returns
 * the created deployment.
 */
final class NewDeploymentDialog extends Dialog<Deployment> {

    private final NewDeploymentViewModel model;

    NewDeploymentDialog(Window owner, NewDeploymentViewModel model) {
        this.model = model;
        initOwner(owner);
        ThemeManager.adopt(this);
        setTitle("New Deployment");
        setHeaderText("Deploy a model version to an environment");
        setGraphic(new FontIcon("mdal-cloud_queue"));
        setResizable(true);

        ComboBox<String> name = new ComboBox<>(model.models());
        name.setId("deploy-model");
        name.setMaxWidth(Double.MAX_VALUE);
        name.valueProperty().bindBidirectional(model.modelProperty());

        ComboBox<String> version = new ComboBox<>();
        version.setId("deploy-version");
        version.setMaxWidth(Double.MAX_VALUE);
        Runnable fillVersions = () -> {
            String keep = model.versionProperty().get();
            version.getItems().setAll(model.versions().stream().map(ModelVersion::version).toList());
            version.setValue(keep);
        };
        model.versions().addListener((javafx.collections.ListChangeListener<ModelVersion>) change -> fillVersions.run());
        fillVersions.run();
        version.valueProperty().addListener((observable, old, current) -> {
            if (current != null) {
                model.versionProperty().set(current);
            }
        });
        model.versionProperty().addListener((observable, old, current) -> version.setValue(current));
        version.setCellFactory(list -> new VersionCell());
        version.setButtonCell(new VersionCell());

        ComboBox<String> environment = new ComboBox<>(model.environments());
        environment.setId("deploy-environment");
        environment.setEditable(true);
        environment.setMaxWidth(Double.MAX_VALUE);
        environment.getEditor().textProperty().bindBidirectional(model.environmentProperty());

        TextField endpoint = new TextField();
        endpoint.setId("deploy-endpoint");
        endpoint.setPromptText("http://localhost:8080/v1/models/fraud_detector:predict");
        endpoint.textProperty().bindBidirectional(model.endpointProperty());

        CheckBox activate = new CheckBox("Activate immediately (replaces the active deployment of this model there)");
        activate.setId("deploy-activate");
        activate.setWrapText(true);
        activate.selectedProperty().bindBidirectional(model.activateNowProperty());

        Label warning = new Label();
        warning.setId("deploy-warning");
        warning.getStyleClass().add("warning");
        warning.setWrapText(true);
        warning.textProperty().bind(Bindings.createStringBinding(() -> model.warningProperty().get() == null ? ""
                : model.warningProperty().get(), model.warningProperty()));
        Label problem = new Label();
        problem.setId("deploy-problem");
        problem.getStyleClass().add("danger");
        problem.setWrapText(true);
        problem.textProperty().bind(Bindings.createStringBinding(this::firstProblem, model.errorProperty(),
                model.modelProblemProperty(), model.environmentProblemProperty(), model.endpointProblemProperty()));

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
        grid.addRow(row++, new Label("Model:"), name);
        grid.addRow(row++, new Label("Version:"), version);
        grid.addRow(row++, new Label("Environment:"), environment);
        grid.addRow(row++, new Label("Endpoint:"), endpoint);
        grid.add(activate, 1, row++);
        grid.add(warning, 0, row++, 2, 1);
        grid.add(problem, 0, row, 2, 1);
        getDialogPane().setContent(grid);
        getDialogPane().setPrefWidth(620);

        ValidationSupport validation = new ValidationSupport();
        ProblemDecoration.mark(validation, endpoint, model.endpointProblemProperty(), "Invalid endpoint");
        ProblemDecoration.mark(validation, environment, model.environmentProblemProperty(), "Invalid environment");

        ConfirmButton.install(this, "Create", "deploy-confirm", model.canCreateProperty(), model::create);
    }

    private String firstProblem() {
        for (String text : new String[] {model.errorProperty().get(), model.modelProblemProperty().get(),
            model.environmentProblemProperty().get(), model.endpointProblemProperty().get()}) {
            if (text != null) {
                return text;
            }
        }
        return "";
    }

    /** A version with its stage. */
    private final class VersionCell extends ListCell<String> {
        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setText(null);
                return;
            }
            ModelStage stage = model.versions().stream().filter(v -> v.version().equals(item)).map(ModelVersion::stage)
                    .findFirst().orElse(null);
            setText(stage == null ? item : item + "  (" + stage.value() + ")");
        }
    }
}
