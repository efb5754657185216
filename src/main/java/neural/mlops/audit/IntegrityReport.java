package neural.mlops.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The result of walking the chain: every problem found (verification goes on past the first),
 * what was checked, and the chain head. {@code signed} tells whether a key was used, so that
 * signatures were checked too. {@code notes} are facts that are not problems.
 */
public record IntegrityReport(
        Instant checkedAt,
        Instant periodStart,
        Instant periodEnd,
        long eventsChecked,
        long unchainedEvents,
        long headSeq,
        String headHash,
        boolean signed,
        List<IntegrityProblem> problems,
        List<String> notes) {

    public IntegrityReport {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    /** True when nothing is wrong. */
    public boolean intact() {
        return problems.isEmpty();
    }

    /** The problem that concerns the earliest event, if any. */
    public Optional<IntegrityProblem> firstAffected() {
        return problems.stream().min(Comparator.comparingLong(p -> p.seq() == 0 ? Long.MAX_VALUE : p.seq()));
    }

    /** The result as JSON: intact, counts, head, and each problem with kind, seq, file and message. */
    public ObjectNode toJson() {
        return ReportJson.integrity(this);
    }

    /** The problems of one kind. */
    public List<IntegrityProblem> problems(ProblemKind kind) {
        return problems.stream().filter(problem -> problem.kind() == kind).toList();
    }
}
