package neural.mlops.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.UtcTime;

/**
 * One event as the index holds it: its file, every field but {@code details} already read (enough
 * to filter, count, link and fill a CSV row), and its document as stored, in compact JSON, parsed
 * only when a caller needs the details or the document itself. Reading the fields is one pass of
 * Jackson's streaming parser, several times cheaper than building the document.
 */
final class IndexedEvent {

    private static final ObjectWriter COMPACT = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);
    private static final JsonFactory FACTORY = Json.mapper().getFactory();

    /** Where each CSV column of the exporter is kept; details is not a cell here but a slice of the document. */
    private static final Map<String, Integer> COLUMNS = new HashMap<>();
    private static final int EVENT_ID;
    private static final int SEQ;
    private static final int TIMESTAMP;
    private static final int EVENT_TYPE;
    private static final int SEVERITY;
    private static final int USER;
    private static final int RESOURCE_TYPE;
    private static final int RESOURCE_ID;
    private static final int ACTION;
    private static final int OUTCOME;
    private static final int REASON;
    private static final int DETAILS;
    private static final int IP_ADDRESS;
    private static final int HOST;
    private static final int TAGS;
    private static final int PREV_HASH;
    private static final int HASH;

    static {
        List<String> columns = Exporter.CSV_COLUMNS;
        for (int i = 0; i < columns.size(); i++) {
            COLUMNS.put(columns.get(i), i);
        }
        EVENT_ID = COLUMNS.get("event_id");
        SEQ = COLUMNS.get(EventJson.SEQ);
        TIMESTAMP = COLUMNS.get(EventJson.TIMESTAMP);
        EVENT_TYPE = COLUMNS.get("event_type");
        SEVERITY = COLUMNS.get("severity");
        USER = COLUMNS.get("user");
        RESOURCE_TYPE = COLUMNS.get("resource_type");
        RESOURCE_ID = COLUMNS.get("resource_id");
        ACTION = COLUMNS.get("action");
        OUTCOME = COLUMNS.get("outcome");
        REASON = COLUMNS.get("reason");
        DETAILS = COLUMNS.get("details");
        IP_ADDRESS = COLUMNS.get("ip_address");
        HOST = COLUMNS.get("host");
        TAGS = COLUMNS.get(EventJson.TAGS);
        PREV_HASH = COLUMNS.get(EventJson.PREV_HASH);
        HASH = COLUMNS.get(EventJson.HASH);
    }

    private final Path folder;
    private final String fileName;
    private final AuditEvent summary;
    private final String[] cells;
    private final byte[] bytes;
    private final int start;
    private final int end;
    private final int detailsStart;
    private final int detailsEnd;
    private ObjectNode raw;

    private IndexedEvent(Path folder, String fileName, AuditEvent summary, String[] cells, byte[] bytes, int start,
                         int end, int detailsStart, int detailsEnd) {
        this.folder = folder;
        this.fileName = fileName;
        this.summary = summary;
        this.cells = cells;
        this.bytes = bytes;
        this.start = start;
        this.end = end;
        this.detailsStart = detailsStart;
        this.detailsEnd = detailsEnd;
    }

    /** The event read from its file, in the index's form (used when a day is rebuilt or read without its index). */
    static IndexedEvent of(StoredEvent stored, ZoneId naiveZone) {
        byte[] compact = compact(stored.raw());
        try (JsonParser parser = FACTORY.createParser(compact)) {
            parser.nextToken();
            // The document is not kept: its compact bytes are, and a rebuilt day of 50,000 trees filled a 256 MB heap.
            return read(parser, stored.file().getParent(), stored.file().getFileName().toString(), compact, 0, naiveZone);
        } catch (IOException e) {
            throw new MlopsException("Could not re-read the event " + stored.file() + ": " + e.getMessage(), e);
        }
    }

    /** The event file this entry describes (made when asked: a year's read must not build a million paths). */
    Path file() {
        return folder.resolve(fileName);
    }

    String fileName() {
        return fileName;
    }

    Path folder() {
        return folder;
    }

    /** Every field but {@code details} (empty here): enough for any filter without a text criterion. */
    AuditEvent summary() {
        return summary;
    }

    /**
     * The full event, details included: the details are read straight into the map the event
     * keeps (as {@link EventJson#fromJson} converts them), without building the whole document.
     */
    AuditEvent event() {
        if (detailsStart < 0) {
            return summary;
        }
        Map<String, Object> details;
        try {
            details = Json.mapper().readValue(bytes, detailsStart, detailsEnd - detailsStart, DETAILS_MAP);
        } catch (IOException e) {
            throw new EventJson.MalformedEvent("the index holds unreadable details for " + fileName);
        }
        return summary.withDetails(details);
    }

    private static final TypeReference<Map<String, Object>> DETAILS_MAP = new TypeReference<>() { };

    /** The document as stored, unknown fields included. */
    ObjectNode raw() {
        if (raw == null) {
            try {
                raw = (ObjectNode) Json.mapper().readTree(bytes, start, end - start);
            } catch (IOException e) {
                throw new EventJson.MalformedEvent("the index holds an unreadable copy of " + fileName);
            }
        }
        return raw;
    }

    /**
     * The document in compact JSON, as the index holds it: a copy of those bytes, never a tree
     * ({@link #raw} keeps the tree it builds, which for a rebuilt day of 50,000 events was most of
     * a 256 MB heap).
     */
    byte[] compactCopy() {
        return Arrays.copyOfRange(bytes, start, end);
    }

    /** Writes the document in compact JSON, as the exporter's JSON Lines has it. */
    void writeCompact(OutputStream out) throws IOException {
        out.write(bytes, start, end - start);
    }

    /**
     * The CSV cell of {@code column} (an index into {@link Exporter#CSV_COLUMNS}): the stored text,
     * empty for null, and the details as compact JSON, copied from the document as stored.
     */
    String cell(int column) {
        if (column == DETAILS) {
            return detailsStart < 0 ? "" : new String(bytes, detailsStart, detailsEnd - detailsStart, StandardCharsets.UTF_8);
        }
        String cell = cells[column];
        return cell == null ? "" : cell;
    }

    /** The hash as stored, compared by verification with the event file's. */
    String hash() {
        return cells[HASH];
    }

    /** True when the copy here is byte for byte what {@code stored} gives in compact JSON. */
    boolean sameDocument(StoredEvent stored) {
        byte[] compact = compact(stored.raw());
        return java.util.Arrays.equals(compact, 0, compact.length, bytes, start, end);
    }

    static byte[] compact(ObjectNode document) {
        try {
            return COMPACT.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new MlopsException("Could not serialise an audit event: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the event object stored in {@code folder/fileName} whose START_OBJECT the parser is on,
     * {@code base} being the position in
     * {@code bytes} where the parser's input starts. Applies the checks of {@link EventJson#fromJson}
     * to every field but details, which must only be an object or null.
     */
    static IndexedEvent read(JsonParser parser, Path folder, String fileName, byte[] bytes, int base, ZoneId naiveZone)
            throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new EventJson.MalformedEvent("not a JSON object");
        }
        int start = base + (int) parser.currentTokenLocation().getByteOffset();
        String[] cells = new String[Exporter.CSV_COLUMNS.size()];
        long seq = 0;
        int detailsStart = -1;
        int detailsEnd = -1;
        List<String> tags = List.of();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            Integer column = COLUMNS.get(name);
            if (column == null) {
                parser.skipChildren();
            } else if (column == DETAILS) {
                if (value == JsonToken.START_OBJECT) {
                    detailsStart = base + (int) parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    detailsEnd = base + (int) parser.currentTokenLocation().getByteOffset() + 1;
                } else if (value != JsonToken.VALUE_NULL) {
                    throw new EventJson.MalformedEvent("details is not an object");
                }
            } else if (column == TAGS) {
                if (value == JsonToken.START_ARRAY) {
                    int tagsStart = base + (int) parser.currentTokenLocation().getByteOffset();
                    tags = new ArrayList<>();
                    while (parser.nextToken() == JsonToken.VALUE_STRING) {
                        tags.add(parser.getText());
                    }
                    if (parser.currentToken() != JsonToken.END_ARRAY) {
                        parser.skipChildren();
                        throw new EventJson.MalformedEvent("tags is not a list of strings");
                    }
                    int tagsEnd = base + (int) parser.currentTokenLocation().getByteOffset() + 1;
                    // The CSV cell is the list as compact JSON, as the details are: a tag may hold a comma.
                    cells[column] = new String(bytes, tagsStart, tagsEnd - tagsStart, StandardCharsets.UTF_8);
                } else if (value != JsonToken.VALUE_NULL) {
                    parser.skipChildren();
                    throw new EventJson.MalformedEvent("tags is not a list of strings");
                }
            } else if (column == SEQ) {
                if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                        && parser.getLongValue() >= 1) {
                    seq = parser.getLongValue();
                    cells[column] = parser.getText();
                } else if (value != JsonToken.VALUE_NULL) {
                    parser.skipChildren();
                    throw new EventJson.MalformedEvent("seq is not a positive whole number");
                }
            } else if (value == JsonToken.VALUE_STRING) {
                cells[column] = parser.getText();
            } else if (value != JsonToken.VALUE_NULL) {
                throw new EventJson.MalformedEvent(name + " is not a string");
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new EventJson.MalformedEvent("not a JSON object");
        }
        int end = base + (int) parser.currentTokenLocation().getByteOffset() + 1;
        AuditEvent summary = summary(cells, seq, tags, naiveZone);
        return new IndexedEvent(folder, fileName, summary, cells, bytes, start, end, detailsStart, detailsEnd);
    }

    /**
     * Where the event object the parser is on (its START_OBJECT), stored in {@code fileName}, goes
     * among its day's: its time and sequence number, read alone and checked as {@link #read}
     * checks them, every other field skipped. A check of a busy day's order reads no more.
     */
    static TrailIndex.Place place(JsonParser parser, String fileName, ZoneId naiveZone) throws IOException {
        String timestamp = null;
        long seq = 0;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (EventJson.TIMESTAMP.equals(name) && value == JsonToken.VALUE_STRING) {
                timestamp = parser.getText();
            } else if (EventJson.SEQ.equals(name) && value == JsonToken.VALUE_NUMBER_INT
                    && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER && parser.getLongValue() >= 1) {
                seq = parser.getLongValue();
            } else if (EventJson.TIMESTAMP.equals(name) || EventJson.SEQ.equals(name) && value != JsonToken.VALUE_NULL) {
                throw new EventJson.MalformedEvent(name + " is not what it should be");
            } else {
                parser.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new EventJson.MalformedEvent("not a JSON object");
        }
        if (timestamp == null) {
            throw new EventJson.MalformedEvent("it has no " + EventJson.TIMESTAMP);
        }
        try {
            return new TrailIndex.Place(UtcTime.parse(timestamp, naiveZone), seq, fileName);
        } catch (InvalidInputException e) {
            throw new EventJson.MalformedEvent(e.getMessage());
        }
    }

    /** The event of these fields with empty details; the same rules as {@link EventJson#fromJson}. */
    private static AuditEvent summary(String[] cells, long seq, List<String> tags, ZoneId naiveZone) {
        try {
            String timestamp = required(cells, TIMESTAMP, EventJson.TIMESTAMP);
            Instant time;
            try {
                time = UtcTime.parse(timestamp, naiveZone);
            } catch (InvalidInputException e) {
                throw new EventJson.MalformedEvent(e.getMessage());
            }
            return new AuditEvent(cells[EVENT_ID], seq, time,
                    EventType.parse(required(cells, EVENT_TYPE, "event_type")),
                    cells[SEVERITY] != null ? EventSeverity.parse(cells[SEVERITY]) : EventSeverity.INFO,
                    cells[USER], cells[RESOURCE_TYPE], cells[RESOURCE_ID], cells[ACTION],
                    cells[OUTCOME] != null ? Outcome.parse(cells[OUTCOME]) : null,
                    cells[REASON], Map.of(), cells[IP_ADDRESS], cells[HOST], cells[PREV_HASH], cells[HASH], tags);
        } catch (InvalidInputException e) {
            throw new EventJson.MalformedEvent(e.getMessage());
        }
    }

    private static String required(String[] cells, int column, String field) {
        if (cells[column] == null) {
            throw new EventJson.MalformedEvent("it has no " + field);
        }
        return cells[column];
    }
}
