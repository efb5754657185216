package neural.mlops.store.storage;

import neural.mlops.store.InvalidInputException;

/** The rules every backend's transfers follow, in one place: when to stop, what size to expect, where a read may start. */
final class Transfers {

    private Transfers() {
    }

    /** Throws {@link TransferCancelledException} when the thread is interrupted or the listener says stop. */
    static void goOn(Key key, TransferListener listener, long done, long total) {
        if (Thread.currentThread().isInterrupted()) {
            throw new TransferCancelledException("The upload to " + key + " was interrupted; nothing was stored");
        }
        if (!listener.onProgress(done, total)) {
            throw new TransferCancelledException("The upload to " + key + " was cancelled; nothing was stored");
        }
    }

    /** A source that yielded another size than announced changed while read: nothing of it is stored. */
    static void requireExpectedSize(Key key, long done, long sizeBytes) {
        if (sizeBytes >= 0 && done != sizeBytes) {
            throw new InvalidInputException("The upload to " + key + " read " + done + " bytes but " + sizeBytes
                    + " were expected; the source changed while it was read, so nothing was stored");
        }
    }

    /** A read starts at a byte of the object or past its end, never before its start. */
    static void requireOffset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("A read starts at byte 0 or later, not " + offset);
        }
    }
}
