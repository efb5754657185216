package neural.mlops.registry;

import java.util.Locale;
import neural.mlops.store.Enums;
import neural.mlops.store.Valued;

/** The lifecycle stages of a model version, written in lowercase in metadata documents. */
public enum ModelStage implements Valued {
    DEVELOPMENT,
    STAGING,
    PRODUCTION,
    ARCHIVED;

    /** Computed once: listing ten thousand versions asks for these tens of thousands of times. */
    private final String value = name().toLowerCase(Locale.ROOT);

    /** The value stored in documents and shown to users: {@code production}. */
    @Override
    public String value() {
        return value;
    }

    /** Parses a stage in any case, refusing an unknown one with the list of valid stages. */
    public static ModelStage parse(String text) {
        return Enums.parse(ModelStage.class, text, "stage");
    }

    @Override
    public String toString() {
        return value();
    }
}
