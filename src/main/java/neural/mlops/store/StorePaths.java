package neural.mlops.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Builds paths inside a store root and refuses any that would leave it, whether by a name or by a
 * symbolic link planted inside the store (SPEC 2: never write through a link that leads outside).
 */
public final class StorePaths {

    private StorePaths() {
    }

    /**
     * Resolves {@code segments} under {@code root} for writing. Each segment must be a single plain
     * path segment; every part of the path that already exists must resolve, links followed, to a
     * place inside the root.
     */
    public static Path forWrite(Path root, String... segments) {
        Path path = root;
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.contains("/") || segment.contains("\\") || segment.indexOf('\0') >= 0) {
                throw new InvalidInputException("Invalid path segment " + Names.quote(segment) + " under " + root);
            }
            path = path.resolve(segment);
        }
        requireInside(root, path);
        return path;
    }

    /** Throws when {@code path}, or the nearest part of it that exists, resolves outside {@code root}. */
    public static void requireInside(Path root, Path path) {
        try {
            Path realRoot = Files.exists(root) ? root.toRealPath() : root.toAbsolutePath().normalize();
            Path existing = path.toAbsolutePath().normalize();
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing == null || root.toAbsolutePath().normalize().startsWith(existing)) {
                return; // nothing of the store exists yet: no link inside it can mislead us
            }
            if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
                throw new InvalidInputException("Refusing to write through the dangling link " + existing);
            }
            Path real = existing.toRealPath();
            if (!real.startsWith(realRoot)) {
                throw new InvalidInputException("Refusing to write " + path + ": it leads outside the store "
                        + root + " (through a symbolic link to " + real + ")");
            }
        } catch (IOException e) {
            throw StoreIOException.of("resolve", path, e);
        }
    }

    /**
     * Creates {@code folder} for a workspace written from scratch (the demo, a generated benchmark
     * workspace): it must not exist yet or be an empty folder, so that nothing already there is
     * mixed with what is written. {@code purpose} ends the messages ({@code "for the demo"}).
     */
    public static void createEmptyFolder(Path folder, String purpose) {
        try {
            if (Files.exists(folder)) {
                if (!Files.isDirectory(folder)) {
                    throw new ConflictException(folder + " exists and is not a folder; choose a new folder " + purpose);
                }
                try (var entries = Files.list(folder)) {
                    if (entries.findAny().isPresent()) {
                        throw new ConflictException(folder + " is not empty; choose a new or empty folder " + purpose);
                    }
                }
            }
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw StoreIOException.of("create", folder, e);
        }
    }
}
