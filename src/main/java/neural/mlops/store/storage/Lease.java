package neural.mlops.store.storage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.StoreLockedException;

/**
 * A store's critical section on an object store, where no lock server exists: a small lease
 * object claimed with a create-only write ({@code If-None-Match: *}), so exactly one process
 * holds it; released with a delete conditional on its own ETag. A killed holder's lease expires
 * after its time to live (30 s unless the storage was given another) and the next writer removes
 * it, again conditionally, so two waiters cannot both break it. A live holder renews its lease
 * while its section runs. The same object marks a multipart upload as live while its parts go up
 * ({@link #start}): an upload whose lease has expired belongs to a writer that died.
 *
 * <p>The lease orders writers; it is not what keeps the store consistent. A holder stalled past
 * its lease (a long GC pause, a lost network) may overlap the next one, so every write in the
 * section is conditional as well (SPEC 9), and {@link Optimistic#retry} reruns a section whose
 * write lost.
 *
 * <p>Content: one line, {@code <expires-at ISO-8601> <owner id> <host>}, for the "busy" message and
 * for expiry; times are the writer's clock, so expiry allows {@link #CLOCK_SKEW}.
 */
final class Lease {

    static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
    /** The shortest time to live a storage accepts: renewals every third of it must keep up. */
    static final Duration MIN_TTL = Duration.ofSeconds(3);
    static final Duration CLOCK_SKEW = Duration.ofSeconds(10);
    private static final long MAX_BYTES = 1024;

    /** The raw operations of the storage that keeps the lease; none of them moves the change marker. */
    interface Objects {
        Version create(Key key, byte[] content);

        Version replace(Key key, byte[] content, Version expected);

        Optional<Document> read(Key key, long maxBytes);

        void delete(Key key, Version expected);
    }

    private final Objects objects;
    private final Key key;
    private final Duration ttl;
    private final String owner = UUID.randomUUID().toString();
    private volatile Version held;

    private Lease(Objects objects, Key key, Duration ttl) {
        this.objects = objects;
        this.key = key;
        this.ttl = ttl;
    }

    /**
     * Waits up to {@code wait} to hold the lease at {@code key}, good for {@code ttl} from each
     * renewal; throws a "busy" error naming the holder after that.
     */
    static Lease acquire(Objects objects, Key key, Duration ttl, Duration wait, String what) {
        Lease lease = new Lease(objects, key, ttl);
        long deadline = System.nanoTime() + wait.toNanos();
        long pauseMillis = 5;
        while (true) {
            try {
                lease.held = objects.create(key, lease.content());
                return lease;
            } catch (ConditionFailedException taken) {
                Optional<Document> current = objects.read(key, MAX_BYTES);
                if (current.isPresent() && expired(current.get())) {
                    try {
                        objects.delete(key, current.get().version()); // conditional: one breaker wins
                    } catch (ConditionFailedException renewedOrBroken) {
                        // Renewed by a live holder, or another waiter broke it first: look again.
                    }
                    continue;
                }
                if (System.nanoTime() > deadline) {
                    String holder = current.map(Lease::holderOf).orElse("another process");
                    throw new StoreLockedException(what + " is being changed by " + holder + "; waited "
                            + wait.toSeconds() + " s, nothing was changed: try again");
                }
            }
            Optimistic.pause(pauseMillis, "for another writer");
            pauseMillis = Math.min(pauseMillis * 2, 100);
        }
    }

    /**
     * Takes the lease at {@code key}, a key nobody else uses (named after a new upload's id), at
     * once: an object already there is a {@link ConditionFailedException}.
     */
    static Lease start(Objects objects, Key key, Duration ttl) {
        Lease lease = new Lease(objects, key, ttl);
        lease.held = objects.create(key, lease.content());
        return lease;
    }

    /** How often a holder renews: three times per time to live, so that one late renewal loses nothing. */
    long renewEveryMillis() {
        return ttl.toMillis() / 3;
    }

    /** True while this lease is held: taken, and not lost to a writer that broke it as expired. */
    boolean isHeld() {
        return held != null;
    }

    /**
     * Extends the lease while it is still ours; false when it was lost (broken as expired) or given
     * up. Renewal and {@link #release} take turns: a release during a renewal's request waits for it
     * and deletes the version it wrote, where deleting the version before it would fail and leave
     * the renewed lease behind for good.
     */
    synchronized boolean renew() {
        Version current = held;
        if (current == null) {
            return false;
        }
        try {
            held = objects.replace(key, content(), current);
            return true;
        } catch (ConditionFailedException lost) {
            held = null;
            return false;
        } catch (StoreIOException unreachable) {
            return false; // kept: the next renewal tries again, and the section's writes are conditional anyway
        }
    }

    /** Gives the lease up; one that was broken in the meantime belongs to someone else and is left alone. */
    synchronized void release() {
        Version current = held;
        held = null;
        if (current == null) {
            return;
        }
        try {
            objects.delete(key, current);
        } catch (ConditionFailedException notOursAnyMore) {
            // Broken as expired and taken by another writer: theirs now.
        }
    }

    private byte[] content() {
        return (Instant.now().plus(ttl) + " " + owner + " " + host()).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * True when {@code lease}'s holder is gone: its time, plus {@link #CLOCK_SKEW}, has passed, or
     * it is not a lease this product wrote (a truncated or foreign object), which nobody holds.
     */
    static boolean expired(Document lease) {
        String[] fields = new String(lease.content(), StandardCharsets.UTF_8).strip().split(" ", 3);
        try {
            return Instant.now().isAfter(Instant.parse(fields[0]).plus(CLOCK_SKEW));
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    private static String holderOf(Document lease) {
        String[] fields = new String(lease.content(), StandardCharsets.UTF_8).strip().split(" ", 3);
        return fields.length == 3 ? "a writer on " + fields[2] + " (lease until " + fields[0] + ")" : "another process";
    }

    private static String host() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                name = "unknown-host";
            }
        }
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
