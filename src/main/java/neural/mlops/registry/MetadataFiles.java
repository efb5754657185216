package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.IntStream;
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

    /** Below this many documents to parse, parsing them in parallel costs more than it saves. */
    private static final int PARALLEL_PARSE = 64;

    private final Path folder;
    private final MetadataCache cache;

    MetadataFiles(Path root) {
        this.folder = root.resolve(FOLDER);
        this.cache = new MetadataCache(root);
    }

    /**
     * A document as read: its file, its raw JSON (unknown fields included), and its meaning. The
     * document is null in a listing ({@link #listAll}), which may take the version from the cache.
     */
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

    /** Every document, read once each (its version only: the entries carry no document). */
    Loaded loadAll() {
        return load(fileName -> true, null);
    }

    /**
     * Every version, as {@link #loadAll} gives them, but taking each document whose file has not
     * changed since it was last parsed from the {@link MetadataCache}; the others are parsed (in
     * parallel when there are many) and the cache is brought up to date. Entries carry no document.
     */
    Loaded listAll() {
        List<String> names = fileNames(fileName -> true);
        // Reading the cache and taking each document's stamp are independent: one core each.
        CompletableFuture<Map<String, MetadataCache.Cached>> reading = CompletableFuture.supplyAsync(cache::read);
        long now = System.currentTimeMillis() * 1_000_000L;
        Entry[] entries = new Entry[names.size()];
        RegistryProblem[] problems = new RegistryProblem[names.size()];
        MetadataCache.Stamp[] stamps = new MetadataCache.Stamp[names.size()];
        List<Integer> toParse = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            try {
                stamps[i] = MetadataCache.Stamp.of(folder.resolve(names.get(i)));
            } catch (IOException e) {
                stamps[i] = null; // parsing it reports why it cannot be read
            }
        }
        Map<String, MetadataCache.Cached> cached = reading.join();
        for (int i = 0; i < names.size(); i++) {
            Path file = folder.resolve(names.get(i));
            if (stamps[i] == null) {
                toParse.add(i);
                continue;
            }
            MetadataCache.Cached hit = cached.get(names.get(i));
            if (hit != null && hit.stamp().equals(stamps[i]) && !MetadataCache.racy(stamps[i], now)) {
                entries[i] = new Entry(file, null, hit.version());
            } else {
                toParse.add(i);
            }
        }
        IntStream indexes = toParse.stream().mapToInt(Integer::intValue);
        (toParse.size() >= PARALLEL_PARSE ? indexes.parallel() : indexes).forEach(i -> {
            Path file = folder.resolve(names.get(i));
            try {
                Entry read = read(file);
                entries[i] = new Entry(file, null, read.version());
            } catch (MlopsException e) {
                // Corrupt, unreadable or too large: reported like a malformed document, the rest still loads.
                problems[i] = new RegistryProblem(file, e.getMessage());
            }
        });
        boolean parsedCacheable = toParse.stream().anyMatch(i -> entries[i] != null && stamps[i] != null
                && !MetadataCache.racy(stamps[i], now));
        long cachedStillListed = 0;
        for (int i = 0; i < names.size() && !parsedCacheable; i++) {
            if (entries[i] != null && cached.containsKey(names.get(i))) {
                cachedStillListed++;
            }
        }
        // Rewritten only when a document was parsed that can be kept, or a cached one has gone.
        if (parsedCacheable || cachedStillListed < cached.size()) {
            Map<String, MetadataCache.Cached> fresh = new HashMap<>(names.size() * 2);
            for (int i = 0; i < names.size(); i++) {
                if (entries[i] != null && stamps[i] != null) {
                    fresh.put(names.get(i), new MetadataCache.Cached(stamps[i], entries[i].version()));
                }
            }
            cache.write(fresh, now);
        }
        List<Entry> read = new ArrayList<>(names.size());
        List<RegistryProblem> found = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (entries[i] != null) {
                read.add(entries[i]);
            } else if (problems[i] != null) {
                found.add(problems[i]);
            }
        }
        return resolve(read, found, null);
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

    /**
     * The names of the documents in the folder that {@code wanted} accepts, sorted. java.io.File.list
     * gives bare names, several times cheaper than a DirectoryStream's paths for ten thousand files.
     */
    private List<String> fileNames(Predicate<String> wanted) {
        String[] all = folder.toFile().list();
        if (all == null) {
            if (Files.isDirectory(folder)) {
                throw StoreIOException.of("list", folder, new IOException("the folder cannot be listed"));
            }
            return List.of(); // no folder yet: an empty registry
        }
        List<String> names = new ArrayList<>();
        for (String fileName : all) {
            if (!fileName.startsWith(".") && fileName.endsWith(SUFFIX) && wanted.test(fileName)) {
                names.add(fileName);
            }
        }
        names.sort(null);
        return names;
    }

    private Loaded load(Predicate<String> wanted, String onlyModel) {
        List<Entry> entries = new ArrayList<>();
        List<RegistryProblem> problems = new ArrayList<>();
        for (String fileName : fileNames(wanted)) {
            Path file = folder.resolve(fileName);
            try {
                entries.add(read(file));
            } catch (MlopsException e) {
                // Corrupt, unreadable or too large: reported like a malformed document, the rest still loads.
                problems.add(new RegistryProblem(file, e.getMessage()));
            }
        }
        return resolve(entries, problems, onlyModel);
    }

    /** Keeps {@code onlyModel}'s entries (all when null) and, when two documents claim one version, the canonical one. */
    private static Loaded resolve(List<Entry> read, List<RegistryProblem> problems, String onlyModel) {
        List<Entry> entries = new ArrayList<>(read.size());
        Map<String, Integer> seen = new HashMap<>();
        for (Entry entry : read) {
            Path file = entry.file();
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
