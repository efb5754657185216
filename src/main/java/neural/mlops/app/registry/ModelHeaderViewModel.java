package neural.mlops.app.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.Confirmation;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.ErrorReport;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.ModelDocument;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelSummary;
import neural.mlops.registry.ModelVersion;

/**
 * The model header of the details pane (issue 21): the selected model's own description and tags
 * ({@code models/<name>/model.json}), edited inline through {@link #editor()}, and the operations on
 * the whole model, "Archive model..." and "Delete model...", each confirmed with a required reason
 * (Cancel is the default). The core decides: a refusal (a version in production or deployed) is
 * shown as its message.
 */
public final class ModelHeaderViewModel {

    private final ReadOnlyObjectWrapper<ModelDocument> document = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper();

    private final TaskExecutor executor;
    private final DialogService dialogs;
    private final Supplier<ModelRegistry> registry;
    private final ObservableValue<ModelSummary> selectedModel;
    private final Runnable changed;
    private final DetailsEditor editor;

    /**
     * @param registry the registry open now (null when none)
     * @param selectedModel the model whose header is shown
     * @param changed reloads the registry after a change to a whole model
     */
    public ModelHeaderViewModel(TaskExecutor executor, DialogService dialogs, Supplier<ModelRegistry> registry,
                                ObservableValue<ModelSummary> selectedModel, Runnable changed) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.dialogs = Objects.requireNonNull(dialogs, "dialogs");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.selectedModel = Objects.requireNonNull(selectedModel, "selectedModel");
        this.changed = Objects.requireNonNull(changed, "changed");
        this.editor = new DetailsEditor(executor, registry, saved -> document.set((ModelDocument) saved));
        selectedModel.addListener((observable, old, current) -> {
            if (old == null || current == null || !old.name().equals(current.name())) {
                editor.cancel();
            }
            load(current);
        });
    }

    /** The selected model's own document; null while none is selected or it is loading. */
    public ReadOnlyObjectProperty<ModelDocument> documentProperty() {
        return document.getReadOnlyProperty();
    }

    /** Why the model's document could not be read; null when it could. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** The inline edit of the model's description and tags. */
    public DetailsEditor editor() {
        return editor;
    }

    // Commands

    /** Starts editing the model's description and tags. */
    public void edit() {
        if (document.get() != null) {
            editor.edit(document.get());
        }
    }

    /** Archives every version of the selected model that is not archived, after a confirmation with a reason. */
    public void archiveModel() {
        ModelSummary model = selectedModel.getValue();
        ModelRegistry source = registry.get();
        if (model == null || source == null) {
            return;
        }
        Optional<String> reason = askReason(Confirmation.destructive("Archive " + model.name(),
                "Archive every version of " + model.name() + "?",
                "Each version that is not archived yet moves to archived, its production version too; each move is "
                        + "checked by the workspace policy and recorded in its stage history and the audit trail with "
                        + "your reason. Versions can be restored one by one.", "Archive model"));
        if (reason.isEmpty()) {
            return;
        }
        BackgroundTask.wrap("Archiving " + model.name(), () -> source.archiveModel(model.name(), reason.get()))
                .onSuccess(archived -> changed.run())
                .onFailure(error -> dialogs.showError("Cannot archive " + model.name(), error))
                .executeWith(executor);
    }

    /** Deletes the selected model, every version, after a confirmation with a reason; refused by the core while one is in use. */
    public void deleteModel() {
        ModelSummary model = selectedModel.getValue();
        ModelRegistry source = registry.get();
        if (model == null || source == null) {
            return;
        }
        Optional<String> reason = askReason(Confirmation.destructive("Delete " + model.name(),
                "Delete " + model.name() + " and its " + model.versionCount() + " version"
                        + (model.versionCount() == 1 ? "" : "s") + "?",
                "Every version's model file, config.yaml and metadata, and the model's own description, are removed. "
                        + "A model with a version in production or deployed is refused. The deletion is recorded in "
                        + "the audit trail with your reason. This cannot be undone.", "Delete model"));
        if (reason.isEmpty()) {
            return;
        }
        BackgroundTask.wrap("Deleting " + model.name(), () -> source.deleteModel(model.name(), reason.get()))
                .onSuccess((List<ModelVersion> deleted) -> changed.run())
                .onFailure(error -> dialogs.showError("Cannot delete " + model.name(), error))
                .executeWith(executor);
    }

    // Internals

    /** The reason typed, or empty when cancelled; a blank reason is refused here, with why. */
    private Optional<String> askReason(Confirmation confirmation) {
        Optional<String> reason = dialogs.confirmWithReason(confirmation);
        if (reason.isPresent() && reason.get().isBlank()) {
            dialogs.showError("A reason is required", confirmation.title() + " is recorded in the audit trail with "
                    + "why; give a reason.");
            return Optional.empty();
        }
        return reason;
    }

    private void load(ModelSummary model) {
        document.set(null);
        problem.set(null);
        ModelRegistry source = registry.get();
        if (model == null || source == null) {
            return;
        }
        BackgroundTask.wrap("Reading " + model.name(), () -> source.modelDocument(model.name()))
                .onSuccess(found -> {
                    if (isSelected(model)) {
                        document.set(found);
                    }
                })
                .onFailure(error -> {
                    if (isSelected(model)) {
                        problem.set(ErrorReport.describe(error));
                    }
                })
                .executeWith(executor);
    }

    private boolean isSelected(ModelSummary model) {
        ModelSummary now = selectedModel.getValue();
        return now != null && now.name().equals(model.name());
    }
}
