package neural.mlops.app;

import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.FxDialogService;
import neural.mlops.app.common.FxTaskExecutor;
import neural.mlops.app.common.Theme;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.store.BuildInfo;

/**
 * The main window of SPEC 5: menu bar, the four tabs, and the status bar. It wires the view
 * models to their views and remembers the window's geometry and theme.
 */
public final class MainWindow {

    static final String[] TAB_TITLES = {"Registry", "Deployments", "Audit", "CI Templates"};

    private final Stage stage;
    private final AppPreferences preferences;
    private final FxDialogService dialogs;
    private final FxTaskExecutor executor = new FxTaskExecutor();
    private final ThemeManager themes = new ThemeManager();
    private final MainViewModel model;
    private final TabPane tabs = new TabPane();

    public MainWindow(Stage stage, AppPreferences preferences) {
        this.stage = stage;
        this.preferences = preferences;
        this.dialogs = new FxDialogService(stage);
        this.model = new MainViewModel(dialogs, preferences);
    }

    /** Builds and shows the window, opening {@code workspace} or else the last one. */
    public void show(Path workspace) {
        BorderPane root = new BorderPane();
        root.setTop(menuBar());
        root.setCenter(tabs());
        root.setBottom(statusBar());

        Scene scene = new Scene(root, 1200, 780);
        themes.themeProperty().set(preferences.theme());
        themes.manage(scene);
        themes.themeProperty().addListener((observable, old, current) -> preferences.setTheme(current));
        installTabShortcuts(scene);

        stage.setScene(scene);
        stage.titleProperty().bind(model.titleProperty());
        restoreGeometry();
        stage.show();

        if (workspace != null) {
            model.open(workspace);
        } else {
            preferences.lastWorkspace().filter(java.nio.file.Files::isDirectory).ifPresent(model::open);
        }
    }

    public void close() {
        if (stage.isShowing() || stage.getScene() != null) {
            preferences.setWindow(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized());
        }
        executor.shutdown();
    }

    private MenuBar menuBar() {
        MenuItem open = new MenuItem("Open Workspace...");
        open.setAccelerator(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN));
        open.setOnAction(event -> model.openWorkspace());

        Menu recent = new Menu("Recent Workspaces");
        Runnable fillRecent = () -> {
            recent.getItems().clear();
            for (Path path : model.recentWorkspaces()) {
                MenuItem item = new MenuItem(path.toString());
                item.setMnemonicParsing(false);
                item.setOnAction(event -> model.open(path));
                recent.getItems().add(item);
            }
            recent.setDisable(recent.getItems().isEmpty());
        };
        fillRecent.run();
        model.recentWorkspaces().addListener((javafx.collections.ListChangeListener<Path>) change -> fillRecent.run());

        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN));
        quit.setOnAction(event -> stage.close());
        Menu file = new Menu("_File", null, open, recent, new SeparatorMenuItem(), quit);

        ToggleGroup themeGroup = new ToggleGroup();
        RadioMenuItem light = new RadioMenuItem("Light Theme");
        RadioMenuItem dark = new RadioMenuItem("Dark Theme");
        light.setToggleGroup(themeGroup);
        dark.setToggleGroup(themeGroup);
        (preferences.theme() == Theme.DARK ? dark : light).setSelected(true);
        light.setOnAction(event -> themes.themeProperty().set(Theme.LIGHT));
        dark.setOnAction(event -> themes.themeProperty().set(Theme.DARK));
        Menu view = new Menu("_View", null, light, dark);

        MenuItem about = new MenuItem("About Neural MLOps");
        about.setOnAction(event -> dialogs.showInformation("About Neural MLOps",
                "Neural MLOps Desktop " + BuildInfo.version() + "\n\n"
                        + "Model registry, deployment tracker, tamper-evident audit trail and CI/CD templates "
                        + "for models kept on disk."));
        Menu help = new Menu("_Help", null, about);

        MenuBar bar = new MenuBar(file, view, help);
        bar.setUseSystemMenuBar(true);
        return bar;
    }

    private TabPane tabs() {
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        for (String title : TAB_TITLES) {
            Tab tab = new Tab(title);
            tab.setId("tab-" + title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
            tab.contentProperty().bind(Bindings.createObjectBinding(() -> model.workspaceProperty().get() == null
                    ? new EmptyState("No workspace open",
                            "Open a folder holding models/, deployments/ and audit_logs/, or an empty folder to start one.",
                            "Open Workspace...", model::openWorkspace)
                    : new Label(title + ": " + model.workspaceProperty().get()), model.workspaceProperty()));
            tabs.getTabs().add(tab);
        }
        return tabs;
    }

    private HBox statusBar() {
        Label workspace = new Label();
        workspace.textProperty().bind(Bindings.createStringBinding(() -> model.workspaceProperty().get() == null
                ? "No workspace open" : model.workspaceProperty().get().toString(), model.workspaceProperty()));
        Label message = new Label();
        message.textProperty().bind(executor.messageProperty());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(16, 16);
        busy.visibleProperty().bind(executor.runningProperty().greaterThan(0));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(10, workspace, spacer, message, busy);
        bar.setId("status-bar");
        bar.getStyleClass().add("status-bar");
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 10, 4, 10));
        return bar;
    }

    /** Ctrl+1 to Ctrl+4 switch to the four tabs (SPEC 5). */
    private void installTabShortcuts(Scene scene) {
        KeyCode[] digits = {KeyCode.DIGIT1, KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT4};
        for (int i = 0; i < digits.length; i++) {
            int index = i;
            scene.getAccelerators().put(new KeyCodeCombination(digits[i], KeyCombination.SHORTCUT_DOWN),
                    () -> tabs.getSelectionModel().select(index));
        }
    }

    private void restoreGeometry() {
        preferences.windowBounds().ifPresent(bounds -> {
            if (bounds[2] >= 400 && bounds[3] >= 300) {
                stage.setX(bounds[0]);
                stage.setY(bounds[1]);
                stage.setWidth(bounds[2]);
                stage.setHeight(bounds[3]);
            }
        });
        stage.setMaximized(preferences.windowMaximized());
    }

    MainViewModel model() {
        return model;
    }
}
