package neural.mlops.store;

/** Another process held the store's lock for longer than the bounded wait. */
public class StoreLockedException extends MlopsException {

    private static final long serialVersionUID = 1L;

    public StoreLockedException(String message) {
        super(message);
    }
}
