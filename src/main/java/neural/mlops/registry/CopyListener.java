package neural.mlops.registry;

/**
 * Follows the copy of a model file into the registry. Called from the copying thread after each
 * chunk and once at the end; returning false cancels the registration, which then throws
 * {@link RegistrationCancelledException} and leaves nothing behind.
 */
@FunctionalInterface
public interface CopyListener {

    CopyListener NONE = (bytesDone, bytesTotal) -> true;

    /** Returns true to go on, false to cancel. */
    boolean onProgress(long bytesDone, long bytesTotal);
}
