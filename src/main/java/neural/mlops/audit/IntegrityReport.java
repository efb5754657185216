package neural.mlops.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The result of walking the chain: every problem found (verification goes on past the first,
 * earliest event first), what was checked, and the chain head. {@code signed} tells whether a key
 * was used, so that signatures were checked too; {@code trailSigned} whether head.json carries a
 * signature (checked or not); {@code coverage} says in words what was verified and how.
 * {@code notes} are facts that are not problems. {@code unchainedEvents} counts the events without a
 * hash that nothing vouches for; {@code adoptedEvents} those an adoption vouches for (and that still
 * match it); {@code archivedEvents} the chained seqs that a checkpoint accounts for as archived.
 */
public record IntegrityReport(
        Instant checkedAt,
        Instant periodStart,
        Instant periodEnd,
        long eventsChecked,
        long unchainedEvents,
        long adoptedEvents,
        long archivedEvents,
        long headSeq,
        String headHash,
        boolean signed,
        boolean trailSigned,
        Coverage coverage,
        List<IntegrityProblem> problems,
        List<String> notes) {

    public IntegrityReport {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    /**
     * What a verification checked, and how, so that a reader knows what "intact" rests on: the
     * chain (from the event files, or from the index), the signatures (with which key, or why
     * not), and the derived files (index and summaries).
     */
    public record Coverage(String chain, String signatures, String derivedFiles) {

        /** One paragraph: "Chain: ...; signatures: ...; derived files: ...". */
        public String text() {
            return "Chain: " + chain + ". Signatures: " + signatures + ". Derived files: " + derivedFiles + ".";
        }
    }

    /** True when the signatures were checked with a key and the trail is signed (what --require-signatures asks). */
    public boolean signaturesChecked() {
        return signed && trailSigned;
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

    /** This report with {@code more} problems (the action signatures checked beside the chain), in seq order. */
    public IntegrityReport withProblems(List<IntegrityProblem> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<IntegrityProblem> all = new java.util.ArrayList<>(problems);
        all.addAll(more);
        all.sort(Comparator.comparingLong(p -> p.seq() == 0 ? Long.MAX_VALUE : p.seq()));
        return new IntegrityReport(checkedAt, periodStart, periodEnd, eventsChecked, unchainedEvents, adoptedEvents,
                archivedEvents, headSeq, headHash, signed, trailSigned, coverage, all, notes);
    }

    /** The problems of one kind. */
    public List<IntegrityProblem> problems(ProblemKind kind) {
        return problems.stream().filter(problem -> problem.kind() == kind).toList();
    }
}
