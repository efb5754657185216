package neural.mlops.registry;

import neural.mlops.store.MlopsException;

/** A registration was cancelled (by its {@link CopyListener} or an interrupt) before it was committed. */
public class RegistrationCancelledException extends MlopsException {

    private static final long serialVersionUID = 1L;

    public RegistrationCancelledException(String message) {
        super(message);
    }

    public RegistrationCancelledException(String message, Throwable cause) {
        super(message, cause);
    }
}
