package neural.mlops.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.StorePaths;

/**
 * The deployment documents on disk: one {@code <deployment_id>.json} per deployment directly under
 * the root. Every read is a fresh scan, so changes made by another process are always seen; a
 * document that cannot be read is reported and skipped, never rewritten.
 */
final class DeploymentFiles {

    static final String LOCK_FILE = ".lock";
    static final String SUFFIX = ".json";

    private final Path root;

    DeploymentFiles(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Every readable deployment, in file-name order, and the problems of the unreadable ones. */
    Scan scan() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, "*" + SUFFIX)) {
            for (Path file : entries) {
                // A pipe or a device planted as a document is listed so that its reader reports it.
                if (!AtomicFiles.isTemporary(file) && !Files.isDirectory(file)) {
                    files.add(file);
                }
            }
        } catch (NoSuchFileException e) {
            return new Scan(Map.of(), List.of());
        } catch (IOException e) {
            throw StoreIOException.of("list", root, e);
        }
        files.sort(Comparator.comparing(file -> file.getFileName().toString()));
        Map<String, Entry> byId = new LinkedHashMap<>();
        List<DocumentProblem> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                ObjectNode document = Json.readObject(file);
                Deployment deployment = DeploymentJson.fromJson(file, document);
                Entry previous = byId.putIfAbsent(deployment.deploymentId(), new Entry(file, document, deployment));
                if (previous != null) {
                    problems.add(new DocumentProblem(file, file + " has the same deployment_id as "
                            + previous.file().getFileName() + " (" + deployment.deploymentId() + "); it is ignored"));
                }
            } catch (MlopsException e) {
                // Corrupt, unreadable or vanished in between: report it and carry on with the rest.
                problems.add(new DocumentProblem(file, e.getMessage()));
            }
        }
        return new Scan(byId, List.copyOf(problems));
    }

    /** True when a file of that name exists, readable or not (a new id must not reuse it). */
    boolean fileExists(String fileName) {
        return Files.exists(root.resolve(fileName), LinkOption.NOFOLLOW_LINKS);
    }

    /** Where {@code file} may be written: under the root, never through a link leading outside it. */
    Path writable(Path file) {
        return StorePaths.forWrite(root, file.getFileName().toString());
    }

    /** Writes a document atomically to {@code file}, checked again by {@link #writable}. */
    void write(Path file, ObjectNode document) {
        Json.writeAtomically(writable(file), document);
    }

    /** A document as read: where it is, its full JSON (unknown fields included) and its parsed form. */
    record Entry(Path file, ObjectNode document, Deployment deployment) {
    }

    /** One read of the whole store. */
    record Scan(Map<String, Entry> byId, List<DocumentProblem> problems) {

        Optional<Entry> find(String id) {
            return Optional.ofNullable(byId.get(id));
        }

        List<Deployment> deployments() {
            return byId.values().stream().map(Entry::deployment).toList();
        }
    }
}
