package neural.mlops.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Optional;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.Names;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.Version;

/**
 * The {@code models/<name>/model.json} documents ({@link ModelDocument}). They sit beside the
 * version folders, one level above the model files, so that nothing that reads {@code metadata/}
 * (listings, the metadata cache, tools that follow SPEC 2) mistakes one for a version, and garbage
 * collection, which looks at version folders only, leaves them alone; deleting a whole model
 * removes its folder, this document with it. Identity comes from the content ({@code name}).
 */
final class ModelDocuments {

    static final String FILE = "model.json";

    private final Storage storage;

    ModelDocuments(Storage storage) {
        this.storage = storage;
    }

    /** A document as read: its raw JSON (unknown fields included), its meaning and its storage version. */
    record Stored(ObjectNode json, ModelDocument document, Version version) {
    }

    static Key key(String name) {
        return Key.of(ModelRegistry.MODELS_FOLDER, name, FILE);
    }

    /** How the document is named to a person: its file on a folder, its key in a bucket. */
    Path where(String name) {
        Key key = key(name);
        return storage.localFile(key).orElseGet(() -> Path.of(key.value()));
    }

    /** The stored document of {@code name}; empty when it has none. A malformed one throws {@link CorruptDocumentException}. */
    Optional<Stored> read(String name) {
        Path file = where(name);
        return storage.read(key(name), Json.MAX_DOCUMENT_BYTES).map(document -> parse(document, name, file));
    }

    /** Writes {@code json} over {@code current} (create-only when there was none), conditional on what was read. */
    void write(String name, Optional<Stored> current, ObjectNode json) {
        byte[] bytes = Json.bytes(where(name), json);
        if (current.isPresent()) {
            storage.replace(key(name), bytes, current.get().version());
        } else {
            storage.create(key(name), bytes);
        }
    }

    private static Stored parse(Document read, String name, Path file) {
        ObjectNode json = Json.parseStoredObject(read.content(), file);
        try {
            String stored = MetadataCodec.text(json, "name", file);
            if (!stored.equals(name)) {
                throw new InvalidInputException("it describes the model " + Names.quote(stored) + ", not " + name);
            }
            ModelDocument document = new ModelDocument(name, MetadataCodec.text(json, "description", file),
                    MetadataCodec.tags(json, file),
                    // Only this product writes the model document, always in UTC with a Z.
                    json.hasNonNull("updated_at")
                            ? MetadataCodec.time(json, "updated_at", file, () -> ZoneOffset.UTC) : null,
                    json.hasNonNull("updated_by") ? MetadataCodec.text(json, "updated_by", file) : null);
            return new Stored(json, document, read.version());
        } catch (InvalidInputException e) {
            throw new CorruptDocumentException(file, e.getMessage());
        }
    }
}
