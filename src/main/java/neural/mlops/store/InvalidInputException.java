package neural.mlops.store;

/** Input that breaks a rule (a bad name, a missing file, a malformed value): exit status 2, nothing written. */
public class InvalidInputException extends MlopsException {

    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
