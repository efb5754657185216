package neural.mlops.app.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.Confirmation;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.Alias;
import neural.mlops.registry.Aliases;
import neural.mlops.registry.ModelVersion;

/**
 * The aliases of the selected model in the registry tab (issue 21): the chips on the version rows,
 * the stage-board cards and the details pane read {@link #aliases()}; "Set alias..." and "Remove
 * alias" change them through the workspace's {@link Aliases} on the background executor. The core
 * decides: a refusal by the workspace policy ({@code policy.aliases}) is shown as its message.
 */
public final class AliasesViewModel {

    private final ObservableList<Alias> aliases = FXCollections.observableArrayList();

    private final TaskExecutor executor;
    private final DialogService dialogs;
    private final Supplier<Aliases> service;
    private final Runnable changed;
    /** The model whose aliases are shown (null: none). */
    private String model;

    /**
     * @param service the aliases of the workspace open now (null when none)
     * @param changed reloads the registry after a change, so every chip shows the new pointers
     */
    public AliasesViewModel(TaskExecutor executor, DialogService dialogs, Supplier<Aliases> service, Runnable changed) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.dialogs = Objects.requireNonNull(dialogs, "dialogs");
        this.service = Objects.requireNonNull(service, "service");
        this.changed = Objects.requireNonNull(changed, "changed");
    }

    /** The aliases of the shown model now, by alias name. */
    public ObservableList<Alias> aliases() {
        return aliases;
    }

    /** The aliases pointing at {@code version} (of the shown model), by alias name. */
    public List<String> aliasesOf(ModelVersion version) {
        if (version == null || !version.name().equals(model)) {
            return List.of();
        }
        return aliases.stream().filter(alias -> alias.version().equals(version.version())).map(Alias::alias).toList();
    }

    /** The shown model's alias names, for the editable choice of the Set alias dialog. */
    public List<String> names() {
        return aliases.stream().map(Alias::alias).toList();
    }

    /**
     * What setting {@code alias} on {@code version} does, for the dialog: a new alias, a move (from
     * which version), nothing (already there), or why the name is invalid.
     */
    public String effect(ModelVersion version, String alias) {
        String name = alias == null ? "" : alias.strip();
        if (version == null || name.isEmpty()) {
            return "";
        }
        String problem = Aliases.problem(name);
        if (problem != null) {
            return "Invalid alias: " + problem;
        }
        Optional<Alias> existing = aliases.stream().filter(known -> known.alias().equals(name)).findFirst();
        if (existing.isEmpty()) {
            return "New alias: " + version.name() + Aliases.SEPARATOR + name + " will point at " + version.version() + ".";
        }
        if (existing.get().version().equals(version.version())) {
            return name + " already points at " + version.version() + "; nothing changes.";
        }
        return "Moves " + name + " from " + existing.get().version() + " to " + version.version() + ".";
    }

    // Commands

    /** Reads the aliases of {@code name} (null: none shown) in the background. */
    public void load(String name) {
        model = name;
        Aliases source = service.get();
        if (name == null || source == null) {
            aliases.clear();
            return;
        }
        BackgroundTask.wrap("Reading the aliases of " + name, () -> source.list(name))
                .onSuccess(found -> {
                    if (name.equals(model)) {
                        aliases.setAll(found);
                    }
                })
                .onFailure(error -> {
                    if (name.equals(model)) {
                        aliases.clear();
                        dialogs.showError("Cannot read the aliases of " + name, error);
                    }
                })
                .executeWith(executor);
    }

    /** Points {@code alias} at {@code version}, setting or moving it; the policy may refuse, with its message. */
    public void set(ModelVersion version, String alias, String reason) {
        Aliases source = service.get();
        if (version == null || source == null || alias == null) {
            return;
        }
        String name = alias.strip();
        String what = version.name() + Aliases.SEPARATOR + name;
        BackgroundTask.wrap("Setting " + what, () -> source.set(version.name(), name, version.version(), reason))
                .onSuccess(set -> changed.run())
                .onFailure(error -> dialogs.showError("Cannot set " + what, error))
                .executeWith(executor);
    }

    /** Removes {@code alias} of the shown model after a confirmation with a reason (Cancel is the default). */
    public void remove(String alias) {
        Aliases source = service.get();
        String name = model;
        if (name == null || source == null || alias == null) {
            return;
        }
        String what = name + Aliases.SEPARATOR + alias;
        String version = aliases.stream().filter(known -> known.alias().equals(alias)).map(Alias::version)
                .findFirst().orElse("?");
        Optional<String> reason = dialogs.confirmWithReason(Confirmation.destructive("Remove " + what,
                "Remove the alias " + alias + " of " + name + "?",
                alias + " points at " + version + " now. Tools that name " + what + " will no longer find a version. "
                        + "The alias's history stays; the removal is recorded in the audit trail with your reason.",
                "Remove alias"));
        if (reason.isEmpty()) {
            return;
        }
        BackgroundTask.wrap("Removing " + what, () -> source.remove(name, alias, reason.get()))
                .onSuccess(removed -> changed.run())
                .onFailure(error -> dialogs.showError("Cannot remove " + what, error))
                .executeWith(executor);
    }
}
