package neural.mlops.store.storage;

import neural.mlops.store.MlopsException;

/**
 * The storage does not honour conditional writes, so two writers could overwrite each other
 * (SPEC 9): it is refused for writing, never used with unsafe writes instead.
 */
public class UnsafeStorageException extends MlopsException {

    private static final long serialVersionUID = 1L;

    public UnsafeStorageException(String message) {
        super(message);
    }

    public UnsafeStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
