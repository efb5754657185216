package neural.mlops.app.registry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.ErrorReport;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.Lineage;
import neural.mlops.registry.LineageField;
import neural.mlops.registry.ModelDocument;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelUpdate;
import neural.mlops.registry.ModelVersion;

/**
 * The inline edit of the details pane (issue 21): a version's description, tags and lineage, or a
 * model's own description and tags. {@link #edit} fills the fields from what is shown, the user
 * changes them, {@link #save()} sends only what differs to the registry on the background executor
 * (one audited {@code model_updated} event there), {@link #cancel()} drops the changes. A refused
 * edit leaves the fields as typed and shows the core's message in {@link #errorProperty()}; the
 * pane shows it, no dialog.
 *
 * <p>Tags are typed as one line, separated by commas ({@code baseline, team=fraud}).
 */
public final class DetailsEditor {

    // Properties: input
    private final StringProperty description = new SimpleStringProperty("");
    private final StringProperty tags = new SimpleStringProperty("");
    private final StringProperty sourceCommit = new SimpleStringProperty("");
    private final StringProperty runId = new SimpleStringProperty("");
    private final StringProperty dataset = new SimpleStringProperty("");
    private final StringProperty parentVersion = new SimpleStringProperty("");

    // Properties: output
    private final ReadOnlyBooleanWrapper editing = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper saving = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();

    private final TaskExecutor executor;
    private final Supplier<ModelRegistry> registry;
    private final Consumer<Object> saved;
    /** What is being edited: a {@link ModelVersion} or a {@link ModelDocument}; null when not editing. */
    private Object target;

    /**
     * @param registry the registry open now (null when none)
     * @param saved called on the FX thread with the version or model document as saved
     */
    public DetailsEditor(TaskExecutor executor, Supplier<ModelRegistry> registry, Consumer<Object> saved) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.saved = Objects.requireNonNull(saved, "saved");
    }

    public StringProperty descriptionProperty() {
        return description;
    }

    /** The tags, comma-separated. */
    public StringProperty tagsProperty() {
        return tags;
    }

    public StringProperty lineageProperty(LineageField field) {
        return switch (field) {
            case SOURCE_COMMIT -> sourceCommit;
            case RUN_ID -> runId;
            case DATASET -> dataset;
            case PARENT_VERSION -> parentVersion;
        };
    }

    public ReadOnlyBooleanProperty editingProperty() {
        return editing.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty savingProperty() {
        return saving.getReadOnlyProperty();
    }

    /** Why the last save was refused; null when it was not. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** True while a version (not a model's document) is edited: only a version has lineage. */
    public boolean editsVersion() {
        return target instanceof ModelVersion;
    }

    // Commands

    /** Starts editing {@code shown}, a {@link ModelVersion} or a {@link ModelDocument}, with its stored values. */
    public void edit(Object shown) {
        if (shown instanceof ModelVersion version) {
            fill(version.description(), version.tags(), version.lineage());
        } else if (shown instanceof ModelDocument document) {
            fill(document.description(), document.tags(), Lineage.NONE);
        } else {
            throw new IllegalArgumentException("Only a version or a model's document can be edited: " + shown);
        }
        target = shown;
        error.set(null);
        editing.set(true);
    }

    /** Drops the changes typed. */
    public void cancel() {
        target = null;
        error.set(null);
        editing.set(false);
    }

    /** Saves what differs from the stored values; with nothing different, just stops editing. */
    public void save() {
        Object editedTarget = target;
        ModelRegistry source = registry.get();
        if (editedTarget == null || source == null || saving.get()) {
            return;
        }
        ModelUpdate update;
        try {
            update = update(editedTarget);
        } catch (RuntimeException refused) {
            error.set(ErrorReport.describe(refused));
            return;
        }
        if (update.isEmpty()) {
            cancel();
            return;
        }
        saving.set(true);
        error.set(null);
        BackgroundTask.wrap("Saving " + what(editedTarget), () -> editedTarget instanceof ModelVersion version
                        ? source.updateModel(version.name(), version.version(), update)
                        : source.updateModelDocument(((ModelDocument) editedTarget).name(), update))
                .onSuccess(result -> {
                    saving.set(false);
                    if (target == editedTarget) {
                        cancel();
                    }
                    saved.accept(result);
                })
                .onFailure(failure -> {
                    saving.set(false);
                    if (target == editedTarget) {
                        error.set(ErrorReport.describe(failure));
                    }
                })
                .executeWith(executor);
    }

    // Internals

    private void fill(String storedDescription, List<String> storedTags, Lineage lineage) {
        description.set(storedDescription);
        tags.set(String.join(", ", storedTags));
        for (LineageField field : LineageField.values()) {
            String value = field.of(lineage);
            lineageProperty(field).set(value == null ? "" : value);
        }
    }

    /** The changes typed against {@code stored}: tags no longer listed are removed, new ones added. */
    private ModelUpdate update(Object stored) {
        ModelUpdate.Builder builder = ModelUpdate.builder();
        String storedDescription = stored instanceof ModelVersion v ? v.description() : ((ModelDocument) stored).description();
        List<String> storedTags = stored instanceof ModelVersion v ? v.tags() : ((ModelDocument) stored).tags();
        String typed = description.get() == null ? "" : description.get();
        if (!typed.equals(storedDescription)) {
            builder.description(typed);
        }
        List<String> wanted = splitTags(tags.get());
        List<String> lowerWanted = wanted.stream().map(tag -> tag.toLowerCase(Locale.ROOT)).toList();
        List<String> lowerStored = storedTags.stream().map(tag -> tag.toLowerCase(Locale.ROOT)).toList();
        if (!lowerWanted.equals(lowerStored)) {
            storedTags.stream().filter(tag -> !lowerWanted.contains(tag.toLowerCase(Locale.ROOT)))
                    .forEach(builder::removeTag);
            wanted.forEach(builder::addTag);
        }
        if (stored instanceof ModelVersion version) {
            for (LineageField field : LineageField.values()) {
                String before = field.of(version.lineage());
                String now = lineageProperty(field).get() == null ? "" : lineageProperty(field).get().strip();
                if (!now.equals(before == null ? "" : before)) {
                    builder.lineage(field, now);
                }
            }
        }
        return builder.build();
    }

    private static List<String> splitTags(String text) {
        List<String> split = new ArrayList<>();
        if (text == null) {
            return split;
        }
        Arrays.stream(text.split(",")).map(String::strip).filter(tag -> !tag.isEmpty()).forEach(split::add);
        return split;
    }

    private static String what(Object edited) {
        return edited instanceof ModelVersion version ? version.name() + " " + version.version()
                : "the model " + ((ModelDocument) edited).name();
    }
}
