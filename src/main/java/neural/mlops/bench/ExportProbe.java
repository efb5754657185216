package neural.mlops.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.AuditKey;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.ExportFormat;
import neural.mlops.audit.ExportResult;

/**
 * The export in a process of its own, so that its heap can be capped ({@code -Xmx256m}) and its
 * peak measured: {@code AUDIT_ROOT OUT SINCE UNTIL USER} exports [SINCE, UNTIL] as CSV and prints
 * {@code elapsed_ms=.. peak_heap_mb=.. live_after_gc_mb=.. count=..}: the peak of the heap in use
 * (sampled every 5 ms, garbage included) and the most the heap held after a collection.
 */
public final class ExportProbe {

    private ExportProbe() {
    }

    public static void main(String[] args) {
        AuditLogger audit = new AuditLogger(Path.of(args[0]), Clock.systemUTC(), AuditKey.configured());
        AuditFilter period = AuditFilter.all().withPeriod(Instant.parse(args[2]), Instant.parse(args[3]));
        // The heap in use (live objects and garbage not yet collected), sampled while the export runs:
        // the pools' own peaks happen at different moments, so their sum overstates it.
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        // What the export keeps, as opposed to garbage not yet collected: the heap in use after each collection.
        AtomicLong live = new AtomicLong();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                                .from((CompositeData) notification.getUserData());
                        long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                                .mapToLong(MemoryUsage::getUsed).sum();
                        live.accumulateAndGet(used, Math::max);
                    }
                }, null, null);
            }
        }
        long start = System.nanoTime();
        ExportResult result = audit.exportAuditTrail(Path.of(args[1]), ExportFormat.CSV, period, args[4]);
        long elapsed = System.nanoTime() - start;
        running.set(false);
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        System.out.println("elapsed_ms=" + elapsed / 1_000_000 + " peak_heap_mb=" + peak.get() / (1024 * 1024)
                + " live_after_gc_mb=" + live.get() / (1024 * 1024) + " count=" + result.count());
    }
}
