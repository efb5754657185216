package neural.mlops.app.common;

/**
 * A {@link TaskExecutor} for view-model tests whose every task fails with one exception, delivered
 * through the task's real failure path (its callback, or the handler of unexpected errors when it
 * has none), so a test can check what a user would see for a failure the core never reports.
 */
public final class FailingExecutor implements TaskExecutor {

    private final Exception failure;
    private final Thread.UncaughtExceptionHandler unexpected;

    public FailingExecutor(Exception failure, Thread.UncaughtExceptionHandler unexpected) {
        this.failure = failure;
        this.unexpected = unexpected;
    }

    @Override
    public <T> void execute(BackgroundTask<T> task) {
        task.failed(failure, unexpected);
    }
}
