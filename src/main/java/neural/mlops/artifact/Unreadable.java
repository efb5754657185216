package neural.mlops.artifact;

/**
 * A file that a reader cannot make sense of, or that exceeds a bound: it becomes the verdict
 * "unreadable" with this message, never an exception in front of the user.
 */
final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
        super(message);
    }

    Unreadable(String message, Throwable cause) {
        super(message, cause);
    }
}
