package neural.mlops.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every file and folder under a root with a hash of each file's bytes, to prove "unchanged byte for
 * byte". Derived files are left out: the storage's own folder ({@code .neural-mlops}: its lock and
 * change marker, which only tells a live view to look again, and which a refused change may have
 * moved while removing what it abandoned) and the registry's {@code .cache}, rebuilt when lost.
 */
public final class TreeSnapshot {

    private TreeSnapshot() {
    }

    public static Map<String, String> of(Path root) {
        Map<String, String> entries = new TreeMap<>();
        if (!Files.exists(root)) {
            return entries;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.filter(path -> !root.relativize(path).toString().replace('\\', '/').matches("(.*/)?\\.(neural-mlops|cache)(/.*)?"))
                    .forEach(path -> entries.put(root.relativize(path).toString().replace('\\', '/'), describe(path)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private static String describe(Path path) {
        if (Files.isDirectory(path)) {
            return "folder";
        }
        if (!Files.isRegularFile(path)) {
            return "not a regular file"; // a planted pipe: reading it would hang the test
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(path)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
