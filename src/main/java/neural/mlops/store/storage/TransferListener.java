package neural.mlops.store.storage;

/**
 * Follows a streamed upload. Called from the uploading thread after each chunk (each part on S3)
 * and once at the end; returning false cancels it, which throws {@link TransferCancelledException}
 * and leaves nothing at the key (and no parts on S3). Same shape as the registry's CopyListener.
 */
@FunctionalInterface
public interface TransferListener {

    TransferListener NONE = (bytesDone, bytesTotal) -> true;

    /** Returns true to go on, false to cancel. {@code bytesTotal} is -1 when the size is not known. */
    boolean onProgress(long bytesDone, long bytesTotal);
}
