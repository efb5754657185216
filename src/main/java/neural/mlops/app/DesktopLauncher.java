package neural.mlops.app;

import java.nio.file.Path;
import javafx.application.Application;

/**
 * Starts the desktop application. A plain class, because on the class path a main class that
 * extends {@link Application} fails with "JavaFX runtime components are missing".
 */
public final class DesktopLauncher {

    private static volatile Path requestedWorkspace;

    private DesktopLauncher() {
    }

    public static void main(String[] args) {
        launch(args.length > 0 ? Path.of(args[0]) : null);
    }

    /** Opens the main window on {@code workspace}, or on the last one when it is null. Blocks until it closes. */
    public static void launch(Path workspace) {
        requestedWorkspace = workspace;
        Application.launch(NeuralMlopsApp.class);
    }

    static Path requestedWorkspace() {
        return requestedWorkspace;
    }
}
