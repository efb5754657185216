package neural.mlops.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import neural.mlops.testing.TestClock;

/** Model files and a registry on a temporary workspace, as the registry tests use them. */
final class Fixtures {

    final Path workspace;
    final Path root;
    final TestClock clock = TestClock.at("2024-01-15T12:00:00.123456Z");
    final RecordingSink audit = new RecordingSink();
    final ModelRegistry registry;

    Fixtures(Path workspace) {
        this.workspace = workspace;
        this.root = workspace.resolve("models");
        this.registry = new ModelRegistry(root, audit, "alice", clock);
    }

    /** A model file with the given content, outside the registry. */
    Path modelFile(String fileName, String content) {
        try {
            Path folder = Files.createDirectories(workspace.resolve("incoming"));
            return Files.writeString(folder.resolve(fileName), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers {@code version} of {@code name} with the given accuracy, one minute after the previous. */
    ModelVersion register(String name, String version, double accuracy) {
        clock.advance(java.time.Duration.ofMinutes(1));
        return registry.registerModel(RegisterRequest.builder(name, version, modelFile("model.pt", name + version))
                .framework("pytorch")
                .metric("accuracy", accuracy)
                .build());
    }

    Path metadataFile(String name, String version) {
        return root.resolve("metadata").resolve(name + "_" + version + ".json");
    }
}
