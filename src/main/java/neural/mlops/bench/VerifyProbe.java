package neural.mlops.bench;

import java.nio.file.Path;
import java.time.Clock;
import neural.mlops.audit.AuditKey;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.IntegrityReport;

/**
 * The whole trail's verification in a process of its own, so that its heap can be capped
 * ({@code -Xmx256m}: it must stream, whatever the trail's size) and measured: {@code AUDIT_ROOT}
 * verifies every event file (without recording the check) and prints {@code elapsed_ms=..
 * peak_heap_mb=.. live_after_gc_mb=.. checked=.. intact=..}.
 */
public final class VerifyProbe {

    private VerifyProbe() {
    }

    public static void main(String[] args) {
        AuditLogger audit = new AuditLogger(Path.of(args[0]), Clock.systemUTC(), AuditKey.configured());
        HeapWatch heap = HeapWatch.start();
        long start = System.nanoTime();
        IntegrityReport report = audit.verifyIntegrity();
        long elapsed = System.nanoTime() - start;
        System.out.println("elapsed_ms=" + elapsed / 1_000_000 + " " + heap.stop() + " checked=" + report.eventsChecked()
                + " intact=" + report.intact());
    }
}
