package neural.mlops.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The files scripts/make-artifact-fixtures.py wrote, and the parameter counts it printed for them. */
final class Fixtures {
    private Fixtures() {
    }

    static Path file(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/artifacts/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static long parameters(String name) {
        Map<String, Long> counts = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file("parameters.txt"))) {
                String[] parts = line.trim().split(" ");
                counts.put(parts[0], Long.parseLong(parts[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Long count = counts.get(name);
        if (count == null) {
            throw new IllegalStateException("parameters.txt has no count for " + name);
        }
        return count;
    }
}
