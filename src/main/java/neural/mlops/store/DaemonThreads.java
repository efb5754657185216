package neural.mlops.store;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Background threads that never keep the JVM alive: a command that has printed its answer ends
 * even while a pool still holds idle threads.
 */
public final class DaemonThreads {

    /** How long an idle pooled thread waits for work before it goes away. */
    private static final long IDLE_SECONDS = 30;

    private DaemonThreads() {
    }

    /** Makes daemon threads called {@code name}. */
    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * A pool of at most {@code threads} daemon threads called {@code name}, taking work in the order
     * it is given; a thread that has been idle for 30 seconds goes away.
     */
    public static ExecutorService pool(String name, int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
