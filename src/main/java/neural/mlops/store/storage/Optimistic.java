package neural.mlops.store.storage;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import neural.mlops.store.StoreLockedException;

/**
 * The retry loop of optimistic read-modify-write (SPEC 9): run the attempt; when one of its
 * conditional writes fails ({@link ConditionFailedException}: another writer got there first), run
 * it again from fresh reads, after a short randomised pause so that the writers do not collide
 * again in step. Bounded: after {@link #GIVE_UP_AFTER} the caller gets a clear "busy" error, never
 * a hang. On a folder the attempt runs under the store's lock, where a condition fails only when
 * a tool that does not lock wrote in between; the loop is the same.
 *
 * <pre>{@code
 * Promotion done = Optimistic.retry("promote fraud v2", () -> storage.exclusively(LOCK, () -> {
 *     Document current = storage.read(key, MAX).orElseThrow();
 *     ... compute ...
 *     storage.replace(key, updated, current.version());
 *     return result;
 * }));
 * }</pre>
 *
 * Only the outermost call retries: an attempt that calls another retrying operation lets its
 * failure through ({@link #retry} run inside an attempt does not loop), so the whole change is
 * redone from its first read.
 */
public final class Optimistic {

    /** How long a read-modify-write waits for a folder's lock before it reports the store busy. */
    public static final Duration LOCK_WAIT = Duration.ofSeconds(15);

    /** How long the writers of one document may keep beating this one before it gives up. */
    static final Duration GIVE_UP_AFTER = Duration.ofSeconds(60);

    private static final ThreadLocal<Boolean> IN_ATTEMPT = ThreadLocal.withInitial(() -> false);

    private Optimistic() {
    }

    /**
     * Runs {@code attempt} until none of its conditional writes fails; {@code what} names the change
     * for the "busy" message ("promote fraud_detector 2.0.0").
     */
    public static <T> T retry(String what, Supplier<T> attempt) {
        if (IN_ATTEMPT.get()) {
            return attempt.get(); // the outer loop redoes the whole change
        }
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        long pauseMillis = 5;
        int attempts = 0;
        IN_ATTEMPT.set(true);
        try {
            while (true) {
                attempts++;
                try {
                    return attempt.get();
                } catch (ConditionFailedException lost) {
                    if (System.nanoTime() > deadline) {
                        throw new StoreLockedException("Could not " + what + ": other writers changed "
                                + lost.key() + " " + attempts + " times while this change was being made; "
                                + "nothing was changed by this attempt, try again");
                    }
                }
                pause(pauseMillis, "to retry a change");
                pauseMillis = Math.min(pauseMillis * 2, 250);
            }
        } finally {
            IN_ATTEMPT.set(false);
        }
    }

    /** {@link #retry(String, Supplier)} for a change that returns nothing. */
    public static void retry(String what, Runnable attempt) {
        retry(what, () -> {
            attempt.run();
            return null;
        });
    }

    /**
     * Waits a random time up to {@code upToMillis}, so that writers who collided do not collide
     * again in step; an interrupt ends the wait as a "nothing was changed" error ({@code what}: "to
     * retry a change").
     */
    static void pause(long upToMillis, String what) {
        try {
            TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(1, upToMillis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreLockedException("Interrupted while waiting " + what + "; nothing was changed");
        }
    }
}
