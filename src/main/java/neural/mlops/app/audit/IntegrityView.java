package neural.mlops.app.audit;

import java.util.List;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import neural.mlops.app.common.WindowSizes;
import neural.mlops.app.common.WrappingCell;
import neural.mlops.app.common.Formats;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.audit.IntegrityProblem;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The result of Verify Integrity in its own window: intact with the head hash, or the problems
 * listed by kind and first event affected.
 */
final class IntegrityView extends VBox {

    private final IntegrityViewModel model;
    private final Runnable adopt;

    /** {@code adopt} runs the adoption (with its confirmation) when the user chooses "Adopt..."; offered only when unchained events were found. */
    IntegrityView(IntegrityViewModel model, Runnable adopt) {
        super(12);
        this.model = model;
        this.adopt = adopt;
        setId("integrity-view");
        setPadding(new Insets(16));
        FontIcon icon = new FontIcon(model.intact() ? "mdmz-verified_user" : "mdmz-report_problem");
        icon.setIconSize(28);
        icon.getStyleClass().add(model.intact() ? "health-ok" : "health-down");
        Label headline = new Label(model.headline());
        headline.setId("integrity-headline");
        headline.getStyleClass().addAll("title-3", model.intact() ? "intact" : "not-intact");
        Label detail = new Label(model.detail());
        detail.setWrapText(true);
        detail.getStyleClass().add("mono");
        getChildren().addAll(new HBox(10, icon, headline), detail);
        if (!model.intact()) {
            getChildren().add(problemsTable());
        }
    }

    void show(Window owner) {
        Stage stage = new Stage();
        Button close = new Button("Close");
        close.setId("integrity-close");
        close.setCancelButton(true);
        close.setDefaultButton(true);
        close.setOnAction(event -> stage.close());
        HBox buttons = new HBox(8);
        if (model.canAdopt()) {
            Button adoptButton = new Button("Adopt\u2026");
            adoptButton.setId("integrity-adopt");
            adoptButton.setTooltip(new javafx.scene.control.Tooltip(
                    "Record the hash of every unchained event file in the chain, so that verification checks them"));
            adoptButton.setOnAction(event -> {
                stage.close();
                adopt.run();
            });
            buttons.getChildren().add(adoptButton);
        }
        buttons.getChildren().add(close);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        getChildren().add(buttons);
        stage.initOwner(owner);
        stage.setTitle("Verify Integrity");
        setPrefWidth(model.intact() ? 720 : 900);
        if (!model.intact()) {
            setPrefHeight(580);
        }
        stage.setScene(WindowSizes.scene(this, getPrefWidth(), model.intact() ? -1 : 580, owner));
        ThemeManager.adopt(stage);
        stage.show();
    }

    private TableView<IntegrityProblem> problemsTable() {
        TableView<IntegrityProblem> table = new TableView<>(model.problems());
        table.setId("integrity-problems");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<IntegrityProblem, String> kind = new TableColumn<>("Kind");
        kind.setCellValueFactory(cell -> new ReadOnlyStringWrapper(Formats.words(cell.getValue().kind().value())));
        kind.setPrefWidth(100);
        TableColumn<IntegrityProblem, String> seq = new TableColumn<>("Event (seq)");
        seq.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().seq() > 0
                ? String.valueOf(cell.getValue().seq()) : "\u2014"));
        seq.setPrefWidth(100);
        TableColumn<IntegrityProblem, String> file = new TableColumn<>("File");
        file.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().file() == null ? ""
                : cell.getValue().file().getFileName().toString()));
        file.setPrefWidth(260);
        file.setMinWidth(160);
        TableColumn<IntegrityProblem, String> message = new TableColumn<>("What was found");
        message.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().message()));
        message.setCellFactory(column -> new WrappingCell<>());
        message.setMinWidth(200);
        table.getColumns().setAll(List.of(kind, seq, file, message));
        VBox.setVgrow(table, Priority.ALWAYS);
        return table;
    }
}
