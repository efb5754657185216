package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Compare window's model file rows: format, parameters, tensors added and removed, signature. */
class CompareArtifactsTest {

    @TempDir
    Path dir;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(CompareArtifactsTest.class.getResource("/artifacts/" + name).toURI());
    }

    @Test
    void comparingTwoModelFilesShowsTheirFormatsParametersTensorChangesAndSignatures() throws Exception {
        ModelRegistry registry = Workspace.open(Files.createDirectories(dir.resolve("ws")), "tester").registry();
        ModelVersion onnx = registry.registerModel(RegisterRequest.builder("m", "v1", fixture("tiny_mlp.onnx"))
                .framework("onnx").build());
        ModelVersion torch = registry.registerModel(RegisterRequest.builder("m", "v2", fixture("tiny.gguf"))
                .framework("gguf").build());
        CompareViewModel compare = new CompareViewModel(registry.compareLoaded(List.of(onnx, torch), 0),
                List.of(onnx, torch));

        compare.showArtifacts(List.of(registry.inspectArtifact(onnx), registry.inspectArtifact(torch)));
        compare.baselineProperty().set(torch); // the rows stay, now against the other file
        assertThat(compare.metadataRows()).filteredOn(row -> row.label().equals("Tensors changed")).singleElement()
                .satisfies(row -> assertThat(row.values().get(1)).isEmpty());
        compare.baselineProperty().set(onnx);

        assertThat(compare.metadataRows()).filteredOn(row -> row.label().equals("Model format")).singleElement()
                .satisfies(row -> {
                    assertThat(row.values()).containsExactly("onnx", "gguf");
                    assertThat(row.differs()).isTrue();
                });
        assertThat(compare.metadataRows()).filteredOn(row -> row.label().equals("Parameters")).singleElement()
                .satisfies(row -> assertThat(row.values().get(0)).isEqualTo("67"));
        assertThat(compare.metadataRows()).filteredOn(row -> row.label().equals("Tensors changed")).singleElement()
                .satisfies(row -> {
                    assertThat(row.differs()).isTrue();
                    assertThat(row.values().get(1)).contains("+").contains("\u2212");
                });
        assertThat(compare.metadataRows()).filteredOn(row -> row.label().equals("Signature")).singleElement()
                .satisfies(row -> assertThat(row.values().get(0)).startsWith("features float [batch, 4]"));
    }
}
