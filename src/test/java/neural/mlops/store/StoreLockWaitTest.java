package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import neural.mlops.JvmProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process waiting for the lock waits in the OS: it gets the lock when the holder lets go, or a clear error at its deadline. */
class StoreLockWaitTest {

    @TempDir
    Path dir;

    @Test
    void aWaiterGetsTheLockWhenTheOtherProcessReleasesIt() throws Exception {
        Path lockFile = dir.resolve(".lock");
        Process holder = JvmProcess.start(ReleasingHolder.class, lockFile.toString());
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(output.readLine()).isEqualTo(ReleasingHolder.LOCKED);
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try (StoreLock.Held held = new StoreLock(lockFile, Duration.ofMinutes(2)).acquire()) {
                    return held != null;
                }
            });
            holder.getOutputStream().write("release\n".getBytes(StandardCharsets.UTF_8));
            holder.getOutputStream().flush();

            assertThat(waiter.get(2, TimeUnit.MINUTES)).isTrue();
            assertThat(output.readLine()).isEqualTo(ReleasingHolder.RELEASED);
        } finally {
            holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWaitThatTimesOutLeavesTheLockUsableAndAnInterruptedWaitEnds() throws Exception {
        Path lockFile = dir.resolve(".lock");
        Process holder = JvmProcess.start(ReleasingHolder.class, lockFile.toString());
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(output.readLine()).isEqualTo(ReleasingHolder.LOCKED);
            assertThatThrownBy(() -> new StoreLock(lockFile, Duration.ofMillis(300)).acquire())
                    .isInstanceOf(StoreLockedException.class).hasMessageContaining("busy");

            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread waiting = new Thread(() -> {
                try (StoreLock.Held held = new StoreLock(lockFile, Duration.ofMinutes(2)).acquire()) {
                    failure.complete(null);
                } catch (RuntimeException e) {
                    failure.complete(e);
                }
            });
            waiting.start();
            waiting.interrupt();
            assertThat(failure.get(1, TimeUnit.MINUTES)).isInstanceOf(StoreLockedException.class)
                    .hasMessageContaining("Interrupted");

            holder.getOutputStream().write("release\n".getBytes(StandardCharsets.UTF_8));
            holder.getOutputStream().flush();
            assertThat(output.readLine()).isEqualTo(ReleasingHolder.RELEASED);
            try (StoreLock.Held held = new StoreLock(lockFile, Duration.ofSeconds(30)).acquire()) {
                assertThat(held).isNotNull();
            }
        } finally {
            holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Child process: takes the lock, says so, releases it when told, says so, and stays alive. */
    public static final class ReleasingHolder {
        static final String LOCKED = "locked";
        static final String RELEASED = "released";

        public static void main(String[] args) throws Exception {
            StoreLock.Held held = new StoreLock(Path.of(args[0])).acquire();
            System.out.println(LOCKED);
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            held.close();
            System.out.println(RELEASED);
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
