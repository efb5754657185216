package neural.mlops.app.common;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One piece of background work as a fluent chain (after JabRef's):
 * {@code BackgroundTask.wrap(work).onSuccess(show).onFailure(dialogs::showError).executeWith(executor)}.
 * The work may report progress and check for cancellation; callbacks run on the FX thread.
 * A failure with no {@link #onFailure} callback, or a callback that throws, is never dropped: the
 * executor hands it to its handler of unexpected errors (log and dialog in the application).
 *
 * @param <T> what the work returns
 */
public final class BackgroundTask<T> {

    private final Work<T> work;
    private final String title;
    private Consumer<T> onSuccess = value -> { };
    /** Null until given: the failure then goes to the executor's handler of unexpected errors. */
    private Consumer<Exception> onFailure;
    private Runnable onCancelled = () -> { };
    private ProgressListener progressListener = (done, total, message) -> { };
    private final AtomicBoolean cancelled = new AtomicBoolean();

    private BackgroundTask(String title, Work<T> work) {
        this.title = title;
        this.work = Objects.requireNonNull(work);
    }

    /** Wraps work that needs no progress reporting. */
    public static <T> BackgroundTask<T> wrap(String title, java.util.concurrent.Callable<T> callable) {
        return new BackgroundTask<>(title, progress -> callable.call());
    }

    /** Wraps work that reports progress and honours cancellation through its {@link Progress}. */
    public static <T> BackgroundTask<T> withProgress(String title, Work<T> work) {
        return new BackgroundTask<>(title, work);
    }

    public BackgroundTask<T> onSuccess(Consumer<T> callback) {
        this.onSuccess = callback;
        return this;
    }

    public BackgroundTask<T> onFailure(Consumer<Exception> callback) {
        this.onFailure = callback;
        return this;
    }

    public BackgroundTask<T> onCancelled(Runnable callback) {
        this.onCancelled = callback;
        return this;
    }

    /** Called (on the FX thread) as the work reports progress. */
    public BackgroundTask<T> onProgress(ProgressListener listener) {
        this.progressListener = listener;
        return this;
    }

    public BackgroundTask<T> executeWith(TaskExecutor executor) {
        executor.execute(this);
        return this;
    }

    /** Asks the work to stop; it stops at its next {@link Progress#checkCancelled()}. */
    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    public String title() {
        return title;
    }

    // Used by executors.

    T call(ProgressListener listener) throws Exception {
        return work.run(new Progress(listener, cancelled));
    }

    void succeeded(T value) {
        if (cancelled.get()) {
            onCancelled.run();
        } else {
            onSuccess.accept(value);
        }
    }

    /** Delivers {@code error} to the failure callback, or to {@code unexpected} when there is none. */
    void failed(Exception error, Thread.UncaughtExceptionHandler unexpected) {
        if (error instanceof CancelledException || cancelled.get()) {
            onCancelled.run();
        } else if (onFailure != null) {
            onFailure.accept(error);
        } else {
            unexpected.uncaughtException(Thread.currentThread(), error);
        }
    }

    ProgressListener progressListener() {
        return progressListener;
    }

    /**
     * Runs the work and its callbacks on the calling thread. A failure nobody handles is thrown
     * back to the caller (a test sees it), wrapped when it is a checked exception.
     */
    void runNow() {
        T value;
        try {
            value = call(progressListener);
        } catch (Exception e) {
            failed(e, (thread, unhandled) -> {
                throw unhandled instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException("Unhandled failure of \"" + title + "\"", unhandled);
            });
            return;
        }
        succeeded(value);
    }

    /** The work itself. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Progress progress) throws Exception;
    }

    /** Receives progress: {@code done} of {@code total} (total negative when unknown). */
    @FunctionalInterface
    public interface ProgressListener {
        void progress(long done, long total, String message);
    }

    /** What running work sees: a way to report progress and to notice a cancellation. */
    public static final class Progress {
        private final ProgressListener listener;
        private final AtomicBoolean cancelled;

        Progress(ProgressListener listener, AtomicBoolean cancelled) {
            this.listener = listener;
            this.cancelled = cancelled;
        }

        public void report(long done, long total, String message) {
            listener.progress(done, total, message);
        }

        public boolean isCancelled() {
            return cancelled.get();
        }

        public void checkCancelled() {
            if (cancelled.get()) {
                throw new CancelledException();
            }
        }
    }

    /** Thrown inside work that noticed its cancellation. */
    public static final class CancelledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CancelledException() {
            super("Cancelled", null, false, false);
        }
    }
}
