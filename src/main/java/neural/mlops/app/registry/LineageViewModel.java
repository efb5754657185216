package neural.mlops.app.registry;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.Browser;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.ErrorReport;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.LinkField;
import neural.mlops.registry.LineageGraph;
import neural.mlops.registry.LineageLink;
import neural.mlops.registry.LinkTemplates;
import neural.mlops.registry.ModelVersion;
import neural.mlops.workspace.Workspace;

/**
 * Lineage that links (#21): the selected version's commit, run and dataset as links made by the
 * workspace's {@code links} templates, opened in the desktop {@link Browser}; its parent version as
 * a link that selects it; and the selected model's versions as a {@link LineageGraph}, whose nodes
 * select their version. Part of the Registry tab: the registry's view model builds it and hands it
 * the versions it shows and the way it selects one.
 */
public final class LineageViewModel {

    private final ObservableList<ModelVersion> versions;
    private final ObservableValue<ModelVersion> selected;
    private final Predicate<String> selectVersion;
    private final Browser browser;
    private final DialogService dialogs;
    private final TaskExecutor executor;

    private final ReadOnlyObjectWrapper<LinkTemplates> templates = new ReadOnlyObjectWrapper<>(LinkTemplates.NONE);
    private final ReadOnlyStringWrapper linksProblem = new ReadOnlyStringWrapper();
    private final ReadOnlyObjectWrapper<LineageGraph> graph = new ReadOnlyObjectWrapper<>(LineageGraph.of(List.of()));
    /** Where the templates are read from (the open workspace's workspace.yaml); null when none is open. */
    private Supplier<LinkTemplates> source;

    /**
     * {@code versions}: the selected model's versions, as the registry shows them; {@code selected}:
     * its selected version; {@code selectVersion}: selects a version of that model by its version,
     * false when it has none.
     */
    public LineageViewModel(ObservableList<ModelVersion> versions, ObservableValue<ModelVersion> selected,
                            Predicate<String> selectVersion, Browser browser, DialogService dialogs, TaskExecutor executor) {
        this.versions = versions;
        this.selected = selected;
        this.selectVersion = selectVersion;
        this.browser = browser;
        this.dialogs = dialogs;
        this.executor = executor;
        versions.addListener((ListChangeListener<ModelVersion>) change -> graph.set(LineageGraph.of(List.copyOf(versions))));
        graph.set(LineageGraph.of(List.copyOf(versions)));
    }

    // Properties

    /** The templates of workspace.yaml as of the last load; {@link LinkTemplates#NONE} when there are none. */
    public ReadOnlyObjectProperty<LinkTemplates> templatesProperty() {
        return templates.getReadOnlyProperty();
    }

    /** Why the templates cannot be used (a bad template in workspace.yaml), or null. */
    public ReadOnlyStringProperty linksProblemProperty() {
        return linksProblem.getReadOnlyProperty();
    }

    /** The selected model's versions as a parent graph. */
    public ReadOnlyObjectProperty<LineageGraph> graphProperty() {
        return graph.getReadOnlyProperty();
    }

    public ObservableValue<ModelVersion> selectedVersion() {
        return selected;
    }

    /** The name of the model whose graph is shown, or empty. */
    public String modelName() {
        return versions.isEmpty() ? "" : versions.get(0).name();
    }

    /** The link of {@code field} of {@code version}'s lineage, when workspace.yaml has a template for it. */
    public Optional<LineageLink> link(ModelVersion version, LinkField field) {
        if (version == null || version.lineage() == null) {
            return Optional.empty();
        }
        return templates.get().link(field, field.of(version.lineage()));
    }

    // Commands

    /** Reads the templates of {@code workspace} (null: none is open). */
    void showWorkspace(Workspace workspace) {
        source = workspace == null ? null : workspace::links;
        templates.set(LinkTemplates.NONE);
        linksProblem.set(null); // the registry's refresh reads them
    }

    /** Reads the templates again in the background: workspace.yaml may have changed. */
    void reload() {
        Supplier<LinkTemplates> from = source;
        if (from == null) {
            return;
        }
        BackgroundTask.wrap("Reading the lineage links", from::get)
                .onSuccess(read -> {
                    if (from == source) {
                        templates.set(read);
                        linksProblem.set(null);
                    }
                })
                .onFailure(error -> {
                    if (from == source) {
                        templates.set(LinkTemplates.NONE);
                        linksProblem.set(ErrorReport.describe(error));
                    }
                })
                .executeWith(executor);
    }

    /**
     * Opens {@code link} in the desktop browser; only an http or https address is opened (another
     * scheme is shown as text to copy). A browser that fails says so in a dialog, with the address.
     */
    public void open(LineageLink link) {
        if (!link.browsable()) {
            return;
        }
        try {
            browser.open(URI.create(link.address()));
        } catch (RuntimeException e) {
            dialogs.showError("Cannot open the " + link.field().value() + " link " + link.address(), e);
        }
    }

    /** Selects the version {@code child} names as its parent; says so when the registry does not hold it. */
    public void selectParent(ModelVersion child) {
        String parent = child.lineage() == null ? null : child.lineage().parentVersion();
        if (parent != null && !selectVersion.test(parent)) {
            dialogs.showError("Parent version not found", child.name() + " " + child.version() + " names " + parent
                    + " as its parent, but the registry holds no " + child.name() + " " + parent
                    + " (deleted, or registered elsewhere). The lineage graph shows it as missing.");
        }
    }

    /** Selects {@code version} of the model in the registry (a node of the graph); false for a missing one. */
    public boolean select(String version) {
        return selectVersion.test(version);
    }
}
