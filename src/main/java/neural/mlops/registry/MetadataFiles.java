package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.StoreIOException;

/**
 * The {@code metadata/} folder: one document per version, at {@code <name>_<version>.json}. A
 * document's identity is read from its content; the file name only narrows which files to read
 * (a model's documents start with {@code <name>_}), because {@code a_b_c.json} could be model
 * {@code a_b} version {@code c} or model {@code a} version {@code b_c}.
 */
final class MetadataFiles {

    static final String FOLDER = "metadata";
    static final String SUFFIX = ".json";

    private final Path folder;

    MetadataFiles(Path root) {
        this.folder = root.resolve(FOLDER);
    }

    /** A document as read: its file, its raw JSON (unknown fields included), and its meaning. */
    record Entry(Path file, ObjectNode document, ModelVersion version) {
    }

    /** The documents that loaded, and one problem per document that did not. */
    record Loaded(List<Entry> entries, List<RegistryProblem> problems) {
    }

    static String fileName(String name, String version) {
        return name + "_" + version + SUFFIX;
    }

    Path canonicalFile(String name, String version) {
        return folder.resolve(fileName(name, version));
    }

    /** Every document; each file is read once. */
    Loaded loadAll() {
        return load(fileName -> true, null);
    }

    /** The documents of model {@code name}. */
    Loaded loadModel(String name) {
        String prefix = name + "_";
        return load(fileName -> fileName.startsWith(prefix), name);
    }

    /**
     * The document at the canonical place of {@code name} {@code version}, empty when there is no
     * file. Its content may name another version ({@code a_b}/{@code c} and {@code a}/{@code b_c}
     * share a file name): callers check with {@link #matches}. A corrupt document throws, because
     * it cannot be told apart from the one asked for.
     */
    Optional<Entry> readCanonical(String name, String version) {
        Path file = canonicalFile(name, version);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(read(file));
    }

    /** Finds {@code name} {@code version}: its canonical file first, else among the model's documents. */
    Optional<Entry> find(String name, String version) {
        Optional<Entry> canonical = readCanonical(name, version);
        if (canonical.isPresent() && matches(canonical.get(), name, version)) {
            return canonical;
        }
        return loadModel(name).entries().stream().filter(e -> matches(e, name, version)).findFirst();
    }

    static boolean matches(Entry entry, String name, String version) {
        return entry.version().name().equals(name) && entry.version().version().equals(version);
    }

    static Entry read(Path file) {
        ObjectNode document = Json.readObject(file);
        return new Entry(file, document, MetadataCodec.fromJson(document, file));
    }

    private Loaded load(Predicate<String> wanted, String onlyModel) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            for (Path file : stream) {
                String fileName = file.getFileName().toString();
                if (!fileName.startsWith(".") && fileName.endsWith(SUFFIX) && wanted.test(fileName)) {
                    files.add(file);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return new Loaded(List.of(), List.of());
        } catch (IOException e) {
            throw StoreIOException.of("list", folder, e);
        }
        files.sort(null);
        List<Entry> entries = new ArrayList<>(files.size());
        List<RegistryProblem> problems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Path file : files) {
            Entry entry;
            try {
                entry = read(file);
            } catch (CorruptDocumentException e) {
                problems.add(new RegistryProblem(file, e.getMessage()));
                continue;
            } catch (MlopsException e) {
                // Unreadable or too large: reported like a malformed document, the rest still loads.
                problems.add(new RegistryProblem(file, e.getMessage()));
                continue;
            }
            if (onlyModel != null && !entry.version().name().equals(onlyModel)) {
                continue;
            }
            Integer earlier = seen.putIfAbsent(entry.version().id(), entries.size());
            if (earlier == null) {
                entries.add(entry);
                continue;
            }
            // Two documents claim one version: the one at the canonical place wins, the other is reported.
            Entry kept = entries.get(earlier);
            boolean newIsCanonical = file.getFileName().toString()
                    .equals(fileName(entry.version().name(), entry.version().version()));
            Entry ignored = newIsCanonical ? kept : entry;
            if (newIsCanonical) {
                entries.set(earlier, entry);
            }
            problems.add(new RegistryProblem(ignored.file(), ignored.file() + " describes " + entry.version().name()
                    + " " + entry.version().version() + " again; ignored in favour of "
                    + (newIsCanonical ? entry : kept).file().getFileName()));
        }
        return new Loaded(entries, problems);
    }
}
