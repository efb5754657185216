package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.StoredObject;
import neural.mlops.store.storage.Version;

/**
 * The {@code metadata/} folder: one document per version, at {@code <name>_<version>.json}. A
 * document's identity is read from its content; the file name only narrows which documents to
 * read (a model's documents start with {@code <name>_}), because {@code a_b_c.json} could be model
 * {@code a_b} version {@code c} or model {@code a} version {@code b_c}.
 */
final class MetadataFiles {

    static final String FOLDER = "metadata";
    static final String SUFFIX = ".json";

    /** Below this many documents to parse, parsing them in parallel costs more than it saves. */
    private static final int PARALLEL_PARSE = 64;
    /**
     * How many documents a listing from the cache reads one by one (or a sixteenth of the registry,
     * if more) before it reads them all through {@link #listAll} instead, which updates the cache.
     */
    private static final int STREAMED_MISSES = 256;
    /**
     * Up to this many documents, a listing that finds the cache out of date lists through {@link
     * #listAll}, which rewrites it (holding that many versions is no burden); a larger registry
     * reads the few changed documents at each listing until a listing through {@link #listAll}.
     */
    private static final int REWRITTEN_UP_TO = 10_000;

    private final Storage storage;
    private final MetadataCache cache;
    private final Clock clock;
    /** The cache as this registry last saw or wrote it; read from the storage at the first listing. */
    private Map<String, MetadataCache.Cached> known;

    /** The zone the original module's naive times are read in; asked only when a document has one. */
    private final Supplier<ZoneId> legacyZone;
    private final int rewrittenUpTo;

    MetadataFiles(Storage storage, Clock clock, Supplier<ZoneId> legacyZone) {
        this(storage, clock, legacyZone, REWRITTEN_UP_TO);
    }

    /** The same, rewriting an out-of-date cache on a listing up to {@code rewrittenUpTo} documents ({@link #streamAll}). */
    MetadataFiles(Storage storage, Clock clock, Supplier<ZoneId> legacyZone, int rewrittenUpTo) {
        this.storage = storage;
        this.cache = new MetadataCache(storage);
        this.clock = clock;
        this.legacyZone = legacyZone;
        this.rewrittenUpTo = rewrittenUpTo;
    }

    /** A document's meaning, naive times read in the registry's legacy zone. */
    ModelVersion decode(ObjectNode document, Path file) {
        return MetadataCodec.fromJson(document, file, legacyZone);
    }

    /**
     * A document as read: its key, where it is for messages ({@link #where}), its raw JSON (unknown
     * fields included), its meaning, and the storage version to write it back against. The file and
     * the document are null in a listing ({@link #listAll}), which may take the version from the
     * cache and names a file only when it reports a problem.
     */
    record Entry(Key key, Path file, ObjectNode document, ModelVersion version, Version stored) {
    }

    /** The documents that loaded, and one problem per document that did not. */
    record Loaded(List<Entry> entries, List<RegistryProblem> problems) {
    }

    static String fileName(String name, String version) {
        return name + "_" + version + SUFFIX;
    }

    static Key canonicalKey(String name, String version) {
        return Key.of(FOLDER, fileName(name, version));
    }

    Path canonicalFile(String name, String version) {
        return where(canonicalKey(name, version));
    }

    /** How a document is named to a person: its file on a folder, its key in a bucket. */
    Path where(Key key) {
        return storage.localFile(key).orElseGet(() -> Path.of(key.value()));
    }

    /** Every document, read once each (its version only: the entries carry no document). */
    Loaded loadAll() {
        return load(documents(storage.list(FOLDER)), null);
    }

    /**
     * Every version, as {@link #loadAll} gives them, from one listing: each document whose storage
     * version is the one the {@link MetadataCache} holds a settled parse of is taken from the cache,
     * without reading it; the others are read (in parallel when there are many) and the cache is
     * brought up to date. Entries carry no document.
     */
    Loaded listAll() {
        // The cache is read and decoded while the folder is listed: at 100,000 versions each takes
        // about a second, and neither needs the other until the listing is matched against the cache.
        CompletableFuture<Map<String, MetadataCache.Cached>> cacheRead = CompletableFuture.supplyAsync(this::knownCache);
        List<StoredObject> objects = documentsAsListed(storage.list(FOLDER));
        return listAll(objects, joined(cacheRead));
    }

    /** {@link #listAll()} of the documents {@code objects} of a listing already made, against the cache {@code cached}. */
    private Loaded listAll(List<StoredObject> objects, Map<String, MetadataCache.Cached> cached) {
        long now = clock.millis();
        boolean exactVersions = storage.versionsIdentifyContent();
        Entry[] entries = new Entry[objects.size()];
        RegistryProblem[] problems = new RegistryProblem[objects.size()];
        MetadataCache.Stamp[] stamps = new MetadataCache.Stamp[objects.size()];
        boolean[] zoneDependent = new boolean[objects.size()];
        List<Integer> toRead = new ArrayList<>();
        String[] names = new String[objects.size()];
        for (int i = 0; i < objects.size(); i++) {
            StoredObject object = objects.get(i);
            names[i] = object.key().fileName();
            MetadataCache.Cached hit = cached.get(names[i]);
            if (hit != null && hit.settled() && hit.stamp().equals(MetadataCache.Stamp.of(object))) {
                entries[i] = new Entry(object.key(), null, null, hit.version(), object.version());
            } else {
                toRead.add(i);
            }
        }
        IntStream indexes = toRead.stream().mapToInt(Integer::intValue);
        (toRead.size() >= PARALLEL_PARSE ? indexes.parallel() : indexes).forEach(i -> {
            Key key = objects.get(i).key();
            try {
                Optional<Document> document = storage.read(key, Json.MAX_DOCUMENT_BYTES);
                if (document.isPresent()) { // else deleted since it was listed
                    Entry read = parse(document.get());
                    entries[i] = new Entry(key, null, null, read.version(), read.stored());
                    stamps[i] = new MetadataCache.Stamp(document.get().content().length, read.stored().token());
                    zoneDependent[i] = MetadataCodec.hasNaiveTime(read.document());
                }
            } catch (MlopsException e) {
                // Corrupt, unreadable or too large: reported like a malformed document, the rest still loads.
                problems[i] = new RegistryProblem(where(key), e.getMessage());
            }
        });
        // Every document a settled hit and none gone: the cache already says all there is to say.
        if (!toRead.isEmpty() || objects.size() != cached.size()) {
            Map<String, MetadataCache.Cached> fresh = new HashMap<>(objects.size() * 2);
            for (int i = 0; i < objects.size(); i++) {
                if (entries[i] == null || zoneDependent[i]) {
                    continue; // a naive time is read in the legacy zone at every listing, never cached
                }
                String name = names[i];
                MetadataCache.Cached before = cached.get(name);
                if (stamps[i] == null) {
                    fresh.put(name, before); // a settled hit
                } else if (before != null && before.stamp().equals(stamps[i])) {
                    // Read again at least the racy window after its version was first seen: no later write kept it.
                    fresh.put(name, new MetadataCache.Cached(stamps[i], entries[i].version(), before.seenSince(),
                            exactVersions || now - before.seenSince() >= MetadataCache.RACY_MILLIS));
                } else {
                    fresh.put(name, new MetadataCache.Cached(stamps[i], entries[i].version(), now, exactVersions));
                }
            }
            if (!fresh.equals(cached)) {
                remember(fresh);
            }
        }
        List<Entry> read = new ArrayList<>(objects.size());
        List<RegistryProblem> found = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            if (entries[i] != null) {
                read.add(entries[i]);
            } else if (problems[i] != null) {
                found.add(problems[i]);
            }
        }
        return resolve(read, found, null);
    }

    /**
     * Every version, as {@link #listAll} gives them, handed to {@code eachModel} one model at a time
     * (models by name, a model's versions in version order) as the cache is read, so that a listing
     * holds one model's versions rather than the registry's. The documents the cache does not hold
     * as they are listed (added, changed, not yet settled, never cached) are read first, up to a
     * few; an entry found damaged on the way is read from its document instead. When the cache
     * cannot serve the listing (none, unusable, out of date in a registry small enough to hold:
     * {@value #REWRITTEN_UP_TO} versions unless told otherwise, written before more documents changed
     * than are worth reading one by one, or two documents claiming one version), the same listing
     * goes through {@link #listAll}, which brings the cache up to date, and its versions are handed
     * over model by model all the same. Returns the problems met.
     */
    List<RegistryProblem> streamAll(Consumer<List<ModelVersion>> eachModel) {
        CompletableFuture<Optional<MetadataCache.Entries>> opening = CompletableFuture.supplyAsync(cache::open);
        List<StoredObject> objects;
        try {
            objects = documentsAsListed(storage.list(FOLDER));
        } catch (RuntimeException | Error e) {
            opening.thenAccept(opened -> opened.ifPresent(MetadataCache.Entries::close));
            throw e;
        }
        Optional<MetadataCache.Entries> opened = joined(opening);
        List<RegistryProblem> streamed = null;
        if (opened.isPresent()) {
            try (MetadataCache.Entries entries = opened.get()) {
                streamed = streamAll(entries, objects, eachModel);
            }
        }
        if (streamed != null) {
            return streamed;
        }
        Loaded loaded = listAll(objects, knownCache());
        TreeMap<String, List<ModelVersion>> byModel = new TreeMap<>();
        for (Entry entry : loaded.entries()) {
            byModel.computeIfAbsent(entry.version().name(), name -> new ArrayList<>()).add(entry.version());
        }
        byModel.values().forEach(versions -> eachModel.accept(VersionOrder.sorted(versions)));
        return loaded.problems();
    }

    /** The listing from the cache's entries; null when the cache cannot serve it, before anything is handed over. */
    private List<RegistryProblem> streamAll(MetadataCache.Entries entries, List<StoredObject> objects,
                                            Consumer<List<ModelVersion>> eachModel) {
        Map<String, StoredObject> byName = new HashMap<>(objects.size() * 2);
        objects.forEach(object -> byName.put(object.key().fileName(), object));
        List<MetadataCache.Header> headers = entries.headers();
        boolean[] served = new boolean[headers.size()];
        Set<String> covered = new HashSet<>(objects.size() * 2);
        Set<String> identities = new HashSet<>(objects.size() * 2);
        String lastName = null;
        for (int i = 0; i < headers.size(); i++) {
            MetadataCache.Header header = headers.get(i);
            StoredObject object = byName.get(header.fileName());
            if (object == null || !header.settled() || !header.stamp().equals(MetadataCache.Stamp.of(object))
                    || !covered.add(header.fileName())) {
                continue; // deleted, changed or not yet settled: read below if it is listed
            }
            if (lastName != null && header.name().compareTo(lastName) < 0) {
                return null; // not grouped by model as written: the cache is of no use in order
            }
            if (!identities.add(header.name() + "\n" + header.version())) {
                return null; // two documents claim one version: listAll says which is kept
            }
            lastName = header.name();
            served[i] = true;
        }
        List<StoredObject> missed = objects.stream().filter(object -> !covered.contains(object.key().fileName())).toList();
        boolean upToDate = missed.isEmpty() && covered.size() == headers.size();
        if (!upToDate && objects.size() <= rewrittenUpTo) {
            return null; // small enough to hold: listAll brings the cache up to date, so the next listing reads no document
        }
        if (missed.size() > Math.max(STREAMED_MISSES, objects.size() / 16)) {
            return null;
        }
        covered.clear();
        List<RegistryProblem> problems = new ArrayList<>();
        TreeMap<String, List<ModelVersion>> others = new TreeMap<>();
        for (ModelVersion version : readListed(missed, problems)) {
            if (!identities.add(version.name() + "\n" + version.version())) {
                return null;
            }
            others.computeIfAbsent(version.name(), name -> new ArrayList<>()).add(version);
        }
        identities.clear();
        String current = null;
        List<ModelVersion> model = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            if (!served[i]) {
                continue;
            }
            MetadataCache.Header header = headers.get(i);
            if (!header.name().equals(current)) {
                handOver(current, model, others, eachModel);
                current = header.name();
                model = new ArrayList<>();
            }
            ModelVersion version = entries.version(i);
            if (version == null) {
                // Damaged on the way: its document, unchanged since it was cached, says what the entry said.
                model.addAll(readListed(List.of(byName.get(header.fileName())), problems));
            } else {
                model.add(version);
            }
        }
        handOver(current, model, others, eachModel);
        others.values().forEach(versions -> eachModel.accept(VersionOrder.sorted(versions)));
        return byPath(problems);
    }

    /**
     * Hands over the models of {@code others} named before {@code name}, then {@code name}'s
     * versions with its own among {@code others}, in version order; nothing for a null name.
     */
    private static void handOver(String name, List<ModelVersion> model, TreeMap<String, List<ModelVersion>> others,
                                 Consumer<List<ModelVersion>> eachModel) {
        if (name == null) {
            return;
        }
        while (!others.isEmpty() && others.firstKey().compareTo(name) < 0) {
            eachModel.accept(VersionOrder.sorted(others.pollFirstEntry().getValue()));
        }
        List<ModelVersion> more = others.remove(name);
        if (more != null) {
            model.addAll(more);
        }
        if (!model.isEmpty()) {
            eachModel.accept(VersionOrder.sorted(model));
        }
    }

    /**
     * The versions of listed documents, read in parallel when there are many, in listing order;
     * one problem per document that did not load, added to {@code problems} in that order.
     */
    private List<ModelVersion> readListed(List<StoredObject> objects, List<RegistryProblem> problems) {
        ModelVersion[] versions = new ModelVersion[objects.size()];
        RegistryProblem[] failed = new RegistryProblem[objects.size()];
        IntStream indexes = IntStream.range(0, objects.size());
        (objects.size() >= PARALLEL_PARSE ? indexes.parallel() : indexes).forEach(i -> {
            Key key = objects.get(i).key();
            try {
                // Empty when deleted since it was listed.
                storage.read(key, Json.MAX_DOCUMENT_BYTES).ifPresent(document -> versions[i] = parse(document).version());
            } catch (MlopsException e) {
                // Corrupt, unreadable or too large: reported like a malformed document, the rest still loads.
                failed[i] = new RegistryProblem(where(key), e.getMessage());
            }
        });
        List<ModelVersion> read = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            if (versions[i] != null) {
                read.add(versions[i]);
            } else if (failed[i] != null) {
                problems.add(failed[i]);
            }
        }
        return read;
    }

    /** The documents of model {@code name}. */
    Loaded loadModel(String name) {
        // Only the model's file names are looked at: a promotion's cost follows the model, not the registry.
        return load(documents(storage.listNamed(FOLDER, name + "_")), name);
    }

    /**
     * The document at the canonical place of {@code name} {@code version}, empty when there is none.
     * Its content may name another version ({@code a_b}/{@code c} and {@code a}/{@code b_c} share a
     * file name): callers check with {@link #matches}. A corrupt document throws, because it cannot
     * be told apart from the one asked for.
     */
    Optional<Entry> readCanonical(String name, String version) {
        return read(canonicalKey(name, version));
    }

    /** Finds {@code name} {@code version}: its canonical document first, else among the model's documents. */
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

    /** The document at {@code key}, parsed, or empty when there is none. */
    Optional<Entry> read(Key key) {
        return storage.read(key, Json.MAX_DOCUMENT_BYTES).map(this::parse);
    }

    private Entry parse(Document read) {
        Path file = where(read.key());
        ObjectNode document = Json.parseStoredObject(read.content(), file);
        return new Entry(read.key(), file, document, decode(document, file), read.version());
    }

    /** The metadata documents of a listing of the folder (directly in it, not hidden), by key; closes the listing. */
    private static List<StoredObject> documents(Stream<StoredObject> listing) {
        List<StoredObject> documents = new ArrayList<>(documentsAsListed(listing));
        documents.sort(Comparator.comparing(StoredObject::key));
        return documents;
    }

    /**
     * {@link #documents} in the order the storage listed them: for the whole registry's listings,
     * whose result does not follow that order ({@link #resolve}), so that 100,000 keys are not
     * sorted for nothing (a tenth of a listing's time).
     */
    private static List<StoredObject> documentsAsListed(Stream<StoredObject> listing) {
        try (Stream<StoredObject> listed = listing) {
            return listed.filter(object -> object.key().depth() == 2)
                    .filter(object -> {
                        String fileName = object.key().fileName();
                        return !fileName.startsWith(".") && fileName.endsWith(SUFFIX);
                    })
                    .toList();
        }
    }

    /** {@code problems} in the order of their files, whatever order the documents were read in. */
    private static List<RegistryProblem> byPath(List<RegistryProblem> problems) {
        List<RegistryProblem> ordered = new ArrayList<>(problems);
        ordered.sort(Comparator.comparing(problem -> problem.path().toString()));
        return ordered;
    }

    /** The future's value; what it threw is thrown as it was, not wrapped. */
    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private synchronized Map<String, MetadataCache.Cached> knownCache() {
        if (known == null) {
            known = cache.read();
        }
        return known;
    }

    private synchronized void remember(Map<String, MetadataCache.Cached> fresh) {
        // Written since by another process: its cache is read at the next listing rather than overwritten.
        known = cache.write(fresh) == MetadataCache.Outcome.WRITTEN_SINCE ? null : fresh;
    }

    private Loaded load(List<StoredObject> documents, String onlyModel) {
        return loadKeys(documents.stream().map(StoredObject::key).toList(), onlyModel);
    }

    /**
     * The documents of model {@code name} at {@code keys} (in key order), read without a listing;
     * a key with no document is skipped. For a caller that knows where the model's documents are
     * ({@code ModelRegistry}'s settling of production), so that it need not read every name of the
     * folder again.
     */
    Loaded loadModelAt(Collection<Key> keys, String name) {
        return loadKeys(keys.stream().sorted().toList(), name);
    }

    private Loaded loadKeys(List<Key> keys, String onlyModel) {
        List<Entry> entries = new ArrayList<>();
        List<RegistryProblem> problems = new ArrayList<>();
        for (Key key : keys) {
            try {
                read(key).ifPresent(entries::add);
            } catch (MlopsException e) {
                // Corrupt, unreadable or too large: reported like a malformed document, the rest still loads.
                problems.add(new RegistryProblem(where(key), e.getMessage()));
            }
        }
        return resolve(entries, problems, onlyModel);
    }

    /**
     * Keeps {@code onlyModel}'s entries (all when null) and, when two documents claim one version,
     * the one at the canonical place, else the one whose key sorts first, whatever order they were
     * read in; the others are reported. Entries keep the order they came in, problems follow their
     * files.
     */
    private Loaded resolve(List<Entry> read, List<RegistryProblem> problems, String onlyModel) {
        // A version has one canonical file: only a document elsewhere can claim it twice. A registry
        // whose documents are all where they belong (as ours are written) has nothing to resolve.
        if (onlyModel == null && read.stream().allMatch(MetadataFiles::isCanonical)) {
            return new Loaded(read, byPath(problems));
        }
        String[] ids = new String[read.size()];
        Map<String, Entry> kept = new HashMap<>(read.size() * 4 / 3 + 1);
        for (int i = 0; i < read.size(); i++) {
            Entry entry = read.get(i);
            if (onlyModel != null && !entry.version().name().equals(onlyModel)) {
                continue;
            }
            ids[i] = entry.version().id();
            Entry earlier = kept.putIfAbsent(ids[i], entry);
            if (earlier != null && preferred(entry, earlier)) {
                kept.put(ids[i], entry);
            }
        }
        List<Entry> entries = new ArrayList<>(kept.size());
        List<RegistryProblem> found = new ArrayList<>(problems);
        for (int i = 0; i < read.size(); i++) {
            if (ids[i] == null) {
                continue;
            }
            Entry entry = read.get(i);
            Entry winner = kept.get(ids[i]);
            if (winner == entry) {
                entries.add(entry);
                continue;
            }
            Path ignoredFile = where(entry.key());
            found.add(new RegistryProblem(ignoredFile, ignoredFile + " describes " + entry.version().name()
                    + " " + entry.version().version() + " again; ignored in favour of " + winner.key().fileName()));
        }
        return new Loaded(entries, byPath(found));
    }

    /** Of two documents claiming one version, whether {@code entry} is kept over {@code other}: the canonical one, else the first key. */
    private static boolean preferred(Entry entry, Entry other) {
        boolean canonical = isCanonical(entry);
        if (canonical != isCanonical(other)) {
            return canonical;
        }
        return entry.key().compareTo(other.key()) < 0;
    }

    /** Whether the entry's document is at the canonical place of the version it holds ({@link #fileName}). */
    private static boolean isCanonical(Entry entry) {
        // Compared in place, not by building the name: a listing asks it of every document.
        String key = entry.key().value();
        String name = entry.version().name();
        String version = entry.version().version();
        int start = key.length() - SUFFIX.length() - version.length() - 1 - name.length();
        return start >= 0 && (start == 0 || key.charAt(start - 1) == '/') && key.startsWith(name, start)
                && key.charAt(start + name.length()) == '_' && key.startsWith(version, start + name.length() + 1)
                && key.endsWith(SUFFIX);
    }
}
