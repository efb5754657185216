package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry example of docs/api.md, run exactly as written: in a fresh JVM whose working folder
 * holds {@code ./model.pt} and a registry at {@code ./models} that already has {@code v1.0.0}.
 */
class ApiDocExampleTest {

    static final Path THIS_SOURCE = Path.of("src/test/java/neural/mlops/registry/ApiDocExampleTest.java");
    static final Path API_DOC = Path.of("docs/api.md");

    @TempDir
    Path folder;

    @Test
    void theDocumentedExampleRunsAndReadsTheAccuracyDifference() throws Exception {
        Files.writeString(folder.resolve("model.pt"), "weights of v2");
        ModelRegistry registry = new ModelRegistry(folder.resolve("models"));
        registry.registerModel(RegisterRequest.builder("fraud_detector", "v1.0.0",
                        Files.writeString(folder.resolve("v1.pt"), "weights of v1"))
                .framework("pytorch").metric("accuracy", 0.95).metric("f1", 0.93).build());
        registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "first release");

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dneural.mlops.home=" + Path.of(System.getProperty("neural.mlops.home", "target/test-home")).toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), Example.class.getName()));
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output.strip()).isEqualTo("Accuracy improvement: 0.01");
        assertThat(registry.getProductionVersion("fraud_detector")).map(ModelVersion::version).contains("v2.0.0");
        assertThat(registry.getModel("fraud_detector", "v1.0.0").stage()).isEqualTo(ModelStage.ARCHIVED);
        ModelVersion v2 = registry.getModel("fraud_detector", "v2.0.0");
        assertThat(v2.tags()).containsExactly("fraud", "production-ready");
        assertThat(v2.createdBy()).isEqualTo("data_scientist@company.com");
        assertThat(registry.artifactPath(v2).orElseThrow()).hasContent("weights of v2");
    }

    @Test
    void theApiDocumentShowsExactlyTheCodeThatRuns() throws Exception {
        List<String> example = new ArrayList<>();
        boolean inside = false;
        for (String line : Files.readAllLines(THIS_SOURCE)) {
            if (line.strip().equals("// example: end")) {
                inside = false;
            }
            if (inside) {
                example.add(line.strip());
            }
            if (line.strip().equals("// example: begin")) {
                inside = true;
            }
        }
        List<String> doc = Files.readAllLines(API_DOC).stream().map(String::strip).toList();

        assertThat(example).hasSizeGreaterThan(10);
        assertThat(String.join("\n", doc)).contains(String.join("\n", example));
    }

    /** The example, as docs/api.md shows it. */
    public static final class Example {
        public static void main(String[] args) {
            // example: begin
            ModelRegistry registry = new ModelRegistry(Path.of("./models"));

            ModelVersion metadata = registry.registerModel(
                    RegisterRequest.builder("fraud_detector", "v2.0.0", Path.of("./model.pt"))
                            .framework("pytorch")
                            .createdBy("data_scientist@company.com")
                            .metric("accuracy", 0.96)
                            .metric("f1", 0.94)
                            .tags("fraud", "production-ready")
                            .description("Improved fraud detection model")
                            .build());

            registry.promoteModel("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "Passed validation");

            ModelComparison comparison = registry.compareModels("fraud_detector", "v1.0.0", "v2.0.0");
            double accuracyGain = comparison.metricsComparison().get("accuracy").difference();
            System.out.println("Accuracy improvement: " + accuracyGain);
            // example: end
        }
    }
}
