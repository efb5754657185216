package neural.mlops.deployment;

import java.util.Locale;
import neural.mlops.store.Enums;
import neural.mlops.store.Valued;

/** The life of a deployment (SPEC 2.2), written in lowercase in JSON. */
public enum DeploymentStatus implements Valued {
    /** Created, not yet serving. */
    PENDING,
    /** Serving; at most one per model and environment. */
    ACTIVE,
    /** Deactivated, or replaced by a newer active deployment. */
    INACTIVE,
    /** Marked failed (written by other tools; this version never sets it itself). */
    FAILED,
    /** Was active and was rolled back to the deployment it had replaced. */
    ROLLED_BACK;

    /** Computed once: reading a year of events parses and writes these a million times. */
    private final String value = name().toLowerCase(Locale.ROOT);

    /** The value stored in JSON: {@code rolled_back}. */
    @Override
    public String value() {
        return value;
    }

    /** Parses a stored or typed status, ignoring case; refuses anything else with the accepted values. */
    public static DeploymentStatus parse(String text) {
        return Enums.parse(DeploymentStatus.class, text, "deployment status");
    }

    @Override
    public String toString() {
        return value();
    }
}
