package neural.mlops.registry;

import java.nio.file.Path;

/** A metadata document that could not be loaded; it is left untouched and the rest still loads. */
public record RegistryProblem(Path path, String message) {
}
