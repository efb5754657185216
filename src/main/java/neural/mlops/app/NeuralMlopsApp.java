package neural.mlops.app;

import javafx.application.Application;
import javafx.stage.Stage;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.HostBrowser;

/** The JavaFX application: builds the main window and hands it the workspace to open. */
public final class NeuralMlopsApp extends Application {

    private MainWindow window;

    @Override
    public void start(Stage stage) {
        window = new MainWindow(stage, AppPreferences.forCurrentUser(), DesktopLauncher.requestedUser(),
                new HostBrowser(getHostServices()));
        window.uncaughtErrors().install(); // on the FX thread: its handler, and every other thread's default
        window.show(DesktopLauncher.requestedWorkspace(), true);
    }

    @Override
    public void stop() {
        if (window != null) {
            window.close();
        }
    }
}
