package neural.mlops.app.deployments;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import neural.mlops.app.common.Confirmation;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.ErrorReport;
import neural.mlops.app.common.LoadGate;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.deployment.Deployment;
import neural.mlops.deployment.DeploymentManager;
import neural.mlops.deployment.DeploymentStatus;
import neural.mlops.deployment.DocumentProblem;
import neural.mlops.deployment.HealthCheck;
import neural.mlops.deployment.StatusChange;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelStage;
import neural.mlops.store.NotFoundException;
import neural.mlops.workspace.Workspace;

/**
 * The Deployments tab: deployments filtered by environment, status and text; activate,
 * deactivate and roll back with a confirmation; health probes on demand and in the background;
 * and the per-environment timeline of what was active when, built from each deployment's
 * history. All I/O runs through the {@link TaskExecutor}.
 */
public final class DeploymentsViewModel {

    // Properties: input
    private final ObjectProperty<String> environmentFilter = new SimpleObjectProperty<>();
    private final ObjectProperty<DeploymentStatus> statusFilter = new SimpleObjectProperty<>();
    private final StringProperty searchText = new SimpleStringProperty("");
    private final ObjectProperty<Deployment> selected = new SimpleObjectProperty<>();

    // Properties: output
    private final ObservableList<Deployment> deployments = FXCollections.observableArrayList();
    private final ObservableList<String> environments = FXCollections.observableArrayList();
    private final ObservableList<TimelineLane> timeline = FXCollections.observableArrayList();
    private final LoadGate gate = new LoadGate();
    private final ObservableList<DocumentProblem> problems = FXCollections.observableArrayList();
    /** The freshest probe of each deployment (by id): this session's, else the one stored in the document. */
    private final ObservableMap<String, HealthCheck> health = FXCollections.observableHashMap();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper probing = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final BooleanBinding canActivate;
    private final BooleanBinding canDeactivate;
    private final BooleanBinding canRollback;
    private final ReadOnlyObjectWrapper<Deployment> replaced = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Deployment> replacedBy = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<ModelStage> versionStage = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper stageWarning = new ReadOnlyStringWrapper("");

    private final TaskExecutor executor;
    private final DialogService dialogs;
    private final Clock clock;
    private DeploymentManager manager;
    private ModelRegistry registry;
    private List<Deployment> all = List.of();
    /** Deployments whose probe is running, so a slow endpoint is never probed twice at once. */
    private final Set<String> inFlight = new HashSet<>();

    public DeploymentsViewModel(TaskExecutor executor, DialogService dialogs) {
        this(executor, dialogs, Clock.systemUTC());
    }

    public DeploymentsViewModel(TaskExecutor executor, DialogService dialogs, Clock clock) {
        this.executor = executor;
        this.dialogs = dialogs;
        this.clock = clock;
        canActivate = Bindings.createBooleanBinding(() -> selected.get() != null && !selected.get().isActive(), selected);
        canDeactivate = Bindings.createBooleanBinding(() -> selected.get() != null
                && (selected.get().status() == DeploymentStatus.ACTIVE || selected.get().status() == DeploymentStatus.PENDING),
                selected);
        canRollback = Bindings.createBooleanBinding(() -> selected.get() != null && selected.get().isActive()
                && selected.get().replaces() != null, selected);
        environmentFilter.addListener((observable, old, current) -> applyFilters());
        statusFilter.addListener((observable, old, current) -> applyFilters());
        searchText.addListener((observable, old, current) -> applyFilters());
        selected.addListener((observable, old, current) -> describe(current));
    }

    // Inputs

    /** Null: every environment. */
    public ObjectProperty<String> environmentFilterProperty() {
        return environmentFilter;
    }

    /** Null: every status. */
    public ObjectProperty<DeploymentStatus> statusFilterProperty() {
        return statusFilter;
    }

    /** Text looked for in the model, version, endpoint and id. */
    public StringProperty searchTextProperty() {
        return searchText;
    }

    public ObjectProperty<Deployment> selectedProperty() {
        return selected;
    }

    // Outputs

    /** The deployments that meet the filters, grouped by environment, then model, newest first. */
    public ObservableList<Deployment> deployments() {
        return deployments;
    }

    /** Every environment in the store, alphabetically. */
    public ObservableList<String> environments() {
        return environments;
    }

    /** What was active when, per environment and model, for the environments the filter shows. */
    public ObservableList<TimelineLane> timeline() {
        return timeline;
    }

    public ObservableList<DocumentProblem> problems() {
        return problems;
    }

    public ObservableMap<String, HealthCheck> health() {
        return health;
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty availableProperty() {
        return available.getReadOnlyProperty();
    }

    /** True while health probes run. */
    public ReadOnlyBooleanProperty probingProperty() {
        return probing.getReadOnlyProperty();
    }

    /** "3 active of 12 deployments" */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public BooleanBinding canActivateProperty() {
        return canActivate;
    }

    public BooleanBinding canDeactivateProperty() {
        return canDeactivate;
    }

    public BooleanBinding canRollbackProperty() {
        return canRollback;
    }

    /** The deployment the selected one superseded when it was activated, when it is still stored. */
    public ReadOnlyObjectProperty<Deployment> replacedProperty() {
        return replaced.getReadOnlyProperty();
    }

    /** The deployment that last superseded the selected one, if any. */
    public ReadOnlyObjectProperty<Deployment> replacedByProperty() {
        return replacedBy.getReadOnlyProperty();
    }

    /** The registry stage of the selected deployment's model version; null until read, or when it is not registered. */
    public ReadOnlyObjectProperty<ModelStage> versionStageProperty() {
        return versionStage.getReadOnlyProperty();
    }

    /**
     * What is wrong with the selected deployment's version, or "": archived (or no longer
     * registered) while a deployment of it is still active somewhere.
     */
    public ReadOnlyStringProperty stageWarningProperty() {
        return stageWarning.getReadOnlyProperty();
    }

    /** Now, on the view model's clock: where the timeline's axis ends. */
    public Instant now() {
        return clock.instant();
    }

    /** The freshest health of {@code deployment}, if it was ever probed. */
    public Optional<HealthCheck> healthOf(Deployment deployment) {
        HealthCheck fresh = health.get(deployment.deploymentId());
        return fresh != null ? Optional.of(fresh) : deployment.lastHealth();
    }

    // Commands

    /** Inactive (its tab not shown yet), it takes the workspace but reads nothing until made active ({@link LoadGate}). */
    public void setActive(boolean isActive) {
        gate.setOpen(isActive, this::refresh);
    }

    /**
     * Shows the deployments of {@code workspace} (null: none is open) and loads them (once active).
     * The tab's view model lives as long as the window while workspaces are opened and closed, so
     * the workspace arrives through this one method rather than the constructor.
     */
    public void showWorkspace(Workspace workspace) {
        this.manager = workspace == null ? null : workspace.deployments();
        this.registry = workspace == null ? null : workspace.registry();
        available.set(manager != null);
        all = List.of();
        health.clear();
        inFlight.clear();
        selected.set(null);
        deployments.clear();
        environments.clear();
        timeline.clear();
        problems.clear();
        summary.set("");
        refresh();
    }

    /** Reloads the deployments in the background, keeping the selection where it still exists. */
    public void refresh() {
        DeploymentManager source = manager;
        if (source == null) {
            return;
        }
        if (!gate.admit()) {
            return;
        }
        loading.set(true);
        BackgroundTask.wrap("Loading deployments", () -> new Loaded(source.listDeployments(null, null, null), source.problems()))
                .onSuccess(loaded -> {
                    loading.set(false);
                    if (source == manager) {
                        show(loaded);
                    }
                })
                .onFailure(error -> {
                    loading.set(false);
                    dialogs.showError("Cannot load the deployments", error);
                })
                .executeWith(executor);
    }

    /** Activates the selected deployment after a confirmation that says what it replaces. */
    public void activate() {
        Deployment target = selected.get();
        if (target == null || !canActivate.get()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(target.modelName() + " " + target.modelVersion() + " becomes the active deployment of "
                + target.modelName() + " in " + target.environment() + " at " + target.endpoint() + ".");
        activeIn(target.modelName(), target.environment()).ifPresent(current -> lines.add(current.modelVersion()
                + " (" + current.deploymentId() + "), active now, becomes inactive; Roll Back returns to it."));
        lines.add("Recorded in the deployment's history and the audit trail as " + manager.user() + ".");
        DeploymentManager source = manager;
        dialogs.confirmWithReason(Confirmation.of("Activate " + target.modelName() + " " + target.modelVersion()
                        + " in " + target.environment(), header(target, "activate"), String.join("\n", lines), "Activate"))
                .ifPresent(reason -> run("Activating " + target.deploymentId(), "Cannot activate " + target.deploymentId(),
                        () -> source.activateDeployment(target.deploymentId(), blankToNull(reason))));
    }

    /** Deactivates the selected (active or pending) deployment after a confirmation. */
    public void deactivate() {
        Deployment target = selected.get();
        if (target == null || !canDeactivate.get()) {
            return;
        }
        String message = target.modelName() + " " + target.modelVersion() + " in " + target.environment()
                + " becomes inactive. No other deployment is activated in its place"
                + (target.isActive() ? ", so " + target.modelName() + " will have no active deployment in "
                + target.environment() + "." : ".")
                + "\nRecorded in the deployment's history and the audit trail as " + manager.user() + ".";
        DeploymentManager source = manager;
        dialogs.confirmWithReason(Confirmation.destructive("Deactivate " + target.modelName() + " "
                        + target.modelVersion() + " in " + target.environment(), header(target, "deactivate"), message,
                        "Deactivate"))
                .ifPresent(reason -> run("Deactivating " + target.deploymentId(), "Cannot deactivate " + target.deploymentId(),
                        () -> source.deactivateDeployment(target.deploymentId(), blankToNull(reason))));
    }

    /** Rolls the selected deployment's model back, in its environment, to the deployment it replaced. */
    public void rollback() {
        Deployment target = selected.get();
        if (target == null || !canRollback.get()) {
            return;
        }
        String previous = all.stream().filter(d -> d.deploymentId().equals(target.replaces()))
                .map(d -> d.modelVersion() + " (" + d.deploymentId() + ")").findFirst().orElse(target.replaces());
        String message = target.modelName() + " in " + target.environment() + " goes back to " + previous + ".\n"
                + target.modelVersion() + " (" + target.deploymentId() + ") is marked rolled back.\n"
                + "Recorded in both deployments' histories and the audit trail as " + manager.user() + ".";
        DeploymentManager source = manager;
        dialogs.confirmWithReason(Confirmation.destructive("Roll back " + target.modelName() + " in "
                        + target.environment(), header(target, "roll back"), message, "Roll back"))
                .ifPresent(reason -> run("Rolling back " + target.modelName() + " in " + target.environment(),
                        "Cannot roll back " + target.modelName() + " in " + target.environment(),
                        () -> source.rollback(target.modelName(), target.environment(), blankToNull(reason)),
                        done -> "Rolled back " + target.modelName() + " in " + target.environment() + " to "
                                + done.restored().modelVersion()));
    }

    /** Probes the selected deployment's endpoint in the background. */
    public void checkSelectedHealth() {
        Deployment target = selected.get();
        if (target != null) {
            probe(List.of(target));
        }
    }

    /**
     * Probes every active deployment in the background (the periodic check while the tab shows).
     * Each probe is bounded by the manager's health timeout; one still running is not started again.
     */
    public void checkActiveHealth() {
        probe(all.stream().filter(Deployment::isActive).toList());
    }

    /** A view model for the New Deployment dialog, starting from the selected deployment's model and environment. */
    public NewDeploymentViewModel newDeployment() {
        NewDeploymentViewModel dialog = new NewDeploymentViewModel(manager, registry, executor, dialogs, all);
        Deployment current = selected.get();
        if (current != null) {
            dialog.environmentProperty().set(current.environment());
            dialog.preferModel(current.modelName());
        } else if (environmentFilter.get() != null) {
            dialog.environmentProperty().set(environmentFilter.get());
        }
        dialog.load();
        return dialog;
    }

    /**
     * Selects the deployment with id {@code deploymentId} (a link in the details pane); when the
     * filters hide it, they are cleared first so that it shows.
     */
    public void selectDeployment(String deploymentId) {
        Optional<Deployment> target = all.stream().filter(d -> d.deploymentId().equals(deploymentId)).findFirst();
        if (target.isEmpty()) {
            return;
        }
        if (!deployments.contains(target.get())) {
            pendingSelection = deploymentId;
            showing = true;
            try {
                environmentFilter.set(null);
                statusFilter.set(null);
                searchText.set("");
            } finally {
                showing = false;
            }
            applyFilters();
        } else {
            selected.set(target.get());
        }
    }

    /** Called when the New Deployment dialog created one: reloads and selects it. */
    public void created(Deployment deployment) {
        pendingSelection = deployment.deploymentId();
        refresh();
    }

    // Internals

    private String pendingSelection;
    private boolean showing;

    private void probe(List<Deployment> targets) {
        DeploymentManager source = manager;
        if (source == null) {
            return;
        }
        for (Deployment target : targets) {
            String id = target.deploymentId();
            if (!inFlight.add(id)) {
                continue;
            }
            probing.set(true);
            BackgroundTask.wrap("Checking " + target.endpoint(), () -> source.checkHealth(id))
                    .onSuccess(check -> {
                        probeDone(id);
                        if (source == manager) {
                            health.put(id, check);
                        }
                    })
                    .onFailure(error -> {
                        probeDone(id);
                        if (source == manager) {
                            // The deployment may have been removed by another process; say so in its row.
                            health.put(id, new HealthCheck(clock.instant(), false, null, null,
                                    ErrorReport.describe(error)));
                        }
                    })
                    .executeWith(executor);
        }
    }

    /** Fills the details of {@code deployment}: its neighbours at once, its version's stage from the registry. */
    private void describe(Deployment deployment) {
        versionStage.set(null);
        stageWarning.set("");
        if (deployment == null) {
            replaced.set(null);
            replacedBy.set(null);
            return;
        }
        replaced.set(deployment.replaces() == null ? null : all.stream()
                .filter(d -> d.deploymentId().equals(deployment.replaces())).findFirst().orElse(null));
        replacedBy.set(all.stream().filter(d -> deployment.deploymentId().equals(d.replaces()))
                .max(Comparator.comparing(d -> d.activatedAt() == null ? d.createdAt() : d.activatedAt()))
                .orElse(null));
        ModelRegistry source = registry;
        if (source == null) {
            return;
        }
        List<String> activeIn = all.stream().filter(Deployment::isActive)
                .filter(d -> d.modelName().equals(deployment.modelName()) && d.modelVersion().equals(deployment.modelVersion()))
                .map(Deployment::environment).distinct().sorted(DeploymentsViewModel::environmentOrder).toList();
        String version = deployment.modelName() + " " + deployment.modelVersion();
        BackgroundTask.wrap("Reading the stage of " + version,
                        () -> source.getModel(deployment.modelName(), deployment.modelVersion()).stage())
                .onSuccess(stage -> {
                    if (selected.get() == deployment) {
                        versionStage.set(stage);
                        stageWarning.set(stage == ModelStage.ARCHIVED && !activeIn.isEmpty()
                                ? version + " is archived but still active in " + String.join(", ", activeIn) + "."
                                : "");
                    }
                })
                .onFailure(error -> {
                    if (selected.get() == deployment) {
                        stageWarning.set(error instanceof NotFoundException
                                ? version + " is no longer registered" + (activeIn.isEmpty() ? "."
                                        : " but still active in " + String.join(", ", activeIn) + ".")
                                : "The stage of " + version + " cannot be read: " + ErrorReport.describe(error));
                    }
                })
                .executeWith(executor);
    }

    private void probeDone(String id) {
        inFlight.remove(id);
        probing.set(!inFlight.isEmpty());
    }

    private void run(String title, String errorTitle, java.util.concurrent.Callable<?> action) {
        run(title, errorTitle, action, null);
    }

    /** {@code success}, when given, says what was done in a short notification. */
    private <T> void run(String title, String errorTitle, java.util.concurrent.Callable<T> action,
            java.util.function.Function<T, String> success) {
        String keep = selected.get() == null ? null : selected.get().deploymentId();
        BackgroundTask.wrap(title, action)
                .onSuccess(done -> {
                    if (success != null) {
                        dialogs.notifySuccess(success.apply(done));
                    }
                    pendingSelection = keep;
                    refresh();
                })
                .onFailure(error -> {
                    dialogs.showError(errorTitle, error);
                    refresh();
                })
                .executeWith(executor);
    }

    private Optional<Deployment> activeIn(String model, String environment) {
        return all.stream().filter(Deployment::isActive)
                .filter(d -> d.modelName().equals(model) && d.environment().equals(environment)).findFirst();
    }

    private void show(Loaded loaded) {
        all = loaded.deployments();
        // A view's filter box follows the environments and may reset its filter while they change:
        // apply the filters once, after.
        showing = true;
        try {
            problems.setAll(loaded.problems());
            environments.setAll(new TreeSet<>(all.stream().map(Deployment::environment).toList()));
        } finally {
            showing = false;
        }
        long active = all.stream().filter(Deployment::isActive).count();
        summary.set(active + " active of " + all.size() + (all.size() == 1 ? " deployment" : " deployments"));
        applyFilters();
    }

    private void applyFilters() {
        if (showing) {
            return;
        }
        String environment = environmentFilter.get();
        DeploymentStatus status = statusFilter.get();
        String text = blankToNull(searchText.get());
        String needle = text == null ? null : text.toLowerCase(Locale.ROOT);
        List<Deployment> shown = all.stream()
                .filter(d -> environment == null || d.environment().equals(environment))
                .filter(d -> status == null || d.status() == status)
                .filter(d -> needle == null || (d.modelName() + " " + d.modelVersion() + " " + d.endpoint() + " "
                        + d.deploymentId()).toLowerCase(Locale.ROOT).contains(needle))
                .sorted(Comparator.comparing(Deployment::environment, DeploymentsViewModel::environmentOrder)
                        .thenComparing(Deployment::modelName)
                        .thenComparing(Deployment::createdAt, Comparator.reverseOrder()))
                .toList();
        String keep = pendingSelection != null ? pendingSelection : selected.get() == null ? null : selected.get().deploymentId();
        pendingSelection = null;
        deployments.setAll(shown);
        Deployment before = selected.get();
        selected.set(shown.stream().filter(d -> d.deploymentId().equals(keep)).findFirst().orElse(null));
        if (java.util.Objects.equals(before, selected.get())) {
            describe(selected.get()); // unchanged itself, but its neighbours or its version's stage may have moved
        }
        timeline.setAll(lanes(all.stream().filter(d -> environment == null || d.environment().equals(environment)).toList(),
                clock.instant()));
    }

    /** Production first, then staging, then the rest alphabetically: the order people scan environments in. */
    static int environmentOrder(String a, String b) {
        return Integer.compare(rank(a), rank(b)) != 0 ? Integer.compare(rank(a), rank(b)) : a.compareTo(b);
    }

    private static int rank(String environment) {
        return switch (environment.toLowerCase(Locale.ROOT)) {
            case "production", "prod" -> 0;
            case "staging", "stage" -> 1;
            default -> 2;
        };
    }

    /**
     * The timeline: for each environment and model, the periods each deployment was active, from
     * its history's status changes (active from an {@code active} entry to the next other status;
     * still active runs to {@code now}).
     */
    static List<TimelineLane> lanes(List<Deployment> deployments, Instant now) {
        Map<String, Map<String, List<TimelineSegment>>> byEnvironment = new LinkedHashMap<>();
        deployments.stream()
                .sorted(Comparator.comparing(Deployment::environment, DeploymentsViewModel::environmentOrder)
                        .thenComparing(Deployment::modelName))
                .forEach(deployment -> {
                    List<TimelineSegment> segments = byEnvironment
                            .computeIfAbsent(deployment.environment(), key -> new LinkedHashMap<>())
                            .computeIfAbsent(deployment.modelName(), key -> new ArrayList<>());
                    segments.addAll(segments(deployment, now));
                });
        List<TimelineLane> lanes = new ArrayList<>();
        byEnvironment.forEach((environment, models) -> models.forEach((model, segments) -> {
            if (!segments.isEmpty()) {
                segments.sort(Comparator.comparing(TimelineSegment::from));
                lanes.add(new TimelineLane(environment, model, List.copyOf(segments)));
            }
        }));
        return lanes;
    }

    static List<TimelineSegment> segments(Deployment deployment, Instant now) {
        List<TimelineSegment> segments = new ArrayList<>();
        Instant start = null;
        for (StatusChange change : deployment.history()) {
            if (change.status() == DeploymentStatus.ACTIVE) {
                if (start == null) {
                    start = change.at();
                }
            } else if (start != null) {
                segments.add(new TimelineSegment(deployment.deploymentId(), deployment.modelVersion(), start, change.at(),
                        change.status(), false));
                start = null;
            }
        }
        if (start == null && segments.isEmpty() && deployment.isActive() && deployment.activatedAt() != null) {
            start = deployment.activatedAt(); // written by a tool that keeps no history
        }
        if (start != null) {
            segments.add(new TimelineSegment(deployment.deploymentId(), deployment.modelVersion(), start, now,
                    DeploymentStatus.ACTIVE, deployment.isActive()));
        }
        return segments;
    }

    private static String header(Deployment target, String verb) {
        return verb.substring(0, 1).toUpperCase(Locale.ROOT) + verb.substring(1) + " " + target.modelName() + " "
                + target.modelVersion() + " in " + target.environment() + "?";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private record Loaded(List<Deployment> deployments, List<DocumentProblem> problems) {
    }

    /** One environment's model: the deployments that were active there, oldest first. */
    public record TimelineLane(String environment, String model, List<TimelineSegment> segments) {
    }

    /**
     * One period during which a deployment was active; {@code endedAs} is the status it left
     * active for ({@code active} when it still is, {@code current} true then).
     */
    public record TimelineSegment(String deploymentId, String version, Instant from, Instant to,
                                  DeploymentStatus endedAs, boolean current) {
    }
}
