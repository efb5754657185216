package neural.mlops.registry;

import java.util.Locale;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;

/** The lifecycle stages of a model version, written in lowercase in metadata documents. */
public enum ModelStage {
    DEVELOPMENT,
    STAGING,
    PRODUCTION,
    ARCHIVED;

    /** Computed once: listing ten thousand versions asks for these tens of thousands of times. */
    private final String value = name().toLowerCase(Locale.ROOT);

    /** The value stored in documents and shown to users: {@code production}. */
    public String value() {
        return value;
    }

    /** Parses a stage in any case, refusing an unknown one with the list of valid stages. */
    public static ModelStage parse(String text) {
        for (ModelStage stage : values()) {
            if (stage.value.equals(text)) {
                return stage; // as stored: no need to trim or fold case
            }
        }
        String wanted = text == null ? "" : text.trim();
        for (ModelStage stage : values()) {
            if (stage.value().equalsIgnoreCase(wanted)) {
                return stage;
            }
        }
        throw new InvalidInputException("Unknown stage " + Names.quote(text)
                + "; expected one of development, staging, production, archived");
    }

    @Override
    public String toString() {
        return value();
    }
}
