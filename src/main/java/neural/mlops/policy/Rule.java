package neural.mlops.policy;

import java.util.Locale;

/** The rules a stage may have (SPEC 8), named as their keys in {@code workspace.yaml}. */
public enum Rule {
    ALLOWED,
    REQUIRES_STAGE,
    REQUIRE_REASON,
    METRIC_GATES,
    APPROVALS,
    ARTIFACT,
    REQUIRE_SIGNED;

    /** The key in workspace.yaml: {@code requires_stage}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return key();
    }
}
