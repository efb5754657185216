package neural.mlops.audit;

import java.time.Instant;
import java.util.List;

/**
 * What {@code audit adopt} did: how many unchained event files up to {@code until} it vouched for
 * now, how many an earlier adoption already vouched for, the chained events that record them (one
 * per part of at most 64 KiB of details; none when there was nothing to adopt), and the files it
 * could not read as events (not adopted; verification goes on reporting them).
 */
public record AdoptionResult(Instant until, long adopted, long alreadyAdopted, List<AuditEvent> recorded,
                             List<IntegrityProblem> skipped) {

    public AdoptionResult {
        recorded = List.copyOf(recorded);
        skipped = List.copyOf(skipped);
    }
}
