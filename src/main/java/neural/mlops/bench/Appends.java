package neural.mlops.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.AuditRecords;
import neural.mlops.store.MlopsException;

/** Durable appends from several threads at once, each a real {@link AuditLogger#record} that returns once on disk. */
final class Appends {

    private Appends() {
    }

    /** Appends {@code threads} x {@code each} events as {@code user}; returns the elapsed nanoseconds. */
    static long run(AuditLogger audit, String user, int threads, int each) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>(threads);
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        audit.record(AuditRecords.modelAccessed(user, AuditRecords.modelId("bench", "append"), "read",
                                "benchmark append " + i, "thread " + thread));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            return System.nanoTime() - start;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime
                    : new MlopsException("An append failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlopsException("Interrupted while appending", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
