package neural.mlops.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaliciousPicklesTest {
    private final Inspector inspector = new Inspector();

    @Test
    void aReduceToOsSystemIsUnsafeNamingIt() {
        Inspection inspection = inspector.inspect(Fixtures.file("evil_os_system.pkl"));

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNSAFE);
        assertThat(inspection.offendingGlobals()).containsExactly("os.system");
        assertThat(inspection.summary()).contains("unsafe (os.system)");
    }

    @Test
    void aSystemCallSlippedIntoATorchArchivesDataPickleIsUnsafeWhileTheTensorsStillShow() {
        Inspection inspection = inspector.inspect(Fixtures.file("evil_nested.pt"));

        assertThat(inspection.format()).isEqualTo("pytorch");
        assertThat(inspection.verdict()).isEqualTo(Verdict.UNSAFE);
        assertThat(inspection.offendingGlobals()).containsExactly("posix.system");
        assertThat(inspection.parameterCount()).hasValue(Fixtures.parameters("evil_nested.pt"));
    }

    @Test
    void aSystemCallInTheTarFormsPickleEntryIsUnsafeNamingIt() {
        Inspection inspection = inspector.inspect(Fixtures.file("evil_tar.pt"));

        assertThat(inspection.format()).isEqualTo("pytorch-tar");
        assertThat(inspection.verdict()).isEqualTo(Verdict.UNSAFE);
        assertThat(inspection.offendingGlobals()).containsExactly("posix.system");
        assertThat(inspection.parameterCount()).hasValue(Fixtures.parameters("evil_tar.pt"));
    }

    @Test
    void aStackGlobalWhoseNamesComeBackThroughTheMemoIsResolvedAndUnsafe() {
        Inspection inspection = inspector.inspect(Fixtures.file("evil_stack_global.pkl"));

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNSAFE);
        assertThat(inspection.offendingGlobals()).containsExactly("subprocess.check_output");
        assertThat(inspection.globals()).doesNotContain("collections.OrderedDict");
    }

    @Test
    void anInstOfBuiltinsEvalIsUnsafeWithoutAnyReduce() {
        Inspection inspection = inspector.inspect(Fixtures.file("evil_inst_eval.pkl"));

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNSAFE);
        assertThat(inspection.offendingGlobals()).containsExactly("builtins.eval");
    }

    @Test
    void aSystemCallHiddenAfterAJoblibArraysRawBytesIsFoundAndUnsafe(@TempDir Path dir) throws IOException {
        byte[] honest = Files.readAllBytes(Fixtures.file("logreg.joblib"));
        assertThat(honest[honest.length - 1]).isEqualTo((byte) '.');
        byte[] payload = "cos\nsystem\n(Vid\ntR0.".getBytes(StandardCharsets.US_ASCII);
        byte[] evil = Arrays.copyOf(honest, honest.length - 1 + payload.length);
        System.arraycopy(payload, 0, evil, honest.length - 1, payload.length);
        Path file = Files.write(dir.resolve("model.joblib"), evil);

        Inspection inspection = inspector.inspect(file);

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNSAFE);
        assertThat(inspection.offendingGlobals()).containsExactly("os.system");
    }
}
