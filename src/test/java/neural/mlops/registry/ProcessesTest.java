package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import neural.mlops.JvmProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real second processes: concurrent promotions and a registration killed in the middle of its copy. */
class ProcessesTest {

    @TempDir
    Path workspace;

    @Test
    void twoProcessesPromotingTwoVersionsToProductionAtOnceLeaveExactlyOneInProductionAndBothTransitions()
            throws Exception {
        Fixtures fx = new Fixtures(workspace);
        fx.register("fraud_detector", "v1.0.0", 0.95);
        fx.register("fraud_detector", "v2.0.0", 0.96);
        String root = fx.root.toString();

        Process first = JvmProcess.start(Child.class, "promote", root, "fraud_detector", "v1.0.0");
        Process second = JvmProcess.start(Child.class, "promote", root, "fraud_detector", "v2.0.0");
        try {
            JvmProcess.awaitLine(first, Child.READY);
            JvmProcess.awaitLine(second, Child.READY);
            go(first);
            go(second);
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isZero();
            assertThat(second.exitValue()).isZero();
        } finally {
            first.destroyForcibly();
            second.destroyForcibly();
        }

        List<ModelVersion> versions = fx.registry.listVersions("fraud_detector");
        assertThat(versions).filteredOn(v -> v.stage() == ModelStage.PRODUCTION).hasSize(1);
        assertThat(versions).filteredOn(v -> v.stage() == ModelStage.ARCHIVED).hasSize(1);
        ModelVersion archived = versions.stream().filter(v -> v.stage() == ModelStage.ARCHIVED).findFirst().orElseThrow();
        ModelVersion production = fx.registry.getProductionVersion("fraud_detector").orElseThrow();
        // The first to commit went to production and was then archived by the second: both transitions are there.
        assertThat(archived.stageHistory()).extracting(StageTransition::to)
                .containsExactly(ModelStage.DEVELOPMENT, ModelStage.PRODUCTION, ModelStage.ARCHIVED);
        assertThat(production.stageHistory()).extracting(StageTransition::to)
                .containsExactly(ModelStage.DEVELOPMENT, ModelStage.PRODUCTION);
    }

    @Test
    void aRegistrationKilledDuringItsCopyRegistersNothingAndCanBeRedone() throws Exception {
        Fixtures fx = new Fixtures(workspace);
        Path source = Files.write(workspace.resolve("big.bin"), new byte[ArtifactCopy.CHUNK * 4]);

        Process child = JvmProcess.start(Child.class, "register-and-hang", fx.root.toString(), "m", "1", source.toString());
        try {
            JvmProcess.awaitLine(child, Child.COPYING);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(fx.registry.listVersions("m")).isEmpty();
        assertThat(fx.registry.listModels()).isEmpty();
        assertThat(fx.root.resolve("models/m/1")).isDirectory();

        ModelVersion registered = fx.registry.registerModel(RegisterRequest.builder("m", "1", source).framework("x").build());

        assertThat(registered.modelSizeBytes()).isEqualTo(ArtifactCopy.CHUNK * 4L);
        assertThat(fx.registry.verifyArtifact("m", "1").ok()).isTrue();
        try (Stream<Path> files = Files.list(fx.root.resolve("models/m/1"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("big.bin", "config.yaml");
        }
    }

    private static void go(Process process) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** The second process. */
    public static final class Child {
        static final String READY = "ready";
        static final String COPYING = "copying";

        public static void main(String[] args) throws Exception {
            ModelRegistry registry = new ModelRegistry(Path.of(args[1]));
            switch (args[0]) {
                case "promote" -> {
                    System.out.println(READY);
                    System.out.flush();
                    new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                    registry.promoteModel(args[2], args[3], ModelStage.PRODUCTION, "from process " + ProcessHandle.current().pid());
                }
                case "register-and-hang" -> registry.registerModel(
                        RegisterRequest.builder(args[2], args[3], Path.of(args[4])).framework("x").build(),
                        (done, total) -> {
                            System.out.println(COPYING);
                            System.out.flush();
                            try {
                                Thread.sleep(120_000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return false;
                        });
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
    }
}
