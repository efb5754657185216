package neural.mlops.app;

import java.lang.management.ManagementFactory;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;

/**
 * Startup timing for the benchmark (SPEC 7): with {@code -Dneural.mlops.startupProbe=true} the
 * application prints to stderr the milliseconds from the JVM's start to the first window shown,
 * and to the end of the registry's first load, with the heap then in use. Nothing otherwise.
 */
final class StartupProbe {

    static final String PROPERTY = "neural.mlops.startupProbe";

    private StartupProbe() {
    }

    static boolean enabled() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Reports when {@code stage} is first shown and when the registry has first finished loading. */
    static void watch(Stage stage, ReadOnlyBooleanProperty registryLoading, ReadOnlyStringProperty registrySummary) {
        if (!enabled()) {
            return;
        }
        stage.addEventHandler(WindowEvent.WINDOW_SHOWN, event -> report("first window shown", ""));
        boolean[] done = {false};
        // The summary is set once the first load is shown (it stays empty until then).
        registrySummary.addListener((observable, old, summary) -> {
            if (!done[0] && summary != null && !summary.isEmpty() && !registryLoading.get()) {
                done[0] = true;
                report("registry loaded", " (" + summary + ")");
            }
        });
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
