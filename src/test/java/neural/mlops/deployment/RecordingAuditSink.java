package neural.mlops.deployment;

import java.util.ArrayList;
import java.util.List;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditSink;

/** Keeps what it was asked to record; can be told to fail, as a full disk would. */
final class RecordingAuditSink implements AuditSink {

    final List<AuditRecord> records = new ArrayList<>();
    boolean failing;

    @Override
    public void record(AuditRecord record) {
        if (failing) {
            throw new IllegalStateException("audit disk full");
        }
        records.add(record);
    }

    AuditRecord last() {
        return records.get(records.size() - 1);
    }
}
