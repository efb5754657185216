package neural.mlops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import neural.mlops.identity.SignedAction;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.Names;
import neural.mlops.store.UtcTime;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.Version;

/**
 * The aliases document of one model, {@code models/<name>/aliases.json} under the registry root
 * (a workspace's {@code models/models/<name>/aliases.json}): beside the version folders, never in
 * {@code metadata/}, where every {@code *.json} is read as a version (SPEC 2), and one level above
 * the version folders, which garbage collection and the orphan scans look at. Deleting a whole
 * model removes it with the model's folder.
 *
 * <pre>{@code
 * {"name": "fraud_detector",
 *  "aliases": {"champion": {"version": "v2.0.0", "set_by": "alice", "set_at": "...", "reason": "...",
 *                           "history": [{"version": "v1.0.0", ...}, {"version": "v2.0.0", ...}]}}}
 * }</pre>
 *
 * Each alias keeps its whole history, the last entry being where it points now ({@code version}
 * null: removed); the current fields beside it are a copy for other tools. An entry whose change
 * was signed (issue 24) carries the signature as {@code signature} ({@code {payload, sshsig, key}}). Fields this version
 * does not know are kept when the document is rewritten.
 */
final class AliasFile {

    static final String FILE_NAME = "aliases.json";
    /** Far more than years of moves; bounds what a hostile file can make a reader hold. */
    static final long MAX_BYTES = 4L * 1024 * 1024;

    /** One entry of an alias's history; {@code version} null when it was removed then. */
    record Entry(String version, String setBy, Instant setAt, String reason) {
    }

    /**
     * The document as read: where it is, its JSON ({@code null} when there is none yet), the
     * storage version to write it back against ({@code null}: create it), and each alias's history.
     */
    record Loaded(String name, Key key, Path file, ObjectNode document, Version stored,
                  Map<String, List<Entry>> histories) {

        /** Where each alias points now, by alias; removed aliases are left out. */
        Map<String, Entry> current() {
            Map<String, Entry> current = new TreeMap<>();
            histories.forEach((alias, entries) -> {
                Entry last = entries.get(entries.size() - 1);
                if (last.version() != null) {
                    current.put(alias, last);
                }
            });
            return current;
        }

        Optional<String> pointer(String alias) {
            return Optional.ofNullable(current().get(alias)).map(Entry::version);
        }

        /** The aliases pointing at {@code version}, by name. */
        List<String> aliasesOf(String version) {
            return current().entrySet().stream().filter(e -> e.getValue().version().equals(version))
                    .map(Map.Entry::getKey).toList();
        }

        /** The document with {@code entry} appended to the history of {@code alias}, unknown fields kept. */
        ObjectNode with(String alias, Entry entry) {
            return with(alias, entry, Map.of());
        }

        /**
         * {@link #with(String, Entry)}, the appended history entry (and the current fields, which
         * drop the previous change's) carrying {@code more}: the signature over the change (issue 24).
         */
        ObjectNode with(String alias, Entry entry, Map<String, Object> more) {
            ObjectNode root = append(document == null ? Json.mapper().createObjectNode() : document.deepCopy(), alias,
                    entry);
            ObjectNode node = (ObjectNode) root.get("aliases").get(alias);
            ArrayNode history = (ArrayNode) node.get("history");
            ObjectNode appended = (ObjectNode) history.get(history.size() - 1);
            more.forEach((key, value) -> {
                node.set(key, Json.mapper().valueToTree(value));
                appended.set(key, Json.mapper().valueToTree(value));
            });
            return root;
        }

        /** The document with each of {@code aliases} removed by {@code by} at {@code at} for {@code reason}. */
        ObjectNode removing(List<String> aliases, String by, Instant at, String reason) {
            ObjectNode root = document == null ? Json.mapper().createObjectNode() : document.deepCopy();
            aliases.forEach(alias -> append(root, alias, new Entry(null, by, at, reason)));
            return root;
        }

        private ObjectNode append(ObjectNode root, String alias, Entry entry) {
            root.put("name", name);
            ObjectNode aliases = root.get("aliases") instanceof ObjectNode existing ? existing
                    : root.putObject("aliases");
            ObjectNode node = aliases.get(alias) instanceof ObjectNode existing ? existing : aliases.putObject(alias);
            put(node, entry);
            node.remove(SignedAction.FIELD); // the current fields are the new change's: the last one's signature goes
            ArrayNode history = node.get("history") instanceof ArrayNode existing ? existing : node.putArray("history");
            put(history.addObject(), entry);
            return root;
        }

        /** Writes {@code document} over the one read, or creates it when none was: fails when another writer got there first. */
        void write(Storage storage, ObjectNode updated) {
            byte[] bytes = Json.bytes(file, updated);
            if (stored == null) {
                storage.create(key, bytes);
            } else {
                storage.replace(key, bytes, stored);
            }
        }
    }

    private AliasFile() {
    }

    static Key key(String name) {
        return Key.of(ModelRegistry.MODELS_FOLDER, name, FILE_NAME);
    }

    /** The aliases of {@code name}; an empty document when it has none. A malformed file throws, naming it. */
    static Loaded read(Storage storage, String name) {
        Key key = key(name);
        Path file = storage.localFile(key).orElseGet(() -> Path.of(key.value()));
        Optional<Document> read = storage.read(key, MAX_BYTES);
        if (read.isEmpty()) {
            return new Loaded(name, key, file, null, null, Map.of());
        }
        ObjectNode document = Json.parseObject(read.get().content(), file);
        return new Loaded(name, key, file, document, read.get().version(), histories(document, file));
    }

    private static Map<String, List<Entry>> histories(ObjectNode document, Path file) {
        JsonNode aliases = document.get("aliases");
        if (aliases == null || aliases.isNull()) {
            return Map.of();
        }
        if (!aliases.isObject()) {
            throw new CorruptDocumentException(file, "aliases must be an object of alias names");
        }
        Map<String, List<Entry>> histories = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : aliases.properties()) {
            String alias = field.getKey();
            if (Names.problem(alias) != null) {
                throw new CorruptDocumentException(file, "alias " + Names.quote(alias) + " is invalid: "
                        + Names.problem(alias));
            }
            JsonNode history = field.getValue().get("history");
            if (history == null || !history.isArray() || history.isEmpty()) {
                throw new CorruptDocumentException(file, "alias " + alias + " has no history");
            }
            List<Entry> entries = new ArrayList<>();
            for (JsonNode node : history) {
                entries.add(entry(node, alias, file));
            }
            histories.put(alias, Collections.unmodifiableList(entries));
        }
        return histories;
    }

    private static Entry entry(JsonNode node, String alias, Path file) {
        try {
            JsonNode version = node.get("version");
            String pointed = version == null || version.isNull() ? null : version.asText();
            if (pointed != null && Names.problem(pointed) != null) {
                throw new CorruptDocumentException(file, "alias " + alias + " points at an invalid version "
                        + Names.quote(pointed));
            }
            JsonNode at = node.get("set_at");
            if (at == null || !at.isTextual()) {
                throw new CorruptDocumentException(file, "an entry of alias " + alias + " has no set_at");
            }
            return new Entry(pointed, text(node, "set_by"), UtcTime.parse(at.asText()), text(node, "reason"));
        } catch (CorruptDocumentException e) {
            throw e;
        } catch (MlopsException e) {
            throw new CorruptDocumentException(file, "alias " + alias + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private static void put(ObjectNode node, Entry entry) {
        node.put("version", entry.version());
        node.put("set_by", entry.setBy());
        node.put("set_at", UtcTime.format(entry.setAt()));
        node.put("reason", entry.reason());
    }
}
