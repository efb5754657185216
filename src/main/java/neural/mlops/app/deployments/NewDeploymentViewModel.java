package neural.mlops.app.deployments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.ErrorReport;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.deployment.CreatedDeployment;
import neural.mlops.deployment.Deployment;
import neural.mlops.deployment.DeploymentManager;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelSummary;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.RegistrySnapshot;
import neural.mlops.store.Names;

/**
 * The New Deployment dialog: model and version pickers from the registry (the version defaults
 * to the model's production version), the environment, and the endpoint, validated as the user
 * types with the core's rule and suggested from the model's last deployment there. Creates the
 * deployment in the background, and activates it at once when asked.
 */
public final class NewDeploymentViewModel {

    /** Offered even before any deployment uses them. */
    static final List<String> COMMON_ENVIRONMENTS = List.of("development", "staging", "production");

    // Properties: input
    private final StringProperty model = new SimpleStringProperty("");
    private final StringProperty version = new SimpleStringProperty("");
    private final StringProperty environment = new SimpleStringProperty("staging");
    private final StringProperty endpoint = new SimpleStringProperty("");
    private final BooleanProperty activateNow = new SimpleBooleanProperty(false);

    // Properties: output
    private final ObservableList<String> models = FXCollections.observableArrayList();
    private final ObservableList<ModelVersion> versions = FXCollections.observableArrayList();
    private final ObservableList<String> environments = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper modelProblem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper environmentProblem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper endpointProblem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper warning = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(false);
    private final BooleanBinding canCreate;

    private final DeploymentManager manager;
    private final ModelRegistry registry;
    private final TaskExecutor executor;
    private final DialogService dialogs;
    private final List<Deployment> existing;
    private RegistrySnapshot snapshot;
    private String preferredModel;
    private String lastSuggestion = "";

    public NewDeploymentViewModel(DeploymentManager manager, ModelRegistry registry, TaskExecutor executor,
                                  DialogService dialogs, List<Deployment> existing) {
        this.manager = manager;
        this.registry = registry;
        this.executor = executor;
        this.dialogs = dialogs;
        this.existing = List.copyOf(existing);
        TreeSet<String> known = new TreeSet<>(COMMON_ENVIRONMENTS);
        existing.forEach(deployment -> known.add(deployment.environment()));
        environments.setAll(known);
        modelProblem.bind(Bindings.createStringBinding(this::checkModel, model, version, loaded));
        environmentProblem.bind(Bindings.createStringBinding(() -> {
            String problem = Names.problem(environment.get() == null ? "" : environment.get().strip());
            return problem == null ? null : "Invalid environment: " + problem + ".";
        }, environment));
        endpointProblem.bind(Bindings.createStringBinding(() -> DeploymentManager.endpointProblem(
                endpoint.get() == null ? "" : endpoint.get().strip())
                .map(problem -> "Invalid endpoint: " + problem + "; give a URL such as http://localhost:8080/predict.")
                .orElse(null), endpoint));
        warning.bind(Bindings.createStringBinding(this::checkStage, version, environment, versions));
        canCreate = modelProblem.isNull().and(environmentProblem.isNull()).and(endpointProblem.isNull())
                .and(running.not()).and(loaded);
        model.addListener((observable, old, current) -> showVersionsOf(current));
        model.addListener((observable, old, current) -> suggestEndpoint());
        environment.addListener((observable, old, current) -> suggestEndpoint());
    }

    // Inputs

    public StringProperty modelProperty() {
        return model;
    }

    public StringProperty versionProperty() {
        return version;
    }

    public StringProperty environmentProperty() {
        return environment;
    }

    public StringProperty endpointProperty() {
        return endpoint;
    }

    /** Activate the deployment as soon as it is created. */
    public BooleanProperty activateNowProperty() {
        return activateNow;
    }

    // Outputs

    public ObservableList<String> models() {
        return models;
    }

    /** The chosen model's versions, newest first. */
    public ObservableList<ModelVersion> versions() {
        return versions;
    }

    public ObservableList<String> environments() {
        return environments;
    }

    public ReadOnlyStringProperty modelProblemProperty() {
        return modelProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty environmentProblemProperty() {
        return environmentProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty endpointProblemProperty() {
        return endpointProblem.getReadOnlyProperty();
    }

    /** Allowed but worth saying: a version that is not in production going to production. */
    public ReadOnlyStringProperty warningProperty() {
        return warning.getReadOnlyProperty();
    }

    /** The core's message when creating failed. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public BooleanBinding canCreateProperty() {
        return canCreate;
    }

    // Commands

    /** Chooses {@code name} once the registry is loaded, if it has it. */
    void preferModel(String name) {
        this.preferredModel = name;
    }

    /** Reads the registry in the background and fills the pickers. */
    public void load() {
        if (registry == null) {
            return;
        }
        BackgroundTask.wrap("Reading the model registry", registry::snapshot)
                .onSuccess(this::show)
                .onFailure(failure -> error.set("Cannot read the model registry: "
                        + ErrorReport.inline(failure, dialogs, "Cannot read the model registry")))
                .executeWith(executor);
    }

    /** Creates the deployment (and activates it if asked) in the background; {@code onCreated} gets it. */
    public void create(Consumer<Deployment> onCreated) {
        if (!canCreate.get()) {
            return;
        }
        String name = model.get().strip();
        String chosen = version.get().strip();
        String env = environment.get().strip();
        String url = endpoint.get().strip();
        boolean activate = activateNow.get();
        error.set(null);
        running.set(true);
        BackgroundTask.wrap("Creating a deployment of " + name + " " + chosen, () -> {
                    CreatedDeployment created = manager.createDeployment(name, chosen, env, url);
                    return activate ? manager.activateDeployment(created.id(), "Activated on creation") : created.deployment();
                })
                .onSuccess(deployment -> {
                    running.set(false);
                    onCreated.accept(deployment);
                })
                .onFailure(failure -> {
                    running.set(false);
                    error.set(ErrorReport.inline(failure, dialogs, "Cannot create the deployment"));
                })
                .executeWith(executor);
    }

    // Internals

    private void show(RegistrySnapshot loadedSnapshot) {
        snapshot = loadedSnapshot;
        models.setAll(loadedSnapshot.listModels().stream().map(ModelSummary::name).toList());
        loaded.set(true);
        String first = preferredModel != null && models.contains(preferredModel) ? preferredModel
                : models.contains(model.get()) ? model.get() : models.isEmpty() ? "" : models.get(0);
        if (first.equals(model.get())) {
            showVersionsOf(first);
        } else {
            model.set(first);
        }
    }

    private void showVersionsOf(String name) {
        if (snapshot == null) {
            return;
        }
        List<ModelVersion> list = new ArrayList<>(name == null || name.isBlank() ? List.of() : snapshot.listVersions(name.strip()));
        list.sort(Comparator.comparing(ModelVersion::createdAt).reversed());
        versions.setAll(list);
        Optional<ModelVersion> production = list.stream().filter(v -> v.stage() == ModelStage.PRODUCTION).findFirst();
        version.set(production.or(() -> list.stream().findFirst()).map(ModelVersion::version).orElse(""));
    }

    /** The endpoint of the model's latest deployment in the environment, unless the user typed one. */
    private void suggestEndpoint() {
        String current = endpoint.get() == null ? "" : endpoint.get();
        if (!current.isBlank() && !current.equals(lastSuggestion)) {
            return;
        }
        String name = model.get();
        String env = environment.get();
        String suggestion = existing.stream()
                .filter(d -> d.modelName().equals(name) && d.environment().equals(env))
                .max(Comparator.comparing(Deployment::createdAt))
                .map(d -> d.endpoint().toString())
                .orElse("");
        lastSuggestion = suggestion;
        endpoint.set(suggestion);
    }

    private String checkModel() {
        if (!loaded.get()) {
            return "Reading the model registry\u2026";
        }
        if (models.isEmpty()) {
            return "The registry holds no model yet; register one in the Registry tab first.";
        }
        String name = model.get() == null ? "" : model.get().strip();
        if (name.isEmpty()) {
            return "Choose the model to deploy.";
        }
        if (!models.contains(name)) {
            return "The registry has no model " + Names.quote(name) + ".";
        }
        String chosen = version.get() == null ? "" : version.get().strip();
        if (chosen.isEmpty()) {
            return "Choose the version to deploy.";
        }
        if (snapshot.listVersions(name).stream().noneMatch(v -> v.version().equals(chosen))) {
            return name + " has no version " + Names.quote(chosen) + ".";
        }
        return null;
    }

    private String checkStage() {
        String chosen = version.get();
        String env = environment.get() == null ? "" : environment.get().strip();
        if (!DeploymentManager.PRODUCTION.equalsIgnoreCase(env)) {
            return null;
        }
        return versions.stream().filter(v -> v.version().equals(chosen) && v.stage() != ModelStage.PRODUCTION)
                .findFirst()
                .map(v -> v.version() + " is in stage " + v.stage().value() + ", not production; the deployment "
                        + "records a warning in its history and the audit trail.")
                .orElse(null);
    }
}
