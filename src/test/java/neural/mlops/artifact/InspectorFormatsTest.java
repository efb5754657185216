package neural.mlops.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectorFormatsTest {
    private final Inspector inspector = new Inspector();

    @Test
    void aTorchSaveArchiveShowsItsTensorsStoragesAndParameterCountAndIsSafe() {
        Inspection inspection = inspector.inspect(Fixtures.file("tiny_mlp.pt"));

        assertThat(inspection.format()).isEqualTo("pytorch");
        assertThat(inspection.verdict()).isEqualTo(Verdict.SAFE);
        assertThat(inspection.parameterCount()).hasValue(Fixtures.parameters("tiny_mlp.pt"));
        assertThat(inspection.tensors()).extracting(Tensor::name)
                .containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
        assertThat(inspection.tensors().get(0)).isEqualTo(new Tensor("0.weight", "float32", List.of(8L, 4L), 128));
        assertThat(inspection.globals()).contains("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
                "torch.FloatStorage");
        JsonNode storages = inspection.details().path("storages");
        assertThat(storages).hasSize(4);
        for (JsonNode storage : storages) {
            assertThat(storage.path("bytes").asLong()).isEqualTo(storage.path("elements").asLong() * 4);
        }
        assertThat(inspection.details().path("entries").toString()).contains("data.pkl");
    }

    @Test
    void theLegacyTorchSaveFormIsReadToo() {
        Inspection inspection = inspector.inspect(Fixtures.file("tiny_mlp_legacy.pt"));

        assertThat(inspection.format()).isEqualTo("pytorch-legacy");
        assertThat(inspection.verdict()).isEqualTo(Verdict.SAFE);
        assertThat(inspection.parameterCount()).hasValue(Fixtures.parameters("tiny_mlp_legacy.pt"));
        assertThat(inspection.tensors()).extracting(Tensor::name)
                .containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
    }

    @Test
    void theTarFormOfTorchSaveBeforeVersion04IsReadEntryByEntry() {
        Inspection inspection = inspector.inspect(Fixtures.file("tiny_linear_tar.pt"));

        assertThat(inspection.format()).isEqualTo("pytorch-tar");
        assertThat(inspection.verdict()).isEqualTo(Verdict.SAFE);
        assertThat(inspection.parameterCount()).hasValue(Fixtures.parameters("tiny_linear_tar.pt"));
        assertThat(inspection.tensors()).extracting(Tensor::shape).containsExactly(List.of(2L, 3L), List.of(2L));
        assertThat(inspection.tensors()).extracting(Tensor::bytes).containsExactly(24L, 8L);
        assertThat(inspection.globals()).contains("collections.OrderedDict", "torch.FloatStorage", "torch.FloatTensor");
        assertThat(inspection.details().path("entries").toString())
                .contains("sys_info", "pickle", "storages", "tensors");
    }

    @Test
    void aTarCutShortInsideAnEntryIsUnreadableNotAnError(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.file("tiny_linear_tar.pt"));
        Path cut = Files.write(dir.resolve("cut.pt"), Arrays.copyOf(whole, 512 + 60));

        Inspection inspection = inspector.inspect(cut);

        assertThat(inspection.verdict()).isEqualTo(Verdict.UNREADABLE);
    }

    @Test
    void anOnnxModelShowsItsSignatureOperatorsOpsetAndInitializerParameters() {
        Inspection inspection = inspector.inspect(Fixtures.file("tiny_mlp.onnx"));

        assertThat(inspection.format()).isEqualTo("onnx");
        assertThat(inspection.verdict()).isEqualTo(Verdict.SAFE);
        assertThat(inspection.parameterCount()).hasValue(Fixtures.parameters("tiny_mlp.onnx"));
        JsonNode details = inspection.details();
        assertThat(details.path("producer_name").asText()).isEqualTo("pytorch");
        assertThat(details.path("opset_import").get(0).path("version").asLong()).isEqualTo(13);
        assertThat(details.path("inputs")).hasSize(1);
        assertThat(details.path("inputs").get(0).path("name").asText()).isEqualTo("features");
        assertThat(details.path("inputs").get(0).path("elem_type").asText()).isEqualTo("float");
        assertThat(details.path("inputs").get(0).path("shape").toString()).isEqualTo("[\"batch\",4]");
        assertThat(details.path("outputs").get(0).path("shape").toString()).isEqualTo("[\"batch\",3]");
        assertThat(details.path("nodes_by_op").path("Gemm").asInt()).isEqualTo(2);
        assertThat(details.path("nodes_by_op").path("Relu").asInt()).isEqualTo(1);
    }

    @Test
    void aSafetensorsHeaderGivesTensorsMetadataParametersAndBytes() {
        Inspection inspection = inspector.inspect(Fixtures.file("tiny.safetensors"));

        assertThat(inspection.format()).isEqualTo("safetensors");
        assertThat(inspection.verdict()).isEqualTo(Verdict.SAFE);
        assertThat(inspection.parameterCount()).hasValue(Fixtures.parameters("tiny.safetensors"));
        assertThat(inspection.tensors()).contains(new Tensor("steps", "I64", List.of(5L), 40),
                new Tensor("2.weight", "F32", List.of(3L, 8L), 96));
        assertThat(inspection.details().path("metadata").path("format").asText()).isEqualTo("pt");
        assertThat(inspection.details().path("tensor_bytes").asLong()).isEqualTo(67 * 4 + 40);
    }

    @Test
    void aGgufFileShowsItsMetadataAndTensorList() {
        Inspection inspection = inspector.inspect(Fixtures.file("tiny.gguf"));

        assertThat(inspection.format()).isEqualTo("gguf");
        assertThat(inspection.parameterCount()).hasValue(Fixtures.parameters("tiny.gguf"));
        assertThat(inspection.details().path("metadata").path("general.architecture").asText()).isEqualTo("llama");
        assertThat(inspection.details().path("metadata").path("llama.context_length").asLong()).isEqualTo(128);
        assertThat(inspection.details().path("metadata").path("tokenizer.ggml.tokens").asText())
                .isEqualTo("array of 3");
        assertThat(inspection.tensors()).containsExactly(
                new Tensor("token_embd.weight", "F32", List.of(16L, 8L), 512),
                new Tensor("output.weight", "F16", List.of(8L, 16L), 256),
                new Tensor("output_norm.weight", "F32", List.of(8L), 32));
    }

    @Test
    void aKerasFileShowsItsLayersAndTheParameterCountItsConfigStates() {
        Inspection inspection = inspector.inspect(Fixtures.file("tiny.keras"));

        assertThat(inspection.format()).isEqualTo("keras");
        assertThat(inspection.verdict()).isEqualTo(Verdict.SAFE);
        assertThat(inspection.parameterCount()).hasValue(Fixtures.parameters("tiny.keras"));
        assertThat(inspection.details().path("layers").findValuesAsText("class_name"))
                .containsExactly("InputLayer", "Dense", "Dense");
    }

    @Test
    void aPickleOfArraysInAnOrderedDictImportsOnlyAllowedGlobals() {
        Inspection inspection = inspector.inspect(Fixtures.file("arrays.pkl"));

        assertThat(inspection.format()).isEqualTo("pickle");
        assertThat(inspection.details().path("protocol").asInt()).isEqualTo(2);
        assertThat(inspection.verdict()).isEqualTo(Verdict.SAFE);
        assertThat(inspection.globals()).contains("collections.OrderedDict", "numpy.core.multiarray._reconstruct");
    }

    @Test
    void aPickledEstimatorIsUnknownNamingTheClassesOffTheAllowList() {
        Inspection inspection = inspector.inspect(Fixtures.file("logreg.pkl"));

        assertThat(inspection.format()).isEqualTo("pickle");
        assertThat(inspection.details().path("protocol").asInt()).isEqualTo(4);
        assertThat(inspection.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(inspection.offendingGlobals())
                .containsExactly("sklearn.linear_model._logistic.LogisticRegression");
    }

    @Test
    void aJoblibFileIsScannedToItsEndAcrossTheArrayBytesJoblibWritesInsideThePickle() {
        Inspection inspection = inspector.inspect(Fixtures.file("logreg.joblib"));

        assertThat(inspection.format()).isEqualTo("joblib");
        assertThat(inspection.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(inspection.offendingGlobals())
                .containsExactly("sklearn.linear_model._logistic.LogisticRegression");
        assertThat(inspection.globals()).contains("joblib.numpy_pickle.NumpyArrayWrapper", "numpy.dtype");
        assertThat(inspection.message()).isNull();
    }

    @Test
    void aFileOfNoKnownFormatIsUnknownWithItsMagicBytes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("model.h5"),
                new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0, 0});

        Inspection inspection = inspector.inspect(file);

        assertThat(inspection.format()).isEqualTo("unknown");
        assertThat(inspection.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(inspection.summary()).contains("89 48 44 46 0d 0a 1a 0a");
    }

    @Test
    void aPickleWithABraceAtTheNinthByteIsStillReadAsAPickle(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        byte[] pickle = {(byte) 0x80, 2, 'X', 4, 0, 0, 0, 'a', '{', 'b', 'c', '.'};
        java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("data"), pickle);

        Inspection inspection = inspector.inspect(file);

        assertThat(inspection.format()).isEqualTo("pickle");
        assertThat(inspection.verdict()).isEqualTo(Verdict.SAFE);
    }

    @Test
    void aStreamsNameOnlyLendsItsExtensionToTheTemporaryCopy() throws java.io.IOException {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(Fixtures.file("tiny.safetensors"))) {
            Inspection inspection = inspector.inspect(in, "../../weird name\u0000/x.SafeTensors");

            assertThat(inspection.format()).isEqualTo("safetensors");
            assertThat(inspection.parameterCount()).hasValue(Fixtures.parameters("tiny.safetensors"));
        }
    }
}
