package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export's progress and cancel hook: progress by day folder, and a cancel that leaves nothing. */
class ExportProgressTest {

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-01-15T12:00:00Z");

    AuditLogger auditWithThreeDays() {
        AuditLogger audit = new AuditLogger(dir.resolve("audit_logs"), clock, Optional.empty());
        for (int day = 0; day < 3; day++) {
            audit.logModelDeployment("fraud_detector", "v1.0." + day, "devops", "staging");
            audit.logAccessDenied("bob", "model", "fraud_detector:v1.0." + day, "promote", "not an approver");
            clock.advance(Duration.ofDays(1));
        }
        return audit;
    }

    record Call(long written, int daysDone, int daysTotal) {
    }

    @Test
    void theListenerHearsEachDayFolderAndTheEventsWrittenSoFar() {
        AuditLogger audit = auditWithThreeDays();
        List<Call> calls = new ArrayList<>();

        ExportResult result = audit.exportAuditTrail(dir.resolve("out.csv"), ExportFormat.CSV, AuditFilter.all(), "auditor", false,
                (written, done, total) -> calls.add(new Call(written, done, total)));

        assertThat(result.count()).isEqualTo(6);
        assertThat(calls).containsExactly(new Call(0, 0, 3), new Call(2, 1, 3), new Call(4, 2, 3), new Call(6, 3, 3));
    }

    @Test
    void returningFalseCancelsTheExportLeavesNoFileAndRecordsNoEvent() throws Exception {
        AuditLogger audit = auditWithThreeDays();
        long headBefore = audit.head().seq();
        Path out = dir.resolve("exports/out.jsonl");

        assertThatThrownBy(() -> audit.exportAuditTrail(out, ExportFormat.JSONL, AuditFilter.all(), "auditor", false,
                (written, done, total) -> done < 2))
                .isInstanceOf(ExportCancelledException.class)
                .hasMessageContaining("cancelled after 4 events");

        assertThat(out).doesNotExist();
        try (Stream<Path> left = Files.list(out.getParent())) {
            assertThat(left).isEmpty();
        }
        assertThat(audit.head().seq()).isEqualTo(headBefore);
        assertThat(audit.queryEvents(AuditFilter.all().withType(EventType.AUDIT_EXPORTED))).isEmpty();
    }

    @Test
    void theOldSignatureStillExportsEverythingWithoutAListener() {
        AuditLogger audit = auditWithThreeDays();

        ExportResult result = audit.exportAuditTrail(dir.resolve("all.json"), ExportFormat.JSON, AuditFilter.all(), "auditor");

        assertThat(result.count()).isEqualTo(6);
        assertThat(audit.queryEvents(AuditFilter.all().withType(EventType.AUDIT_EXPORTED))).hasSize(1);
    }
}
