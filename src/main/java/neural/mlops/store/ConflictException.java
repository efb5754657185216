package neural.mlops.store;

/** The operation is refused by the current state of the store (a duplicate, a protected version). */
public class ConflictException extends MlopsException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
