package neural.mlops.app;

import javafx.application.Application;
import neural.mlops.workspace.WorkspaceLocation;

/**
 * Starts the desktop application. A plain class, because on the class path a main class that
 * extends {@link Application} fails with "JavaFX runtime components are missing".
 */
public final class DesktopLauncher {

    private static volatile WorkspaceLocation requestedWorkspace;
    private static volatile String requestedUser;

    private DesktopLauncher() {
    }

    public static void main(String[] args) {
        launch(args.length > 0 ? WorkspaceLocation.parse(args[0]) : null);
    }

    /** Opens the main window on {@code workspace}, or on the last one when it is null. Blocks until it closes. */
    public static void launch(WorkspaceLocation workspace) {
        launch(workspace, null);
    }

    /** {@link #launch(WorkspaceLocation)} acting as {@code user} (the command line's --user; null: the preferences' or OS user). */
    public static void launch(WorkspaceLocation workspace, String user) {
        String problem = user == null ? null : neural.mlops.store.Users.problem(user.strip());
        if (problem != null) {
            throw new IllegalArgumentException("invalid --user: " + problem);
        }
        requestedWorkspace = workspace;
        requestedUser = user;
        warmUpInBackground();
        Application.launch(NeuralMlopsApp.class);
    }

    /**
     * While JavaFX starts its toolkit on its own threads, a second core sets up what the first
     * window and the workspace's opening will need anyway: Jackson's mapper (read by the
     * preferences before the window shows; some 350 classes, about 0.3 s) and the stores' classes.
     * Nothing of JavaFX is touched here. Class initialisation is thread-safe: whichever thread
     * gets there second waits for the first, so nothing is done twice.
     */
    private static void warmUpInBackground() {
        Thread preload = new Thread(DesktopLauncher::preloadClasses, "startup-preload");
        preload.setDaemon(true);
        preload.start();
        Thread warmUp = new Thread(() -> {
            try {
                neural.mlops.store.Json.mapper().readTree("{\"warm\": [1, 2.5, \"up\"]}");
                for (String name : new String[] {"neural.mlops.workspace.Workspace", "neural.mlops.registry.ModelRegistry",
                    "neural.mlops.registry.MetadataCache", "neural.mlops.registry.RegistrySnapshot",
                    "neural.mlops.audit.AuditLogger", "neural.mlops.deployment.DeploymentManager"}) {
                    Class.forName(name, true, DesktopLauncher.class.getClassLoader());
                }
            } catch (Exception | LinkageError ignored) {
                // Only a head start: whatever is not ready here is set up when first used.
            }
        }, "startup-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /**
     * Loads, without initialising, the classes that building and showing the first window will
     * need (the list is a resource, made from a start's class loading log): reading and defining
     * some two thousand classes from their jars is a good part of the first second, and the other
     * core is idle while the toolkit starts. Loading runs no static code, so nothing of JavaFX
     * runs before its toolkit; a name that no longer exists is skipped.
     */
    private static void preloadClasses() {
        ClassLoader loader = DesktopLauncher.class.getClassLoader();
        try (var in = DesktopLauncher.class.getResourceAsStream("startup-classes.txt")) {
            if (in == null) {
                return;
            }
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("#")) {
                    continue;
                }
                try {
                    Class.forName(name, false, loader);
                } catch (ClassNotFoundException | LinkageError skipped) {
                    // Renamed or gone since the list was made: it is loaded, or not, when used.
                }
            }
        } catch (java.io.IOException ignored) {
            // Only a head start.
        }
    }

    static String requestedUser() {
        return requestedUser;
    }

    static WorkspaceLocation requestedWorkspace() {
        return requestedWorkspace;
    }
}
