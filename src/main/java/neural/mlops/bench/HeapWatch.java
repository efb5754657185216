package neural.mlops.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The heap of a probe process while it works: the peak in use (live objects and garbage not yet
 * collected, sampled every 5 ms: the pools' own peaks happen at different moments, so their sum
 * overstates it) and the most the heap held after a collection (what the work keeps).
 */
final class HeapWatch {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong live = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);

    private HeapWatch() {
    }

    /** Starts sampling now. */
    static HeapWatch start() {
        HeapWatch watch = new HeapWatch();
        Thread sampler = new Thread(() -> {
            while (watch.running.get()) {
                watch.sample();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                                .from((CompositeData) notification.getUserData());
                        long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                                .mapToLong(MemoryUsage::getUsed).sum();
                        watch.live.accumulateAndGet(used, Math::max);
                    }
                }, null, null);
            }
        }
        return watch;
    }

    private void sample() {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }

    /** Stops sampling; then {@code peak_heap_mb=.. live_after_gc_mb=..}, as the probes print it. */
    String stop() {
        running.set(false);
        sample();
        return "peak_heap_mb=" + peak.get() / (1024 * 1024) + " live_after_gc_mb=" + live.get() / (1024 * 1024);
    }
}
