package neural.mlops.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Fault injection for tests in any package, through the seams of {@link AtomicFiles}: a write that
 * fails part-way as on a full disk, whatever user the tests run as (root ignores permissions).
 *
 * <pre>{@code
 * try (Faults.Injected full = Faults.diskFullFor(target -> target.toString().endsWith(".json"))) {
 *     ... the operation under test ...
 * }
 * }</pre>
 */
public final class Faults {

    public static final String NO_SPACE = "No space left on device";

    private Faults() {
    }

    /** Until closed, every atomic write to a target that {@code targets} accepts fails after its content is written. */
    public static Injected diskFullFor(Predicate<Path> targets) {
        return diskFullAfter(0, targets);
    }

    /** Like {@link #diskFullFor} but the first {@code allowed} matching writes still succeed. */
    public static Injected diskFullAfter(int allowed, Predicate<Path> targets) {
        AtomicInteger seen = new AtomicInteger();
        Injected injected = new Injected();
        AtomicFiles.beforeWrite = target -> {
            if (targets.test(target) && seen.incrementAndGet() > allowed) {
                injected.failures.incrementAndGet();
                throw new IOException(NO_SPACE);
            }
        };
        return injected;
    }

    /** Until closed, every atomic write fails: the whole device is full. */
    public static Injected diskFull() {
        return diskFullFor(target -> true);
    }

    /** Until closed, adds every folder whose entries are flushed to disk to {@code into}. */
    public static AutoCloseable recordSyncedFolders(java.util.List<Path> into) {
        AtomicFiles.folderSynced = into::add;
        return () -> AtomicFiles.folderSynced = folder -> { };
    }

    /** An active fault; closing it restores normal writes. */
    public static final class Injected implements AutoCloseable {
        private final AtomicInteger failures = new AtomicInteger();

        /** How many writes failed because of this fault (to show the test reached the write). */
        public int failures() {
            return failures.get();
        }

        @Override
        public void close() {
            AtomicFiles.beforeWrite = target -> { };
        }
    }
}
