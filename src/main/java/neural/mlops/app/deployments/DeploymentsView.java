package neural.mlops.app.deployments;

import java.time.Instant;
import java.util.List;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.MapChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import neural.mlops.app.common.Badge;
import neural.mlops.app.common.ComboBoxes;
import neural.mlops.app.common.WrappingRow;
import neural.mlops.app.common.Formats;
import neural.mlops.app.common.Keyboard;
import neural.mlops.deployment.Deployment;
import neural.mlops.deployment.DeploymentStatus;
import neural.mlops.deployment.HealthCheck;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The Deployments tab: filters and actions on top, the deployments table (environment, model,
 * version, status, health with latency, endpoint, times) and below it the timeline of what was
 * active when in each environment. Active deployments are probed every
 * {@value #HEALTH_PERIOD_SECONDS} s while the tab is showing, in the background.
 */
public final class DeploymentsView extends BorderPane {

    /**
     * The least the table gives up to the details pane; below the columns' minimum widths (each
     * shows its whole value: a time, "Rolled back") it scrolls sideways rather than cutting text.
     */
    static final double TABLE_MIN_WIDTH = 480;
    private static final double DETAILS_WIDTH = 320;

    static final int HEALTH_PERIOD_SECONDS = 30;

    private final DeploymentsViewModel model;
    private final TableView<Deployment> table = new TableView<>();
    private final Timeline healthTimer;
    private final BooleanProperty detailsShown = new SimpleBooleanProperty(true);

    public DeploymentsView(DeploymentsViewModel model) {
        this.model = model;
        getStyleClass().add("deployments-view");
        setTop(toolbar());
        // The table has priority: the details pane keeps its own width (about 320 px) when the
        // window grows or shrinks, can be dragged or hidden (the Details toggle), and the table
        // never goes below what its first columns need.
        buildTable();
        table.setMinWidth(TABLE_MIN_WIDTH);
        DeploymentDetailsView details = new DeploymentDetailsView(model);
        SplitPane.setResizableWithParent(details, false);
        SplitPane top = new SplitPane(table, details);
        top.setId("deployments-split");
        detailsShown.addListener((observable, old, show) -> showDetails(top, details, show));
        top.widthProperty().addListener((observable, old, width) -> {
            if (old.doubleValue() == 0 && width.doubleValue() > 0 && top.getItems().contains(details)) {
                placeDivider(top); // the first layout: the width is known only now
            }
        });
        placeDivider(top);
        SplitPane split = new SplitPane(top, new TimelineView(model));
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.6);
        setCenter(split);
        setBottom(problemsLine());
        healthTimer = new Timeline(new KeyFrame(Duration.seconds(HEALTH_PERIOD_SECONDS), event -> {
            if (isShowing(this)) {
                model.checkActiveHealth();
            }
        }));
        healthTimer.setCycleCount(Timeline.INDEFINITE);
        sceneProperty().addListener((observable, old, scene) -> {
            if (scene == null) {
                healthTimer.stop();
            } else {
                healthTimer.play();
            }
        });
    }

    /** The details pane's width, kept while it is hidden so that it comes back as the user left it. */
    private double detailsWidth = DETAILS_WIDTH;

    private void showDetails(SplitPane split, DeploymentDetailsView details, boolean show) {
        boolean shown = split.getItems().contains(details);
        if (show && !shown) {
            split.getItems().add(details);
            placeDivider(split);
        } else if (!show && shown) {
            if (details.getWidth() > 0) {
                detailsWidth = details.getWidth();
            }
            split.getItems().remove(details);
        }
    }

    private void placeDivider(SplitPane split) {
        if (split.getItems().size() < 2) {
            return;
        }
        double width = split.getWidth() > 0 ? split.getWidth() : 1280;
        split.setDividerPositions(Math.max(TABLE_MIN_WIDTH / width, 1 - detailsWidth / width));
    }

    /**
     * True when {@code node} is on screen: in a showing window and neither it nor any parent is
     * hidden (a tab that is not selected hides its content).
     */
    static boolean isShowing(Node node) {
        if (node.getScene() == null || node.getScene().getWindow() == null || !node.getScene().getWindow().isShowing()) {
            return false;
        }
        for (Node current = node; current != null; current = current.getParent()) {
            if (!current.isVisible()) {
                return false;
            }
        }
        return true;
    }

    void openNewDeploymentDialog() {
        if (!model.availableProperty().get() || getScene() == null) {
            return;
        }
        new NewDeploymentDialog(getScene().getWindow(), model.newDeployment()).showAndWait().ifPresent(model::created);
    }

    private VBox toolbar() {
        Label title = new Label("Deployments");
        title.getStyleClass().add("title-4");

        Button create = new Button("New Deployment...", new FontIcon("mdal-add"));
        create.setId("new-deployment-button");
        create.setTooltip(new Tooltip("Deploy a model version to an environment (Ctrl+N)"));
        create.getStyleClass().add(Keyboard.CREATE);
        create.setOnAction(event -> openNewDeploymentDialog());
        Button activate = new Button("Activate", new FontIcon("mdmz-play_arrow"));
        activate.setId("activate-button");
        activate.setOnAction(event -> model.activate());
        activate.disableProperty().bind(model.canActivateProperty().not());
        Button deactivate = new Button("Deactivate", new FontIcon("mdmz-stop"));
        deactivate.setId("deactivate-button");
        deactivate.setOnAction(event -> model.deactivate());
        deactivate.disableProperty().bind(model.canDeactivateProperty().not());
        Button rollback = new Button("Roll Back", new FontIcon("mdmz-undo"));
        rollback.setId("rollback-button");
        rollback.setTooltip(new Tooltip("Re-activate the deployment this one replaced"));
        rollback.setOnAction(event -> model.rollback());
        rollback.disableProperty().bind(model.canRollbackProperty().not());
        Button health = new Button("Check Health", new FontIcon("mdal-favorite"));
        health.setId("health-button");
        health.setTooltip(new Tooltip("Probe the selected endpoint now (active ones are probed every "
                + HEALTH_PERIOD_SECONDS + " s while this tab shows)"));
        health.setOnAction(event -> model.checkSelectedHealth());
        health.disableProperty().bind(model.selectedProperty().isNull());
        Button healthAll = new Button(null, new FontIcon("mdmz-speed"));
        healthAll.setId("health-all-button");
        healthAll.setTooltip(new Tooltip("Probe every active deployment now"));
        healthAll.setOnAction(event -> model.checkActiveHealth());
        ProgressIndicator probing = new ProgressIndicator();
        probing.setPrefSize(16, 16);
        probing.visibleProperty().bind(model.probingProperty().or(model.loadingProperty()));
        ToggleButton details = new ToggleButton(null, new FontIcon("mdmz-view_sidebar"));
        details.setId("deployment-details-toggle");
        details.setTooltip(new Tooltip("Show or hide the details of the selected deployment"));
        details.selectedProperty().bindBidirectional(detailsShown);
        Button refresh = new Button(null, new FontIcon("mdmz-refresh"));
        refresh.setTooltip(new Tooltip("Reload the deployments"));
        refresh.setOnAction(event -> model.refresh());

        // The buttons keep their labels and go on to a second line when the window is narrow.
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        WrappingRow actions = new WrappingRow(8, 6, title, spacer, new WrappingRow(8, 6, probing, create, activate, deactivate, rollback, health,
                healthAll, details, refresh).alignRight());
        actions.getStyleClass().add("toolbar-row");

        ComboBox<String> environment = new ComboBox<>();
        environment.setId("environment-filter");
        ComboBoxes.anyOf(environment, "Any environment", value -> value, model.environments());
        environment.valueProperty().bindBidirectional(model.environmentFilterProperty());

        ComboBox<DeploymentStatus> status = new ComboBox<>();
        status.setId("status-filter");
        status.getItems().add(null);
        status.getItems().addAll(DeploymentStatus.values());
        ComboBoxes.anyOf(status, "Any status", value -> Formats.words(value.value()));
        status.valueProperty().bindBidirectional(model.statusFilterProperty());

        TextField search = Keyboard.searchField("deployment-search", "Search model, version, endpoint, id");
        search.textProperty().bindBidirectional(model.searchTextProperty());
        HBox.setHgrow(search, Priority.ALWAYS);
        search.setPrefWidth(240);
        search.setMaxWidth(Double.MAX_VALUE);

        Label summary = new Label();
        summary.getStyleClass().add("text-muted");
        summary.textProperty().bind(model.summaryProperty());

        // Fixed widths: choosing a value does not shift the filters after it.
        environment.setPrefWidth(180);
        status.setPrefWidth(140);
        WrappingRow filters = new WrappingRow(8, 6, new FontIcon("mdal-filter_list"), environment, status, search, summary);
        filters.setPadding(new Insets(0, 10, 8, 10));
        return new VBox(actions, filters);
    }

    private TableView<Deployment> buildTable() {
        table.setId("deployments-table");
        table.setItems(model.deployments());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label empty = new Label("No deployment matches. Create one with New Deployment.");
        empty.getStyleClass().add("text-muted");
        table.setPlaceholder(empty);

        TableColumn<Deployment, String> environment = new TableColumn<>("Environment");
        environment.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().environment()));
        environment.setPrefWidth(110);
        environment.setMinWidth(95);
        TableColumn<Deployment, String> name = new TableColumn<>("Model");
        name.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().modelName()));
        name.setPrefWidth(150);
        name.setMinWidth(140);
        TableColumn<Deployment, String> version = new TableColumn<>("Version");
        version.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().modelVersion()));
        version.setPrefWidth(80);
        version.setMinWidth(70);
        TableColumn<Deployment, DeploymentStatus> status = new TableColumn<>("Status");
        status.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().status()));
        status.setCellFactory(column -> new TableCell<>() {
            private final Badge badge = new Badge(null);

            @Override
            protected void updateItem(DeploymentStatus item, boolean empty) {
                super.updateItem(item, empty);
                badge.setValue(empty || item == null ? null : item.value());
                setGraphic(empty || item == null ? null : badge);
            }
        });
        status.setPrefWidth(110);
        status.setMinWidth(105); // "Rolled back" whole
        TableColumn<Deployment, Deployment> health = new TableColumn<>("Health");
        health.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue()));
        health.setCellFactory(column -> new HealthCell(model));
        health.setPrefWidth(170);
        health.setMinWidth(120);
        TableColumn<Deployment, String> endpoint = new TableColumn<>("Endpoint");
        endpoint.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().endpoint().toString()));
        endpoint.setPrefWidth(260);
        endpoint.setMinWidth(160);
        TableColumn<Deployment, Instant> activated = new TableColumn<>("Activated");
        activated.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().activatedAt()));
        activated.setCellFactory(column -> timeCell());
        activated.setPrefWidth(150);
        activated.setMinWidth(145); // a whole time, never "2026-10-2..."
        TableColumn<Deployment, Instant> created = new TableColumn<>("Created");
        created.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().createdAt()));
        created.setCellFactory(column -> timeCell());
        created.setPrefWidth(150);
        created.setMinWidth(145);
        TableColumn<Deployment, String> by = new TableColumn<>("By");
        by.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().createdBy()));
        table.getColumns().setAll(List.of(environment, name, version, status, health, endpoint, activated, created, by));

        // Health results arrive by deployment id: redraw the rows when one does.
        model.health().addListener((MapChangeListener<String, HealthCheck>) change -> table.refresh());

        table.getSelectionModel().selectedItemProperty().addListener((observable, old, selected) -> {
            if (selected != model.selectedProperty().get()) {
                model.selectedProperty().set(selected);
            }
        });
        model.selectedProperty().addListener((observable, old, selected) -> {
            if (table.getSelectionModel().getSelectedItem() != selected) {
                if (selected == null) {
                    table.getSelectionModel().clearSelection();
                } else {
                    table.getSelectionModel().select(selected);
                    table.scrollTo(selected);
                }
            }
        });
        table.setContextMenu(contextMenu());
        return table;
    }

    private ContextMenu contextMenu() {
        MenuItem activate = new MenuItem("Activate...");
        activate.setOnAction(event -> model.activate());
        activate.disableProperty().bind(model.canActivateProperty().not());
        MenuItem deactivate = new MenuItem("Deactivate...");
        deactivate.setOnAction(event -> model.deactivate());
        deactivate.disableProperty().bind(model.canDeactivateProperty().not());
        MenuItem rollback = new MenuItem("Roll Back...");
        rollback.setOnAction(event -> model.rollback());
        rollback.disableProperty().bind(model.canRollbackProperty().not());
        MenuItem health = new MenuItem("Check Health");
        health.setOnAction(event -> model.checkSelectedHealth());
        MenuItem create = new MenuItem("New Deployment...");
        create.setOnAction(event -> openNewDeploymentDialog());
        return new ContextMenu(activate, deactivate, rollback, new SeparatorMenuItem(), health, new SeparatorMenuItem(), create);
    }

    private Label problemsLine() {
        Label problems = new Label();
        problems.getStyleClass().add("danger");
        problems.setWrapText(true);
        problems.setPadding(new Insets(4, 10, 4, 10));
        problems.textProperty().bind(Bindings.createStringBinding(() -> model.problems().isEmpty() ? ""
                : model.problems().size() + " unreadable deployment document(s): "
                        + model.problems().get(0).file().getFileName() + " (" + model.problems().get(0).message() + ")",
                model.problems()));
        problems.visibleProperty().bind(Bindings.isNotEmpty(model.problems()));
        problems.managedProperty().bind(problems.visibleProperty());
        return problems;
    }

    private static TableCell<Deployment, Instant> timeCell() {
        return new TableCell<>() {
            @Override
            protected void updateItem(Instant item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : Formats.localMinute(item));
            }
        };
    }

    /** The health of a deployment: a coloured dot, the status code and latency or the error; details in a tooltip. */
    static final class HealthCell extends TableCell<Deployment, Deployment> {
        private final DeploymentsViewModel model;
        private final FontIcon dot = new FontIcon("mdal-check_circle");
        private final Tooltip tooltip = new Tooltip();

        HealthCell(DeploymentsViewModel model) {
            this.model = model;
        }

        @Override
        protected void updateItem(Deployment item, boolean empty) {
            super.updateItem(item, empty);
            dot.getStyleClass().removeAll("health-ok", "health-down", "health-unknown");
            if (empty || item == null) {
                setText(null);
                setGraphic(null);
                setTooltip(null);
                return;
            }
            HealthCheck check = model.healthOf(item).orElse(null);
            if (check == null) {
                dot.setIconLiteral("mdal-help_outline");
                dot.getStyleClass().add("health-unknown");
                setText("not checked");
                setTooltip(null);
            } else {
                dot.setIconLiteral(check.ok() ? "mdal-check_circle" : "mdal-cancel");
                dot.getStyleClass().add(check.ok() ? "health-ok" : "health-down");
                setText(check.statusCode() != null ? check.summary() : "down");
                tooltip.setText(check.summary() + "\nChecked " + Formats.localTime(check.checkedAt()));
                setTooltip(tooltip);
            }
            setGraphic(dot);
        }
    }
}
