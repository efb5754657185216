package neural.mlops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import neural.mlops.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdsTrainingTest {

    @TempDir
    Path dir;

    @Test
    void theEverydayCommandsRunOnTheDemoWorkspaceItCreates() {
        Path workspace = dir.resolve("workspace");
        StringWriter err = new StringWriter();

        int status = CdsTraining.runCommands(workspace, new PrintWriter(err, true));

        assertThat(status).as(err.toString()).isEqualTo(Cli.OK);
        assertThat(workspace.resolve("models")).isDirectory();
        assertThat(dir.resolve("workspace-export.csv")).isNotEmptyFile();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aCommandThatFailsStopsTheTrainingAndIsNamed() throws IOException {
        // A file where the workspace should be: the demo cannot be created there.
        Path workspace = Files.writeString(dir.resolve("workspace"), "not a folder");
        StringWriter err = new StringWriter();

        int status = CdsTraining.runCommands(workspace, new PrintWriter(err, true));

        assertThat(status).isEqualTo(Cli.FAILED);
        assertThat(err.toString()).contains("'neural-mlops demo create " + workspace + "' exited with");
        assertThat(dir.resolve("workspace-export.csv")).doesNotExist();
    }
}
