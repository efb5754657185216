package neural.mlops.policy;

import java.util.List;
import neural.mlops.audit.EventType;
import neural.mlops.store.MlopsException;

/**
 * The workspace policy refused an action (SPEC 8): nothing was changed, the refusal was recorded
 * as {@code access_denied} or {@code security_violation}, and the message names every rule broken
 * and what would satisfy it. The CLI exits with status 1.
 */
public final class PolicyDeniedException extends MlopsException {

    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;
    private final EventType recordedAs;

    PolicyDeniedException(String message, List<Violation> violations, EventType recordedAs) {
        super(message);
        this.violations = List.copyOf(violations);
        this.recordedAs = recordedAs;
    }

    public List<Violation> violations() {
        return violations;
    }

    /** {@code access_denied}, or {@code security_violation} for an attempt to bypass approvals. */
    public EventType recordedAs() {
        return recordedAs;
    }
}
