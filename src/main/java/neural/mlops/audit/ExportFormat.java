package neural.mlops.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;

/** The formats an audit trail exports to (SPEC 3.3). */
public enum ExportFormat {
    /** One document: an export header, the events as stored, then their count. */
    JSON,
    /** One stored event per line, for log pipelines and SIEMs. */
    JSONL,
    /** RFC 4180, one event per row, formula-like cells neutralised. */
    CSV;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExportFormat parse(String text) {
        for (ExportFormat format : values()) {
            if (format.value().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return format;
            }
        }
        throw new InvalidInputException("Unknown export format " + Names.quote(text) + "; expected json, jsonl or csv");
    }
}
