package neural.mlops.registry;

import neural.mlops.store.MlopsException;

/** A registration was cancelled (by its {@link CopyListener} or an interrupt) before it was committed. */
public class RegistrationCancelledException extends MlopsException {

    public RegistrationCancelledException(String message) {
        super(message);
    }
}
