package neural.mlops.store.storage;

import neural.mlops.store.MlopsException;

/** A streamed upload was cancelled by its listener or an interrupt; nothing was stored at its key. */
public class TransferCancelledException extends MlopsException {

    private static final long serialVersionUID = 1L;

    public TransferCancelledException(String message) {
        super(message);
    }
}
