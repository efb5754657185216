package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo create} refuses to build over anything; building itself is covered by DemoWorkspaceTest. */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void aFolderThatIsNotEmptyExitsOneAndIsLeftAlone() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        CliRun run = CliRun.of("demo", "create", dir.toString());
        assertThat(run.status()).isEqualTo(Cli.FAILED);
        assertThat(run.errLines()).singleElement().asString().contains("is not empty");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("notes.txt"));
        }
    }

    @Test
    void aFileInsteadOfAFolderExitsOne() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        CliRun run = CliRun.of("demo", "create", file.toString());
        assertThat(run.status()).isEqualTo(Cli.FAILED);
        assertThat(run.errLines()).singleElement().asString().contains("not a folder");
    }

    @Test
    void withoutAFolderItIsBadUsage() {
        assertThat(CliRun.of("demo", "create").status()).isEqualTo(Cli.BAD_INPUT);
    }
}
