package neural.mlops.app.common;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The application's executor: a small pool of daemon threads for the work, {@code Platform.runLater}
 * for the callbacks, and properties the status bar binds to (how many tasks run, the latest message).
 * Nothing fails silently here: a failure no callback takes, a callback that throws, or an
 * {@link Error} in the work goes to the handler of unexpected errors given at construction.
 */
public final class FxTaskExecutor implements TaskExecutor {

    private final ExecutorService pool;
    private final Thread.UncaughtExceptionHandler unexpected;
    private final ReadOnlyIntegerWrapper running = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    /** {@code unexpected} receives what no callback handles (the application passes {@link UncaughtErrors}). */
    public FxTaskExecutor(Thread.UncaughtExceptionHandler unexpected) {
        this.unexpected = unexpected;
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(3, runnable -> {
            Thread thread = new Thread(runnable, "background-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler(unexpected);
            return thread;
        });
    }

    @Override
    public <T> void execute(BackgroundTask<T> task) {
        onFx(() -> {
            running.set(running.get() + 1);
            message.set(task.title());
        });
        pool.submit(() -> {
            BackgroundTask.ProgressListener forward = (done, total, text) -> onFx(() -> {
                if (text != null && !text.isBlank()) {
                    message.set(text);
                }
                task.progressListener().progress(done, total, text);
            });
            try {
                T value = task.call(forward);
                onFx(() -> {
                    finished();
                    deliver(() -> task.succeeded(value));
                });
            } catch (Exception e) {
                onFx(() -> {
                    finished();
                    deliver(() -> task.failed(e, unexpected));
                });
            } catch (Error e) {
                // A submitted task's Error would otherwise vanish into its Future, with the busy count stuck.
                onFx(() -> {
                    finished();
                    unexpected.uncaughtException(Thread.currentThread(), e);
                });
            }
        });
    }

    /** Runs a callback; what it throws is reported, so a broken callback cannot pass unnoticed. */
    private void deliver(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException | Error e) {
            unexpected.uncaughtException(Thread.currentThread(), e);
        }
    }

    private void finished() {
        running.set(running.get() - 1);
        if (running.get() == 0) {
            message.set("");
        }
    }

    public ReadOnlyIntegerProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public void shutdown() {
        pool.shutdownNow();
    }

    private static void onFx(Runnable action) {
        if (Platform.isFxApplicationThread()) {
            action.run();
        } else {
            Platform.runLater(action);
        }
    }
}
