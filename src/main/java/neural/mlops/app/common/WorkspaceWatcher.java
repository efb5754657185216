package neural.mlops.app.common;

import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import neural.mlops.store.ErrorLog;
import neural.mlops.workspace.Workspace;
import neural.mlops.workspace.WorkspaceFingerprint;

/**
 * Live refresh (SPEC 5): checks the open workspace's fingerprint once a second (a bucket's every
 * three seconds) on a background thread and runs {@code onChange} on the FX thread when another
 * process (a pipeline's CLI run, a colleague on the shared drive or bucket) changed something.
 */
public final class WorkspaceWatcher implements AutoCloseable {

    static final long PERIOD_MILLIS = 1000;
    /** A bucket is polled less often: each check is a request that the team pays for. */
    static final long REMOTE_PERIOD_MILLIS = 3000;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "workspace-watcher");
        thread.setDaemon(true);
        return thread;
    });
    private final Runnable onChange;
    private ScheduledFuture<?> current;
    private volatile WorkspaceFingerprint last;
    /** The last failure logged, so that a lasting one is logged once. */
    private String lastFailure;

    public WorkspaceWatcher(Runnable onChange) {
        this.onChange = onChange;
    }

    /** Watches {@code workspace} from now on (null stops watching). */
    public synchronized void watch(Workspace workspace) {
        if (current != null) {
            current.cancel(false);
            current = null;
        }
        if (workspace == null) {
            return;
        }
        last = workspace.fingerprint();
        long period = workspace.location().isRemote() ? REMOTE_PERIOD_MILLIS : PERIOD_MILLIS;
        current = timer.scheduleWithFixedDelay(() -> check(workspace), period, period, TimeUnit.MILLISECONDS);
    }

    private void check(Workspace workspace) {
        WorkspaceFingerprint now;
        try {
            now = workspace.fingerprint();
        } catch (RuntimeException e) {
            // An exception here would cancel the schedule and end live refresh without a word: it
            // goes to the log (once per kind of failure, not once a second) and the next tick tries again.
            String kind = e.getClass().getName() + ": " + e.getMessage();
            if (!kind.equals(lastFailure)) {
                lastFailure = kind;
                ErrorLog.append("Live refresh of " + workspace.location(), e);
            }
            return;
        }
        lastFailure = null;
        if (!Objects.equals(now, last)) {
            last = now;
            Platform.runLater(onChange);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
