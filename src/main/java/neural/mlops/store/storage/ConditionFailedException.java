package neural.mlops.store.storage;

import neural.mlops.store.ConflictException;

/**
 * A conditional write or delete found the key in another state than its condition demanded: it
 * exists (create), or another process changed or removed it since it was read (replace, delete).
 * Nothing was written; a read-modify-write reads again and retries.
 */
public class ConditionFailedException extends ConflictException {

    private static final long serialVersionUID = 1L;

    private final transient Key key;

    public ConditionFailedException(Key key, String message) {
        super(message);
        this.key = key;
    }

    public Key key() {
        return key;
    }
}
