package neural.mlops.app;

import java.lang.management.ManagementFactory;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;

/**
 * Startup timing for the benchmark (SPEC 7): with {@code -Dneural.mlops.startupProbe=true} the
 * application prints to stderr the milliseconds from the JVM's start to the first window shown,
 * and to the end of the registry's first load, with the heap then in use. Nothing otherwise.
 * With {@code -Dneural.mlops.startupProbe=exit} it then closes the application: a start can be
 * timed again and again by a script, and the installers' class-data-sharing training run
 * ({@code neural.mlops.CdsTraining}) records the classes of a whole start and then ends.
 */
final class StartupProbe {

    static final String PROPERTY = "neural.mlops.startupProbe";

    private StartupProbe() {
    }

    /** The value of {@link #PROPERTY} that also closes the application once the registry has loaded. */
    static final String EXIT = "exit";

    static boolean enabled() {
        String value = System.getProperty(PROPERTY, "");
        return value.equalsIgnoreCase("true") || exitWhenLoaded();
    }

    private static boolean exitWhenLoaded() {
        return EXIT.equalsIgnoreCase(System.getProperty(PROPERTY, ""));
    }

    /**
     * Reports when {@code stage} is first shown and when the registry has first been listed: loaded,
     * and its model list filtered and shown.
     */
    static void watch(Stage stage, ReadOnlyBooleanProperty registryLoading, ReadOnlyBooleanProperty registryFiltering,
                      ReadOnlyStringProperty registrySummary) {
        if (!enabled()) {
            return;
        }
        stage.addEventHandler(WindowEvent.WINDOW_SHOWN, event -> report("first window shown", ""));
        boolean[] done = {false};
        // The summary is set once a load is shown (it stays empty until then); the list follows its filter.
        InvalidationListener check = observable -> {
            String summary = registrySummary.get();
            if (!done[0] && summary != null && !summary.isEmpty() && !registryLoading.get() && !registryFiltering.get()) {
                done[0] = true;
                report("registry loaded", " (" + summary + ")");
                if (exitWhenLoaded()) {
                    Platform.exit();
                }
            }
        };
        registrySummary.addListener(check);
        registryLoading.addListener(check);
        registryFiltering.addListener(check);
    }

    private static void report(String what, String detail) {
        long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        Runtime runtime = Runtime.getRuntime();
        long heapMb = (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
        System.err.println("startup-probe: " + what + " after " + sinceStart + " ms" + detail + ", heap in use " + heapMb
                + " MB");
        System.err.flush();
    }
}
