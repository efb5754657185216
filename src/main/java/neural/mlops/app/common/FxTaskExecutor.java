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
 */
public final class FxTaskExecutor implements TaskExecutor {

    private final ExecutorService pool;
    private final ReadOnlyIntegerWrapper running = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    public FxTaskExecutor() {
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(3, runnable -> {
            Thread thread = new Thread(runnable, "background-" + count.incrementAndGet());
            thread.setDaemon(true);
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
                    task.succeeded(value);
                });
            } catch (Exception e) {
                onFx(() -> {
                    finished();
                    task.failed(e);
                });
            }
        });
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
