package neural.mlops.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * JSON documents as the stores keep them. Reading is strict (duplicate keys, NaN and anything
 * after the value are errors, sizes and depth are bounded); rewriting keeps the fields that this version does not know
 * ({@link #preserveUnknown}), because another tool or a newer version may have written them.
 */
public final class Json {

    /** No store document is anywhere near this; a larger file is refused rather than loaded. */
    public static final long MAX_DOCUMENT_BYTES = 16L * 1024 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Data after the value would be dropped by the next rewrite: a document with any is refused instead.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /**
     * The same, reading {@code NaN} and {@code Infinity} unquoted as Python's {@code json.dump} writes
     * them (SPEC 10): for stored documents only, never for input.
     */
    private static final ObjectMapper NON_FINITE = ((JsonMapper) MAPPER).rebuild()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        for (ObjectMapper mapper : new ObjectMapper[] {MAPPER, NON_FINITE}) {
            mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxStringLength(8 * 1024 * 1024)
                    .build());
        }
    }

    private Json() {
    }

    /** The shared, configured mapper; thread-safe once built. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * The mapper for stored documents another tool may have written: {@link #mapper()}, reading
     * {@code NaN} and {@code Infinity} unquoted as Python writes them (SPEC 10). Never for input.
     */
    public static ObjectMapper storedMapper() {
        return NON_FINITE;
    }

    /** Reads a JSON object document, reporting a malformed one as {@link CorruptDocumentException}. */
    public static ObjectNode readObject(Path file) {
        return parseObject(StoreFiles.readRegular(file, MAX_DOCUMENT_BYTES), file);
    }

    /**
     * Parses a JSON object document read through a storage; {@code source} names it in problems (the
     * file, or the key of a document in a bucket). Malformed content is a {@link CorruptDocumentException}.
     */
    public static ObjectNode parseObject(byte[] bytes, Path file) {
        return parseObject(MAPPER, bytes, file);
    }

    /**
     * {@link #parseObject(byte[], Path)} of a stored document that may hold the unquoted {@code NaN}
     * and {@code Infinity} of the original Python module (SPEC 10), read as non-finite doubles.
     */
    public static ObjectNode parseStoredObject(byte[] bytes, Path file) {
        return parseObject(NON_FINITE, bytes, file);
    }

    private static ObjectNode parseObject(ObjectMapper mapper, byte[] bytes, Path file) {
        try {
            JsonNode node = mapper.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new CorruptDocumentException(file, "expected a JSON object");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new CorruptDocumentException(file, describe(e));
        } catch (IOException e) {
            throw StoreIOException.of("read", file, e);
        }
    }

    /**
     * What is wrong with JSON that {@link #mapper()} refused, for a message: Jackson's own words,
     * except for data after the value, which it words in terms of its settings.
     */
    public static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Trailing token")) {
            var where = e.getLocation();
            return "there is more data after the JSON value" + (where == null || where.getLineNr() < 1 ? ""
                    : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")")
                    + "; a document holds exactly one value";
        }
        return message;
    }

    /** Writes a document atomically, pretty-printed with a final newline. */
    public static void writeAtomically(Path file, JsonNode document) {
        AtomicFiles.write(file, bytes(file, document));
    }

    /** A document as {@link #writeAtomically} stores it, for a write that is part of an {@link AtomicFiles.Batch}. */
    public static byte[] bytes(Path file, JsonNode document) {
        try {
            byte[] bytes = MAPPER.writeValueAsBytes(document);
            byte[] withNewline = new byte[bytes.length + 1];
            System.arraycopy(bytes, 0, withNewline, 0, bytes.length);
            withNewline[bytes.length] = '\n';
            return withNewline;
        } catch (JsonProcessingException e) {
            throw new MlopsException("Could not serialise the document for " + file + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The document to write back: {@code original} with every field of {@code updated} set over
     * it. Fields that only {@code original} has (written by another tool) are kept in place.
     */
    public static ObjectNode preserveUnknown(ObjectNode original, ObjectNode updated) {
        if (original == null) {
            return updated;
        }
        ObjectNode merged = original.deepCopy();
        for (Map.Entry<String, JsonNode> field : updated.properties()) {
            merged.set(field.getKey(), field.getValue());
        }
        return merged;
    }
}
