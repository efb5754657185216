package neural.mlops.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;

/**
 * The parts of a version's {@link Lineage}, by their keys in the metadata document; each part's
 * value is checked here, for registration and for edits alike. The short key ({@code commit},
 * {@code run}) is the one of the workspace's link templates and is accepted too.
 */
public enum LineageField {
    SOURCE_COMMIT("source_commit", "commit", Checks.MAX_SHORT),
    RUN_ID("run_id", "run", Checks.MAX_SHORT),
    DATASET("dataset", "dataset", Checks.MAX_SHORT * 4),
    PARENT_VERSION("parent_version", "parent", Names.MAX_LENGTH);

    private final String key;
    private final String shortKey;
    private final int maxLength;

    LineageField(String key, String shortKey, int maxLength) {
        this.key = key;
        this.shortKey = shortKey;
        this.maxLength = maxLength;
    }

    /** The key in the metadata document's {@code lineage} object. */
    public String key() {
        return key;
    }

    /** The field named {@code key} (its document key or its short key, any case), or a refusal naming the keys. */
    public static LineageField parse(String key) {
        String wanted = key == null ? "" : key.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(field -> field.key.equals(wanted) || field.shortKey.equals(wanted))
                .findFirst().orElseThrow(() -> new InvalidInputException("Unknown lineage key " + Names.quote(key)
                        + "; use one of " + Arrays.stream(values()).map(LineageField::key)
                        .collect(Collectors.joining(", "))));
    }

    /** The value checked for this part: null or blank gives null (no value); a parent version is a version name. */
    public String check(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (this == PARENT_VERSION) {
            return Names.require("parent version", value);
        }
        return Checks.optionalLine("lineage " + key.replace('_', ' '), value, maxLength);
    }

    /** This part of {@code lineage}; null when it has none. */
    public String of(Lineage lineage) {
        return switch (this) {
            case SOURCE_COMMIT -> lineage.sourceCommit();
            case RUN_ID -> lineage.runId();
            case DATASET -> lineage.dataset();
            case PARENT_VERSION -> lineage.parentVersion();
        };
    }

    /** {@code lineage} with this part set to {@code value} (null clears it). */
    public Lineage in(Lineage lineage, String value) {
        return new Lineage(this == SOURCE_COMMIT ? value : lineage.sourceCommit(),
                this == RUN_ID ? value : lineage.runId(),
                this == DATASET ? value : lineage.dataset(),
                this == PARENT_VERSION ? value : lineage.parentVersion());
    }
}
