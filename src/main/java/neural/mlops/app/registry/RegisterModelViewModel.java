package neural.mlops.app.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.ErrorReport;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.store.Names;

/**
 * The Register Model dialog: the fields, their validation as the user types, the next-version
 * suggestion, and the copy of the model file in the background with progress and cancel.
 */
public final class RegisterModelViewModel {

    private static final Pattern SEMVER = Pattern.compile("(v?)(\\d+)\\.(\\d+)\\.(\\d+)");

    // Properties: input
    private final ObjectProperty<Path> modelFile = new SimpleObjectProperty<>();
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty version = new SimpleStringProperty("");
    private final StringProperty framework = new SimpleStringProperty("");
    private final StringProperty description = new SimpleStringProperty("");
    private final ObservableList<MetricEntry> metrics = FXCollections.observableArrayList(
            entry -> new javafx.beans.Observable[] {entry.name, entry.value});
    private final ObservableList<String> tags = FXCollections.observableArrayList();

    // Properties: output
    private final ObservableList<String> existingNames = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper nameProblem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper versionProblem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper fileProblem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper metricsProblem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper frameworkProblem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper suggestedVersion = new ReadOnlyStringWrapper("v1.0.0");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();
    // The metric being typed in the new-metric fields, not yet added to the list.
    private final StringProperty newMetricName = new SimpleStringProperty("");
    private final StringProperty newMetricValue = new SimpleStringProperty("");
    private final BooleanBinding canRegister;

    private final ModelRegistry registry;
    private final TaskExecutor executor;
    private final DialogService dialogs;
    private final Function<String, List<ModelVersion>> versionsOf;
    private BackgroundTask<ModelVersion> task;

    public RegisterModelViewModel(ModelRegistry registry, TaskExecutor executor, DialogService dialogs,
                                  List<String> names, Function<String, List<ModelVersion>> versionsOf) {
        this.registry = registry;
        this.executor = executor;
        this.dialogs = dialogs;
        this.versionsOf = versionsOf;
        existingNames.setAll(names);
        nameProblem.bind(Bindings.createStringBinding(() -> problem("model name", name.get()), name));
        versionProblem.bind(Bindings.createStringBinding(this::checkVersion, name, version));
        fileProblem.bind(Bindings.createStringBinding(this::checkFile, modelFile));
        metricsProblem.bind(Bindings.createStringBinding(this::checkMetrics, metrics));
        frameworkProblem.bind(Bindings.createStringBinding(() -> framework.get() == null || framework.get().isBlank()
                ? "Enter the framework (pytorch, tensorflow, sklearn, ...)." : null, framework));
        suggestedVersion.bind(Bindings.createStringBinding(() -> nextVersion(versionsOf.apply(name.get())), name));
        canRegister = nameProblem.isNull().and(versionProblem.isNull()).and(fileProblem.isNull())
                .and(metricsProblem.isNull()).and(frameworkProblem.isNull()).and(running.not());
        name.addListener((observable, old, current) -> {
            if (version.get().isBlank() || version.get().equals(nextVersion(versionsOf.apply(old)))) {
                version.set(suggestedVersion.get());
            }
        });
        version.set(suggestedVersion.get());
    }

    public ObjectProperty<Path> modelFileProperty() {
        return modelFile;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty versionProperty() {
        return version;
    }

    public StringProperty frameworkProperty() {
        return framework;
    }

    public StringProperty descriptionProperty() {
        return description;
    }

    public ObservableList<MetricEntry> metrics() {
        return metrics;
    }

    public ObservableList<String> tags() {
        return tags;
    }

    public ObservableList<String> existingNames() {
        return existingNames;
    }

    public ReadOnlyStringProperty nameProblemProperty() {
        return nameProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty versionProblemProperty() {
        return versionProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty fileProblemProperty() {
        return fileProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty metricsProblemProperty() {
        return metricsProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty frameworkProblemProperty() {
        return frameworkProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty suggestedVersionProperty() {
        return suggestedVersion.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** The core's message when the registration failed, else null. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public BooleanBinding canRegisterProperty() {
        return canRegister;
    }

    // Commands

    /** Asks for the model file with the platform's file chooser. */
    public void chooseModelFile() {
        Path start = modelFile.get() == null ? null : modelFile.get().getParent();
        dialogs.chooseFileToOpen("Choose the model file", start).ifPresent(modelFile::set);
    }

    public void addMetric(String metricName, String value) {
        metrics.add(new MetricEntry(metricName, value));
    }

    /** The name typed in the new-metric field. */
    public StringProperty newMetricNameProperty() {
        return newMetricName;
    }

    /** The value typed in the new-metric field. */
    public StringProperty newMetricValueProperty() {
        return newMetricValue;
    }

    /** Adds the metric typed in the new-metric fields and clears them; nothing when no name was typed. */
    public void addNewMetric() {
        String typedName = newMetricName.get() == null ? "" : newMetricName.get().strip();
        if (typedName.isEmpty()) {
            return;
        }
        addMetric(typedName, newMetricValue.get() == null ? "" : newMetricValue.get().strip());
        newMetricName.set("");
        newMetricValue.set("");
    }

    /** Adds a tag once; blank input is ignored. */
    public void addTag(String tag) {
        String clean = tag == null ? "" : tag.strip();
        if (!clean.isEmpty() && !tags.contains(clean)) {
            tags.add(clean);
        }
    }

    /** Copies the model file in the background; {@code onRegistered} runs on success. */
    public void register(Consumer<ModelVersion> onRegistered) {
        // A metric typed but not added is never lost: it is added now, and one that is not valid
        // stops the registration with its problem shown.
        addNewMetric();
        if (!canRegister.get()) {
            return;
        }
        RegisterRequest.Builder request = RegisterRequest.builder(name.get().strip(), version.get().strip(), modelFile.get())
                .framework(framework.get().strip())
                .createdBy(registry.user())
                .description(description.get().strip())
                .tags(List.copyOf(tags));
        parsedMetrics().forEach(request::metric);
        RegisterRequest built;
        try {
            built = request.build();
        } catch (RuntimeException e) {
            error.set(ErrorReport.describe(e));
            return;
        }
        error.set(null);
        running.set(true);
        progress.set(0);
        task = BackgroundTask.withProgress("Registering " + built.name() + " " + built.version(), work ->
                        registry.registerModel(built, (done, total) -> {
                            work.report(done, total, null);
                            return !work.isCancelled();
                        }))
                .onProgress((done, total, text) -> progress.set(total > 0 ? (double) done / total : -1))
                .onSuccess(registered -> {
                    running.set(false);
                    progress.set(1);
                    onRegistered.accept(registered);
                })
                .onFailure(failure -> {
                    running.set(false);
                    error.set(ErrorReport.inline(failure, dialogs, "Cannot register the model"));
                })
                .onCancelled(() -> {
                    running.set(false);
                    progress.set(0);
                    error.set("Registration cancelled; nothing was registered.");
                });
        task.executeWith(executor);
    }

    /** Cancels a running copy; the core removes what it had copied. */
    public void cancel() {
        if (task != null) {
            task.cancel();
        }
    }

    // Validation

    private String checkVersion() {
        String problem = problem("version", version.get());
        if (problem != null) {
            return problem;
        }
        String wanted = version.get().strip();
        boolean exists = versionsOf.apply(name.get().strip()).stream().anyMatch(v -> v.version().equals(wanted));
        return exists ? name.get().strip() + " " + wanted + " already exists; choose a new version (suggested: "
                + nextVersion(versionsOf.apply(name.get().strip())) + ")" : null;
    }

    private String checkFile() {
        Path file = modelFile.get();
        if (file == null) {
            return "Choose the model file to register.";
        }
        if (Files.isDirectory(file)) {
            return file.getFileName() + " is a folder; choose the model file itself.";
        }
        if (!Files.isRegularFile(file)) {
            return file + " does not exist.";
        }
        return null;
    }

    private String checkMetrics() {
        for (MetricEntry entry : metrics) {
            if (entry.name.get() == null || entry.name.get().isBlank()) {
                return "Every metric needs a name.";
            }
            try {
                double value = Double.parseDouble(entry.value.get().strip());
                if (!Double.isFinite(value)) {
                    return "Metric " + entry.name.get() + " must be a finite number.";
                }
            } catch (NumberFormatException | NullPointerException e) {
                return "Metric " + entry.name.get() + " must be a number, not " + Names.quote(entry.value.get()) + ".";
            }
        }
        long distinct = metrics.stream().map(entry -> entry.name.get().strip()).distinct().count();
        return distinct < metrics.size() ? "Each metric may appear once." : null;
    }

    private Map<String, Double> parsedMetrics() {
        Map<String, Double> parsed = new LinkedHashMap<>();
        for (MetricEntry entry : metrics) {
            parsed.put(entry.name.get().strip(), Double.parseDouble(entry.value.get().strip()));
        }
        return parsed;
    }

    private static String problem(String kind, String value) {
        String problem = Names.problem(value == null ? "" : value.strip());
        return problem == null ? null : "Invalid " + kind + ": " + problem + ".";
    }

    /** The next minor version after the highest semantic version of {@code existing}; v1.0.0 when none. */
    static String nextVersion(List<ModelVersion> existing) {
        int[] best = null;
        String prefix = "v";
        for (ModelVersion candidate : existing) {
            Matcher matcher = SEMVER.matcher(candidate.version());
            if (matcher.matches()) {
                int[] parts = {Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)),
                    Integer.parseInt(matcher.group(4))};
                if (best == null || compare(parts, best) > 0) {
                    best = parts;
                    prefix = matcher.group(1);
                }
            }
        }
        if (best == null) {
            return existing.isEmpty() ? "v1.0.0" : "v" + (existing.size() + 1) + ".0.0";
        }
        return prefix + best[0] + "." + (best[1] + 1) + ".0";
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }

    /** One row of the metrics editor. */
    public static final class MetricEntry {
        private final StringProperty name;
        private final StringProperty value;

        public MetricEntry(String name, String value) {
            this.name = new SimpleStringProperty(name);
            this.value = new SimpleStringProperty(value);
        }

        public StringProperty nameProperty() {
            return name;
        }

        public StringProperty valueProperty() {
            return value;
        }
    }
}
