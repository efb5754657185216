package neural.mlops.audit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import neural.mlops.store.Enums;
import neural.mlops.store.Valued;

/** What came of the action an audit event records (SPEC 2.3). */
public enum Outcome implements Valued {
    SUCCESS,
    FAILURE,
    DENIED;

    /** Computed once: reading a year of events parses and writes these a million times. */
    private final String value = name().toLowerCase(Locale.ROOT);

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @JsonCreator
    public static Outcome parse(String text) {
        return Enums.parse(Outcome.class, text, "outcome");
    }
}
