package neural.mlops.registry;

import java.util.Locale;
import neural.mlops.store.Valued;

/**
 * The lineage fields a link can be made of (SPEC 2.1 {@code lineage}), named as the
 * {@code links} keys of workspace.yaml and as their placeholders ({@code {commit}}). The parent
 * version is not one: it links inside the registry, not to another system.
 */
public enum LinkField implements Valued {
    COMMIT,
    RUN,
    DATASET;

    private final String value = name().toLowerCase(Locale.ROOT);

    /** The key in workspace.yaml {@code links}, and the placeholder's name. */
    @Override
    public String value() {
        return value;
    }

    /** {@code {commit}}: where the value goes in a template. */
    public String placeholder() {
        return "{" + value + "}";
    }

    /** This field's value in {@code lineage}, or null when it records none. */
    public String of(Lineage lineage) {
        return switch (this) {
            case COMMIT -> lineage.sourceCommit();
            case RUN -> lineage.runId();
            case DATASET -> lineage.dataset();
        };
    }

    /** How people call the field: "Commit", "Run", "Dataset". */
    public String label() {
        return Character.toUpperCase(value.charAt(0)) + value.substring(1);
    }
}
