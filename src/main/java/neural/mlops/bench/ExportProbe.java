package neural.mlops.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
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
 * {@code elapsed_ms=.. peak_heap_mb=.. count=..}.
 */
public final class ExportProbe {

    private ExportProbe() {
    }

    public static void main(String[] args) {
        AuditLogger audit = new AuditLogger(Path.of(args[0]), Clock.systemUTC(), AuditKey.configured());
        AuditFilter period = AuditFilter.all().withPeriod(Instant.parse(args[2]), Instant.parse(args[3]));
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long start = System.nanoTime();
        ExportResult result = audit.exportAuditTrail(Path.of(args[1]), ExportFormat.CSV, period, args[4]);
        long elapsed = System.nanoTime() - start;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("elapsed_ms=" + elapsed / 1_000_000 + " peak_heap_mb=" + peak / (1024 * 1024)
                + " count=" + result.count());
    }
}
