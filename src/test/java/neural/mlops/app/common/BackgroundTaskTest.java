package neural.mlops.app.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a background task's failure reaches the user: through its callback, else never silently. */
class BackgroundTaskTest {

    final ScriptedDialogs dialogs = new ScriptedDialogs();
    final List<Throwable> unexpected = new ArrayList<>();

    @Test
    void aFailureWithNoMessageReachesTheErrorDialogNamedByItsType() {
        BackgroundTask.wrap("Loading", () -> {
                    throw new NullPointerException();
                })
                .onFailure(error -> dialogs.showError("Cannot load", error))
                .executeWith(TaskExecutor.CURRENT_THREAD);

        assertThat(dialogs.errors).containsExactly("Cannot load: Unexpected error: NullPointerException");
        assertThat(dialogs.failures).singleElement().isInstanceOf(NullPointerException.class);
    }

    @Test
    void aFailureNoCallbackTakesGoesToTheHandlerOfUnexpectedErrors() {
        NullPointerException failure = new NullPointerException();

        BackgroundTask.wrap("Reading", () -> "never").executeWith(new FailingExecutor(failure, (thread, error) -> unexpected.add(error)));

        assertThat(unexpected).containsExactly(failure);
    }

    @Test
    void onTheCallingThreadAFailureNoCallbackTakesIsThrownBackNotDropped() {
        assertThatThrownBy(() -> BackgroundTask.wrap("Reading", () -> {
            throw new NullPointerException();
        }).executeWith(TaskExecutor.CURRENT_THREAD)).isInstanceOf(NullPointerException.class);

        assertThatThrownBy(() -> BackgroundTask.wrap("Reading config.yaml", () -> {
            throw new IOException();
        }).executeWith(TaskExecutor.CURRENT_THREAD))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Reading config.yaml")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void aCancelledTaskIsNotReportedAsAFailure() {
        List<String> seen = new ArrayList<>();
        BackgroundTask<String> task = BackgroundTask.withProgress("Exporting", progress -> {
            progress.checkCancelled();
            return "done";
        }).onCancelled(() -> seen.add("cancelled"));
        task.cancel();

        task.executeWith(new FailingExecutor(new BackgroundTask.CancelledException(), (thread, error) -> unexpected.add(error)));

        assertThat(seen).containsExactly("cancelled");
        assertThat(unexpected).isEmpty();
    }
}
