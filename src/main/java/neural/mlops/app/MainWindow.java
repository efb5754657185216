package neural.mlops.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.Browser;
import neural.mlops.app.common.FxDialogService;
import neural.mlops.app.common.FxTaskExecutor;
import neural.mlops.app.common.Keyboard;
import neural.mlops.app.common.Theme;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.app.common.UncaughtErrors;
import neural.mlops.app.common.WorkspaceWatcher;
import neural.mlops.app.audit.AuditView;
import neural.mlops.app.audit.AuditViewModel;
import neural.mlops.app.audit.VerifiedHeads;
import neural.mlops.app.ci.CiTemplatesView;
import neural.mlops.app.ci.CiTemplatesViewModel;
import neural.mlops.app.deployments.DeploymentsView;
import neural.mlops.app.deployments.DeploymentsViewModel;
import neural.mlops.app.registry.RegistryView;
import neural.mlops.app.registry.RegistryViewModel;
import neural.mlops.workspace.Workspace;
import neural.mlops.workspace.WorkspaceLocation;

/**
 * The main window of SPEC 5: menu bar, the four tabs, and the status bar. It builds the view
 * models, mounts their views, hands them the workspace when one opens, and remembers the
 * window's geometry and theme.
 */
public final class MainWindow {

    static final String[] TAB_TITLES = {"Registry", "Deployments", "Audit", "CI Templates"};
    private static final int AUDIT_TAB = 2;

    private final Stage stage;
    private final AppPreferences preferences;
    private final FxDialogService dialogs;
    private final UncaughtErrors uncaughtErrors;
    private final FxTaskExecutor executor;
    private final ThemeManager themes = new ThemeManager();
    private final MainViewModel model;
    private final RegistryViewModel registry;
    private final DeploymentsViewModel deployments;
    private final AuditViewModel audit;
    private final CiTemplatesViewModel ci;
    private AuditView auditView;
    private final WorkspaceWatcher watcher;
    private final TabPane tabs = new TabPane();
    /** Each tab's view, built when the tab is first shown (the Registry tab at once). */
    private final List<Supplier<Node>> views = new ArrayList<>();
    /** Each tab's view model's activation, run when the tab is first shown. */
    private final List<Runnable> activations = new ArrayList<>();

    public MainWindow(Stage stage, AppPreferences preferences) {
        this(stage, preferences, null);
    }

    /** {@code commandLineUser}: the {@code --user} the application was started with, or null. */
    public MainWindow(Stage stage, AppPreferences preferences, String commandLineUser) {
        this(stage, preferences, commandLineUser, Browser.NONE);
    }

    /** {@code browser}: where lineage links open (the application's HostServices). */
    public MainWindow(Stage stage, AppPreferences preferences, String commandLineUser, Browser browser) {
        this.stage = stage;
        this.preferences = preferences;
        this.dialogs = new FxDialogService(stage);
        this.uncaughtErrors = new UncaughtErrors(dialogs);
        this.executor = new FxTaskExecutor(uncaughtErrors);
        this.model = new MainViewModel(dialogs, executor, preferences, commandLineUser);
        this.registry = new RegistryViewModel(executor, dialogs, browser);
        this.deployments = new DeploymentsViewModel(executor, dialogs);
        this.audit = new AuditViewModel(executor, dialogs);
        audit.verifyOnOpen(new VerifiedHeads() {
            @Override
            public java.util.Optional<neural.mlops.audit.ChainHead> get(String workspace) {
                return preferences.verifiedHead(workspace);
            }

            @Override
            public void put(String workspace, neural.mlops.audit.ChainHead head) {
                preferences.setVerifiedHead(workspace, head);
            }
        }, registry.loadingProperty());
        this.ci = new CiTemplatesViewModel(executor, dialogs);
        this.watcher = new WorkspaceWatcher(model::refresh);
        // Until their tabs are shown, these two only take the workspace: a million events or ten
        // thousand deployments are not read at startup for tabs nobody has opened.
        deployments.setActive(false);
        audit.setActive(false);
        // A restart shows the model (and tab, in show) the user left.
        model.onWorkspaceChanged(workspace -> registry.selectWhenLoaded(workspace == null ? null
                : preferences.selectedModel(workspace.location().toString()).orElse(null)));
        model.onWorkspaceChanged(registry::showWorkspace);
        registry.selectedModelProperty().addListener((observable, old, selected) -> {
            if (selected != null && workspace() != null) {
                preferences.setSelectedModel(workspace().location().toString(), selected.name());
            }
        });
        model.onWorkspaceChanged(deployments::showWorkspace);
        model.onWorkspaceChanged(audit::showWorkspace);
        model.onWorkspaceChanged(watcher::watch);
        model.onRefresh(registry::refresh);
        model.onRefresh(deployments::refresh);
        model.onRefresh(audit::refresh);
    }

    /**
     * Builds and shows the window, then opens {@code workspace}, else the last one, else offers
     * the demo workspace (first run).
     */
    public void show(WorkspaceLocation workspace, boolean offerDemoOnFirstRun) {
        BorderPane root = new BorderPane();
        root.setTop(menuBar());
        root.setCenter(tabs());
        root.setBottom(statusBar());

        Scene scene = new Scene(root, 1280, 800);
        themes.themeProperty().set(preferences.theme());
        themes.manage(scene);
        themes.themeProperty().addListener((observable, old, current) -> preferences.setTheme(current));
        installTabShortcuts(scene);
        Keyboard.contextMenuKeyOpensMenus(scene);
        Keyboard.escapeClosesSecondaryWindows(stage);

        stage.setScene(scene);
        stage.titleProperty().bind(model.titleProperty());
        var icon = MainWindow.class.getResource("/neural/mlops/app/icons/neural-mlops-256.png");
        if (icon != null) {
            stage.getIcons().add(new Image(icon.toExternalForm()));
        }
        restoreGeometry();
        StartupProbe.watch(stage, registry.loadingProperty(), registry.filteringProperty(), registry.summaryProperty());
        LoadingHeap.widenUntilLoaded(registry.loadingProperty());
        stage.show();

        if (workspace != null) {
            model.open(workspace);
        } else if (preferences.lastWorkspace().filter(MainWindow::stillThere).isPresent()) {
            model.open(preferences.lastWorkspace().get());
        } else if (offerDemoOnFirstRun) {
            javafx.application.Platform.runLater(model::offerDemo);
        }
    }

    public void close() {
        if (stage.getScene() != null) {
            preferences.setWindow(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized());
        }
        watcher.close();
        executor.shutdown();
    }

    /** What shows an error nothing else caught; the application installs it for every thread. */
    public UncaughtErrors uncaughtErrors() {
        return uncaughtErrors;
    }

    MainViewModel model() {
        return model;
    }

    /** What the View menu's theme items do. */
    void setTheme(Theme theme) {
        themes.themeProperty().set(theme);
    }

    private MenuBar menuBar() {
        MenuItem open = item("_Open Workspace...", new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN),
                model::openWorkspace);
        Menu recent = new Menu("Recent _Workspaces");
        Runnable fillRecent = () -> {
            recent.getItems().clear();
            for (WorkspaceLocation location : model.recentWorkspaces()) {
                MenuItem entry = new MenuItem(MainViewModel.recentLabel(location));
                entry.setMnemonicParsing(false);
                entry.setOnAction(event -> model.open(location));
                recent.getItems().add(entry);
            }
            recent.setDisable(recent.getItems().isEmpty());
            if (!recent.getItems().isEmpty()) {
                MenuItem clear = item("_Clear List", null, model::clearRecentWorkspaces);
                clear.setId("menu-clear-recent");
                recent.getItems().addAll(new SeparatorMenuItem(), clear);
            }
        };
        fillRecent.run();
        model.recentWorkspaces().addListener((ListChangeListener<WorkspaceLocation>) change -> fillRecent.run());
        MenuItem remote = item("Open _Remote Workspace...", new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN), model::openRemoteWorkspace);
        remote.setId("menu-open-remote");
        MenuItem demo = item("New _Demo Workspace...", null, model::newDemoWorkspace);
        MenuItem export = item("_Export Audit Trail...", new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN), () -> {
                    build(AUDIT_TAB); // the dialog belongs to the Audit tab, which may not have been shown yet
                    auditView.openExportDialog();
                });
        export.setId("menu-export-audit");
        export.disableProperty().bind(model.workspaceProperty().isNull());
        MenuItem preferencesItem = item("_Preferences...", new KeyCodeCombination(KeyCode.COMMA, KeyCombination.SHORTCUT_DOWN),
                this::openPreferences);
        MenuItem quit = item("_Quit", new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN), stage::close);
        Menu file = new Menu("_File", null, open, remote, recent, demo, export, new SeparatorMenuItem(), preferencesItem,
                new SeparatorMenuItem(), quit);

        MenuItem refresh = item("_Refresh", new KeyCodeCombination(KeyCode.F5), model::refresh);
        refresh.disableProperty().bind(model.workspaceProperty().isNull());
        ToggleGroup themeGroup = new ToggleGroup();
        RadioMenuItem light = new RadioMenuItem("_Light Theme");
        RadioMenuItem dark = new RadioMenuItem("_Dark Theme");
        light.setToggleGroup(themeGroup);
        dark.setToggleGroup(themeGroup);
        (preferences.theme() == Theme.DARK ? dark : light).setSelected(true);
        light.setOnAction(event -> themes.themeProperty().set(Theme.LIGHT));
        dark.setOnAction(event -> themes.themeProperty().set(Theme.DARK));
        themes.themeProperty().addListener((observable, old, current) -> (current == Theme.DARK ? dark : light).setSelected(true));
        Menu view = new Menu("_View", null, refresh, new SeparatorMenuItem(), light, dark);

        MenuItem documentation = item("_Documentation", new KeyCodeCombination(KeyCode.F1), this::showDocumentation);
        MenuItem about = item("_About Neural MLOps", null,
                () -> HelpWindows.showAbout(stage, model.configurationFolder()));
        about.setId("menu-about");
        Menu help = new Menu("_Help", null, documentation, about);

        MenuBar bar = new MenuBar(file, view, help);
        bar.setUseSystemMenuBar(true);
        return bar;
    }

    private static MenuItem item(String text, KeyCombination accelerator, Runnable action) {
        MenuItem item = new MenuItem(text);
        if (accelerator != null) {
            item.setAccelerator(accelerator);
        }
        item.setOnAction(event -> action.run());
        return item;
    }

    /**
     * The four tabs. Only the Registry tab's view is built with the window; each other tab's view
     * is built, and its view model made active, when the tab is first shown: building all four
     * cost the first window about a second.
     */
    private TabPane tabs() {
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getTabs().add(tab(TAB_TITLES[0], () -> new RegistryView(registry), () -> { }));
        tabs.getTabs().add(tab(TAB_TITLES[1], () -> new DeploymentsView(deployments), () -> deployments.setActive(true)));
        tabs.getTabs().add(tab(TAB_TITLES[2], () -> auditView = new AuditView(audit), () -> audit.setActive(true)));
        tabs.getTabs().add(tab(TAB_TITLES[3], () -> new CiTemplatesView(ci), () -> { }));
        tabs.getSelectionModel().selectedIndexProperty().addListener((observable, old, index) -> build(index.intValue()));
        int remembered = preferences.selectedTab();
        tabs.getSelectionModel().select(remembered < tabs.getTabs().size() ? remembered : 0);
        build(tabs.getSelectionModel().getSelectedIndex());
        tabs.getSelectionModel().selectedIndexProperty().addListener((observable, old, index) -> {
            if (index.intValue() >= 0) {
                preferences.setSelectedTab(index.intValue());
            }
        });
        return tabs;
    }

    /** A tab whose view is built by {@code view} when first shown; until a workspace opens it shows the empty state. */
    private Tab tab(String title, Supplier<Node> view, Runnable activate) {
        Tab tab = new Tab(title);
        tab.setId("tab-" + title.toLowerCase(Locale.ROOT).replace(' ', '-'));
        views.add(view);
        activations.add(activate);
        return tab;
    }

    /** Builds tab {@code index}'s view and activates its view model, the first time only. */
    private void build(int index) {
        if (index < 0 || tabs.getTabs().get(index).getContent() != null) {
            return;
        }
        Node content = views.get(index).get();
        EmptyState empty = new EmptyState("No workspace open",
                "Open a folder holding models/, deployments/ and audit_logs/, an empty folder to start one, "
                        + "or create the demo workspace from the File menu.",
                "Open Workspace...", model::openWorkspace);
        content.visibleProperty().bind(model.workspaceProperty().isNotNull());
        empty.visibleProperty().bind(model.workspaceProperty().isNull());
        tabs.getTabs().get(index).setContent(new StackPane(content, empty));
        activations.get(index).run();
    }

    private HBox statusBar() {
        Label workspace = new Label();
        workspace.setId("status-workspace");
        workspace.textProperty().bind(model.statusProperty());
        // How the acting user signs: "signed as alice (...)", or a warning when the key will not be accepted.
        Label signing = new Label();
        signing.setId("status-signing");
        model.signingProperty().addListener((observable, old, status) -> {
            signing.setText(status.text());
            signing.getStyleClass().remove("severity-warning");
            if (status.warning()) {
                signing.getStyleClass().add("severity-warning");
            }
        });
        signing.setTooltip(new Tooltip("The SSH key that signs your promotions, requests, approvals and rejections: "
                + "Preferences' signing key, else $NEURAL_MLOPS_SIGNING_KEY; checked against workspace.yaml's identities"));
        signing.managedProperty().bind(signing.textProperty().isNotEmpty());
        Label counts = new Label();
        counts.setId("status-counts");
        counts.textProperty().bind(registry.summaryProperty());
        // The last check, coloured by its result; a click checks again and lists the problems.
        Hyperlink integrity = new Hyperlink();
        integrity.setId("status-integrity");
        integrity.textProperty().bind(audit.integrityStatusProperty());
        integrity.setTooltip(new Tooltip("Verify the audit trail now and list any problem"));
        integrity.disableProperty().bind(model.workspaceProperty().isNull());
        audit.intactProperty().addListener((observable, old, intact) -> {
            integrity.getStyleClass().removeAll("intact", "not-intact");
            if (intact != null) {
                integrity.getStyleClass().add(intact ? "intact" : "not-intact");
            }
        });
        integrity.setOnAction(event -> {
            tabs.getSelectionModel().select(AUDIT_TAB);
            audit.verifyIntegrity();
        });
        Label legacyTimes = new Label();
        legacyTimes.setId("status-legacy-times");
        legacyTimes.textProperty().bind(model.legacyTimesProperty());
        legacyTimes.setTooltip(new Tooltip("The zone the original Python module's times without a zone are read in: "
                + "workspace.yaml's legacy_timezone, else the system zone"));
        Label message = new Label();
        message.textProperty().bind(executor.messageProperty());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(16, 16);
        busy.visibleProperty().bind(executor.runningProperty().greaterThan(0));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(14, workspace, signing, counts, integrity, legacyTimes, spacer, message, busy);
        bar.setId("status-bar");
        bar.getStyleClass().add("status-bar");
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 10, 4, 10));
        return bar;
    }

    private void openPreferences() {
        PreferencesViewModel preferencesModel = new PreferencesViewModel(preferences, executor,
                workspace() == null ? null : workspace().governance(), model.actingUser(), dialogs, model.environment());
        java.util.Optional<java.nio.file.Path> keyBefore = preferences.signingKey();
        new PreferencesDialog(stage, preferencesModel).showAndWait()
                .filter(button -> button.getButtonData() == javafx.scene.control.ButtonBar.ButtonData.OK_DONE)
                .flatMap(button -> preferencesModel.requestedUser())
                .ifPresent(model::changeActingUser);
        if (!preferences.signingKey().equals(keyBefore)) {
            model.reopen(); // the workspace signs with the signer it was opened with
        }
        themes.themeProperty().set(preferences.theme());
    }

    /** F1: the user guide bundled with the application, rendered in a window of its own. */
    private void showDocumentation() {
        HelpWindows.showUserGuide(stage);
    }

    /**
     * Ctrl+1 to Ctrl+4 switch to the four tabs (SPEC 5); Ctrl+F goes to the current tab's search
     * field and Ctrl+N presses its "New..." button (Register Model, New Deployment), so the same
     * keys mean the same thing in every tab.
     */
    private void installTabShortcuts(Scene scene) {
        KeyCode[] digits = {KeyCode.DIGIT1, KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT4};
        for (int i = 0; i < digits.length; i++) {
            int index = i;
            scene.getAccelerators().put(new KeyCodeCombination(digits[i], KeyCombination.SHORTCUT_DOWN),
                    () -> tabs.getSelectionModel().select(index));
        }
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN),
                () -> inCurrentTab(Keyboard.SEARCH).ifPresent(search -> {
                    search.requestFocus();
                    if (search instanceof TextInputControl text) {
                        text.selectAll();
                    }
                }));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN),
                () -> inCurrentTab(Keyboard.CREATE).ifPresent(create -> {
                    if (create instanceof ButtonBase button && !button.isDisabled()) {
                        button.fire();
                    }
                }));
    }

    /** The node with {@code styleClass} in the selected tab, when that tab shows its view (a workspace is open). */
    private Optional<Node> inCurrentTab(String styleClass) {
        Tab current = tabs.getSelectionModel().getSelectedItem();
        if (current == null || current.getContent() == null || workspace() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(current.getContent().lookup("." + styleClass)).filter(Node::isVisible);
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

    /** The workspace open now, or null. */
    Workspace workspace() {
        return model.workspaceProperty().get();
    }

    /** A remembered folder that was removed since is not reopened; a bucket is tried (the network decides). */
    private static boolean stillThere(WorkspaceLocation location) {
        return !(location instanceof WorkspaceLocation.Folder folder) || Files.isDirectory(folder.path());
    }
}
