package neural.mlops.app;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.DialogService;

/**
 * The main window's state: which workspace is open, the window title and the recent workspaces.
 */
public final class MainViewModel {

    static final String APP_NAME = "Neural MLOps";

    // Properties
    private final ReadOnlyObjectWrapper<Path> workspace = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(APP_NAME);
    private final ObservableList<Path> recentWorkspaces = FXCollections.observableArrayList();

    private final DialogService dialogs;
    private final AppPreferences preferences;

    public MainViewModel(DialogService dialogs, AppPreferences preferences) {
        this.dialogs = dialogs;
        this.preferences = preferences;
        title.bind(Bindings.createStringBinding(
                () -> workspace.get() == null ? APP_NAME : APP_NAME + " - " + displayName(workspace.get()),
                workspace));
        recentWorkspaces.setAll(preferences.recentWorkspaces());
    }

    public ReadOnlyObjectProperty<Path> workspaceProperty() {
        return workspace.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ObservableList<Path> recentWorkspaces() {
        return recentWorkspaces;
    }

    // Commands

    /** Asks for a folder and opens it as the workspace. */
    public void openWorkspace() {
        Path start = workspace.get() != null ? workspace.get().getParent() : Path.of(System.getProperty("user.home"));
        dialogs.chooseDirectory("Open Workspace", start).ifPresent(this::open);
    }

    /** Opens {@code folder} as the workspace; tells the user when it is not a folder. */
    public boolean open(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            dialogs.showError("Cannot open workspace", absolute + " is not a folder.");
            return false;
        }
        workspace.set(absolute);
        preferences.rememberWorkspace(absolute);
        recentWorkspaces.setAll(preferences.recentWorkspaces());
        return true;
    }

    static String displayName(Path folder) {
        Path name = folder.getFileName();
        return name == null ? folder.toString() : name.toString();
    }
}
