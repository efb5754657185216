package neural.mlops.deployment;

import java.util.Locale;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;

/** The life of a deployment (SPEC 2.2), written in lowercase in JSON. */
public enum DeploymentStatus {
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
    public String value() {
        return value;
    }

    /** Parses a stored or typed status, ignoring case; refuses anything else with the accepted values. */
    public static DeploymentStatus parse(String text) {
        String wanted = text == null ? "" : text.trim();
        for (DeploymentStatus status : values()) {
            if (status.value().equalsIgnoreCase(wanted)) {
                return status;
            }
        }
        throw new InvalidInputException("Unknown deployment status " + Names.quote(text)
                + "; expected one of pending, active, inactive, failed, rolled_back");
    }

    @Override
    public String toString() {
        return value();
    }
}
