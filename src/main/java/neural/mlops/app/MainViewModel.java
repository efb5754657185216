package neural.mlops.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import neural.mlops.app.common.ActingSigner;
import neural.mlops.app.common.ActingUser;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.Confirmation;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.SigningStatus;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import neural.mlops.demo.DemoWorkspace;
import neural.mlops.store.UserConfig;
import neural.mlops.store.Users;
import neural.mlops.workspace.Workspace;
import neural.mlops.workspace.WorkspaceLocation;

/**
 * The main window's state: the open workspace, the window title, the recent workspaces and the
 * status line; and the commands that open a workspace, create the demo, and refresh every tab.
 * Tabs register to be told when the workspace changes ({@link #onWorkspaceChanged}) and when to
 * reload ({@link #onRefresh}).
 */
public final class MainViewModel {

    static final String APP_NAME = "Neural MLOps";
    static final String DEMO_FOLDER = "neural-mlops-demo";

    // Properties
    private final ReadOnlyObjectWrapper<Workspace> workspace = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(APP_NAME);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("No workspace open");
    private final ReadOnlyStringWrapper legacyTimes = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<SigningStatus> signing = new ReadOnlyObjectWrapper<>(SigningStatus.NONE);
    private final ObservableList<WorkspaceLocation> recentWorkspaces = FXCollections.observableArrayList();

    private final DialogService dialogs;
    private final TaskExecutor executor;
    private final AppPreferences preferences;
    private final String commandLineUser;
    private final Map<String, String> environment;
    private final List<Consumer<Workspace>> workspaceListeners = new ArrayList<>();
    private final List<Runnable> refreshListeners = new ArrayList<>();

    public MainViewModel(DialogService dialogs, TaskExecutor executor, AppPreferences preferences) {
        this(dialogs, executor, preferences, null);
    }

    /** {@code commandLineUser}: the {@code --user} the application was started with, or null. */
    public MainViewModel(DialogService dialogs, TaskExecutor executor, AppPreferences preferences, String commandLineUser) {
        this(dialogs, executor, preferences, commandLineUser, System.getenv());
    }

    /** {@code environment}: the process's variables, where {@code NEURAL_MLOPS_SIGNING_KEY} is looked up. */
    public MainViewModel(DialogService dialogs, TaskExecutor executor, AppPreferences preferences, String commandLineUser,
                         Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        this.dialogs = dialogs;
        this.executor = executor;
        this.preferences = preferences;
        this.commandLineUser = commandLineUser;
        title.bind(Bindings.createStringBinding(
                () -> workspace.get() == null ? APP_NAME : APP_NAME + " - " + workspace.get().name(), workspace));
        status.bind(Bindings.createStringBinding(() -> workspace.get() == null ? "No workspace open"
                : workspace.get().location() + "  \u00b7  acting as " + actingUser().describe(), workspace));
        // Which zone the original module's naive times are read in, and where that zone comes from (SPEC 10).
        legacyTimes.bind(Bindings.createStringBinding(() -> workspace.get() == null ? ""
                : workspace.get().settings().legacyTimesText(), workspace));
        recentWorkspaces.setAll(preferences.recentWorkspaces());
    }

    public ReadOnlyObjectProperty<Workspace> workspaceProperty() {
        return workspace.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** "Legacy times read in Europe/Berlin (from workspace.yaml)" or "... (system zone)"; empty with no workspace. */
    public ReadOnlyStringProperty legacyTimesProperty() {
        return legacyTimes.getReadOnlyProperty();
    }

    /**
     * How the acting user signs in the open workspace: "signed as alice (ed25519 SHA256:...)", "key
     * not listed for alice" (a warning) or "unsigned"; {@link SigningStatus#NONE} with no workspace.
     */
    public ReadOnlyObjectProperty<SigningStatus> signingProperty() {
        return signing.getReadOnlyProperty();
    }

    public ObservableList<WorkspaceLocation> recentWorkspaces() {
        return recentWorkspaces;
    }

    /** {@code listener} is told of every workspace opened (null when closed). */
    public void onWorkspaceChanged(Consumer<Workspace> listener) {
        workspaceListeners.add(listener);
    }

    /** {@code listener} runs on every refresh: View > Refresh, or a change seen by live refresh. */
    public void onRefresh(Runnable listener) {
        refreshListeners.add(listener);
    }

    // Commands

    /** Asks for a folder and opens it as the workspace. */
    public void openWorkspace() {
        Path start = workspace.get() != null && workspace.get().location() instanceof WorkspaceLocation.Folder folder
                && folder.path().getParent() != null ? folder.path().getParent() : Path.of(System.getProperty("user.home"));
        dialogs.chooseDirectory("Open Workspace", start).ifPresent(this::open);
    }

    /**
     * File > Open Remote Workspace...: asks for the bucket, prefix, endpoint and profile (the current
     * remote workspace's as the starting values) and opens it in the background.
     */
    public void openRemoteWorkspace() {
        Optional<WorkspaceLocation.Bucket> current = workspace.get() != null
                && workspace.get().location() instanceof WorkspaceLocation.Bucket bucket ? Optional.of(bucket) : Optional.empty();
        dialogs.askRemoteWorkspace(current).ifPresent(this::open);
    }

    /** Opens {@code folder} as the workspace for the user of the preferences. */
    public void open(Path folder) {
        open(new WorkspaceLocation.Folder(folder));
    }

    /**
     * Opens {@code location} for the user of the preferences: a bucket as it is (an empty prefix is an
     * empty workspace), a folder after checking it is one (offering to create a workspace in it).
     */
    public void open(WorkspaceLocation location) {
        if (location instanceof WorkspaceLocation.Bucket bucket) {
            String user = actingUser().name();
            ActingSigner signer = actingSigner();
            BackgroundTask.wrap("Opening " + bucket, () -> Workspace.open(bucket, user, signer.signer()))
                    .onSuccess(opened -> show(opened, signer))
                    .onFailure(error -> dialogs.showError("Cannot open workspace", error))
                    .executeWith(executor);
            return;
        }
        Path absolute = ((WorkspaceLocation.Folder) location).path();
        if (!Files.isDirectory(absolute)) {
            dialogs.showError("Cannot open workspace", absolute + " is not a folder.");
            return;
        }
        boolean create = !Workspace.looksLikeWorkspace(absolute);
        if (create && !dialogs.confirm("Create a workspace in " + absolute.getFileName() + "?",
                absolute + " is not a workspace",
                "It holds none of a workspace's stores (models/, deployments/, audit_logs/ or workspace.yaml), so "
                        + "there is nothing to show. Create an empty workspace there? Its model registry, deployment "
                        + "record and audit trail start empty.")) {
            return;
        }
        String user = actingUser().name();
        ActingSigner signer = actingSigner();
        BackgroundTask.wrap((create ? "Creating a workspace in " : "Opening ") + absolute,
                        () -> create ? Workspace.initialise(location, user, signer.signer())
                                : Workspace.open(location, user, signer.signer()))
                .onSuccess(opened -> show(opened, signer))
                .onFailure(error -> dialogs.showError("Cannot open workspace", error))
                .executeWith(executor);
    }

    /** Who actions are recorded as, and where that name came from. */
    public ActingUser actingUser() {
        return ActingUser.resolve(commandLineUser, preferences);
    }

    /**
     * Who signs the acting user's governed actions: the key chosen in Preferences, else
     * {@code NEURAL_MLOPS_SIGNING_KEY}, else no one. Read again at every opening, so a key chosen
     * in Preferences signs from the reopening on.
     */
    public ActingSigner actingSigner() {
        return ActingSigner.resolve(preferences.signingKey(), environment);
    }

    /** The process's variables this window was given (where the signing key variable is looked up). */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * Makes {@code name} the acting user, as an explicit act: a confirmation that asks for a
     * reason, then a {@code config_changed} event in the open workspace's audit trail (recorded
     * as the user acting until now), and only once that is written, the new name is saved and
     * the workspace reopened as it. A name given with {@code --user} is not changed for the session.
     */
    public void changeActingUser(String name) {
        ActingUser before = actingUser();
        String next = name == null ? "" : name.strip();
        if (next.equals(before.name())) {
            return;
        }
        if (before.source() == ActingUser.Source.COMMAND_LINE) {
            dialogs.showError("Cannot change the acting user", "This session acts as " + before.name()
                    + ", given with --user on the command line. Start the application without --user to choose it here.");
            return;
        }
        String problem = Users.problem(next);
        if (problem != null) {
            dialogs.showError("Cannot change the acting user", "Invalid user name: " + problem + ".");
            return;
        }
        Workspace open = workspace.get();
        String message = "Every action you take from now on is recorded as " + next + " instead of " + before.describe()
                + ".\n" + (open == null ? "No workspace is open, so no audit trail records this change."
                : "The change is recorded in the audit trail of " + open.name() + " as a config_changed event by "
                        + before.name() + ", then the workspace is reopened as " + next + ".");
        Optional<String> reason = dialogs.confirmWithReason(Confirmation.of("Change the acting user",
                "Act as " + next + " from now on?", message, "Act as " + next));
        if (reason.isEmpty()) {
            return;
        }
        Runnable save = () -> {
            preferences.setUser(next.equals(UserConfig.osUser()) ? "" : next);
            reopen();
        };
        if (open == null) {
            save.run();
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(AuditRecords.SETTING, "acting_user");
        details.put(AuditRecords.VALUE, next);
        details.put("previous", before.name());
        details.put("previous_source", before.source().label());
        AuditRecord record = new AuditRecord(EventType.CONFIG_CHANGED, EventSeverity.INFO, before.name(),
                AuditRecords.WORKSPACE, open.name(), "change_acting_user", Outcome.SUCCESS,
                reason.get().isBlank() ? null : reason.get().strip(), details, null);
        BackgroundTask.wrap("Recording the change of acting user", () -> open.audit().logEvent(record))
                .onSuccess(event -> save.run())
                .onFailure(error -> dialogs.showError("The acting user was not changed: the change could not be recorded",
                        error))
                .executeWith(executor);
    }

    /** Re-opens the current workspace, for example after the acting user changed in Preferences. */
    public void reopen() {
        if (workspace.get() != null) {
            open(workspace.get().location());
        }
    }

    /** File > New Demo Workspace: asks where, then builds the demo there in the background and opens it. */
    public void newDemoWorkspace() {
        Path start = Path.of(System.getProperty("user.home"));
        dialogs.chooseDirectory("Choose where to create the demo workspace", start)
                .ifPresent(parent -> createDemo(freeFolder(parent.resolve(DEMO_FOLDER))));
    }

    /**
     * First start with no workspace: offers the demo workspace so a new user sees a living
     * application at once. Returns true when the offer was accepted.
     */
    public boolean offerDemo() {
        Path location = freeFolder(Path.of(System.getProperty("user.home")).resolve(DEMO_FOLDER));
        boolean accepted = dialogs.confirm("Welcome to Neural MLOps", "Create a demo workspace?",
                "No workspace is open yet. The demo holds seven models with versions, metrics and stage histories, "
                        + "deployments in three environments, 90 days of audit events, and a governance policy that makes "
                        + "you an approver, so you can explore every tab and the approval workflow.\n\n"
                        + "It will be created in " + location + ". You can also cancel and open your own workspace.");
        if (accepted) {
            createDemo(location);
        }
        return accepted;
    }

    /** Builds the demo in {@code folder} and opens it. */
    public void createDemo(Path folder) {
        BackgroundTask.withProgress("Creating the demo workspace", progress ->
                        DemoWorkspace.create(folder, message -> progress.report(-1, -1, message)))
                .onSuccess(this::open)
                .onFailure(error -> dialogs.showError("Cannot create the demo workspace", error))
                .executeWith(executor);
    }

    /** Forgets the recent workspaces. */
    public void clearRecentWorkspaces() {
        preferences.clearRecentWorkspaces();
        recentWorkspaces.clear();
    }

    /** How the Recent Workspaces menu names {@code location}: its folder's (or prefix's) name, then where it is. */
    static String recentLabel(WorkspaceLocation location) {
        String where = location.toString();
        String trimmed = where.endsWith("/") ? where.substring(0, where.length() - 1) : where;
        String name = location instanceof WorkspaceLocation.Folder folder && folder.path().getFileName() != null
                ? folder.path().getFileName().toString() : trimmed.substring(trimmed.lastIndexOf('/') + 1);
        return name.isEmpty() || name.equals(where) ? where : name + "  \u2014  " + where;
    }

    /** Reloads every tab from disk. */
    public void refresh() {
        refreshListeners.forEach(Runnable::run);
    }

    /** Where the acting user comes from, for About and Preferences. */
    public String configurationFolder() {
        return UserConfig.folder().toString();
    }

    /** Shows {@code opened}, whose actions {@code signer} (resolved once, when the opening began) signs. */
    private void show(Workspace opened, ActingSigner signer) {
        signing.set(SigningStatus.NONE);
        workspace.set(opened);
        showSigning(opened, signer);
        preferences.rememberWorkspace(opened.location());
        recentWorkspaces.setAll(preferences.recentWorkspaces());
        workspaceListeners.forEach(listener -> listener.accept(opened));
    }

    /** Works out {@link #signingProperty()} for {@code opened} against its identities, read in the background. */
    private void showSigning(Workspace opened, ActingSigner signer) {
        String user = opened.user();
        BackgroundTask.wrap("Checking the signing key", () -> signer.status(user,
                        opened.governance().policy().identities(), Instant.now()))
                .onSuccess(status -> {
                    if (workspace.get() == opened) {
                        signing.set(status);
                    }
                })
                .onFailure(error -> {
                    if (workspace.get() == opened) {
                        signing.set(new SigningStatus("signing not checked: workspace.yaml cannot be read", true));
                    }
                })
                .executeWith(executor);
    }

    /** {@code wanted}, or {@code wanted-2}, {@code wanted-3} ... whichever does not exist yet. */
    static Path freeFolder(Path wanted) {
        Path candidate = wanted;
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = wanted.resolveSibling(wanted.getFileName() + "-" + n);
        }
        return candidate;
    }
}
