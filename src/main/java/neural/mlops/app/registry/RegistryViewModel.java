package neural.mlops.app.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.ArtifactCheck;
import neural.mlops.registry.ModelQuery;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelSummary;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.Promotion;
import neural.mlops.registry.RegistryProblem;
import neural.mlops.registry.RegistrySnapshot;

/**
 * The Registry tab: the filtered model list, the selected model's versions, the selected version's
 * details, and the commands on them (promote, restore, compare, verify, delete, register). All
 * I/O runs through the {@link TaskExecutor}; results arrive on the FX thread.
 */
public final class RegistryViewModel {

    /** How many metrics get their own column in the versions table. */
    static final int METRIC_COLUMNS = 4;

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
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<CompareViewModel> comparison = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");

    private final BooleanBinding canCompare;
    private final BooleanBinding hasSelectedVersion;

    private final TaskExecutor executor;
    private final DialogService dialogs;
    private ModelRegistry registry;
    private RegistrySnapshot snapshot;
    /** The "name:version" to select after the next load (a promoted or registered version). */
    private String pendingSelection;
    /** True while a newly loaded snapshot replaces the filter choices. */
    private boolean showing;

    public RegistryViewModel(TaskExecutor executor, DialogService dialogs) {
        this.executor = executor;
        this.dialogs = dialogs;
        canCompare = Bindings.size(selectedVersions).greaterThanOrEqualTo(2);
        hasSelectedVersion = selectedVersion.isNotNull();
        selectedVersions.addListener((javafx.collections.ListChangeListener<ModelVersion>) change ->
                selectedVersion.set(selectedVersions.isEmpty() ? null : selectedVersions.get(selectedVersions.size() - 1)));
        selectedVersion.addListener((observable, old, current) -> loadDetails(current));
        selectedModel.addListener((observable, old, current) -> showVersionsOf(current));
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

    /** The last verification of the selected version's artifact, or null. */
    public ReadOnlyObjectProperty<ArtifactCheck> artifactCheckProperty() {
        return artifactCheck.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
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

    public BooleanBinding canCompareProperty() {
        return canCompare;
    }

    public BooleanBinding hasSelectedVersionProperty() {
        return hasSelectedVersion;
    }

    public ModelRegistry registry() {
        return registry;
    }

    /** Every version of every model in the last load, for the stage board. */
    public List<ModelVersion> allVersionsOfSelectedModel() {
        return List.copyOf(versions);
    }

    // Commands

    /** Attaches the registry of a newly opened workspace (or null to detach) and loads it. */
    public void setRegistry(ModelRegistry newRegistry) {
        this.registry = newRegistry;
        this.snapshot = null;
        available.set(newRegistry != null);
        selectedModel.set(null);
        models.clear();
        versions.clear();
        problems.clear();
        if (newRegistry != null) {
            refresh();
        }
    }

    /** Reloads the registry in the background, keeping the selection where it still exists. */
    public void refresh() {
        ModelRegistry source = registry;
        if (source == null) {
            return;
        }
        loading.set(true);
        BackgroundTask.wrap("Loading the model registry", source::snapshot)
                .onSuccess(loaded -> {
                    loading.set(false);
                    if (source == registry) {
                        show(loaded);
                    }
                })
                .onFailure(error -> {
                    loading.set(false);
                    dialogs.showError("Cannot load the model registry", error.getMessage());
                })
                .executeWith(executor);
    }

    /** True when the selected version can move to {@code target}: it exists and is elsewhere. */
    public boolean canMoveTo(ModelStage target) {
        ModelVersion version = selectedVersion.get();
        return version != null && version.stage() != target;
    }

    /** Moves the selected version to {@code target} after a confirmation that says what will change. */
    public void promote(ModelStage target) {
        ModelVersion version = selectedVersion.get();
        if (version != null) {
            promote(version, target);
        }
    }

    /** Moves {@code version} to {@code target} (also used by the stage board's drag and drop). */
    public void promote(ModelVersion version, ModelStage target) {
        if (registry == null || version.stage() == target) {
            return;
        }
        String header = version.name() + " " + version.version() + ": " + version.stage().value() + " \u2192 " + target.value();
        Optional<String> reason = dialogs.confirmWithReason(
                target == ModelStage.ARCHIVED ? "Archive version" : "Promote version", header, consequences(version, target));
        if (reason.isEmpty()) {
            return;
        }
        ModelRegistry target0 = registry;
        BackgroundTask.wrap("Moving " + version.name() + " " + version.version() + " to " + target.value(),
                        () -> target0.promoteModel(version.name(), version.version(), target, reason.get()))
                .onSuccess(this::afterPromotion)
                .onFailure(error -> dialogs.showError("Cannot move " + version.name() + " " + version.version(),
                        error.getMessage()))
                .executeWith(executor);
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
        comparison.set(new CompareViewModel(chosen, all));
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
                .onFailure(error -> dialogs.showError("Cannot verify the artifact", error.getMessage()))
                .executeWith(executor);
    }

    /** Deletes the selected version after confirmation; the core refuses production and deployed versions. */
    public void deleteSelected() {
        ModelVersion version = selectedVersion.get();
        if (version == null || registry == null) {
            return;
        }
        if (!dialogs.confirm("Delete version", "Delete " + version.name() + " " + version.version() + "?",
                "The model file, config.yaml and metadata of this version are removed. The deletion is "
                        + "recorded in the audit trail. This cannot be undone.")) {
            return;
        }
        ModelRegistry source = registry;
        BackgroundTask.wrap("Deleting " + version.name() + " " + version.version(),
                        () -> source.deleteVersion(version.name(), version.version(), false))
                .onSuccess(deleted -> refresh())
                .onFailure(error -> dialogs.showError("Cannot delete " + version.name() + " " + version.version(),
                        error.getMessage()))
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

    /** Called when a registration finished: reloads and selects the new version. */
    public void registered(ModelVersion version) {
        pendingSelection = version.name() + ":" + version.version();
        refresh();
    }

    // Internals

    private void afterPromotion(Promotion promotion) {
        pendingSelection = promotion.promoted().id();
        refresh();
    }

    private void show(RegistrySnapshot loaded) {
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

    private void updateChoices(RegistrySnapshot loaded) {
        snapshot = loaded;
        problems.setAll(loaded.problems());
        Set<String> allTags = new TreeSet<>();
        Set<String> allFrameworks = new TreeSet<>();
        for (ModelVersion version : loaded.versions()) {
            allTags.addAll(version.tags());
            if (!version.framework().isEmpty()) {
                allFrameworks.add(version.framework());
            }
        }
        tags.setAll(allTags);
        frameworks.setAll(allFrameworks);
        long versionCount = loaded.versions().size();
        int modelCount = loaded.listModels().size();
        summary.set(modelCount + (modelCount == 1 ? " model, " : " models, ") + versionCount
                + (versionCount == 1 ? " version" : " versions"));
    }

    private void applyFilters() {
        if (snapshot == null || showing) {
            return;
        }
        ModelQuery query = ModelQuery.all()
                .withStage(stageFilter.get())
                .withTag(blankToNull(tagFilter.get()))
                .withFramework(blankToNull(frameworkFilter.get()));
        String text = blankToNull(searchText.get());
        Set<String> matching = new TreeSet<>();
        for (ModelVersion version : snapshot.search(query)) {
            if (text == null || query.withText(text).matches(version) || query.withName(text).matches(version)) {
                matching.add(version.name());
            }
        }
        String selectedName = selectedModel.get() == null ? null : selectedModel.get().name();
        if (pendingSelection != null) {
            selectedName = pendingSelection.substring(0, pendingSelection.indexOf(':'));
        }
        List<ModelSummary> shown = snapshot.listModels().stream().filter(model -> matching.contains(model.name())).toList();
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
        if (version == null || registry == null) {
            return;
        }
        Path config = registry.configPath(version);
        BackgroundTask.wrap("Reading config.yaml", () -> readConfig(config))
                .onSuccess(text -> {
                    if (version.equals(selectedVersion.get())) {
                        configText.set(text);
                    }
                })
                .executeWith(executor);
    }

    private static String readConfig(Path config) throws IOException {
        if (!Files.isRegularFile(config)) {
            return "";
        }
        if (Files.size(config) > 256 * 1024) {
            return "(config.yaml is larger than 256 KiB; open " + config + " to read it)";
        }
        return Files.readString(config, StandardCharsets.UTF_8);
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
