package neural.mlops.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import neural.mlops.store.Enums;
import neural.mlops.store.Valued;

/** The formats an audit trail exports to (SPEC 3.3). */
public enum ExportFormat implements Valued {
    /** One document: an export header, the events as stored, then their count. */
    JSON,
    /** One stored event per line, for log pipelines and SIEMs. */
    JSONL,
    /** RFC 4180, one event per row, formula-like cells neutralised. */
    CSV,
    /** The JSON export's document in YAML, written with the safe dumper. */
    YAML;

    @JsonValue
    @Override
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExportFormat parse(String text) {
        return Enums.parse(ExportFormat.class, text, "export format");
    }
}
