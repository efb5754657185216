package neural.mlops.registry;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import neural.mlops.store.SafeYaml;

/**
 * A version's configuration as the registry reads it, for every reader alike (the CLI's
 * {@code registry show}, the desktop's details pane): {@code config.yaml} when the version has
 * one, else the {@code config} mirrored in its metadata document. {@code problem} says why
 * config.yaml could not be read when the values come from the metadata instead.
 */
public record VersionConfig(Map<String, Object> values, Optional<Path> file, Optional<String> problem) {

    public VersionConfig {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values)); // YAML keeps order and nulls
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The values as YAML, or an empty text when there are none. */
    public String yaml() {
        return values.isEmpty() ? "" : SafeYaml.dump(values);
    }
}
