package neural.mlops.app.ci;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
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
import neural.mlops.ci.CiParameters;
import neural.mlops.ci.CiTemplateGenerator;
import neural.mlops.ci.Parameter;
import neural.mlops.ci.ParameterType;
import neural.mlops.ci.Platform;

/**
 * The CI Templates tab: the platform, a form with one field per parameter of the core's
 * definitions (defaults filled in, each checked by its rule as the user types), and the live
 * preview of the generated pipeline; Save As suggests the platform's conventional path. Generating
 * is a few milliseconds of in-memory work, so the preview follows every keystroke directly.
 */
public final class CiTemplatesViewModel {

    // Properties: input
    private final ObjectProperty<Platform> platform = new SimpleObjectProperty<>(Platform.GITHUB);
    private final ObservableList<Field> fields = FXCollections.observableArrayList(
            field -> new Observable[] {field.value});

    // Properties: output
    private final ReadOnlyStringWrapper preview = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final BooleanBinding canSave;

    private final CiTemplateGenerator generator = new CiTemplateGenerator();
    private final TaskExecutor executor;
    private final DialogService dialogs;
    /** The repository folder of the last Save As, so the next one offers the same place. */
    private Path repository;

    public CiTemplatesViewModel(TaskExecutor executor, DialogService dialogs) {
        this.executor = executor;
        this.dialogs = dialogs;
        for (Parameter parameter : CiParameters.definitions()) {
            fields.add(new Field(parameter));
        }
        canSave = Bindings.createBooleanBinding(() -> problem.get() == null && !preview.get().isEmpty(), problem, preview);
        platform.addListener((observable, old, current) -> regenerate());
        fields.addListener((javafx.collections.ListChangeListener<Field>) change -> regenerate());
        regenerate();
    }

    // Inputs

    public ObjectProperty<Platform> platformProperty() {
        return platform;
    }

    /** One field per parameter, in the core's order. */
    public ObservableList<Field> fields() {
        return fields;
    }

    /** The field of the parameter called {@code name}. */
    public Field field(String name) {
        return fields.stream().filter(field -> field.parameter().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No parameter " + name));
    }

    // Outputs

    /** The generated file, or the last good one while a value is invalid. */
    public ReadOnlyStringProperty previewProperty() {
        return preview.getReadOnlyProperty();
    }

    /** Why the pipeline cannot be generated as the form stands, else null. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Where the last Save As wrote. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public BooleanBinding canSaveProperty() {
        return canSave;
    }

    /** The file name the platform expects, relative to the repository: {@code .github/workflows/mlops.yml}. */
    public String conventionalPath() {
        return platform.get().conventionalPath().toString().replace('\\', '/');
    }

    // Commands

    /** Puts every field back to its default. */
    public void resetToDefaults() {
        fields.forEach(field -> field.value.set(field.parameter().defaultValue()));
    }

    /**
     * Asks where to save, suggesting the platform's conventional path inside the last repository
     * folder (or the home folder), and writes the pipeline there atomically.
     */
    public void saveAs() {
        if (!canSave.get()) {
            return;
        }
        String content = preview.get();
        Path conventional = platform.get().conventionalPath();
        Path base = repository != null ? repository : Path.of(System.getProperty("user.home"));
        Path folder = conventional.getParent() == null ? base : base.resolve(conventional.getParent());
        if (!Files.isDirectory(folder)) {
            folder = base;
        }
        String name = conventional.getFileName().toString();
        List<String> filters = platform.get().yaml() ? List.of("*.yml", "*.yaml") : List.of("*");
        Path chosenFolder = folder;
        dialogs.chooseFileToSave("Save " + platform.get().displayName() + " pipeline (" + conventionalPath() + ")",
                chosenFolder, name, filters).ifPresent(target -> {
                    repository = repositoryOf(target, conventional);
                    BackgroundTask.wrap("Saving " + target.getFileName(), () -> generator.saveTemplate(content, target))
                            .onSuccess(saved -> status.set("Saved " + saved))
                            .onFailure(error -> dialogs.showError("Cannot save the pipeline", error))
                            .executeWith(executor);
                });
    }

    // Internals

    private void regenerate() {
        CiParameters parameters = CiParameters.defaults();
        for (Field field : fields) {
            String fieldProblem = field.problem.get();
            if (fieldProblem != null) {
                problem.set(field.parameter().name() + ": " + fieldProblem);
                return;
            }
            parameters = parameters.with(field.parameter().name(), field.value.get());
        }
        try {
            preview.set(generator.generate(platform.get(), parameters));
            problem.set(null);
        } catch (RuntimeException e) {
            problem.set(ErrorReport.describe(e));
        }
    }

    /** The repository root when {@code target} sits at the conventional path inside one, else its folder. */
    static Path repositoryOf(Path target, Path conventional) {
        Path folder = target.toAbsolutePath().getParent();
        List<Path> parts = new ArrayList<>();
        conventional.forEach(parts::add);
        Path candidate = folder;
        for (int i = parts.size() - 2; i >= 0 && candidate != null; i--) {
            if (candidate.getFileName() == null || !candidate.getFileName().equals(parts.get(i))) {
                return folder;
            }
            candidate = candidate.getParent();
        }
        return candidate == null ? folder : candidate;
    }

    /** One parameter's field: its value (default first) and the rule it breaks, as the user types. */
    public static final class Field {
        private final Parameter parameter;
        private final StringProperty value;
        private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper();

        Field(Parameter parameter) {
            this.parameter = parameter;
            this.value = new SimpleStringProperty(parameter.defaultValue());
            problem.bind(Bindings.createStringBinding(() -> parameter.problem(value.get()).orElse(null), value));
        }

        public Parameter parameter() {
            return parameter;
        }

        public StringProperty valueProperty() {
            return value;
        }

        public ReadOnlyStringProperty problemProperty() {
            return problem.getReadOnlyProperty();
        }

        /** A yes-or-no parameter, shown as a check box. */
        public boolean isBoolean() {
            return parameter.type() == ParameterType.BOOLEAN;
        }

        /** A label for people: {@code staging_endpoint} reads "Staging endpoint". */
        public String label() {
            String words = parameter.name().replace('_', ' ');
            if (words.startsWith("ci ")) {
                return "CI " + words.substring(3);
            }
            return Character.toUpperCase(words.charAt(0)) + words.substring(1);
        }
    }
}
