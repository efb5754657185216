package neural.mlops.store;

/**
 * The rule for acting user names: single-line, printable, bounded. They are recorded in stage
 * histories and audit events, so a control character could forge a line there.
 */
public final class Users {

    public static final int MAX_LENGTH = 256;

    private Users() {
    }

    /** Why {@code user} cannot act, or null when it can. */
    public static String problem(String user) {
        if (user == null || user.isBlank()) {
            return "it is empty";
        }
        if (user.length() > MAX_LENGTH) {
            return "it is longer than " + MAX_LENGTH + " characters";
        }
        if (SingleLine.containsBreaking(user)) {
            return "it contains control characters or line breaks";
        }
        return null;
    }

    public static String require(String user) {
        String problem = problem(user);
        if (problem != null) {
            throw new InvalidInputException("Invalid user " + Names.quote(user) + ": " + problem);
        }
        return user.strip();
    }
}
