package neural.mlops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.IndentedJsonBytes;
import neural.mlops.store.IndentedJsonBytes.MemberName;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.Names;
import neural.mlops.store.UtcTime;

/**
 * Metadata documents (SPEC 2.1) to {@link ModelVersion} and back. Reading is lenient where the
 * original tool wrote less (no hash, an absolute {@code model_path}, a time without zone) and
 * strict where a value would mislead (a bad name, an unknown stage, a metric that is not a number).
 */
final class MetadataCodec {

    private MetadataCodec() {
    }

    /**
     * Reads a document; {@code file} names it in problems and gives a creation time when it records
     * none. A time without zone (the original module's naive local time, SPEC 10) is read in
     * {@code legacyZone}, asked only when such a time is met.
     */
    static ModelVersion fromJson(ObjectNode doc, Path file, Supplier<ZoneId> legacyZone) {
        try {
            String name = identity(doc, "name", "model name", file);
            String version = identity(doc, "version", "version", file);
            ModelStage stage = ModelStage.parse(requiredText(doc, "stage", file));
            Instant createdAt = doc.hasNonNull("created_at") ? time(doc, "created_at", file, legacyZone)
                    : lastModified(file);
            Instant updatedAt = doc.hasNonNull("updated_at") ? time(doc, "updated_at", file, legacyZone) : createdAt;
            String modelFile = text(doc, "model_file", file);
            String storedPath = text(doc, "model_path", file);
            if (modelFile.isEmpty() && !storedPath.isEmpty()) {
                // The original stores only an (absolute) model_path; its last segment is the file name.
                modelFile = lastSegment(storedPath);
            }
            return new ModelVersion(name, version, stage,
                    text(doc, "framework", file),
                    text(doc, "created_by", file),
                    createdAt, updatedAt,
                    text(doc, "description", file),
                    metrics(doc, file),
                    tags(doc, file),
                    modelFile,
                    doc.has("model_file") ? modelPath(storedPath, name, version, modelFile)
                            : originalModelPath(storedPath, name, version, modelFile),
                    doc.hasNonNull("model_size_bytes") ? longValue(doc, "model_size_bytes", file) : -1,
                    doc.hasNonNull("model_sha256") ? requiredText(doc, "model_sha256", file) : null,
                    config(doc, file),
                    history(doc, file, legacyZone),
                    lineage(doc, file));
        } catch (InvalidInputException e) {
            throw new CorruptDocumentException(file, e.getMessage());
        }
    }

    /**
     * True when the document holds a time without zone: its meaning depends on the workspace's
     * {@code legacy_timezone}, which may change, so its parse is not kept in the {@link MetadataCache}.
     */
    static boolean hasNaiveTime(ObjectNode doc) {
        if (naive(doc.get("created_at")) || naive(doc.get("updated_at"))) {
            return true;
        }
        JsonNode history = doc.get("stage_history");
        if (history != null && history.isArray()) {
            for (JsonNode entry : history) {
                if (naive(entry.get("at"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean naive(JsonNode value) {
        return value != null && value.isTextual() && UtcTime.isNaive(value.textValue());
    }

    static ObjectNode toJson(ModelVersion v) {
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("name", v.name());
        doc.put("version", v.version());
        doc.put("stage", v.stage().value());
        doc.put("framework", v.framework());
        doc.put("created_by", v.createdBy());
        doc.put("created_at", UtcTime.format(v.createdAt()));
        doc.put("updated_at", UtcTime.format(v.updatedAt()));
        doc.put("description", v.description());
        ObjectNode metrics = doc.putObject("metrics");
        v.metrics().forEach(metrics::put);
        ArrayNode tags = doc.putArray("tags");
        v.tags().forEach(tags::add);
        doc.put("model_file", v.modelFile());
        doc.put("model_path", portable(v.modelPath()));
        if (v.modelSizeBytes() >= 0) {
            doc.put("model_size_bytes", v.modelSizeBytes());
        } else {
            doc.putNull("model_size_bytes");
        }
        doc.put("model_sha256", v.modelSha256());
        doc.set("config", Json.mapper().valueToTree(v.config()));
        ArrayNode history = doc.putArray("stage_history");
        v.stageHistory().forEach(t -> history.add(transition(t)));
        if (!v.lineage().isEmpty()) {
            doc.set("lineage", lineage(v.lineage()));
        }
        return doc;
    }

    /**
     * Builds the document of {@link #toJson} in {@code out} as the command line prints it: the same
     * fields in the same order, in the bytes of the tree printed with Jackson's default indentation
     * (a test compares them), without building a tree per version or running Jackson's generator.
     * Returns whether the bytes can be used ({@link IndentedJsonBytes#plain}); when a value needs
     * Jackson (an escaped character, a NaN metric), print {@link #toJson} instead. Both shapes must
     * change together.
     */
    static boolean writeIndented(ModelVersion v, IndentedJsonBytes out) {
        out.clear();
        out.startObject();
        field(out, Member.NAME, v.name());
        field(out, Member.VERSION, v.version());
        field(out, Member.STAGE, v.stage().value());
        field(out, Member.FRAMEWORK, v.framework());
        field(out, Member.CREATED_BY, v.createdBy());
        out.name(Member.CREATED_AT);
        out.time(v.createdAt());
        out.name(Member.UPDATED_AT);
        out.time(v.updatedAt());
        field(out, Member.DESCRIPTION, v.description());
        out.name(Member.METRICS);
        out.startObject();
        for (Map.Entry<String, Double> metric : v.metrics().entrySet()) {
            out.name(metric.getKey());
            if (metric.getValue() == null) {
                out.nullValue();
            } else {
                out.number(metric.getValue());
            }
        }
        out.endObject();
        out.name(Member.TAGS);
        out.startArray();
        for (String tag : v.tags()) {
            out.string(tag);
        }
        out.endArray();
        field(out, Member.MODEL_FILE, v.modelFile());
        field(out, Member.MODEL_PATH, portable(v.modelPath()));
        out.name(Member.MODEL_SIZE_BYTES);
        if (v.modelSizeBytes() >= 0) {
            out.number(v.modelSizeBytes());
        } else {
            out.nullValue();
        }
        field(out, Member.MODEL_SHA256, v.modelSha256());
        out.name(Member.CONFIG);
        writePlain(v.config(), out);
        out.name(Member.STAGE_HISTORY);
        out.startArray();
        for (StageTransition t : v.stageHistory()) {
            out.startObject();
            field(out, Member.FROM, t.from() == null ? null : t.from().value());
            field(out, Member.TO, t.to().value());
            out.name(Member.AT);
            out.time(t.at());
            field(out, Member.BY, t.by());
            field(out, Member.REASON, t.reason());
            out.endObject();
        }
        out.endArray();
        Lineage lineage = v.lineage();
        if (!lineage.isEmpty()) {
            out.name(Member.LINEAGE);
            out.startObject();
            field(out, Member.SOURCE_COMMIT, lineage.sourceCommit());
            field(out, Member.RUN_ID, lineage.runId());
            field(out, Member.DATASET, lineage.dataset());
            field(out, Member.PARENT_VERSION, lineage.parentVersion());
            out.endObject();
        }
        out.endObject();
        return out.plain();
    }

    private static void field(IndentedJsonBytes out, MemberName name, String value) {
        out.name(name);
        out.string(value);
    }

    /** The document's member names as bytes made once ({@link IndentedJsonBytes#memberName}), at the first {@code --json} listing. */
    private static final class Member {
        static final MemberName NAME = IndentedJsonBytes.memberName("name");
        static final MemberName VERSION = IndentedJsonBytes.memberName("version");
        static final MemberName STAGE = IndentedJsonBytes.memberName("stage");
        static final MemberName FRAMEWORK = IndentedJsonBytes.memberName("framework");
        static final MemberName CREATED_BY = IndentedJsonBytes.memberName("created_by");
        static final MemberName CREATED_AT = IndentedJsonBytes.memberName("created_at");
        static final MemberName UPDATED_AT = IndentedJsonBytes.memberName("updated_at");
        static final MemberName DESCRIPTION = IndentedJsonBytes.memberName("description");
        static final MemberName MODEL_FILE = IndentedJsonBytes.memberName("model_file");
        static final MemberName MODEL_PATH = IndentedJsonBytes.memberName("model_path");
        static final MemberName MODEL_SHA256 = IndentedJsonBytes.memberName("model_sha256");
        static final MemberName FROM = IndentedJsonBytes.memberName("from");
        static final MemberName TO = IndentedJsonBytes.memberName("to");
        static final MemberName AT = IndentedJsonBytes.memberName("at");
        static final MemberName BY = IndentedJsonBytes.memberName("by");
        static final MemberName REASON = IndentedJsonBytes.memberName("reason");
        static final MemberName SOURCE_COMMIT = IndentedJsonBytes.memberName("source_commit");
        static final MemberName RUN_ID = IndentedJsonBytes.memberName("run_id");
        static final MemberName DATASET = IndentedJsonBytes.memberName("dataset");
        static final MemberName PARENT_VERSION = IndentedJsonBytes.memberName("parent_version");
        static final MemberName METRICS = IndentedJsonBytes.memberName("metrics");
        static final MemberName TAGS = IndentedJsonBytes.memberName("tags");
        static final MemberName MODEL_SIZE_BYTES = IndentedJsonBytes.memberName("model_size_bytes");
        static final MemberName CONFIG = IndentedJsonBytes.memberName("config");
        static final MemberName STAGE_HISTORY = IndentedJsonBytes.memberName("stage_history");
        static final MemberName LINEAGE = IndentedJsonBytes.memberName("lineage");
    }

    /**
     * A configuration's decimal as the tree holds it: {@code valueToTree} reads it back as a
     * BigDecimal (the mapper uses BigDecimals for floats) with its trailing zeros stripped, so 1.0
     * prints as 1, -0.0 as 0 and 1e20 as 1E+20; NaN and the infinities stay doubles, which the
     * tree prints as strings.
     */
    static void writeDecimal(double number, IndentedJsonBytes out) {
        double magnitude = Math.abs(number);
        if (!Double.isFinite(number) || (magnitude >= 1e-3 && magnitude < 1e7 && number != Math.rint(number))) {
            // A fraction in this range is what Double.toString writes without an exponent: its last
            // digit is not a zero, so the BigDecimal below would print the same text, at thrice the cost.
            out.number(number);
            return;
        }
        BigDecimal decimal = BigDecimal.valueOf(number);
        out.numberText((decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros()).toString());
    }

    /**
     * A configuration value as {@code valueToTree} then printing the tree gives it: the plain values
     * {@link #plain} and the listing cache produce, decimals as the tree normalises them
     * ({@link #writeDecimal}); anything else leaves the document to the tree.
     */
    private static void writePlain(Object value, IndentedJsonBytes out) {
        if (value == null) {
            out.nullValue();
        } else if (value instanceof String text) {
            out.string(text);
        } else if (value instanceof Map<?, ?> map) {
            out.startObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.name(String.valueOf(entry.getKey()));
                writePlain(entry.getValue(), out);
            }
            out.endObject();
        } else if (value instanceof List<?> list) {
            out.startArray();
            for (Object item : list) {
                writePlain(item, out);
            }
            out.endArray();
        } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            out.numberText(value.toString());
        } else if (value instanceof Double number) {
            writeDecimal(number, out);
        } else if (value instanceof Boolean flag) {
            out.bool(flag);
        } else {
            out.notPlain();
        }
    }

    static ObjectNode transition(StageTransition t) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("from", t.from() == null ? null : t.from().value());
        node.put("to", t.to().value());
        node.put("at", UtcTime.format(t.at()));
        node.put("by", t.by());
        node.put("reason", t.reason());
        return node;
    }

    static ObjectNode lineage(Lineage lineage) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("source_commit", lineage.sourceCommit());
        node.put("run_id", lineage.runId());
        node.put("dataset", lineage.dataset());
        node.put("parent_version", lineage.parentVersion());
        return node;
    }

    /** {@code models/<name>/<version>/<file>}, the layout's path of an artifact relative to the root. */
    static Path layoutPath(String name, String version, String modelFile) {
        return modelFile.isEmpty() ? Path.of("models", name, version) : Path.of("models", name, version, modelFile);
    }

    /** Forward slashes on every OS, so that a store written on Windows reads the same on Linux. */
    static String portable(Path relative) {
        return relative.toString().replace('\\', '/');
    }

    /**
     * The original module's {@code model_path} (SPEC 10), relative to the registry root: it wrote the
     * path as its registry saw it, relative to the folder the registry was opened from
     * ({@code models/models/fraud_detector/v2.0.0/model.pt} for {@code ModelRegistry("models")}) or
     * absolute, possibly on another machine. It always copied the file into the SPEC 2 layout, so a
     * path ending in the layout's {@code models/<name>/<version>/<file>} is that; any other relative
     * path is taken relative to the root's parent; anything else falls back to the layout.
     */
    static Path originalModelPath(String stored, String name, String version, String modelFile) {
        Path layout = layoutPath(name, version, modelFile);
        String normalized = stored.replace('\\', '/');
        if (normalized.isEmpty() || normalized.equals(portable(layout)) || normalized.endsWith("/" + portable(layout))) {
            return layout;
        }
        Path relative = modelPath(stored, name, version, modelFile);
        if (!relative.equals(layout) && relative.getNameCount() > 1) {
            return relative.subpath(1, relative.getNameCount()); // from the root's parent to the root
        }
        return layout;
    }

    private static Path modelPath(String stored, String name, String version, String modelFile) {
        if (!stored.isEmpty()) {
            try {
                Path path = Path.of(stored.replace('\\', '/')).normalize();
                if (!path.isAbsolute() && !path.startsWith("..") && !stored.startsWith("/")) {
                    return path;
                }
            } catch (java.nio.file.InvalidPathException e) {
                // Written on another OS: fall back to the layout.
            }
        }
        return layoutPath(name, version, modelFile);
    }

    private static String identity(ObjectNode doc, String field, String kind, Path file) {
        String value = requiredText(doc, field, file);
        String problem = Names.problem(value);
        if (problem != null) {
            throw new InvalidInputException("its " + kind + " " + Names.quote(value) + " is invalid: " + problem);
        }
        return value;
    }

    private static String requiredText(ObjectNode doc, String field, Path file) {
        JsonNode node = doc.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidInputException("the field '" + field + "' is missing");
        }
        if (!node.isTextual()) {
            throw new InvalidInputException("the field '" + field + "' must be a string");
        }
        return node.textValue();
    }

    static String text(ObjectNode doc, String field, Path file) {
        JsonNode node = doc.get(field);
        return node == null || node.isNull() ? "" : requiredText(doc, field, file);
    }

    /** Read by {@link UtcTime#parse}, the one parser of stored times, whose fast path keeps a listing quick. */
    static Instant time(ObjectNode doc, String field, Path file, Supplier<ZoneId> legacyZone) {
        String text = requiredText(doc, field, file);
        try {
            return UtcTime.isNaive(text) ? UtcTime.parse(text, legacyZone.get()) : UtcTime.parse(text);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("the field '" + field + "': " + e.getMessage());
        }
    }

    private static long longValue(ObjectNode doc, String field, Path file) {
        JsonNode node = doc.get(field);
        if (!node.canConvertToExactIntegral() || !node.canConvertToLong() || node.asLong() < 0) {
            throw new InvalidInputException("the field '" + field + "' must be a whole number of bytes");
        }
        return node.asLong();
    }

    private static Map<String, Double> metrics(ObjectNode doc, Path file) {
        JsonNode node = doc.get("metrics");
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return metrics;
        }
        if (!node.isObject()) {
            throw new InvalidInputException("the field 'metrics' must be an object of metric names to numbers");
        }
        node.properties().forEach(entry -> {
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                return;
            }
            Double number = metricValue(value);
            if (number == null) {
                throw new InvalidInputException("the metric " + Names.quote(entry.getKey()) + " is not a finite number, NaN or Infinity");
            }
            metrics.put(entry.getKey(), number);
        });
        return metrics;
    }

    /**
     * A stored metric: a number, or NaN and Infinity as the original module writes them (SPEC 10:
     * unquoted) and as Jackson writes them back (quoted). They are shown as they are, never hiding
     * the version; new input still refuses them ({@link Checks#metric}).
     */
    private static Double metricValue(JsonNode value) {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            return switch (value.textValue()) {
                case "NaN" -> Double.NaN;
                case "Infinity", "+Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> null;
            };
        }
        return null;
    }

    static List<String> tags(ObjectNode doc, Path file) {
        JsonNode node = doc.get("tags");
        List<String> tags = new ArrayList<>();
        if (node == null || node.isNull()) {
            return tags;
        }
        if (!node.isArray()) {
            throw new InvalidInputException("the field 'tags' must be a list of strings");
        }
        for (JsonNode tag : node) {
            if (!tag.isTextual()) {
                throw new InvalidInputException("the field 'tags' must be a list of strings");
            }
            tags.add(tag.textValue());
        }
        return tags;
    }

    private static Map<String, Object> config(ObjectNode doc, Path file) {
        JsonNode node = doc.get("config");
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidInputException("the field 'config' must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) plain(node);
        return config;
    }

    /** JSON as the plain Java values SnakeYAML gives for the same YAML: Integer, Long, Double, String, ... */
    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(entry -> map.put(entry.getKey(), plain(entry.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(plain(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToInt() ? (Object) node.intValue()
                    : node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isNull() ? null : node.asText();
    }

    private static List<StageTransition> history(ObjectNode doc, Path file, Supplier<ZoneId> legacyZone) {
        JsonNode node = doc.get("stage_history");
        List<StageTransition> history = new ArrayList<>();
        if (node == null || node.isNull()) {
            return history;
        }
        if (!node.isArray()) {
            throw new InvalidInputException("the field 'stage_history' must be a list");
        }
        for (JsonNode entry : node) {
            if (!(entry instanceof ObjectNode item)) {
                throw new InvalidInputException("every entry of 'stage_history' must be an object");
            }
            String from = text(item, "from", file);
            history.add(new StageTransition(
                    from.isEmpty() ? null : ModelStage.parse(from),
                    ModelStage.parse(requiredText(item, "to", file)),
                    time(item, "at", file, legacyZone),
                    text(item, "by", file),
                    text(item, "reason", file)));
        }
        return history;
    }

    private static Lineage lineage(ObjectNode doc, Path file) {
        JsonNode node = doc.get("lineage");
        if (node == null || node.isNull()) {
            return Lineage.NONE;
        }
        if (!(node instanceof ObjectNode item)) {
            throw new InvalidInputException("the field 'lineage' must be an object");
        }
        return new Lineage(text(item, "source_commit", file), text(item, "run_id", file),
                text(item, "dataset", file), text(item, "parent_version", file));
    }

    private static String lastSegment(String path) {
        String normalized = path.replace('\\', '/');
        return normalized.substring(normalized.lastIndexOf('/') + 1);
    }

    private static Instant lastModified(Path file) {
        if (!file.isAbsolute()) {
            return Instant.EPOCH; // a key in a bucket, not a file: no time of its own to fall back on
        }
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }
}
