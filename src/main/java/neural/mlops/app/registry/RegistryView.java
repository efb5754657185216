package neural.mlops.app.registry;

import neural.mlops.app.common.ComboBoxes;
import neural.mlops.app.common.Formats;
import neural.mlops.app.common.Keyboard;
import neural.mlops.app.common.WrappingRow;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import neural.mlops.app.common.Badge;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelSummary;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.VersionOrder;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The Registry tab: the model list with search and filters on the left, the selected model's
 * versions (as a table or as a stage board) in the middle, and the version's details on the right.
 */
public final class RegistryView extends BorderPane {

    private final RegistryViewModel model;
    private final TableView<ModelVersion> table = new TableView<>();
    private final StageBoardView board;
    private final StackPane versionsArea = new StackPane();

    public RegistryView(RegistryViewModel model) {
        this.model = model;
        this.board = new StageBoardView(model);
        getStyleClass().add("registry-view");

        SplitPane split = new SplitPane(modelListPane(), versionsPane(), new VersionDetailsView(model));
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.22, 0.66);
        SplitPane.setResizableWithParent(split.getItems().get(0), false);
        setCenter(split);

        model.comparisonProperty().addListener((observable, old, comparison) -> {
            if (comparison != null) {
                new CompareView(comparison).show(getScene().getWindow());
            }
        });
    }

    private VBox modelListPane() {
        TextField search = Keyboard.searchField("model-search", "Search name, tag, description");
        search.textProperty().bindBidirectional(model.searchTextProperty());

        ComboBox<ModelStage> stage = new ComboBox<>();
        stage.setId("stage-filter");
        stage.getItems().add(null);
        stage.getItems().addAll(ModelStage.values());
        ComboBoxes.anyOf(stage, "Any stage", ModelStage::value);
        stage.valueProperty().bindBidirectional(model.stageFilterProperty());
        stage.setMaxWidth(Double.MAX_VALUE);

        ComboBox<String> tag = filterBox("Any tag", model.tags());
        tag.setId("tag-filter");
        tag.valueProperty().bindBidirectional(model.tagFilterProperty());
        ComboBox<String> framework = filterBox("Any framework", model.frameworks());
        framework.setId("framework-filter");
        framework.valueProperty().bindBidirectional(model.frameworkFilterProperty());

        ListView<ModelSummary> list = new ListView<>(model.models());
        list.setId("model-list");
        list.setCellFactory(view -> new ModelCell());
        list.getSelectionModel().selectedItemProperty().addListener((observable, old, selected) -> {
            if (selected != null && selected != model.selectedModelProperty().get()) {
                model.selectedModelProperty().set(selected);
            }
        });
        model.selectedModelProperty().addListener((observable, old, selected) -> {
            if (list.getSelectionModel().getSelectedItem() != selected) {
                list.getSelectionModel().select(selected);
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);

        Label empty = new Label("No model matches the filters.");
        empty.getStyleClass().add("text-muted");
        list.setPlaceholder(empty);

        Label problems = new Label();
        problems.getStyleClass().add("danger");
        problems.setWrapText(true);
        problems.textProperty().bind(Bindings.createStringBinding(() -> model.problems().isEmpty() ? ""
                : model.problems().size() + " unreadable metadata document(s): "
                        + model.problems().get(0).path().getFileName() + " (" + model.problems().get(0).message() + ")",
                model.problems()));
        problems.visibleProperty().bind(Bindings.isNotEmpty(model.problems()));
        problems.managedProperty().bind(problems.visibleProperty());

        VBox pane = new VBox(8, search, stage, tag, framework, list, problems);
        pane.setPadding(new Insets(10));
        pane.setMinWidth(220);
        return pane;
    }

    private VBox versionsPane() {
        Button register = new Button("Register Model...", new FontIcon("mdal-add"));
        register.setId("register-button");
        register.getStyleClass().add(Keyboard.CREATE);
        register.setTooltip(new Tooltip("Register a new model version (Ctrl+N)"));
        register.setOnAction(event -> openRegisterDialog());

        MenuButton promote = new MenuButton("Move to Stage", new FontIcon("mdal-arrow_forward"));
        promote.setId("promote-button");
        for (ModelStage stage : ModelStage.values()) {
            MenuItem item = new MenuItem(stageAction(stage));
            item.setId("promote-" + stage.value());
            item.setOnAction(event -> model.promote(stage));
            promote.getItems().add(item);
        }
        promote.setOnShowing(event -> promote.getItems().forEach(item ->
                showOption(item, model.moveOption(ModelStage.parse(item.getId().substring(8))))));
        promote.disableProperty().bind(model.hasSelectedVersionProperty().not());
        // What each move needs under the workspace policy, before the click (menu items cannot hold a tooltip).
        Tooltip moveHints = new Tooltip();
        moveHints.textProperty().bind(model.moveHintsProperty());
        promote.setTooltip(moveHints);

        Button requests = new Button(null, new FontIcon("mdal-how_to_vote"));
        requests.setId("requests-button");
        requests.textProperty().bind(Bindings.createStringBinding(() -> model.openRequests().isEmpty() ? "Requests"
                : "Requests (" + model.openRequests().size() + ")", model.openRequests()));
        requests.setTooltip(new Tooltip("Promotion requests waiting for approval (workspace policy)"));
        requests.setOnAction(event -> openRequests());
        requests.disableProperty().bind(model.availableProperty().not());

        Button restore = new Button("Restore", new FontIcon("mdmz-restore"));
        restore.setId("restore-button");
        restore.setOnAction(event -> model.restore());
        restore.disableProperty().bind(Bindings.createBooleanBinding(() -> model.selectedVersionProperty().get() == null
                || model.selectedVersionProperty().get().stage() != ModelStage.ARCHIVED, model.selectedVersionProperty()));

        Button compare = new Button("Compare", new FontIcon("mdal-compare_arrows"));
        compare.setId("compare-button");
        compare.setTooltip(new Tooltip("Select two or more versions (Ctrl+click) to compare them"));
        compare.setOnAction(event -> model.compare());
        compare.disableProperty().bind(model.canCompareProperty().not());

        ToggleGroup mode = new ToggleGroup();
        ToggleButton asTable = new ToggleButton(null, new FontIcon("mdal-list"));
        asTable.setTooltip(new Tooltip("Versions as a table"));
        ToggleButton asBoard = new ToggleButton(null, new FontIcon("mdal-dashboard"));
        asBoard.setId("board-toggle");
        asBoard.setTooltip(new Tooltip("Stage board: drag a version card to another stage"));
        asTable.setToggleGroup(mode);
        asBoard.setToggleGroup(mode);
        asTable.setSelected(true);
        mode.selectedToggleProperty().addListener((observable, old, selected) -> {
            if (selected == null) {
                old.setSelected(true);
                return;
            }
            boolean showBoard = selected == asBoard;
            table.setVisible(!showBoard);
            board.setVisible(showBoard);
        });

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        // The buttons keep their labels and go on to a second line when the pane is narrow.
        WrappingRow toolbar = new WrappingRow(8, 6, register, promote, restore, compare, requests, spacer, asTable, asBoard);
        toolbar.getStyleClass().add("toolbar-row");

        Label policyProblem = new Label();
        policyProblem.setId("policy-problem");
        policyProblem.getStyleClass().add("danger");
        policyProblem.setWrapText(true);
        policyProblem.setPadding(new Insets(0, 10, 6, 10));
        policyProblem.textProperty().bind(Bindings.createStringBinding(() -> model.policyProblemProperty().get() == null
                ? "" : "Stage changes are refused until workspace.yaml is fixed: " + model.policyProblemProperty().get(),
                model.policyProblemProperty()));
        policyProblem.visibleProperty().bind(model.policyProblemProperty().isNotNull());
        policyProblem.managedProperty().bind(policyProblem.visibleProperty());

        buildTable();
        board.setVisible(false);
        versionsArea.getChildren().setAll(table, board);
        VBox.setVgrow(versionsArea, Priority.ALWAYS);
        VBox pane = new VBox(toolbar, policyProblem, versionsArea);
        // The table scrolls sideways; the pane itself may shrink to what the toolbar needs.
        pane.setMinWidth(0);
        return pane;
    }

    private void buildTable() {
        table.setId("versions-table");
        table.setItems(model.versions());
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        // Unconstrained: metric columns keep a readable width and the table scrolls sideways if needed.
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        Label empty = new Label("Select a model, or register one with Register Model.");
        empty.getStyleClass().add("text-muted");
        table.setPlaceholder(empty);

        TableColumn<ModelVersion, ModelVersion> version = new TableColumn<>("Version");
        version.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue()));
        version.setComparator(VersionOrder.comparator());
        // The version and its alias chips (@champion); the cells are redrawn when the aliases change.
        version.setCellFactory(column -> new TableCell<>() {
            @Override
            protected void updateItem(ModelVersion item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setGraphic(null);
                    return;
                }
                Label name = new Label(item.version());
                name.setMinWidth(Label.USE_PREF_SIZE);
                setGraphic(new HBox(6, name, AliasChips.of(model.aliases(), item)));
            }
        });
        model.aliases().aliases().addListener((ListChangeListener<neural.mlops.registry.Alias>) change ->
                table.refresh());

        TableColumn<ModelVersion, ModelStage> stage = new TableColumn<>("Stage");
        stage.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().stage()));
        stage.setCellFactory(column -> new TableCell<>() {
            private final Badge badge = new Badge(null);

            @Override
            protected void updateItem(ModelStage item, boolean empty) {
                super.updateItem(item, empty);
                badge.setValue(empty || item == null ? null : item.value());
                setGraphic(empty ? null : badge);
            }
        });

        version.setPrefWidth(170);
        stage.setPrefWidth(115);
        TableColumn<ModelVersion, String> creator = new TableColumn<>("Created by");
        creator.setPrefWidth(90);
        creator.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().createdBy()));
        TableColumn<ModelVersion, java.time.Instant> created = new TableColumn<>("Created");
        created.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().createdAt()));
        created.setCellFactory(column -> new TableCell<>() {
            @Override
            protected void updateItem(java.time.Instant item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : Formats.localMinute(item));
            }
        });
        created.setPrefWidth(150);
        TableColumn<ModelVersion, String> tags = new TableColumn<>("Tags");
        tags.setPrefWidth(180);
        tags.setCellValueFactory(cell -> new ReadOnlyStringWrapper(String.join(", ", cell.getValue().tags())));

        Runnable rebuildColumns = () -> {
            table.getColumns().setAll(java.util.List.of(version, stage));
            for (String metric : model.metricColumns()) {
                TableColumn<ModelVersion, Double> column = new TableColumn<>(VersionFormat.metricHeading(metric));
                column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().metrics().get(metric)));
                column.setCellFactory(c -> new TableCell<>() {
                    {
                        setAlignment(Pos.CENTER_RIGHT);
                    }

                    @Override
                    protected void updateItem(Double item, boolean empty) {
                        super.updateItem(item, empty);
                        setText(empty ? null : VersionFormat.fixed(item));
                        setTooltip(empty || item == null ? null : new Tooltip(metric + " = " + VersionFormat.exact(item)
                                + (neural.mlops.registry.MetricDirection.lowerIsBetter(metric) ? " (lower is better)" : "")));
                    }
                });
                column.setPrefWidth(Math.max(80, metric.length() * 8 + 24));
                table.getColumns().add(column);
            }
            table.getColumns().addAll(java.util.List.of(creator, created, tags));
        };
        rebuildColumns.run();
        model.metricColumns().addListener((ListChangeListener<String>) change -> rebuildColumns.run());

        // Keep the view model's selection and the table's in step, both ways.
        table.getSelectionModel().getSelectedItems().addListener((ListChangeListener<ModelVersion>) change -> {
            if (!syncing) {
                syncing = true;
                model.selectedVersions().setAll(java.util.List.copyOf(table.getSelectionModel().getSelectedItems()));
                syncing = false;
            }
        });
        model.selectedVersions().addListener((ListChangeListener<ModelVersion>) change -> {
            if (!syncing) {
                syncing = true;
                table.getSelectionModel().clearSelection();
                model.selectedVersions().forEach(selected -> table.getSelectionModel().select(selected));
                syncing = false;
            }
        });
        table.setContextMenu(contextMenu());
        // A chip dragged onto another version's row moves the alias there, through the Set alias dialog.
        table.setRowFactory(view -> {
            javafx.scene.control.TableRow<ModelVersion> row = new javafx.scene.control.TableRow<>();
            AliasChips.acceptDrops(row, row::getItem, alias -> openSetAlias(this, model, row.getItem(), alias));
            return row;
        });
    }

    private boolean syncing;

    private ContextMenu contextMenu() {
        ContextMenu menu = new ContextMenu();
        for (ModelStage stage : ModelStage.values()) {
            MenuItem item = new MenuItem(stageAction(stage));
            item.setOnAction(event -> model.promote(stage));
            item.setUserData(stage);
            menu.getItems().add(item);
        }
        MenuItem restore = new MenuItem("Restore");
        restore.setOnAction(event -> model.restore());
        MenuItem compare = new MenuItem("Compare Selected");
        compare.setOnAction(event -> model.compare());
        // The table's menu lends its accelerators to the window: Ctrl+Shift+C compares from the keyboard
        // without counting menu items, whose number changes with the selection.
        compare.setAccelerator(new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN));
        MenuItem verify = new MenuItem("Verify Artifact");
        verify.setOnAction(event -> model.verifySelected());
        MenuItem alias = new MenuItem("Set alias...");
        alias.setId("set-alias");
        alias.setOnAction(event -> openSetAlias());
        MenuItem delete = new MenuItem("Delete Version...");
        delete.setOnAction(event -> model.deleteSelected());
        menu.getItems().addAll(new SeparatorMenuItem(), restore, compare, verify, alias, new SeparatorMenuItem(),
                delete);
        menu.setOnShowing(event -> {
            ModelVersion selected = model.selectedVersionProperty().get();
            for (MenuItem item : menu.getItems()) {
                if (item.getUserData() instanceof ModelStage stage) {
                    showOption(item, model.moveOption(stage));
                }
            }
            restore.setDisable(selected == null || selected.stage() != ModelStage.ARCHIVED);
            compare.setDisable(!model.canCompareProperty().get());
            verify.setDisable(selected == null);
            alias.setDisable(selected == null);
            delete.setDisable(selected == null);
        });
        return menu;
    }

    void openRegisterDialog() {
        if (!model.availableProperty().get()) {
            return;
        }
        RegisterModelViewModel registration = model.newRegistration();
        new RegisterModelDialog(getScene().getWindow(), registration)
                .showAndWait()
                .ifPresent(model::registered);
    }

    void openSetAlias() {
        openSetAlias(this, model);
    }

    /** Set alias... on the selected version: the dialog, then the change on the background executor. */
    static void openSetAlias(javafx.scene.Node owner, RegistryViewModel model) {
        openSetAlias(owner, model, model.selectedVersionProperty().get(), null);
    }

    /** Set alias... on {@code version}, offering {@code alias} (a dropped chip; null for none). */
    static void openSetAlias(javafx.scene.Node owner, RegistryViewModel model, ModelVersion version, String alias) {
        if (version == null || owner.getScene() == null) {
            return;
        }
        new SetAliasDialog(owner.getScene().getWindow(), model.aliases(), version, alias).showAndWait()
                .ifPresent(choice -> model.aliases().set(version, choice.alias(), choice.reason()));
    }

    void openRequests() {
        RequestsViewModel requests = model.newRequests();
        if (requests != null) {
            new RequestsView(requests).show(getScene().getWindow());
        }
    }

    /** A move's menu item as the policy allows it: disabled when blocked, saying why in a word. */
    static void showOption(MenuItem item, MoveOption option) {
        item.setDisable(!option.enabled());
        String action = stageAction(option.stage());
        item.setText(switch (option.kind()) {
            case REQUEST -> action + " (request approval)...";
            case REQUESTED -> action + " (requested)";
            case BLOCKED -> action + " (blocked by policy)";
            default -> action;
        });
    }

    static String stageAction(ModelStage stage) {
        return switch (stage) {
            case DEVELOPMENT -> "Move to Development";
            case STAGING -> "Promote to Staging";
            case PRODUCTION -> "Promote to Production";
            case ARCHIVED -> "Archive";
        };
    }

    private static ComboBox<String> filterBox(String anyText, javafx.collections.ObservableList<String> values) {
        ComboBox<String> box = new ComboBox<>();
        ComboBoxes.anyOf(box, anyText, value -> value, values);
        box.setMaxWidth(Double.MAX_VALUE);
        return box;
    }

    /** A model in the list: its name, its production version and how many versions it has. */
    private static final class ModelCell extends ListCell<ModelSummary> {
        private final Label name = new Label();
        private final Label detail = new Label();
        private final Badge production = new Badge(null);
        private final VBox box;

        ModelCell() {
            // A zero preferred width makes the cell follow the list's width instead of widening it.
            setPrefWidth(0);
            name.getStyleClass().add("text-bold");
            name.setMinWidth(0);
            detail.getStyleClass().addAll("text-muted", "text-small");
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            box = new VBox(2, new HBox(6, name, spacer, production), detail);
        }

        @Override
        protected void updateItem(ModelSummary item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            name.setText(item.name());
            production.setValue(item.production().isPresent() ? "production" : null);
            production.setText(item.production().orElse(""));
            detail.setText(item.versionCount() + (item.versionCount() == 1 ? " version" : " versions")
                    + (item.frameworks().isEmpty() ? "" : " \u00b7 " + String.join(", ", item.frameworks())));
            setGraphic(box);
        }
    }
}
