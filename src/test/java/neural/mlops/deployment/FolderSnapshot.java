package neural.mlops.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every file under a folder with its content, to show that a refused command wrote nothing. */
public final class FolderSnapshot {

    private FolderSnapshot() {
    }

    /**
     * Relative path to content (decoded as ISO-8859-1, which maps every byte to one character, so
     * equal bytes compare equal and diffs stay readable); folders end with {@code /}.
     */
    public static Map<String, String> of(Path folder) {
        Map<String, String> files = new TreeMap<>();
        if (!Files.exists(folder)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (path.equals(folder)) {
                    continue;
                }
                String key = folder.relativize(path).toString();
                if (Files.isDirectory(path)) {
                    files.put(key + "/", "");
                } else {
                    files.put(key, new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
