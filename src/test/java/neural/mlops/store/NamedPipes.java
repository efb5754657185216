package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Plants a named pipe (FIFO) where a test wants one: a read or write that opened it would wait for ever. */
public final class NamedPipes {

    private NamedPipes() {
    }

    /** Makes a named pipe at {@code path} (and its folders); aborts the test where there is no {@code mkfifo}. */
    public static Path plant(Path path) throws IOException, InterruptedException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        } catch (IOException noMkfifo) {
            Assumptions.abort("mkfifo is not available: " + noMkfifo.getMessage());
            return path;
        }
        assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        assertThat(Files.isRegularFile(path)).isFalse();
        return path;
    }
}
