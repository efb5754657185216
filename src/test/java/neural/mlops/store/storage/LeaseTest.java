package neural.mlops.store.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeaseTest {

    private static final Key KEY = Key.internal("leases/test");

    @Test
    void aReleaseDuringARenewalDeletesTheRenewedLeaseAndLeavesNothingBehind() throws Exception {
        PausingObjects objects = new PausingObjects();
        Lease lease = Lease.start(objects, KEY, Duration.ofSeconds(30));
        objects.pauseReplaces = true;

        CompletableFuture<Boolean> renewal = CompletableFuture.supplyAsync(lease::renew);
        assertThat(objects.replaceStarted.await(10, TimeUnit.SECONDS)).as("the renewal's request is under way").isTrue();
        CompletableFuture<Void> release = CompletableFuture.runAsync(lease::release);
        objects.finishReplace.countDown(); // the renewal's request lands, whether or not the release is already waiting

        assertThat(renewal.get(10, TimeUnit.SECONDS)).isTrue();
        release.get(10, TimeUnit.SECONDS);
        assertThat(objects.stored).as("the lease object, released").isEmpty();
        assertThat(lease.isHeld()).isFalse();
        assertThat(lease.renew()).as("a released lease is not renewed again").isFalse();
        assertThat(objects.stored).isEmpty();
    }

    @Test
    void aLeaseBrokenByAnotherWriterIsLeftToThem() {
        PausingObjects objects = new PausingObjects();
        Lease lease = Lease.start(objects, KEY, Duration.ofSeconds(30));
        objects.stored.put(KEY, new Version("someone-else"));

        assertThat(lease.renew()).isFalse();
        lease.release();

        assertThat(objects.stored).containsEntry(KEY, new Version("someone-else"));
    }

    /** Lease objects in memory, versioned by a counter; a replace can be held until the test lets it land. */
    private static final class PausingObjects implements Lease.Objects {
        final Map<Key, Version> stored = new HashMap<>();
        final CountDownLatch replaceStarted = new CountDownLatch(1);
        final CountDownLatch finishReplace = new CountDownLatch(1);
        volatile boolean pauseReplaces;
        private int written;

        @Override
        public synchronized Version create(Key key, byte[] content) {
            if (stored.containsKey(key)) {
                throw new ConditionFailedException(key, "exists");
            }
            return put(key);
        }

        @Override
        public Version replace(Key key, byte[] content, Version expected) {
            if (pauseReplaces) {
                replaceStarted.countDown();
                try {
                    finishReplace.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (this) {
                if (!expected.equals(stored.get(key))) {
                    throw new ConditionFailedException(key, "changed");
                }
                return put(key);
            }
        }

        @Override
        public synchronized Optional<Document> read(Key key, long maxBytes) {
            return Optional.ofNullable(stored.get(key)).map(version -> new Document(key, new byte[0], version));
        }

        @Override
        public synchronized void delete(Key key, Version expected) {
            if (!expected.equals(stored.get(key))) {
                throw new ConditionFailedException(key, "changed");
            }
            stored.remove(key);
        }

        private Version put(Key key) {
            Version version = new Version("v" + ++written);
            stored.put(key, version);
            return version;
        }
    }
}
