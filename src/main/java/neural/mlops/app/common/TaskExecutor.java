package neural.mlops.app.common;

/**
 * Runs background work off the FX thread and delivers its callbacks on it (STYLE 5). View models
 * receive one; tests inject {@link #CURRENT_THREAD}, which runs everything at once.
 */
public interface TaskExecutor {

    /** Runs work and callbacks on the calling thread: for view-model tests with no display. */
    TaskExecutor CURRENT_THREAD = new TaskExecutor() {
        @Override
        public <T> void execute(BackgroundTask<T> task) {
            task.runNow();
        }
    };

    <T> void execute(BackgroundTask<T> task);
}
