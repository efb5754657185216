package neural.mlops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.UtcTime;

/**
 * A compliance report saved under {@code reports/}, by this product or by the original Python
 * module (SPEC 10: {@code period_start}, {@code period_end} and {@code generated_at} as naive local
 * times, read in the workspace's {@code legacy_timezone}). Times are null when the document does
 * not say them readably; {@code document} is the report exactly as saved.
 *
 * @param original true when only the original's keys are there (no product {@code period} object)
 */
public record SavedReport(String reportId, Path file, Instant generatedAt, Instant periodStart, Instant periodEnd,
                          long totalEvents, boolean original, ObjectNode document) {

    /** Reads the listing fields of a saved report's document. */
    static SavedReport of(String fileId, Path file, ObjectNode document, ZoneId naiveZone) {
        JsonNode period = document.path("period");
        boolean original = !period.isObject();
        String id = document.path("report_id").isTextual() ? document.path("report_id").textValue() : fileId;
        return new SavedReport(id, file, time(document.get("generated_at"), naiveZone),
                time(original ? document.get("period_start") : period.get("start"), naiveZone),
                time(original ? document.get("period_end") : period.get("end"), naiveZone),
                document.path("total_events").canConvertToLong() ? document.path("total_events").asLong() : 0,
                original, document);
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
