package neural.mlops.store.storage;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import neural.mlops.store.MlopsException;

/**
 * The check behind {@link Storage#requireConditionalWrites()}, one for every backend: a server
 * that silently ignores {@code If-None-Match} or {@code If-Match} (some S3-compatible servers and
 * proxies do) would let two writers claim the same audit seq, so it must be found before the
 * first write, on a scratch key of the storage's own, and refused; there is no unsafe fallback.
 */
final class ConditionalWriteProbe {

    private ConditionalWriteProbe() {
    }

    static void check(Storage storage) {
        Key scratch = Key.internal("probe/" + UUID.randomUUID());
        Version first;
        try {
            first = storage.write(scratch, bytes("probe 1"), Condition.absent());
        } catch (ConditionFailedException e) {
            throw refused(storage, "a create on a new scratch key was refused as if the key existed", e);
        }
        try {
            requireRefused(storage, () -> storage.write(scratch, bytes("probe 2"), Condition.absent()),
                    "a create-only write (If-None-Match: *) over an existing key was accepted");
            Version second = storage.write(scratch, bytes("probe 3"), Condition.matches(first));
            if (second.equals(first)) {
                throw refused(storage, "a write with different content kept the same version", null);
            }
            requireRefused(storage, () -> storage.write(scratch, bytes("probe 4"), Condition.matches(first)),
                    "a replace with a stale version (If-Match) was accepted");
        } finally {
            try {
                storage.delete(scratch, Condition.none());
            } catch (MlopsException e) {
                // A scratch key left behind is harmless: it is under the storage's own prefix, never listed.
            }
        }
    }

    private static void requireRefused(Storage storage, Runnable write, String whatHappened) {
        try {
            write.run();
        } catch (ConditionFailedException expected) {
            return;
        }
        throw refused(storage, whatHappened, null);
    }

    private static UnsafeStorageException refused(Storage storage, String whatHappened, Throwable cause) {
        return new UnsafeStorageException("Refusing to write to " + storage.location() + ": the server does not honour "
                + "conditional writes (" + whatHappened + "), so concurrent writers could overwrite each other. "
                + "Use a server that supports If-None-Match and If-Match on PutObject (AWS S3, MinIO, recent Ceph RGW, "
                + "Cloudflare R2)", cause);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
