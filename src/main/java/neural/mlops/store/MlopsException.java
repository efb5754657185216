package neural.mlops.store;

/**
 * Base of every error the core reports to a user. The message names the thing and what to do;
 * the CLI prints it on one line with exit status 1, the GUI shows it in a dialog.
 */
public class MlopsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MlopsException(String message) {
        super(message);
    }

    public MlopsException(String message, Throwable cause) {
        super(message, cause);
    }
}
