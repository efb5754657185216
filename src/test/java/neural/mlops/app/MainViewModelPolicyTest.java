package neural.mlops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a workspace whose policy has a typo shows the CLI's message and opens nothing. */
class MainViewModelPolicyTest {

    @TempDir
    Path dir;

    @Test
    void aPolicyTypoIsShownWithTheFileTheLineAndTheKeyAndTheWorkspaceStaysClosed() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("ws"));
        Files.writeString(folder.resolve("workspace.yaml"), "name: team\npolicy:\n  stages:\n    production:\n      aproval: 2\n");
        ScriptedDialogs dialogs = new ScriptedDialogs();
        MainViewModel model = new MainViewModel(dialogs, TaskExecutor.CURRENT_THREAD, new AppPreferences(dir.resolve("p.json")));

        model.open(folder);

        assertThat(dialogs.errors).containsExactly("Cannot open workspace: " + folder.resolve("workspace.yaml")
                + " line 5: unknown key 'aproval' under policy.stages.production; did you mean 'approvals'?");
        assertThat(model.workspaceProperty().get()).isNull();
    }
}
