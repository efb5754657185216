package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import neural.mlops.JvmProcess;
import org.junit.jupiter.api.Test;

/** The real entry point in a real JVM with no display. */
class CliProcessTest {

    @Test
    void helpLoadsNoJavaFxClassAndNeedsNoDisplay() throws Exception {
        Process process = JvmProcess.start(List.of("-verbose:class", "-Djava.awt.headless=true"), "neural.mlops.Main", "--help");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(output).contains("Usage: neural-mlops");
        assertThat(output).contains("neural.mlops.cli.Cli");
        assertThat(output.lines().filter(line -> line.contains("javafx.") || line.contains("neural.mlops.app.")))
                .isEmpty();
    }

    @Test
    void anUnknownCommandExitsTwoFromTheRealEntryPoint() throws Exception {
        Process process = JvmProcess.start(List.of(), "neural.mlops.Main", "frobnicate");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output.strip().lines()).hasSize(1);
    }
}
