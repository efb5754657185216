package neural.mlops.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.RegistryProblem;
import neural.mlops.store.ConflictException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Optimistic;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.StoredObject;
import neural.mlops.store.storage.Version;

/**
 * The promotion requests of a registry: {@code <registry root>/requests/<name>/<version>/<stage>.json},
 * one document per version and target stage (a new request replaces a closed one; the audit trail
 * keeps the history). Folders, not a joined file name, so that no two requests can share a key.
 * Every change is one {@link #change}: the critical section of {@code requests/.lock} (on a folder
 * the lock file of earlier releases, taken before the registry's own lock, never after it), whose
 * writes are conditional: a new request is created only where none exists, and a request is
 * replaced only if it still has the version read, so that two approvers never lose an approval
 * even where the lock does not hold (an object store). Requests to point an alias at a version
 * are kept alike in {@code <registry root>/alias-requests/<name>/<version>/<alias>.json}, under the same lock.
 */
final class RequestStore {

    static final String FOLDER = "requests";
    /** Alias requests (#21): a folder of their own, so that no reader of stage requests meets one. */
    static final String ALIAS_FOLDER = "alias-requests";
    static final Key LOCK = Key.of(FOLDER, ".lock");
    static final String SUFFIX = ".json";

    private final Storage registryRoot;

    /** The requests of the registry whose storage is {@code registryRoot} (a workspace's {@code models}). */
    RequestStore(Storage registryRoot) {
        this.registryRoot = registryRoot;
    }

    /** A document as read: its key, how it is named to users, its version, its raw JSON (unknown fields included), and its meaning. */
    record Stored(Key key, Path file, Version version, ObjectNode document, PromotionRequest request) {
    }

    /**
     * Runs {@code body}, which reads requests afresh and writes them with {@link #write}, as the
     * store's critical section; when one of its writes finds that another writer got there first,
     * the whole body runs again from fresh reads. {@code what} names the change for the "busy" message.
     */
    <T> T change(String what, Supplier<T> body) {
        return Optimistic.retry(what, () -> registryRoot.exclusively(LOCK, body));
    }

    /** The request for {@code name version -> stage}, open or closed; empty when there is none. */
    Optional<Stored> find(String name, String version, ModelStage stage) {
        Key key = keyFor(name, version, stage);
        Optional<Document> read = registryRoot.read(key, Json.MAX_DOCUMENT_BYTES);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Stored stored = parse(read.get());
        PromotionRequest request = stored.request();
        if (!request.name().equals(name) || !request.version().equals(version) || request.toStage() != stage) {
            throw new ConflictException("The request file " + stored.file() + " holds a request for " + request.name()
                    + " " + request.version() + " to " + request.toStage() + "; repair or remove it first");
        }
        return Optional.of(stored);
    }

    /** The request to point {@code alias} of {@code name} at {@code version}, open or closed; empty when there is none. */
    Optional<Stored> findAlias(String name, String version, String alias) {
        Key key = Key.of(ALIAS_FOLDER, name, version, alias + SUFFIX);
        Optional<Document> read = registryRoot.read(key, Json.MAX_DOCUMENT_BYTES);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Stored stored = parse(read.get());
        PromotionRequest request = stored.request();
        if (!request.name().equals(name) || !request.version().equals(version) || !alias.equals(request.alias())) {
            throw new ConflictException("The request file " + stored.file() + " holds a request for " + request.name()
                    + " " + request.version() + " to " + request.target() + "; repair or remove it first");
        }
        return Optional.of(stored);
    }

    /**
     * Writes {@code request} over its document, keeping fields other tools added: created when
     * there was none ({@code previous} empty), else replaced only if it still has the version read.
     * Throws {@link neural.mlops.store.storage.ConditionFailedException} when another writer got
     * there first; {@link #change} then runs the change again.
     */
    PromotionRequest write(Optional<Stored> previous, PromotionRequest request) {
        Key key = keyFor(request);
        ObjectNode document = Json.preserveUnknown(previous.map(Stored::document).orElse(null), request.toJson());
        byte[] bytes = Json.bytes(where(key), document);
        if (previous.isPresent()) {
            registryRoot.replace(key, bytes, previous.get().version());
        } else {
            registryRoot.create(key, bytes);
        }
        return request;
    }

    /**
     * Refuses now, as {@link #write} would, a request document that cannot be written where it is
     * (a link leading out of the store), so that the change is not recorded in the audit trail first.
     */
    void requireWritable(PromotionRequest request) {
        registryRoot.requireWritable(keyFor(request));
    }

    /** Every request document, oldest request first; {@code name} (when given) keeps that model's only. */
    RequestListing list(String name) {
        return list(FOLDER, name);
    }

    /** Every alias request document, oldest first, as {@link #list(String)}. */
    RequestListing listAliases(String name) {
        return list(ALIAS_FOLDER, name);
    }

    private RequestListing list(String top, String name) {
        List<PromotionRequest> requests = new ArrayList<>();
        List<RegistryProblem> problems = new ArrayList<>();
        for (Key key : documents(top, name)) {
            try {
                Optional<PromotionRequest> read = registryRoot.read(key, Json.MAX_DOCUMENT_BYTES).map(this::parse)
                        .map(Stored::request);
                // A stage request's reader never meets an alias request, nor the reverse, whatever a file holds.
                if (read.isPresent() && read.get().isAlias() != top.equals(ALIAS_FOLDER)) {
                    problems.add(new RegistryProblem(where(key), "holds " + (read.get().isAlias() ? "an alias"
                            : "a stage") + " request, which belongs in " + (read.get().isAlias() ? ALIAS_FOLDER
                            : FOLDER) + "/; move or remove it"));
                    continue;
                }
                read.ifPresent(requests::add);
            } catch (MlopsException e) {
                problems.add(new RegistryProblem(where(key), e.getMessage()));
            }
        }
        requests.removeIf(request -> name != null && !request.name().equals(name));
        requests.sort(Comparator.comparing(PromotionRequest::requestedAt).thenComparing(PromotionRequest::modelId));
        return new RequestListing(requests, problems);
    }

    /** requests/<name>/<version>/<stage>.json, in key order; the store's own files (its lock) are not requests. */
    private List<Key> documents(String top, String name) {
        String folder = name == null ? top : top + "/" + name;
        try (Stream<StoredObject> objects = registryRoot.list(folder)) {
            return objects.map(StoredObject::key)
                    .filter(key -> key.segments().size() == 4 && key.fileName().endsWith(SUFFIX))
                    .filter(key -> key.segments().stream().noneMatch(segment -> segment.startsWith(".")))
                    .sorted()
                    .toList();
        }
    }

    private Stored parse(Document document) {
        Path file = where(document.key());
        ObjectNode json = Json.parseObject(document.content(), file);
        return new Stored(document.key(), file, document.version(), json, PromotionRequest.fromJson(json, file));
    }

    private static Key keyFor(PromotionRequest request) {
        return request.isAlias() ? Key.of(ALIAS_FOLDER, request.name(), request.version(), request.alias() + SUFFIX)
                : keyFor(request.name(), request.version(), request.toStage());
    }

    private static Key keyFor(String name, String version, ModelStage stage) {
        return Key.of(FOLDER, name, version, stage.value() + SUFFIX);
    }

    /** How a request document is named to users: its file on a folder, its key under the registry root on an object store. */
    private Path where(Key key) {
        return registryRoot.localFile(key).orElseGet(() -> Path.of(key.value()));
    }
}
