package neural.mlops.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import neural.mlops.store.Enums;
import neural.mlops.store.Valued;

/** Whose document shape an export is written in (json and yaml only). */
public enum ExportShape implements Valued {
    /** The product's: an export header, the events exactly as stored (oldest first), their count. */
    PRODUCT,
    /**
     * The original Python module's (SPEC 10): a plain list of events, newest first, with exactly its
     * keys, its event types and its naive local times ({@link OriginalShape}).
     */
    ORIGINAL;

    @JsonValue
    @Override
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExportShape parse(String text) {
        return Enums.parse(ExportShape.class, text, "export shape");
    }
}
