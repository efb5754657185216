package neural.mlops.app.registry;

import neural.mlops.app.common.WindowSizes;
import neural.mlops.app.common.Formats;
import java.util.List;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import neural.mlops.app.common.Badge;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.app.common.WrappingCell;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The Requests window: the workspace's promotion requests with Approve and Reject (Withdraw) for
 * the selected one, and a line saying what approving would do or why it cannot be done.
 */
final class RequestsView extends BorderPane {

    private final RequestsViewModel model;

    RequestsView(RequestsViewModel model) {
        this.model = model;
        setId("requests-view");
        setPadding(new Insets(10));

        TableView<RequestsViewModel.Row> table = table();
        setCenter(table);

        Label hint = new Label();
        hint.setId("requests-hint");
        hint.setWrapText(true);
        hint.textProperty().bind(model.hintProperty());
        Label problems = new Label();
        problems.getStyleClass().add("danger");
        problems.setWrapText(true);
        problems.textProperty().bind(Bindings.createStringBinding(() -> model.problems().isEmpty() ? ""
                : model.problems().size() + " unreadable request document(s): " + model.problems().get(0).message(),
                model.problems()));
        problems.visibleProperty().bind(Bindings.isNotEmpty(model.problems()));
        problems.managedProperty().bind(problems.visibleProperty());

        Button approve = new Button("Approve", new FontIcon("mdal-how_to_vote"));
        approve.setId("approve-button");
        approve.setDefaultButton(true);
        approve.disableProperty().bind(model.canApproveProperty().not());
        approve.setOnAction(event -> model.approve());
        Button reject = new Button();
        reject.setId("reject-button");
        reject.textProperty().bind(model.rejectTextProperty());
        reject.disableProperty().bind(model.canRejectProperty().not());
        reject.setOnAction(event -> model.reject());
        Button refresh = new Button("Refresh", new FontIcon("mdmz-refresh"));
        refresh.setOnAction(event -> model.refresh());
        CheckBox closed = new CheckBox("Show closed requests");
        closed.setId("show-closed");
        closed.selectedProperty().bindBidirectional(model.showClosedProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, closed, spacer, refresh, reject, approve);
        buttons.setAlignment(Pos.CENTER_LEFT);

        VBox bottom = new VBox(8, problems, hint, buttons);
        bottom.setPadding(new Insets(10, 0, 0, 0));
        setBottom(bottom);
    }

    private TableView<RequestsViewModel.Row> table() {
        TableView<RequestsViewModel.Row> table = new TableView<>(model.rows());
        table.setId("requests-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label empty = new Label("No open promotion requests. A promotion into a stage that needs approvals creates one.");
        empty.getStyleClass().add("text-muted");
        empty.setWrapText(true);
        table.setPlaceholder(empty);

        TableColumn<RequestsViewModel.Row, String> name = text("Model", row -> row.request().name());
        TableColumn<RequestsViewModel.Row, String> version = text("Version", row -> row.request().version());
        TableColumn<RequestsViewModel.Row, String> to = new TableColumn<>("To");
        to.setCellValueFactory(cell -> new ReadOnlyStringWrapper(Formats.words(cell.getValue().request().toStage().value())));
        to.setCellFactory(column -> new TableCell<>() {
            private final Badge badge = new Badge(null);

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                badge.setValue(empty ? null : item);
                setGraphic(empty ? null : badge);
            }
        });
        TableColumn<RequestsViewModel.Row, String> status = text("Status", row -> Formats.words(row.request().status().value()));
        TableColumn<RequestsViewModel.Row, String> approvals = text("Approvals", RequestsViewModel.Row::approvals);
        TableColumn<RequestsViewModel.Row, String> requested = text("Requested",
                row -> Formats.localMinute(row.request().requestedAt()) + " by " + row.request().requestedBy());
        TableColumn<RequestsViewModel.Row, String> reason = text("Reason", row -> row.request().reason());
        // Who signed the request and each approval, verified against workspace.yaml's identities, one line each.
        TableColumn<RequestsViewModel.Row, String> signatures = text("Signatures", RequestsViewModel.Row::signatures);
        signatures.setCellFactory(column -> new WrappingCell<>());
        signatures.setPrefWidth(300);
        table.getColumns().setAll(List.of(name, version, to, status, approvals, requested, signatures, reason));

        table.getSelectionModel().selectedItemProperty().addListener((observable, old, selected) -> {
            if (selected != model.selectedProperty().get()) {
                model.selectedProperty().set(selected);
            }
        });
        model.selectedProperty().addListener((observable, old, selected) -> {
            if (table.getSelectionModel().getSelectedItem() != selected) {
                table.getSelectionModel().select(selected);
            }
        });
        return table;
    }

    private static TableColumn<RequestsViewModel.Row, String> text(String title,
                                                                 Function<RequestsViewModel.Row, String> value) {
        TableColumn<RequestsViewModel.Row, String> column = new TableColumn<>(title);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return column;
    }

    /** Opens the window over {@code owner}, in the main window's theme, and loads the requests. */
    void show(Window owner) {
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.setTitle("Promotion Requests \u2014 acting as " + model.user());
        stage.setScene(WindowSizes.scene(this, 980, 480, owner));
        ThemeManager.adopt(stage);
        model.refresh();
        stage.show();
    }
}
