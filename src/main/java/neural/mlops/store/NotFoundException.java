package neural.mlops.store;

/** The named model, version, deployment or event does not exist. */
public class NotFoundException extends MlopsException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
