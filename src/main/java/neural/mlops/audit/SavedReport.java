package neural.mlops.audit;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;

/**
 * A compliance report saved under {@code reports/}, by this product or by the original Python
 * module (SPEC 10: {@code period_start}, {@code period_end} and {@code generated_at} as naive local
 * times, read in the workspace's {@code legacy_timezone}). Times are null when the document does
 * not say them readably. A listing reads only these fields and the {@code summary} object, streaming
 * past the rest: a year of a million events is saved as some 47 MB, mostly the events it lists;
 * {@link AuditLogger#writeSavedReport} gives the document as saved.
 *
 * @param original true when only the original's keys are there (no product {@code period} object)
 * @param summary  the report's {@code summary} object as saved (empty when it has none)
 */
public record SavedReport(String reportId, Path file, Instant generatedAt, Instant periodStart, Instant periodEnd,
                          long totalEvents, boolean original, ObjectNode summary) {

    /** Reads one field's value in the middle of the document (the mapper's own reads expect it to end there). */
    private static final ObjectReader FIELD = Json.storedMapper().reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The top-level fields a listing reads; every other field is skipped unread. */
    private static final Set<String> LISTED = Set.of("report_id", "generated_at", "period", "period_start",
            "period_end", "total_events", "summary");

    /**
     * Reads the listing fields of the document {@code parser} is at the start of, to its end, so
     * that a document that is not one JSON object is refused (as {@link IOException}) like a corrupt one.
     */
    static SavedReport read(String fileId, Path file, JsonParser parser, ZoneId naiveZone) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(parser, "expected a JSON object");
        }
        Map<String, JsonNode> fields = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (LISTED.contains(name)) {
                fields.put(name, FIELD.readTree(parser));
            } else {
                parser.skipChildren();
            }
        }
        if (parser.nextToken() != null) {
            throw new JsonParseException(parser, "more after the report's object");
        }
        return of(fileId, file, fields, naiveZone);
    }

    private static SavedReport of(String fileId, Path file, Map<String, JsonNode> fields, ZoneId naiveZone) {
        JsonNode period = fields.getOrDefault("period", JsonNodeFactory.instance.missingNode());
        boolean original = !period.isObject();
        JsonNode id = fields.get("report_id");
        JsonNode total = fields.get("total_events");
        JsonNode summary = fields.get("summary");
        return new SavedReport(id != null && id.isTextual() ? id.textValue() : fileId, file,
                time(fields.get("generated_at"), naiveZone),
                time(original ? fields.get("period_start") : period.get("start"), naiveZone),
                time(original ? fields.get("period_end") : period.get("end"), naiveZone),
                total != null && total.canConvertToLong() ? total.asLong() : 0,
                original, summary instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode());
    }

    private static Instant time(JsonNode value, ZoneId naiveZone) {
        if (value == null || !value.isTextual()) {
            return null;
        }
        try {
            return UtcTime.parse(value.textValue(), naiveZone);
        } catch (InvalidInputException e) {
            return null; // listed all the same: the document is shown as it is
        }
    }
}
