package neural.mlops.store;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The inter-process lock that every read-modify-write holds (SPEC 2). An in-JVM lock serialises
 * threads (file locks are per process), and an OS file lock on {@code lockFile} serialises
 * processes; the OS releases it when the process dies, so a crash never leaves the store locked.
 * Waiting is bounded: after {@code timeout} the caller gets a clear error instead of a hang.
 *
 * <pre>{@code
 * try (StoreLock.Held held = lock.acquire()) {
 *     ... read, modify, write ...
 * }
 * }</pre>
 */
public final class StoreLock {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final long POLL_MILLIS = 20;
    /** Ends waits that reach their deadline; one daemon thread for the whole JVM. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "store-lock-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private final Path storeRoot;
    private final Path lockFile;
    private final Duration timeout;
    private final ReentrantLock threadLock;

    /** A lock file at a store's root (a link at the root is followed by design, docs/security.md). */
    public StoreLock(Path lockFile) {
        this(lockFile, DEFAULT_TIMEOUT);
    }

    public StoreLock(Path lockFile, Duration timeout) {
        this(lockFile.toAbsolutePath().normalize().getParent(), lockFile, timeout);
    }

    /**
     * A lock file in a folder inside the store at {@code storeRoot} (the registry's
     * {@code requests/.lock}): a link planted at any folder between the root and the lock file is
     * refused before anything is created, so the lock file never appears outside the store.
     */
    public StoreLock(Path storeRoot, Path lockFile, Duration timeout) {
        this.storeRoot = storeRoot.toAbsolutePath().normalize();
        this.lockFile = lockFile.toAbsolutePath().normalize();
        this.timeout = timeout;
        this.threadLock = IN_PROCESS.computeIfAbsent(this.lockFile, key -> new ReentrantLock());
    }

    public Path lockFile() {
        return lockFile;
    }

    /** True when the calling thread holds this lock (it may take it again at once). */
    public boolean isHeldByCurrentThread() {
        return threadLock.isHeldByCurrentThread();
    }

    /** Waits at most the timeout for both locks. Re-entrant within one thread. */
    public Held acquire() {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!threadLock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreLockedException("Interrupted while waiting for the lock " + lockFile);
        }
        if (threadLock.getHoldCount() > 1) {
            return new Held(null, null);
        }
        try {
            if (Files.isSymbolicLink(lockFile)
                    || (Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS))) {
                // A link would create or open whatever it points to, anywhere; opening a pipe blocks for ever.
                throw new InvalidInputException("Refusing to use the lock file " + lockFile + ": it is a symbolic link "
                        + "or not a regular file; remove it (a lock file is an empty file the store creates itself)");
            }
            StorePaths.requireInside(storeRoot, lockFile); // a link at a folder on the way: before creating anything
            Files.createDirectories(lockFile.getParent());
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            try {
                FileLock fileLock = tryLock(channel);
                if (fileLock == null) {
                    fileLock = await(channel, deadline);
                }
                return new Held(channel, fileLock);
            } catch (IOException e) {
                channel.close();
                throw e;
            } catch (RuntimeException | InterruptedException e) {
                channel.close();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw new StoreLockedException("Interrupted while waiting for the lock " + lockFile);
                }
                throw (RuntimeException) e;
            }
        } catch (IOException e) {
            threadLock.unlock();
            throw StoreIOException.of("lock", lockFile, e);
        } catch (RuntimeException e) {
            threadLock.unlock();
            throw e;
        }
    }

    /**
     * Waits for another process to release the lock. The wait is in the OS (a blocking lock), so
     * the waiter is woken the moment the holder releases, instead of polling and losing every
     * race to a busy holder that takes the lock again at once (two processes appending at full
     * speed would otherwise starve one another). A watchdog closes the channel at the deadline,
     * which ends the wait.
     */
    private FileLock await(FileChannel channel, long deadline) throws IOException, InterruptedException {
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw busy();
            }
            ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> closeQuietly(channel), remaining, TimeUnit.NANOSECONDS);
            try {
                return channel.lock();
            } catch (OverlappingFileLockException sameJvm) {
                // Held through another path to the same file in this JVM: poll, as the OS cannot wait for us.
                Thread.sleep(POLL_MILLIS);
                if (!channel.isOpen()) {
                    throw busy();
                }
                FileLock fileLock = tryLock(channel);
                if (fileLock != null) {
                    return fileLock;
                }
            } catch (ClosedByInterruptException | FileLockInterruptionException e) {
                throw new InterruptedException("interrupted while waiting for the lock");
            } catch (ClosedChannelException timedOut) {
                throw busy(); // the watchdog closed it, before or during the wait

            } finally {
                watchdog.cancel(false);
            }
            if (!channel.isOpen()) {
                throw busy();
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing ends the wait either way.
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private StoreLockedException busy() {
        return new StoreLockedException("The store is busy: another process has held " + lockFile
                + " for more than " + timeout.toSeconds() + " s; try again when it has finished");
    }

    /** A held lock; closing it releases the file lock and then the thread lock. */
    public final class Held implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock fileLock;

        private Held(FileChannel channel, FileLock fileLock) {
            this.channel = channel;
            this.fileLock = fileLock;
        }

        @Override
        public void close() {
            try {
                if (fileLock != null) {
                    fileLock.release();
                    channel.close();
                }
            } catch (IOException e) {
                // Closing the channel releases the lock in any case; nothing is lost.
            } finally {
                threadLock.unlock();
            }
        }
    }
}
