package neural.mlops.store;

/**
 * The one rule for user names (the acting user, and the user names and roles a policy lists):
 * single-line, printable, bounded, and without surrounding white space. They are recorded in
 * stage histories and audit events and compared with the policy's names, so a control character
 * could forge a line there, and a space that one place trimmed and another kept would make
 * {@code "alice "} a different person in one check and the same person in the next.
 */
public final class Users {

    public static final int MAX_LENGTH = 256;

    private Users() {
    }

    /** Why {@code user} cannot act, or null when it can. */
    public static String problem(String user) {
        if (user == null || user.codePoints().allMatch(Users::isSpace)) {
            return "it is empty";
        }
        if (user.length() > MAX_LENGTH) {
            return "it is longer than " + MAX_LENGTH + " characters";
        }
        if (SingleLine.containsBreaking(user)) {
            return "it contains control characters or line breaks";
        }
        if (isSpace(user.codePointAt(0)) || isSpace(user.codePointBefore(user.length()))) {
            // Refused rather than trimmed: a name is compared as given everywhere, so it must be given as meant.
            return "it has leading or trailing spaces; give the name without them";
        }
        return null;
    }

    /** {@code user}, unchanged, when it can act; otherwise an {@link InvalidInputException} naming the problem. */
    public static String require(String user) {
        return require("user", user);
    }

    /** Like {@link #require(String)} for a user name in another role ({@code "creator (created_by)"}). */
    public static String require(String kind, String user) {
        String problem = problem(user);
        if (problem != null) {
            throw new InvalidInputException("Invalid " + kind + " " + Names.quote(user) + ": " + problem);
        }
        return user;
    }

    /** White space in Java's sense and the no-break spaces (U+00A0, U+2007, U+202F) it leaves out. */
    private static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }
}
