package neural.mlops.audit;

import java.util.Optional;

/**
 * A verification of the chain that was itself recorded as an {@code integrity_check} event, or
 * could not be ({@code notRecorded} says why: a broken trail may refuse new events).
 */
public record IntegrityCheck(IntegrityReport report, Optional<String> notRecorded) {
}
