package neural.mlops.app.registry;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.SortedList;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import neural.mlops.app.common.Badge;
import neural.mlops.app.common.Formats;
import neural.mlops.artifact.Inspection;
import neural.mlops.artifact.Tensor;

/**
 * What the selected version's model file holds (docs/artifacts.md): format, parameter count, the
 * verdict as a badge with the offending globals, the ONNX signature, and the tensors in a sortable
 * table. The table is a {@link TableView}, which makes cells only for the rows in sight, so a
 * 10,000-tensor header shows as fast as a small one. The inspection itself runs in the view model,
 * off the FX thread; a progress indicator stands in for it meanwhile.
 */
final class ArtifactSection extends VBox {

    private final ProgressIndicator progress = new ProgressIndicator();
    private final Label status = new Label();
    private final Label format = new Label();
    private final Label parameters = new Label();
    private final Badge verdict = new Badge("");
    private final Label offending = new Label();
    private final Label signature = new Label();
    private final ObservableList<Tensor> tensors = FXCollections.observableArrayList();
    private final TableView<Tensor> table = new TableView<>();

    ArtifactSection(RegistryViewModel model) {
        super(6);
        setId("artifact-section");
        progress.setMaxSize(18, 18);
        HBox waiting = new HBox(8, progress, status);
        waiting.managedProperty().bind(waiting.visibleProperty());
        waiting.visibleProperty().bind(model.inspectingProperty().or(model.inspectionProblemProperty().isNotNull()));
        progress.visibleProperty().bind(model.inspectingProperty());
        progress.managedProperty().bind(progress.visibleProperty());
        status.setWrapText(true);

        verdict.setId("artifact-verdict");
        offending.setId("artifact-offending");
        offending.setWrapText(true);
        offending.getStyleClass().add("mono");
        format.setId("artifact-format");
        parameters.setId("artifact-parameters");
        signature.setId("artifact-signature");
        signature.setWrapText(true);
        signature.getStyleClass().add("mono");

        table.setId("tensor-table");
        table.setPrefHeight(240);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No tensors declared."));
        table.getColumns().add(column("Name", Tensor::name));
        table.getColumns().add(column("Type", Tensor::dtype));
        TableColumn<Tensor, String> shape = column("Shape", t -> t.shape().toString());
        table.getColumns().add(shape);
        TableColumn<Tensor, Long> size = new TableColumn<>("Size");
        size.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().bytes()));
        size.setCellFactory(column -> new TableCell<>() {
            @Override
            protected void updateItem(Long bytes, boolean empty) {
                super.updateItem(bytes, empty);
                setText(empty || bytes == null ? null : bytes < 0 ? "?" : Formats.size(bytes));
            }
        });
        table.getColumns().add(size);
        SortedList<Tensor> sorted = new SortedList<>(tensors);
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);

        model.inspectingProperty().addListener((observable, old, busy) -> {
            if (busy) {
                status.setText("Inspecting the model file\u2026");
            }
        });
        model.inspectionProblemProperty().addListener((observable, old, problem) -> {
            if (problem != null) {
                status.setText("Cannot inspect the model file: " + problem);
            }
        });
        model.inspectionProperty().addListener((observable, old, found) -> show(found));
        getChildren().add(waiting);
        show(model.inspectionProperty().get());
        if (model.inspectingProperty().get()) {
            status.setText("Inspecting the model file\u2026");
        }
    }

    private void show(Inspection inspection) {
        getChildren().retainAll(getChildren().get(0));
        if (inspection == null) {
            tensors.clear();
            return;
        }
        format.setText(inspection.format() + ": " + inspection.summary());
        format.setWrapText(true);
        parameters.setText(inspection.parameterCount().isPresent()
                ? String.format("%,d parameters", inspection.parameterCount().getAsLong()) : "Parameter count not stated");
        verdict.setValue(inspection.verdict().text());
        offending.setText(inspection.offendingGlobals().isEmpty() ? ""
                : "Loading it would import " + String.join(", ", inspection.offendingGlobals()));
        FlowPane verdictRow = new FlowPane(8, 4, verdict, offending);
        getChildren().addAll(format, parameters, verdictRow);
        String onnx = inspection.signature();
        if (!onnx.isEmpty()) {
            signature.setText(onnx);
            getChildren().add(signature);
        }
        if (inspection.message() != null) {
            Label note = new Label(inspection.message());
            note.setWrapText(true);
            note.getStyleClass().add("text-muted");
            getChildren().add(note);
        }
        tensors.setAll(inspection.tensors());
        getChildren().add(table);
    }

    private static TableColumn<Tensor, String> column(String title, Function<Tensor, String> value) {
        TableColumn<Tensor, String> column = new TableColumn<>(title);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return column;
    }
}
