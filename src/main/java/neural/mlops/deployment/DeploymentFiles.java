package neural.mlops.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.StoredObject;
import neural.mlops.store.storage.Version;

/**
 * The deployment documents in the tracker's storage: one {@code <deployment_id>.json} per
 * deployment directly under the root. Every read is a fresh listing, so changes made by another
 * process are always seen; a document whose version has not changed since it was last read is
 * not fetched again (on S3 a listing costs one request, a document one more). A document that
 * cannot be read is reported and skipped, never rewritten.
 */
final class DeploymentFiles {

    /** The store's lock, as in earlier releases ({@code <root>/.lock} on a folder). */
    static final Key LOCK = Key.of(".lock");
    static final String SUFFIX = ".json";

    private final Storage storage;
    private final Map<Key, Entry> cache = new ConcurrentHashMap<>();

    /** The zone the original module's naive times are read in (SPEC 10). */
    private final ZoneId legacyZone;

    DeploymentFiles(Storage storage, ZoneId legacyZone) {
        this.storage = storage;
        this.legacyZone = legacyZone;
    }

    /** A document's meaning, naive times read in the tracker's legacy zone. */
    Deployment decode(Path file, ObjectNode json) {
        return DeploymentJson.fromJson(file, json, legacyZone);
    }

    Storage storage() {
        return storage;
    }

    /** Every readable deployment, in key order, and the problems of the unreadable ones. */
    Scan scan() {
        List<StoredObject> listed;
        try (Stream<StoredObject> objects = storage.list("")) {
            listed = objects.filter(object -> isDocument(object.key()))
                    .sorted(Comparator.comparing(StoredObject::key))
                    .toList();
        }
        Set<Key> keys = listed.stream().map(StoredObject::key).collect(Collectors.toUnmodifiableSet());
        cache.keySet().retainAll(keys);
        Map<String, Entry> byId = new LinkedHashMap<>();
        List<DocumentProblem> problems = new ArrayList<>();
        for (StoredObject object : listed) {
            Optional<Entry> read;
            try {
                read = entry(object);
            } catch (MlopsException e) {
                // Corrupt, unreadable, too large or replaced by something else: report it and carry on.
                problems.add(new DocumentProblem(where(object.key()), e.getMessage()));
                continue;
            }
            if (read.isEmpty()) {
                continue; // removed since the listing
            }
            Entry entry = read.get();
            String id = entry.deployment().deploymentId();
            Entry previous = byId.putIfAbsent(id, entry);
            if (previous != null) {
                // The document at the id's own key wins, as find(id) takes it; otherwise the first by key.
                boolean ownKey = entry.key().equals(keyOf(id));
                Entry kept = ownKey ? entry : previous;
                Entry ignored = ownKey ? previous : entry;
                byId.put(id, kept);
                problems.add(new DocumentProblem(ignored.file(), ignored.file() + " has the same deployment_id as "
                        + kept.key().fileName() + " (" + id + "); it is ignored"));
            }
        }
        return new Scan(byId, keys, List.copyOf(problems));
    }

    /**
     * The document of deployment {@code id}: the one at its own key ({@link #keyOf}) when that one
     * has this id, found with a stat (and a read only when it changed since it was last read);
     * else, for a document named otherwise, through a scan of the whole store. Empty when there is
     * none. A probe of 2,000 active deployments then costs 2,000 stats, not 2,000 scans of the store.
     */
    Optional<Entry> find(String id) {
        Optional<StoredObject> own = storage.stat(keyOf(id));
        if (own.isPresent()) {
            try {
                Optional<Entry> read = entry(own.get());
                if (read.isPresent() && read.get().deployment().deploymentId().equals(id)) {
                    return read;
                }
            } catch (MlopsException unreadable) {
                // Corrupt or replaced: the scan reports it, and may find the id in another document.
            }
        }
        return scan().find(id);
    }

    /** The document at {@code key} parsed, or empty when it is gone; reuses the last read of the same version. */
    private Optional<Entry> entry(StoredObject object) {
        Entry cached = cache.get(object.key());
        if (cached != null && cached.version().equals(object.version())) {
            return Optional.of(cached);
        }
        Optional<Document> document = storage.read(object.key(), Json.MAX_DOCUMENT_BYTES);
        if (document.isEmpty()) {
            cache.remove(object.key());
            return Optional.empty();
        }
        Entry entry = parse(document.get());
        cache.put(entry.key(), entry);
        return Optional.of(entry);
    }

    private Entry parse(Document document) {
        Path file = where(document.key());
        ObjectNode json = Json.parseObject(document.content(), file);
        return new Entry(document.key(), file, document.version(), document.content(), decode(file, json));
    }

    /**
     * Writes a document at {@code key}: created when {@code expected} is empty (the key must not
     * exist), else replaced only if it still has that version. Throws
     * {@link neural.mlops.store.storage.ConditionFailedException} when another writer got there first.
     */
    void write(Key key, ObjectNode document, Optional<Version> expected) {
        Path file = where(key);
        byte[] bytes = Json.bytes(file, document);
        if (expected.isPresent()) {
            storage.replace(key, bytes, expected.get());
        } else {
            storage.create(key, bytes);
        }
    }

    /** The key of a deployment's document. */
    static Key keyOf(String deploymentId) {
        return Key.of(deploymentId + SUFFIX);
    }

    /**
     * How a document is named to the user: its file on a folder, its key under the tracker's root
     * on an object store (the message that carries it names the store's location where it matters).
     */
    Path where(Key key) {
        return storage.localFile(key).orElseGet(() -> Path.of(key.value()));
    }

    private static boolean isDocument(Key key) {
        return key.segments().size() == 1 && key.value().endsWith(SUFFIX);
    }

    /**
     * A document as read: where it is, its version, its bytes and its parsed form. The scan keeps
     * every entry between reads, so it keeps the bytes rather than the JSON tree (a tree took three
     * times the memory: some 40 MB for 11,600 deployments), and a write parses them again.
     */
    record Entry(Key key, Path file, Version version, byte[] content, Deployment deployment) {

        /** The full JSON as stored, unknown fields included; a new tree each call, so a writer may change it. */
        ObjectNode document() {
            return Json.parseObject(content, file);
        }
    }

    /** One read of the whole store: the readable documents by id, every document key listed, and the problems. */
    record Scan(Map<String, Entry> byId, Set<Key> keys, List<DocumentProblem> problems) {

        Optional<Entry> find(String id) {
            return Optional.ofNullable(byId.get(id));
        }

        List<Deployment> deployments() {
            return byId.values().stream().map(Entry::deployment).toList();
        }

        /** True when a document of that key exists, readable or not (a new id must not reuse it). */
        boolean hasKey(Key key) {
            return keys.contains(key);
        }
    }
}
