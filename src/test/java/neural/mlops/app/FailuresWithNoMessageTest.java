package neural.mlops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import neural.mlops.app.audit.AuditViewModel;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.FailingExecutor;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.deployments.DeploymentsViewModel;
import neural.mlops.app.deployments.NewDeploymentViewModel;
import neural.mlops.app.registry.RegistryViewModel;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each screen's failure path with an exception that carries no message (a bug, not a refusal):
 * the user sees what went wrong by its type, never an empty dialog or line. The scripted dialogs
 * fail any test that shows an empty error.
 */
class FailuresWithNoMessageTest {

    @TempDir
    Path dir;

    final ScriptedDialogs dialogs = new ScriptedDialogs();
    final List<Throwable> unexpected = new ArrayList<>();
    FailingExecutor failing;
    Workspace workspace;

    @BeforeEach
    void create() throws IOException {
        failing = new FailingExecutor(new NullPointerException(), (thread, error) -> unexpected.add(error));
        workspace = Workspace.open(Files.createDirectories(dir.resolve("ws")), "tester");
    }

    @Test
    void openingAWorkspace() {
        new MainViewModel(dialogs, failing, new AppPreferences(dir.resolve("prefs.json"))).open(workspace.folder().orElseThrow());

        assertThat(dialogs.errors).containsExactly("Cannot open workspace: Unexpected error: NullPointerException");
    }

    @Test
    void loadingTheRegistry() {
        new RegistryViewModel(failing, dialogs).showWorkspace(workspace);

        assertThat(dialogs.errors).containsExactly("Cannot load the model registry: Unexpected error: NullPointerException");
        assertThat(dialogs.failures).singleElement().isInstanceOf(NullPointerException.class);
    }

    @Test
    void loadingTheDeployments() {
        new DeploymentsViewModel(failing, dialogs).showWorkspace(workspace);

        assertThat(dialogs.errors).containsExactly("Cannot load the deployments: Unexpected error: NullPointerException");
    }

    @Test
    void readingTheAuditTrail() {
        new AuditViewModel(failing, dialogs).showWorkspace(workspace);

        assertThat(dialogs.errors).containsExactly("Cannot read the audit trail: Unexpected error: NullPointerException");
    }

    @Test
    void aDialogThatReportsInlineShowsTheTypeThereAndTheTraceInTheErrorDialog() {
        DeploymentsViewModel deployments = new DeploymentsViewModel(failing, dialogs);
        deployments.showWorkspace(workspace);
        dialogs.errors.clear();

        NewDeploymentViewModel dialog = deployments.newDeployment(); // reads the registry for its pickers

        assertThat(dialog.errorProperty().get()).isEqualTo("Cannot read the model registry: Unexpected error: NullPointerException");
        assertThat(dialogs.errors).containsExactly("Cannot read the model registry: Unexpected error: NullPointerException");
        assertThat(unexpected).isEmpty();
    }
}
