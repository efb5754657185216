package neural.mlops.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.AuditKey;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.ExportFormat;
import neural.mlops.audit.ExportResult;

/**
 * The export in a process of its own, so that its heap can be capped ({@code -Xmx256m}) and its
 * peak measured: {@code AUDIT_ROOT OUT SINCE UNTIL USER} exports [SINCE, UNTIL] as CSV and prints
 * {@code elapsed_ms=.. peak_heap_mb=.. live_after_gc_mb=.. count=..} (see {@link HeapWatch}).
 */
public final class ExportProbe {

    private ExportProbe() {
    }

    public static void main(String[] args) {
        AuditLogger audit = new AuditLogger(Path.of(args[0]), Clock.systemUTC(), AuditKey.configured());
        AuditFilter period = AuditFilter.all().withPeriod(Instant.parse(args[2]), Instant.parse(args[3]));
        HeapWatch heap = HeapWatch.start();
        long start = System.nanoTime();
        ExportResult result = audit.exportAuditTrail(Path.of(args[1]), ExportFormat.CSV, period, args[4]);
        long elapsed = System.nanoTime() - start;
        System.out.println("elapsed_ms=" + elapsed / 1_000_000 + " " + heap.stop() + " count=" + result.count());
    }
}
