package neural.mlops.registry;

import java.util.ArrayList;
import java.util.List;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditSink;
import neural.mlops.store.StoreIOException;

/** An audit sink that keeps what it is given, or refuses everything once told to fail. */
final class RecordingSink implements AuditSink {

    final List<AuditRecord> records = new ArrayList<>();
    boolean failing;

    /** All of them, or none when failing (as the trail commits a group). */
    @Override
    public void recordAll(List<AuditRecord> group) {
        if (failing) {
            throw new StoreIOException("Could not write the audit event: disk full", new java.io.IOException("disk full"));
        }
        records.addAll(group);
    }
}
