package neural.mlops.app.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
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
import neural.mlops.app.common.Confirmation;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.Browser;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.Formats;
import neural.mlops.app.common.ErrorReport;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.artifact.Inspection;
import neural.mlops.policy.Governance;
import neural.mlops.policy.Policy;
import neural.mlops.policy.PolicyFileException;
import neural.mlops.policy.PromotionRequest;
import neural.mlops.policy.StageRule;
import neural.mlops.policy.Verdict;
import neural.mlops.policy.Violation;
import neural.mlops.registry.Aliases;
import neural.mlops.registry.ArtifactRecord;
import neural.mlops.registry.ArtifactCheck;
import neural.mlops.registry.ModelQuery;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.Tags;
import neural.mlops.registry.ModelSummary;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.VersionConfig;
import neural.mlops.registry.Promotion;
import neural.mlops.registry.PromotionContext;
import neural.mlops.registry.RegistryProblem;
import neural.mlops.registry.RegistrySnapshot;
import neural.mlops.workspace.Workspace;
import neural.mlops.store.MlopsException;
import neural.mlops.workspace.Workspace;

/**
 * The Registry tab: the filtered model list, the selected model's versions, the selected version's
 * details, and the commands on them (promote, restore, compare, verify, delete, register). All
 * I/O runs through the {@link TaskExecutor}; results arrive on the FX thread.
 *
 * <p>The workspace policy (SPEC 8) is loaded with the registry, so that each move can say before
 * the click what it needs ({@link #moveOption}): a move the policy blocks is not offered, and a
 * move into a stage that needs approvals creates a promotion request. The core decides at the
 * click in any case.
 */
public final class RegistryViewModel {

    /** How many metrics get their own column in the versions table. */
    static final int METRIC_COLUMNS = 4;
    /** How many versions the filter matches between two looks at whether a newer filter replaced it. */
    private static final int CANCEL_CHECK_EVERY = 2048;

    // Properties: input
    private final StringProperty searchText = new SimpleStringProperty("");
    private final ObjectProperty<ModelStage> stageFilter = new SimpleObjectProperty<>();
    private final StringProperty tagFilter = new SimpleStringProperty();
    private final StringProperty frameworkFilter = new SimpleStringProperty();
    private final ObjectProperty<ModelSummary> selectedModel = new SimpleObjectProperty<>();
    private final ObservableList<ModelVersion> selectedVersions = FXCollections.observableArrayList();

    // Properties: output
    private final ObservableList<ModelSummary> models = FXCollections.observableArrayList();
    private final ObservableList<ModelVersion> versions = FXCollections.observableArrayList();
    private final ObservableList<String> metricColumns = FXCollections.observableArrayList();
    private final ObservableList<String> tags = FXCollections.observableArrayList();
    private final ObservableList<String> frameworks = FXCollections.observableArrayList();
    private final ObservableList<RegistryProblem> problems = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<ModelVersion> selectedVersion = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper configText = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<ArtifactCheck> artifactCheck = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper filtering = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<CompareViewModel> comparison = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ObservableList<PromotionRequest> openRequests = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper policyProblem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper moveHints = new ReadOnlyStringWrapper("");

    private final BooleanBinding canCompare;
    private final BooleanBinding hasSelectedVersion;

    private final TaskExecutor executor;
    private final ReadOnlyObjectWrapper<Inspection> inspection = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper inspecting = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper inspectionProblem = new ReadOnlyStringWrapper();
    private final DialogService dialogs;
    /** The inline edit of the selected version, and the selected model's header (issue 21). */
    private final DetailsEditor versionEditor;
    private final ModelHeaderViewModel modelHeader;
    private final LineageViewModel lineage;
    /** The selected model's aliases, shown as chips and changed through the workspace (issue 21). */
    private final AliasesViewModel aliases;
    private ModelRegistry registry;
    private Aliases aliasService;
    private Governance governance;
    /** The policy as of the last load; null without governance or when workspace.yaml is broken. */
    private Policy policy;
    private RegistrySnapshot snapshot;
    /** The "name:version" to select after the next load (a promoted or registered version). */
    private String pendingSelection;
    /** The model to select when the next load shows it (the one selected when the app was last closed). */
    private String preferredModel;
    /** The model filter being computed; cancelled when a newer one starts. */
    private BackgroundTask<List<ModelSummary>> runningFilter;
    /** True while a newly loaded snapshot replaces the filter choices. */
    private boolean showing;

    public RegistryViewModel(TaskExecutor executor, DialogService dialogs) {
        this(executor, dialogs, Browser.NONE);
    }

    /** {@code browser}: where the lineage links open (the desktop's browser in the application). */
    public RegistryViewModel(TaskExecutor executor, DialogService dialogs, Browser browser) {
        this.executor = executor;
        this.dialogs = dialogs;
        this.lineage = new LineageViewModel(versions, selectedVersion.getReadOnlyProperty(), this::selectVersion, browser,
                dialogs, executor);
        canCompare = Bindings.size(selectedVersions).greaterThanOrEqualTo(2);
        hasSelectedVersion = selectedVersion.isNotNull();
        selectedVersions.addListener((javafx.collections.ListChangeListener<ModelVersion>) change ->
                selectedVersion.set(selectedVersions.isEmpty() ? null : selectedVersions.get(selectedVersions.size() - 1)));
        selectedVersion.addListener((observable, old, current) -> {
            loadDetails(current);
            updateMoveHints();
        });
        selectedModel.addListener((observable, old, current) -> showVersionsOf(current));
        versionEditor = new DetailsEditor(executor, () -> registry, saved -> registered((ModelVersion) saved));
        selectedVersion.addListener((observable, old, current) -> versionEditor.cancel());
        modelHeader = new ModelHeaderViewModel(executor, dialogs, () -> registry, selectedModel, this::refresh);
        aliases = new AliasesViewModel(executor, dialogs, () -> aliasService, this::refresh);
        selectedModel.addListener((observable, old, current) -> aliases.load(current == null ? null : current.name()));
        searchText.addListener((observable, old, current) -> applyFilters());
        stageFilter.addListener((observable, old, current) -> applyFilters());
        tagFilter.addListener((observable, old, current) -> applyFilters());
        frameworkFilter.addListener((observable, old, current) -> applyFilters());
    }

    // Inputs

    public StringProperty searchTextProperty() {
        return searchText;
    }

    /** Null shows every stage. */
    public ObjectProperty<ModelStage> stageFilterProperty() {
        return stageFilter;
    }

    /** Null or empty shows every tag. */
    public StringProperty tagFilterProperty() {
        return tagFilter;
    }

    public StringProperty frameworkFilterProperty() {
        return frameworkFilter;
    }

    public ObjectProperty<ModelSummary> selectedModelProperty() {
        return selectedModel;
    }

    /** The versions selected in the table, in selection order; the view keeps it in sync. */
    public ObservableList<ModelVersion> selectedVersions() {
        return selectedVersions;
    }

    // Outputs

    public ObservableList<ModelSummary> models() {
        return models;
    }

    public ObservableList<ModelVersion> versions() {
        return versions;
    }

    public ObservableList<String> metricColumns() {
        return metricColumns;
    }

    public ObservableList<String> tags() {
        return tags;
    }

    public ObservableList<String> frameworks() {
        return frameworks;
    }

    public ObservableList<RegistryProblem> problems() {
        return problems;
    }

    public ReadOnlyObjectProperty<ModelVersion> selectedVersionProperty() {
        return selectedVersion.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty configTextProperty() {
        return configText.getReadOnlyProperty();
    }

    /** What the model file of the selected version holds (docs/artifacts.md), or null until its inspection ends. */
    public ReadOnlyObjectProperty<Inspection> inspectionProperty() {
        return inspection.getReadOnlyProperty();
    }

    /** True while the selected version's model file is being inspected, for the progress indicator. */
    public ReadOnlyBooleanProperty inspectingProperty() {
        return inspecting.getReadOnlyProperty();
    }

    /** Why the selected version's model file could not be inspected (missing, say), or null. */
    public ReadOnlyStringProperty inspectionProblemProperty() {
        return inspectionProblem.getReadOnlyProperty();
    }

    /** The last verification of the selected version's artifact, or null. */
    public ReadOnlyObjectProperty<ArtifactCheck> artifactCheckProperty() {
        return artifactCheck.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** True while the model list is being filtered (after each load, and as the filters change). */
    public ReadOnlyBooleanProperty filteringProperty() {
        return filtering.getReadOnlyProperty();
    }

    /** True once a registry is attached (a workspace is open). */
    public ReadOnlyBooleanProperty availableProperty() {
        return available.getReadOnlyProperty();
    }

    /** Set when a comparison is ready to be shown; the view opens a window for it. */
    public ReadOnlyObjectProperty<CompareViewModel> comparisonProperty() {
        return comparison.getReadOnlyProperty();
    }

    /** "6 models, 24 versions" for the status bar. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The open promotion requests of the workspace, as of the last load. */
    public ObservableList<PromotionRequest> openRequests() {
        return openRequests;
    }

    /** Why the workspace policy cannot be read (workspace.yaml was broken after opening), or null. */
    public ReadOnlyStringProperty policyProblemProperty() {
        return policyProblem.getReadOnlyProperty();
    }

    /** One line per other stage for the selected version: what moving it there needs, for a tooltip. */
    public ReadOnlyStringProperty moveHintsProperty() {
        return moveHints.getReadOnlyProperty();
    }

    public BooleanBinding canCompareProperty() {
        return canCompare;
    }

    public BooleanBinding hasSelectedVersionProperty() {
        return hasSelectedVersion;
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** The selected version's lineage links and the model's lineage graph. */
    public LineageViewModel lineage() {
        return lineage;
    }

    /** Selects {@code version} of the selected model, alone; false when the model has no such version. */
    public boolean selectVersion(String version) {
        Optional<ModelVersion> found = versions.stream().filter(v -> v.version().equals(version)).findFirst();
        found.ifPresent(v -> selectedVersions.setAll(List.of(v)));
        return found.isPresent();
    }

    /** Every version of every model in the last load, for the stage board. */
    public List<ModelVersion> allVersionsOfSelectedModel() {
        return List.copyOf(versions);
    }

    // Commands

    /**
     * Shows the registry of {@code workspace} (null: none is open) and loads it with the workspace's
     * governance. The tab's view model lives as long as the window while workspaces are opened and
     * closed, so the workspace arrives through this one method rather than the constructor; the
     * governance is the workspace's own, never recovered from the registry.
     */
    public void showWorkspace(Workspace workspace) {
        ModelRegistry newRegistry = workspace == null ? null : workspace.registry();
        this.registry = newRegistry;
        this.aliasService = workspace == null ? null : workspace.aliases();
        this.governance = workspace == null ? null : workspace.governance();
        this.policy = null;
        this.snapshot = null;
        openRequests.clear();
        policyProblem.set(null);
        available.set(newRegistry != null);
        selectedModel.set(null);
        models.clear();
        versions.clear();
        problems.clear();
        lineage.showWorkspace(workspace);
        if (newRegistry != null) {
            refresh();
        }
    }

    /**
     * Selects the model called {@code name} when the next load shows it, instead of the first one:
     * a restart restores the selection the user left. Null: the first model, as usual.
     */
    public void selectWhenLoaded(String name) {
        preferredModel = name;
    }

    /** Reloads the registry in the background, keeping the selection where it still exists. */
    public void refresh() {
        ModelRegistry source = registry;
        if (source == null) {
            return;
        }
        loading.set(true);
        lineage.reload();
        Governance rules = governance;
        BackgroundTask.wrap("Loading the model registry", () -> Loaded.of(source, rules))
                .onSuccess(loaded -> {
                    loading.set(false);
                    if (source == registry) {
                        policy = loaded.policy();
                        policyProblem.set(loaded.policyProblem());
                        openRequests.setAll(loaded.requests());
                        show(loaded);
                        updateMoveHints();
                        // The selected model may be the same one: its aliases are read again after a change.
                        aliases.load(selectedModel.get() == null ? null : selectedModel.get().name());
                    }
                })
                .onFailure(error -> {
                    loading.set(false);
                    dialogs.showError("Cannot load the model registry", error);
                })
                .executeWith(executor);
    }

    /**
     * True when the selected version can move to {@code target}: it exists, is elsewhere, and the
     * policy lets the acting user move it there (or request it).
     */
    public boolean canMoveTo(ModelStage target) {
        return moveOption(target).enabled();
    }

    /** What moving the selected version to {@code target} needs, as the policy says it now. */
    public MoveOption moveOption(ModelStage target) {
        return moveOption(selectedVersion.get(), target);
    }

    /** The version's stored scan, read only when the target stage has a rule on model files. */
    private Optional<ArtifactRecord> storedArtifact(ModelVersion version, ModelStage target) {
        if (policy.rule(target).artifact().isEmpty()) {
            return Optional.empty();
        }
        try {
            return registry.storedArtifact(version.name(), version.version());
        } catch (MlopsException e) {
            return Optional.empty(); // deleted or unreadable meanwhile: the move is offered as blocked
        }
    }

    /** What moving {@code version} to {@code target} needs: allowed, a request, or the rule that blocks it. */
    public MoveOption moveOption(ModelVersion version, ModelStage target) {
        if (version == null || registry == null) {
            return new MoveOption(target, MoveOption.Kind.NONE, "Select a version first.");
        }
        if (version.stage() == target) {
            return new MoveOption(target, MoveOption.Kind.NONE, version.version() + " is in " + target.value() + ".");
        }
        if (policyProblem.get() != null) {
            return new MoveOption(target, MoveOption.Kind.BLOCKED, "The workspace policy cannot be read: "
                    + policyProblem.get());
        }
        if (policy == null) {
            return new MoveOption(target, MoveOption.Kind.ALLOWED, "");
        }
        // The reason is asked at the click: a placeholder keeps require_reason from blocking the offer.
        Verdict verdict = policy.check(new PromotionContext(version, version.stage(), target, registry.user(),
                "(asked at the click)", versionsOf(version.name()), null, storedArtifact(version, target)));
        StageRule rule = policy.rule(target);
        if (verdict.allowed()) {
            return new MoveOption(target, MoveOption.Kind.ALLOWED, rule.requireReason() ? "A reason is required." : "");
        }
        if (verdict.needsRequest()) {
            Optional<PromotionRequest> open = openRequest(version, target);
            if (open.isPresent()) {
                return new MoveOption(target, MoveOption.Kind.REQUESTED, "Requested by " + open.get().requestedBy()
                        + " (" + open.get().agreed().size() + " of " + rule.approvals()
                        + " approvals): approve it under Requests.");
            }
            return new MoveOption(target, MoveOption.Kind.REQUEST, "Needs " + rule.approvals()
                    + " approvals: a request will be created.");
        }
        List<Violation> blocking = verdict.blockingViolations();
        Violation first = blocking.get(0);
        return new MoveOption(target, MoveOption.Kind.BLOCKED, "Blocked by " + first.path() + ": " + first.problem()
                + "; " + first.remedy() + (blocking.size() > 1 ? " (and " + (blocking.size() - 1) + " more)" : "") + ".");
    }

    /** Moves the selected version to {@code target} after a confirmation that says what will change. */
    public void promote(ModelStage target) {
        ModelVersion version = selectedVersion.get();
        if (version != null) {
            promote(version, target);
        }
    }

    /**
     * Moves {@code version} to {@code target} (also used by the stage board's drag and drop); into
     * a stage that needs approvals, creates a promotion request instead. A move the policy blocks
     * is not attempted: the rule is shown.
     */
    public void promote(ModelVersion version, ModelStage target) {
        if (registry == null || version.stage() == target) {
            return;
        }
        MoveOption option = moveOption(version, target);
        String what = version.name() + " " + version.version();
        switch (option.kind()) {
            case BLOCKED, REQUESTED -> {
                dialogs.showError("Cannot move " + what, what + " cannot move to " + target.value() + " now. " + option.hint());
                return;
            }
            case REQUEST -> {
                requestPromotion(version, target);
                return;
            }
            default -> {
                // Allowed: confirm, then move.
            }
        }
        String header = what + ": " + version.stage().value() + " \u2192 " + target.value();
        Optional<String> reason = dialogs.confirmWithReason(Confirmation.of(moveTitle(version, target), header,
                consequences(version, target), moveVerb(version, target)));
        if (reason.isEmpty()) {
            return;
        }
        if (reasonRequired(target) && reason.get().isBlank()) {
            dialogs.showError("A reason is required", "The workspace policy requires a reason for moving a version into "
                    + target.value() + " (policy.stages." + target.value() + ".require_reason). Nothing was changed.");
            return;
        }
        ModelRegistry target0 = registry;
        BackgroundTask.wrap("Moving " + version.name() + " " + version.version() + " to " + target.value(),
                        () -> target0.promoteModel(version.name(), version.version(), target, reason.get()))
                .onSuccess(this::afterPromotion)
                .onFailure(error -> dialogs.showError("Cannot move " + version.name() + " " + version.version(), error))
                .executeWith(executor);
    }

    /** Asks for a reason and creates a promotion request for a stage that needs approvals. */
    private void requestPromotion(ModelVersion version, ModelStage target) {
        Governance rules = governance;
        StageRule rule = policy.rule(target);
        String user = registry.user();
        List<String> others = policy.permittedUsers(target).stream().filter(other -> !other.equals(user)).toList();
        int needed = rule.approvals() - 1;
        String header = version.name() + " " + version.version() + ": " + version.stage().value() + " \u2192 " + target.value();
        String message = target.value() + " needs " + rule.approvals() + " approvals under the workspace policy (policy.stages."
                + target.value() + ".approvals): a request will be created.\n"
                + "You count as the first approval; " + needed + " other permitted " + (needed == 1 ? "user" : "users")
                + (others.isEmpty() ? "" : " (" + String.join(", ", others) + ")")
                + " must approve it under Requests, and the last approval carries the move out.\n"
                + "A reason is required: the approvers judge it.";
        Optional<String> reason = dialogs.confirmWithReason(Confirmation.of("Request moving " + version.name() + " "
                + version.version() + " to " + target.value(), header, message, "Request " + target.value()));
        if (reason.isEmpty()) {
            return;
        }
        if (reason.get().isBlank()) {
            dialogs.showError("A reason is required", "A promotion request needs a reason, so that the approvers can judge "
                    + "it. Nothing was requested.");
            return;
        }
        BackgroundTask.wrap("Requesting " + version.name() + " " + version.version() + " \u2192 " + target.value(),
                        () -> rules.request(version.name(), version.version(), target, reason.get()))
                .onSuccess(request -> {
                    dialogs.showInformation("Promotion requested", version.name() + " " + version.version() + " \u2192 "
                            + target.value() + " is requested (1 of " + rule.approvals() + " approvals). It moves when "
                            + needed + " other permitted " + (needed == 1 ? "user approves" : "users approve")
                            + " it under Requests.");
                    refresh();
                })
                .onFailure(error -> dialogs.showError("Cannot request " + version.name() + " " + version.version(), error))
                .executeWith(executor);
    }

    /** A view model for the Requests window, or null when the registry has no governance. */
    public RequestsViewModel newRequests() {
        return governance == null ? null : new RequestsViewModel(executor, dialogs, governance, this::refresh);
    }

    /** Restores the selected archived version to the stage it had before it was archived. */
    public void restore() {
        ModelVersion version = selectedVersion.get();
        if (version != null && version.stage() == ModelStage.ARCHIVED) {
            promote(version, stageBeforeArchive(version));
        }
    }

    /** Opens a comparison of the selected versions (two or more), in version order. */
    public void compare() {
        if (!canCompare.get() || registry == null) {
            return;
        }
        List<ModelVersion> chosen = versions.stream().filter(selectedVersions::contains).toList();
        List<ModelVersion> all = List.copyOf(versions);
        ModelRegistry source = registry;
        // In the background: the comparison reads each version's config.yaml, then the model files,
        // whose rows join the open comparison when read.
        BackgroundTask.wrap("Comparing " + chosen.size() + " versions", () -> source.compareLoaded(chosen, 0))
                .onSuccess(compared -> {
                    CompareViewModel opened = new CompareViewModel(compared, all, otherModelsThan(chosen),
                            ComparisonSource.of(source), executor, dialogs);
                    comparison.set(opened);
                    BackgroundTask.wrap("Inspecting the model files of " + opened.title(),
                                    () -> chosen.stream().map(source::inspectArtifact).toList())
                            .onSuccess(opened::showArtifacts)
                            .onFailure(error -> opened.showArtifactProblem(ErrorReport.describe(error)))
                            .executeWith(executor);
                })
                .onFailure(error -> dialogs.showError("Cannot compare the versions", error))
                .executeWith(executor);
    }

    /** The versions of every model but that of {@code chosen}, as of the last load, for a comparison across models. */
    private List<ModelVersion> otherModelsThan(List<ModelVersion> chosen) {
        String name = chosen.get(0).name();
        return snapshot == null ? List.of()
                : snapshot.versions().stream().filter(version -> !version.name().equals(name)).toList();
    }

    /** Recomputes the selected version's artifact hash in the background. */
    public void verifySelected() {
        ModelVersion version = selectedVersion.get();
        if (version == null || registry == null) {
            return;
        }
        ModelRegistry source = registry;
        artifactCheck.set(null);
        BackgroundTask.wrap("Verifying " + version.name() + " " + version.version(),
                        () -> source.verifyArtifact(version.name(), version.version()))
                .onSuccess(check -> {
                    if (version.equals(selectedVersion.get())) {
                        artifactCheck.set(check);
                    }
                    if (!check.ok()) {
                        dialogs.showError("Artifact check failed", check.message());
                    }
                })
                .onFailure(error -> dialogs.showError("Cannot verify the artifact", error))
                .executeWith(executor);
    }

    /** Deletes the selected version after confirmation; the core refuses production and deployed versions. */
    public void deleteSelected() {
        ModelVersion version = selectedVersion.get();
        if (version == null || registry == null) {
            return;
        }
        Optional<String> reason = dialogs.confirmWithReason(Confirmation.destructive(
                "Delete " + version.name() + " " + version.version(), "Delete " + version.name() + " " + version.version() + "?",
                "The model file, config.yaml and metadata of this version are removed. The deletion is "
                        + "recorded in the audit trail with your reason. This cannot be undone.",
                "Delete " + version.version()));
        if (reason.isEmpty()) {
            return;
        }
        ModelRegistry source = registry;
        BackgroundTask.wrap("Deleting " + version.name() + " " + version.version(),
                        () -> source.deleteVersion(version.name(), version.version(), false, reason.get()))
                .onSuccess(deleted -> refresh())
                .onFailure(error -> dialogs.showError("Cannot delete " + version.name() + " " + version.version(), error))
                .executeWith(executor);
    }

    /** A view model for the Register Model dialog, prefilled from the selected model. */
    public RegisterModelViewModel newRegistration() {
        List<String> names = snapshot == null ? List.of()
                : snapshot.listModels().stream().map(ModelSummary::name).toList();
        RegisterModelViewModel dialog = new RegisterModelViewModel(registry, executor, dialogs, names,
                name -> snapshot == null ? List.of() : snapshot.listVersions(name));
        ModelSummary model = selectedModel.get();
        if (model != null) {
            dialog.nameProperty().set(model.name());
        }
        return dialog;
    }

    /** The inline edit of the selected version's description, tags and lineage. */
    public DetailsEditor versionEditor() {
        return versionEditor;
    }

    /** The selected model's own description and tags, and the operations on the whole model. */
    public ModelHeaderViewModel modelHeader() {
        return modelHeader;
    }

    /** The selected model's aliases: the chips, Set alias... and Remove alias. */
    public AliasesViewModel aliases() {
        return aliases;
    }

    /** Called when a registration (or an edit) finished: reloads and selects the version. */
    public void registered(ModelVersion version) {
        pendingSelection = version.name() + ":" + version.version();
        refresh();
    }

    // Internals

    /**
     * What one load reads, off the FX thread: the registry, the filters' choices, the policy and the
     * open requests. At 100,000 versions even collecting the tags held the FX thread.
     */
    private record Loaded(RegistrySnapshot snapshot, Choices choices, Policy policy, String policyProblem,
                          List<PromotionRequest> requests) {
        static Loaded of(ModelRegistry source, Governance rules) {
            RegistrySnapshot snapshot = source.snapshot();
            Choices choices = Choices.of(snapshot);
            if (rules == null) {
                return new Loaded(snapshot, choices, null, null, List.of());
            }
            Policy policy = null;
            String problem = null;
            try {
                policy = rules.policy();
            } catch (PolicyFileException e) {
                problem = e.getMessage();
            }
            List<PromotionRequest> requests;
            try {
                requests = rules.requests(null, false).requests();
            } catch (MlopsException e) {
                requests = List.of(); // the Requests window reports it; the registry still shows
            }
            return new Loaded(snapshot, choices, policy, problem, requests);
        }
    }

    private List<ModelVersion> versionsOf(String name) {
        return snapshot == null ? List.copyOf(versions) : snapshot.listVersions(name);
    }

    private Optional<PromotionRequest> openRequest(ModelVersion version, ModelStage target) {
        return openRequests.stream().filter(request -> request.name().equals(version.name())
                && request.version().equals(version.version()) && request.toStage() == target).findFirst();
    }

    private boolean reasonRequired(ModelStage target) {
        return policy != null && policy.rule(target).requireReason();
    }

    private void updateMoveHints() {
        ModelVersion version = selectedVersion.get();
        if (version == null) {
            moveHints.set("");
            return;
        }
        List<String> lines = new ArrayList<>();
        for (ModelStage stage : ModelStage.values()) {
            MoveOption option = moveOption(version, stage);
            if (option.kind() != MoveOption.Kind.NONE) {
                lines.add(stage.value() + ": " + (option.hint().isEmpty() ? "allowed" : option.hint()));
            }
        }
        moveHints.set(String.join("\n", lines));
    }

    private void afterPromotion(Promotion promotion) {
        dialogs.notifySuccess(promotion.promoted().version() + " of " + promotion.promoted().name() + " moved to "
                + Formats.words(promotion.promoted().stage().value()).toLowerCase(java.util.Locale.ROOT));
        pendingSelection = promotion.promoted().id();
        refresh();
    }

    private void show(Loaded loaded) {
        filtering.set(true); // the list is out of date until the filter below has run
        // Replacing the tag and framework choices makes the filter boxes reset their values, which
        // would filter against a half-updated state; filter once, at the end.
        showing = true;
        try {
            updateChoices(loaded);
        } finally {
            showing = false;
        }
        applyFilters();
    }

    private void updateChoices(Loaded loaded) {
        snapshot = loaded.snapshot();
        problems.setAll(snapshot.problems());
        tags.setAll(loaded.choices().tags());
        frameworks.setAll(loaded.choices().frameworks());
        long versionCount = snapshot.versions().size();
        int modelCount = snapshot.modelCount();
        summary.set(modelCount + (modelCount == 1 ? " model, " : " models, ") + versionCount
                + (versionCount == 1 ? " version" : " versions"));
    }

    /** The filter boxes' choices: every tag (and tag key, "team" for team=...) and framework, sorted. */
    private record Choices(List<String> tags, List<String> frameworks) {
        static Choices of(RegistrySnapshot loaded) {
            // Hashed while collecting and sorted once: a few hundred distinct values among 100,000 versions.
            Set<String> distinctTags = new HashSet<>();
            Set<String> allFrameworks = new HashSet<>();
            for (ModelVersion version : loaded.versions()) {
                distinctTags.addAll(version.tags());
                if (!version.framework().isEmpty()) {
                    allFrameworks.add(version.framework());
                }
            }
            Set<String> allTags = new TreeSet<>(distinctTags);
            distinctTags.forEach(tag -> Tags.key(tag).ifPresent(allTags::add)); // "team" picks every team=...
            return new Choices(List.copyOf(allTags), List.copyOf(new TreeSet<>(allFrameworks)));
        }
    }

    /**
     * Filters the model list off the FX thread: matching 100,000 versions takes a few hundred
     * milliseconds, longer than the time between two keystrokes. A newer filter cancels the one
     * still running, so only the last keystroke's list is shown.
     */
    private void applyFilters() {
        if (snapshot == null || showing) {
            return;
        }
        RegistrySnapshot source = snapshot;
        ModelQuery query = ModelQuery.all()
                .withStage(stageFilter.get())
                .withTag(blankToNull(tagFilter.get()))
                .withFramework(blankToNull(frameworkFilter.get()));
        String text = blankToNull(searchText.get());
        if (runningFilter != null) {
            runningFilter.cancel();
        }
        filtering.set(true);
        BackgroundTask<List<ModelSummary>> task = BackgroundTask.withProgress("Filtering " + summary.get(),
                progress -> matchingModels(source, query, text, progress));
        runningFilter = task;
        task.onSuccess(shown -> {
                    if (runningFilter == task) {
                        filtering.set(false);
                    }
                    showFiltered(shown);
                })
                .onFailure(error -> {
                    if (runningFilter == task) {
                        filtering.set(false);
                    }
                    dialogs.showError("Cannot filter the model list", error);
                })
                .executeWith(executor);
    }

    /**
     * The models of {@code source} with a version that passes {@code query} and, when given, whose
     * name, description or tags hold {@code text}; in the snapshot's order. A model is matched once:
     * its other versions are not looked at.
     */
    static List<ModelSummary> matchingModels(RegistrySnapshot source, ModelQuery query, String text,
                                             BackgroundTask.Progress progress) {
        if (text == null && query.equals(ModelQuery.all())) {
            return source.listModels(); // every model: nothing to match
        }
        ModelQuery byText = text == null ? query : query.withText(text);
        ModelQuery byName = text == null ? null : query.withName(text);
        Set<String> matching = new HashSet<>();
        int looked = 0;
        for (ModelVersion version : source.versions()) {
            if (++looked % CANCEL_CHECK_EVERY == 0) {
                progress.checkCancelled();
            }
            if (!matching.contains(version.name()) && (byText.matches(version) || (byName != null && byName.matches(version)))) {
                matching.add(version.name());
            }
        }
        return source.listModels().stream().filter(model -> matching.contains(model.name())).toList();
    }

    private void showFiltered(List<ModelSummary> shown) {
        String selectedName = selectedModel.get() == null ? null : selectedModel.get().name();
        if (pendingSelection != null) {
            selectedName = pendingSelection.substring(0, pendingSelection.indexOf(':'));
        }
        if (selectedName == null) {
            selectedName = preferredModel;
        }
        preferredModel = null;
        models.setAll(shown);
        String keep = selectedName;
        ModelSummary reselect = shown.stream().filter(model -> model.name().equals(keep)).findFirst()
                .orElse(shown.isEmpty() ? null : shown.get(0));
        if (reselect != null && selectedModel.get() != null && reselect.name().equals(selectedModel.get().name())) {
            // Same model: refresh its versions in place, since the summary object may be equal.
            selectedModel.set(reselect);
            showVersionsOf(reselect);
        } else {
            selectedModel.set(reselect);
        }
    }

    private void showVersionsOf(ModelSummary model) {
        List<String> keepSelected = pendingSelection != null ? List.of(pendingSelection)
                : selectedVersions.stream().map(ModelVersion::id).toList();
        pendingSelection = null;
        List<ModelVersion> list = model == null || snapshot == null ? List.of() : snapshot.listVersions(model.name());
        versions.setAll(list);
        metricColumns.setAll(mainMetrics(list));
        List<ModelVersion> reselected = list.stream().filter(version -> keepSelected.contains(version.id())).toList();
        if (reselected.isEmpty() && !list.isEmpty()) {
            reselected = List.of(list.get(list.size() - 1));
        }
        selectedVersions.setAll(reselected);
    }

    private void loadDetails(ModelVersion version) {
        artifactCheck.set(null);
        configText.set("");
        inspection.set(null);
        inspectionProblem.set(null);
        inspecting.set(false);
        if (version == null || registry == null) {
            return;
        }
        ModelRegistry source = registry;
        inspecting.set(true);
        // Off the FX thread: a large file takes a while, and a 10,000-tensor header makes a long list.
        BackgroundTask.wrap("Inspecting " + version.name() + " " + version.version(),
                        () -> source.inspectArtifact(version))
                .onSuccess(found -> {
                    if (version.equals(selectedVersion.get())) {
                        inspecting.set(false);
                        inspection.set(found);
                    }
                })
                .onFailure(error -> {
                    if (version.equals(selectedVersion.get())) {
                        inspecting.set(false);
                        inspectionProblem.set(ErrorReport.describe(error));
                    }
                })
                .executeWith(executor);
        BackgroundTask.wrap("Reading the configuration", () -> configText(source.configuration(version)))
                .onSuccess(text -> {
                    if (version.equals(selectedVersion.get())) {
                        configText.set(text);
                    }
                })
                .onFailure(error -> {
                    if (version.equals(selectedVersion.get())) {
                        configText.set("(config.yaml cannot be read: " + ErrorReport.describe(error) + ")");
                    }
                })
                .executeWith(executor);
    }

    /** What the details pane shows: the YAML the CLI's registry show prints too, and why config.yaml was not used. */
    static String configText(VersionConfig config) {
        String text = config.isEmpty() ? "No configuration" : config.yaml().stripTrailing();
        return config.problem().map(problem -> text + "\n\n(config.yaml could not be read: " + problem + ")").orElse(text);
    }

    /** The window title of a stage move: it names the move ("Archive m v1", "Promote m v2 to production"). */
    static String moveTitle(ModelVersion version, ModelStage target) {
        String what = version.name() + " " + version.version();
        if (target == ModelStage.ARCHIVED) {
            return "Archive " + what;
        }
        if (version.stage() == ModelStage.ARCHIVED) {
            return "Restore " + what + " to " + target.value();
        }
        return (target.ordinal() > version.stage().ordinal() ? "Promote " : "Move ") + what + " to " + target.value();
    }

    /** The confirm button of a stage move: what it does, in a few words. */
    static String moveVerb(ModelVersion version, ModelStage target) {
        if (target == ModelStage.ARCHIVED) {
            return "Archive";
        }
        if (version.stage() == ModelStage.ARCHIVED) {
            return "Restore to " + target.value();
        }
        return (target.ordinal() > version.stage().ordinal() ? "Promote to " : "Move to ") + target.value();
    }

    /** The metrics most versions have, most common first, at most {@link #METRIC_COLUMNS}. */
    static List<String> mainMetrics(List<ModelVersion> list) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ModelVersion version : list) {
            version.metrics().keySet().forEach(metric -> counts.merge(metric, 1, Integer::sum));
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(METRIC_COLUMNS)
                .map(Map.Entry::getKey)
                .collect(Collectors.toList());
    }

    /** The sentence a confirmation shows: what moves, and what is archived as a consequence. */
    String consequences(ModelVersion version, ModelStage target) {
        List<String> lines = new ArrayList<>();
        lines.add(version.version() + " moves from " + version.stage().value() + " to " + target.value() + ".");
        if (target == ModelStage.PRODUCTION) {
            versions.stream()
                    .filter(other -> other.stage() == ModelStage.PRODUCTION && !other.version().equals(version.version()))
                    .forEach(other -> lines.add(other.version() + " (now in production) will be archived."));
        }
        if (version.stage() == ModelStage.PRODUCTION && target != ModelStage.PRODUCTION) {
            lines.add(version.name() + " will have no production version until another is promoted.");
        }
        if (reasonRequired(target)) {
            lines.add("The workspace policy requires a reason.");
        }
        lines.add("The change is recorded in the stage history and the audit trail as " + registry.user() + ".");
        return String.join("\n", lines);
    }

    /** The stage an archived version had before it was archived; development when unknown. */
    static ModelStage stageBeforeArchive(ModelVersion version) {
        return version.stageHistory().stream()
                .filter(transition -> transition.to() == ModelStage.ARCHIVED && transition.from() != null)
                .max(Comparator.comparing(transition -> transition.at()))
                .map(transition -> transition.from())
                .filter(stage -> stage != ModelStage.ARCHIVED)
                .orElse(ModelStage.DEVELOPMENT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
