package neural.mlops.audit;

import java.util.List;

/** Events a query found, newest first, and the files in the range that could not be read (reported, skipped). */
public record QueryResult(List<AuditEvent> events, List<IntegrityProblem> unreadable) {

    public QueryResult {
        events = List.copyOf(events);
        unreadable = List.copyOf(unreadable);
    }
}
