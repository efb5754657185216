package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One reading of a version's configuration, for the CLI and the desktop alike. */
class ConfigurationTest {

    @TempDir
    Path workspace;

    Fixtures fx;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(workspace);
    }

    @Test
    void aRegisteredConfigurationIsReadFromConfigYaml() {
        ModelVersion version = fx.registry.registerModel(RegisterRequest.builder("m", "1", fx.modelFile("model.pt", "w")).framework("pytorch")
                .config(Map.of("learning_rate", 0.01, "layers", 3)).build());

        VersionConfig config = fx.registry.configuration(version);

        assertThat(config.values()).containsEntry("learning_rate", 0.01).containsEntry("layers", 3);
        assertThat(config.file()).contains(fx.root.resolve("models/m/1/config.yaml"));
        assertThat(config.problem()).isEmpty();
        assertThat(config.yaml()).contains("learning_rate: 0.01");
    }

    @Test
    void aConfigYamlWrittenByAnotherToolWinsOverTheMetadataMirror() throws Exception {
        ModelVersion version = fx.register("m", "1", 0.5);
        // The original module writes config.yaml only; its metadata has no config.
        Files.writeString(fx.registry.configPath(version).orElseThrow(), "optimizer: adam\nepochs: 10\n");

        assertThat(fx.registry.configuration(version).values()).containsOnlyKeys("optimizer", "epochs");
    }

    @Test
    void anUnreadableConfigYamlIsReportedAndTheMetadataValuesShown() throws Exception {
        ModelVersion version = fx.registry.registerModel(RegisterRequest.builder("m", "1", fx.modelFile("model.pt", "w")).framework("pytorch")
                .config(Map.of("seed", 42)).build());
        Files.writeString(fx.registry.configPath(version).orElseThrow(), "seed: [unclosed\n");

        VersionConfig config = fx.registry.configuration(version);

        assertThat(config.values()).containsEntry("seed", 42);
        assertThat(config.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("config.yaml"));
    }

    @Test
    void aVersionWithoutConfigurationHasNone() {
        ModelVersion version = fx.register("m", "1", 0.5);
        assertThat(fx.registry.configuration(version).isEmpty()).isTrue();
        assertThat(fx.registry.configuration(version).yaml()).isEmpty();
    }
}
