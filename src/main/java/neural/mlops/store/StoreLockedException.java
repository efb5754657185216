package neural.mlops.store;

/** Another process held the store's lock for longer than the bounded wait. */
public class StoreLockedException extends MlopsException {

    public StoreLockedException(String message) {
        super(message);
    }
}
