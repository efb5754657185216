package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import neural.mlops.JvmProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLockTest {

    @TempDir
    Path dir;

    @Test
    void threadsTakeTurns() throws Exception {
        StoreLock lock = new StoreLock(dir.resolve(".lock"));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            futures.add(pool.submit(() -> {
                try (StoreLock.Held held = lock.acquire()) {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.yield();
                    inside.decrementAndGet();
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(maxInside.get()).isEqualTo(1);
    }

    @Test
    void isReentrantWithinOneThread() {
        StoreLock lock = new StoreLock(dir.resolve(".lock"));
        try (StoreLock.Held outer = lock.acquire(); StoreLock.Held inner = lock.acquire()) {
            assertThat(outer).isNotNull();
            assertThat(inner).isNotNull();
        }
        try (StoreLock.Held again = new StoreLock(dir.resolve(".lock"), Duration.ofMillis(200)).acquire()) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void anotherProcessHoldingTheLockGivesAClearErrorAfterABoundedWaitAndItsDeathReleasesIt() throws Exception {
        Path lockFile = dir.resolve(".lock");
        Process holder = JvmProcess.start(LockHolder.class, lockFile.toString());
        try {
            JvmProcess.awaitLine(holder, LockHolder.READY);
            StoreLock lock = new StoreLock(lockFile, Duration.ofMillis(500));
            long started = System.nanoTime();
            assertThatThrownBy(lock::acquire)
                    .isInstanceOf(StoreLockedException.class)
                    .hasMessageContaining("busy")
                    .hasMessageContaining(lockFile.getFileName().toString());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        } finally {
            holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        try (StoreLock.Held held = new StoreLock(lockFile, Duration.ofSeconds(5)).acquire()) {
            assertThat(held).isNotNull();
        }
    }

    /** Child process: takes the lock, says so, and holds it until killed. */
    public static final class LockHolder {
        static final String READY = "locked";

        public static void main(String[] args) throws InterruptedException {
            StoreLock.Held held = new StoreLock(Path.of(args[0])).acquire();
            System.out.println(READY);
            System.out.flush();
            Thread.sleep(120_000);
            held.close();
        }
    }
}
