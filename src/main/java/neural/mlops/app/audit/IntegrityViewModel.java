package neural.mlops.app.audit;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import neural.mlops.app.common.Formats;
import neural.mlops.audit.IntegrityProblem;
import neural.mlops.audit.IntegrityReport;
import neural.mlops.audit.ProblemKind;

/**
 * One verification's result as the Verify Integrity window shows it: a headline, what was
 * checked, and the problems by kind and first event affected.
 */
public final class IntegrityViewModel {

    private final IntegrityReport report;
    private final String notRecorded;
    private final ObservableList<IntegrityProblem> problems;

    public IntegrityViewModel(IntegrityReport report, String notRecorded) {
        this.report = report;
        this.notRecorded = notRecorded;
        this.problems = FXCollections.observableArrayList(report.problems().stream()
                .sorted(Comparator.comparing(IntegrityProblem::kind)
                        .thenComparingLong(problem -> problem.seq() == 0 ? Long.MAX_VALUE : problem.seq()))
                .toList());
    }

    public IntegrityReport report() {
        return report;
    }

    public boolean intact() {
        return report.intact();
    }

    /** True when unchained events were found: the window then offers to adopt them. */
    public boolean canAdopt() {
        return report.unchainedEvents() > 0;
    }

    /** The problems, by kind, then by the first event affected. */
    public ObservableList<IntegrityProblem> problems() {
        return problems;
    }

    /** "The audit trail is intact" or "The audit trail has 3 problems". */
    public String headline() {
        return report.intact() ? "The audit trail is intact"
                : "The audit trail has " + Formats.plural(report.problems().size(), "problem", "problems");
    }

    /** What was checked, and the head hash that an intact chain vouches for. */
    public String detail() {
        StringBuilder text = new StringBuilder();
        text.append(Formats.plural(report.eventsChecked(), "chained event", "chained events")).append(" checked");
        if (report.unchainedEvents() > 0) {
            text.append(", ").append(Formats.count(report.unchainedEvents())).append(" unchained");
        }
        if (report.adoptedEvents() > 0) {
            text.append(", ").append(Formats.count(report.adoptedEvents())).append(" adopted");
        }
        if (report.archivedEvents() > 0) {
            text.append(", ").append(Formats.count(report.archivedEvents())).append(" archived");
        }
        text.append(report.signed() ? "; signatures checked." : "; no key, so signatures were not checked.");
        text.append("\nHead: seq ").append(report.headSeq()).append(", hash ")
                .append(report.headHash() == null ? "(none)" : report.headHash());
        if (!report.intact()) {
            text.append("\nBy kind: ").append(byKind());
            report.firstAffected().ifPresent(first -> text.append("\nFirst affected: ").append(first));
        }
        report.notes().forEach(note -> text.append("\nNote: ").append(note));
        if (notRecorded != null) {
            text.append("\nThis check could not be recorded in the trail: ").append(notRecorded);
        }
        return text.toString();
    }

    /** "2 modified, 1 missing" */
    String byKind() {
        Map<ProblemKind, Long> counts = new EnumMap<>(ProblemKind.class);
        report.problems().forEach(problem -> counts.merge(problem.kind(), 1L, Long::sum));
        return counts.entrySet().stream().map(entry -> entry.getValue() + " " + entry.getKey().value().replace('_', ' '))
                .collect(Collectors.joining(", "));
    }
}
