package neural.mlops.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
