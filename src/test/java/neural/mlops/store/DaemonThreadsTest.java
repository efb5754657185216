package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

    @Test
    void aPoolRunsWorkOnNamedDaemonThreads() throws Exception {
        ExecutorService pool = DaemonThreads.pool("test-reader", 2);
        try {
            Thread ran = pool.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);

            assertThat(ran.getName()).isEqualTo("test-reader");
            assertThat(ran.isDaemon()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theFactoryMakesDaemonThreadsThatDoNotStart() {
        Thread thread = DaemonThreads.named("flush").newThread(() -> { });

        assertThat(thread.getName()).isEqualTo("flush");
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getState()).isEqualTo(Thread.State.NEW);
    }
}
