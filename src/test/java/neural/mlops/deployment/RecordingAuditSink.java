package neural.mlops.deployment;

import java.util.ArrayList;
import java.util.List;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditSink;

/** Keeps what it was asked to record; can be told to fail, as a full disk would. */
final class RecordingAuditSink implements AuditSink {

    final List<AuditRecord> records = new ArrayList<>();
    boolean failing;

    /** All of them, or none when failing (as the trail commits a group). */
    @Override
    public void recordAll(List<AuditRecord> group) {
        if (failing) {
            throw new IllegalStateException("audit disk full");
        }
        records.addAll(group);
    }

    AuditRecord last() {
        return records.get(records.size() - 1);
    }
}
