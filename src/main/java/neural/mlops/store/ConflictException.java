package neural.mlops.store;

/** The operation is refused by the current state of the store (a duplicate, a protected version). */
public class ConflictException extends MlopsException {

    public ConflictException(String message) {
        super(message);
    }
}
