package neural.mlops.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.RegistryProblem;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.ConflictException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.StoreFiles;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.StoreLock;
import neural.mlops.store.StorePaths;

/**
 * The promotion requests of a registry: {@code <registry root>/requests/<name>/<version>/<stage>.json},
 * one document per version and target stage (a new request replaces a closed one; the audit trail
 * keeps the history). Folders, not a joined file name, so that no two requests can share a file.
 * Every change holds {@code requests/.lock}, taken before the registry's own lock, never after it.
 */
final class RequestStore {

    static final String FOLDER = "requests";
    static final String LOCK_FILE = ".lock";
    static final String SUFFIX = ".json";

    private final Path registryRoot;
    private final Path folder;
    private final StoreLock lock;

    RequestStore(Path registryRoot) {
        this.registryRoot = registryRoot;
        this.folder = registryRoot.resolve(FOLDER);
        // requests/ is inside the registry store: a link planted there must not make the lock appear outside.
        this.lock = new StoreLock(registryRoot, folder.resolve(LOCK_FILE), StoreLock.DEFAULT_TIMEOUT);
    }

    /** A document as read: its file, its raw JSON (unknown fields included), and its meaning. */
    record Stored(Path file, ObjectNode document, PromotionRequest request) {
    }

    StoreLock.Held lock() {
        return lock.acquire();
    }

    Path fileFor(String name, String version, ModelStage stage) {
        return StorePaths.forWrite(registryRoot, FOLDER, name, version, stage.value() + SUFFIX);
    }

    /** The request for {@code name version -> stage}, open or closed; empty when there is none. */
    Optional<Stored> find(String name, String version, ModelStage stage) {
        Path file = folder.resolve(name).resolve(version).resolve(stage.value() + SUFFIX);
        if (!StoreFiles.present(file)) {
            return Optional.empty();
        }
        ObjectNode document = Json.readObject(file); // a pipe or a folder there is reported, never waited on
        PromotionRequest request = PromotionRequest.fromJson(document, file);
        if (!request.name().equals(name) || !request.version().equals(version) || request.toStage() != stage) {
            throw new ConflictException("The request file " + file + " holds a request for " + request.name() + " "
                    + request.version() + " to " + request.toStage() + "; repair or remove it first");
        }
        return Optional.of(new Stored(file, document, request));
    }

    /** Writes {@code request} over its document, keeping fields other tools added. */
    PromotionRequest write(Optional<Stored> previous, PromotionRequest request) {
        Path file = fileFor(request.name(), request.version(), request.toStage());
        ObjectNode document = Json.preserveUnknown(previous.map(Stored::document).orElse(null), request.toJson());
        Json.writeAtomically(file, document);
        return request;
    }

    /** Every request document, oldest request first; {@code name} (when given) keeps that model's only. */
    RequestListing list(String name) {
        List<PromotionRequest> requests = new ArrayList<>();
        List<RegistryProblem> problems = new ArrayList<>();
        for (Path file : documents(name)) {
            try {
                requests.add(PromotionRequest.fromJson(Json.readObject(file), file));
            } catch (MlopsException e) {
                problems.add(new RegistryProblem(file, e.getMessage()));
            }
        }
        requests.removeIf(request -> name != null && !request.name().equals(name));
        requests.sort(Comparator.comparing(PromotionRequest::requestedAt).thenComparing(PromotionRequest::modelId));
        return new RequestListing(requests, problems);
    }

    /** requests/<name>/<version>/<stage>.json, without following links out of the store. */
    private List<Path> documents(String name) {
        List<Path> files = new ArrayList<>();
        for (Path model : children(folder)) {
            if (name != null && !model.getFileName().toString().equals(name)) {
                continue;
            }
            for (Path version : children(model)) {
                for (Path file : children(version)) {
                    String fileName = file.getFileName().toString();
                    if (fileName.endsWith(SUFFIX) && !AtomicFiles.isTemporary(file)
                            && !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(file)) {
                        files.add(file);
                    }
                }
            }
        }
        return files;
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                if (!child.getFileName().toString().startsWith(".")) {
                    children.add(child);
                }
            }
        } catch (IOException e) {
            throw StoreIOException.of("list", dir, e);
        }
        children.sort(null);
        return children;
    }
}
