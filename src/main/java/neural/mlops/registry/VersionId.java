package neural.mlops.registry;

import java.util.Objects;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;

/**
 * A version named by its model and version, written {@code name:version} as the audit trail's
 * resource ids are (names cannot hold a colon, so the form is unambiguous): how a comparison names
 * versions of different models.
 */
public record VersionId(String name, String version) {

    public VersionId {
        Names.require("model name", name);
        Names.require("version", version);
    }

    /** Parses {@code name:version}, refusing anything else with the form to use. */
    public static VersionId parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1 || text.indexOf(':', colon + 1) >= 0) {
            throw new InvalidInputException("Invalid version " + Names.quote(text)
                    + ": name a version of a model as MODEL:VERSION, e.g. fraud_detector:v2.0.0");
        }
        return new VersionId(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return name + ":" + version;
    }
}
