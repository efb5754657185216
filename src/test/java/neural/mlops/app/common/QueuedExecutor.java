package neural.mlops.app.common;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TaskExecutor} for view-model tests that holds every task until {@link #runAll} runs
 * them on the calling thread, in the order they came: what the user sees between a click and the
 * end of its work, and what a newer task does to one not yet finished.
 */
public final class QueuedExecutor implements TaskExecutor {

    private final List<BackgroundTask<?>> waiting = new ArrayList<>();

    @Override
    public <T> void execute(BackgroundTask<T> task) {
        waiting.add(task);
    }

    /** Runs what waits, and what those tasks start in turn, until nothing is left. */
    public void runAll() {
        while (!waiting.isEmpty()) {
            waiting.remove(0).runNow();
        }
    }

    /** Runs the oldest task waiting (what it starts waits in turn). */
    public void runNext() {
        waiting.remove(0).runNow();
    }

    /** The titles of the tasks waiting, oldest first. */
    public List<String> waitingTitles() {
        return waiting.stream().map(BackgroundTask::title).toList();
    }
}
