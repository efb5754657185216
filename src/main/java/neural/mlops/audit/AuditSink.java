package neural.mlops.audit;

import java.util.List;

/**
 * Where the stores record their lifecycle actions. Recording is fail-closed: {@link #recordAll}
 * returns only once every record is durable, as one group (all of them or none), and throws
 * otherwise, in which case the caller must not carry out the action they record.
 * {@link AuditedChange} is the one place that pairs a store's commit with its records.
 */
@FunctionalInterface
public interface AuditSink {

    /** For a store opened on its own, as in the original API, with no audit trail attached. */
    AuditSink NONE = records -> { };

    /** Records the events of one action as one group: all durable on return, or none and an exception. */
    void recordAll(List<AuditRecord> records);

    /** Records one event; see {@link #recordAll}. */
    default void record(AuditRecord record) {
        recordAll(List.of(record));
    }
}
