package neural.mlops.audit;

/**
 * Where the registry and the deployment tracker record their lifecycle actions. Recording is
 * fail-closed: {@link #record} returns only once the event is durable, and throws otherwise, in
 * which case the caller must not carry out (or must not commit) the action it records.
 */
@FunctionalInterface
public interface AuditSink {

    /** For a store opened on its own, as in the original API, with no audit trail attached. */
    AuditSink NONE = record -> { };

    void record(AuditRecord record);
}
