package neural.mlops.policy;

import static neural.mlops.policy.PolicyFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.store.NotFoundException;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code artifact} rule of a stage: the scan's verdict and the format, with the malicious fixtures. */
class ArtifactRuleTest {

    @TempDir
    Path dir;

    PolicyFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new PolicyFixture(dir);
    }

    private static Path artifact(String name) {
        try {
            return Path.of(ArtifactRuleTest.class.getResource("/artifacts/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void register(Workspace workspace, String version, String file, ModelStage stage) {
        workspace.registry().registerModel(RegisterRequest.builder(MODEL, version, artifact(file)).framework("pytorch")
                .stage(stage).build());
    }

    private boolean registered(String version) {
        try {
            fixture.as("reader").registry().getModel(MODEL, version);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Test
    void promotingAnUnsafeFileToProductionIsRefusedAsASecurityViolationNamingTheGlobal() {
        register(fixture.as("bob"), "v5.0.0", "evil_nested.pt", ModelStage.STAGING);
        fixture.policy("policy:\n  stages:\n    production:\n      artifact: {require_verdict: not_unsafe}\n");

        PolicyDeniedException refused = catchThrowableOfType(PolicyDeniedException.class, () ->
                fixture.as("alice").registry().promoteModel(MODEL, "v5.0.0", ModelStage.PRODUCTION, "ship"));

        assertThat(refused.getMessage()).contains("policy.stages.production.artifact", "unsafe", "posix.system");
        assertThat(refused.recordedAs()).isEqualTo(EventType.SECURITY_VIOLATION);
        assertThat(fixture.stageOf("v5.0.0")).isEqualTo(ModelStage.STAGING);
        List<AuditEvent> violations = fixture.events(EventType.SECURITY_VIOLATION);
        AuditEvent denial = violations.get(violations.size() - 1);
        assertThat(denial.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(denial.resourceId()).isEqualTo(MODEL + ":v5.0.0");
        assertThat(denial.reason()).contains("posix.system");
    }

    @Test
    void registeringAnUnsafeFileIntoAGuardedStageIsRefusedAndLeavesNothing() {
        fixture.policy("policy:\n  stages:\n    development:\n      artifact: {require_verdict: not_unsafe}\n");

        for (String evil : List.of("evil_os_system.pkl", "evil_stack_global.pkl", "evil_inst_eval.pkl")) {
            String version = "v-" + evil.replace('.', '-').replace('_', '-');
            assertThatThrownBy(() -> register(fixture.as("bob"), version, evil, ModelStage.DEVELOPMENT))
                    .isInstanceOf(PolicyDeniedException.class)
                    .hasMessageContaining("unsafe");
            assertThat(registered(version)).as(evil).isFalse();
            assertThat(Files.exists(fixture.folder.resolve("models/models/" + MODEL + "/" + version))).as(evil)
                    .isFalse();
        }
        assertThat(fixture.events(EventType.SECURITY_VIOLATION)).extracting(AuditEvent::reason)
                .anySatisfy(reason -> assertThat(reason).contains("os.system"))
                .anySatisfy(reason -> assertThat(reason).contains("subprocess"))
                .anySatisfy(reason -> assertThat(reason).contains("eval"));
    }

    @Test
    void requireSafeRefusesAnUnknownVerdictWhichNotUnsafeAccepts() {
        fixture.policy("policy:\n  stages:\n    staging:\n      artifact: {require_verdict: safe}\n");
        assertThatThrownBy(() -> register(fixture.as("bob"), "v6.0.0", "logreg.pkl", ModelStage.STAGING))
                .isInstanceOf(PolicyDeniedException.class).hasMessageContaining("unknown");

        fixture.policy("policy:\n  stages:\n    staging:\n      artifact: {require_verdict: not_unsafe}\n");
        register(fixture.as("bob"), "v6.0.0", "logreg.pkl", ModelStage.STAGING);

        assertThat(fixture.stageOf("v6.0.0")).isEqualTo(ModelStage.STAGING);
    }

    @Test
    void formatsRefusesAFileInAnotherFormatEvenWhenSafe() {
        fixture.policy("policy:\n  stages:\n    staging:\n      artifact: {formats: [safetensors, onnx]}\n");

        assertThatThrownBy(() -> register(fixture.as("bob"), "v7.0.0", "tiny.gguf", ModelStage.STAGING))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("format gguf").hasMessageContaining("allowed: safetensors, onnx");
        register(fixture.as("bob"), "v7.0.0", "tiny_mlp.onnx", ModelStage.STAGING);
        assertThat(fixture.stageOf("v7.0.0")).isEqualTo(ModelStage.STAGING);
    }

    @Test
    void aVersionWithoutAStoredScanIsRefusedUntilScanned() throws IOException {
        register(fixture.as("bob"), "v8.0.0", "tiny.safetensors", ModelStage.STAGING);
        Path document = fixture.folder.resolve("models/metadata/" + MODEL + "_v8.0.0.json");
        Files.writeString(document, Files.readString(document).replaceAll("(?s),\\s*\"artifact\"\\s*:\\s*\\{[^}]*\\}", ""));
        fixture.policy("policy:\n  stages:\n    production:\n      artifact: {require_verdict: safe}\n");

        assertThatThrownBy(() -> fixture.as("alice").registry().promoteModel(MODEL, "v8.0.0", ModelStage.PRODUCTION, "go"))
                .isInstanceOf(PolicyDeniedException.class).hasMessageContaining("registry scan --all");

        fixture.as("alice").registry().scanArtifacts();
        fixture.as("alice").registry().promoteModel(MODEL, "v8.0.0", ModelStage.PRODUCTION, "go");
        assertThat(fixture.stageOf("v8.0.0")).isEqualTo(ModelStage.PRODUCTION);
    }

    @Test
    void anUnsafeFileRegisteredUnderAPolicyWithoutArtifactRuleIsRecordedAsAWarning() {
        fixture.policy("policy:\n  stages:\n    production: {require_reason: true}\n");

        register(fixture.as("bob"), "v9.0.0", "evil_os_system.pkl", ModelStage.DEVELOPMENT);

        List<AuditEvent> violations = fixture.events(EventType.SECURITY_VIOLATION);
        assertThat(violations).singleElement().satisfies(event -> {
            assertThat(event.severity()).isEqualTo(EventSeverity.WARNING);
            assertThat(event.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(event.reason()).contains("os.system");
        });
    }

    @Test
    void anArtifactRuleWithAnUnknownVerdictOrFormatIsAProblemWithItsLine() {
        PolicyFileException error = catchThrowableOfType(PolicyFileException.class, () -> Policy.parse("""
                policy:
                  stages:
                    production:
                      artifact:
                        require_verdict: safest
                        formats: [safetensor, onnx]
                """, dir.resolve("workspace.yaml")));

        assertThat(error.problems()).hasSize(2);
        assertThat(error.problems().get(0).line()).isEqualTo(5);
        assertThat(error.problems().get(0).message()).contains("require_verdict", "'safe'");
        assertThat(error.problems().get(1).message()).contains("unknown format 'safetensor'", "'safetensors'");
        assertThat(Policy.parse("policy:\n  stages:\n    production:\n      artifact: {require_verdict: not_unsafe,"
                + " formats: [onnx]}\n", dir.resolve("workspace.yaml")).rule(ModelStage.PRODUCTION).describe())
                .contains("model file not unsafe, formats: onnx");
    }
}
