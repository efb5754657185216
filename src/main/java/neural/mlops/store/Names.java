package neural.mlops.store;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The SPEC 2 rule for names and versions: one portable path segment. Every store checks a name
 * here before it builds a path from it, so nothing is written for a name that breaks the rule.
 */
public final class Names {

    public static final int MAX_LENGTH = 128;

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /**
     * The device names Windows reserves with any extension: COM0 and LPT0 too, and the superscript
     * digits ¹ ² ³, which Windows counts as digits here (the ASCII rule refuses those first; they
     * stay listed so that the list is right on its own).
     */
    private static final Set<String> WINDOWS_RESERVED = Set.of(
            "CON", "PRN", "AUX", "NUL",
            "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "COM\u00b9", "COM\u00b2", "COM\u00b3",
            "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
            "LPT\u00b9", "LPT\u00b2", "LPT\u00b3");

    private Names() {
    }

    /**
     * Returns {@code value} when it is a valid name, else throws with a message naming the kind
     * ("model name", "version", "environment") and the rule it breaks.
     */
    public static String require(String kind, String value) {
        String problem = problem(value);
        if (problem != null) {
            throw new InvalidInputException("Invalid " + kind + " " + quote(value) + ": " + problem);
        }
        return value;
    }

    public static boolean isValid(String value) {
        return problem(value) == null;
    }

    /** The rule the value breaks, or null when it is valid. */
    public static String problem(String value) {
        if (value == null || value.isEmpty()) {
            return "it is empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "it is " + value.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
        }
        if (!ALLOWED.matcher(value).matches()) {
            char first = value.charAt(0);
            if (!Character.isLetterOrDigit(first) || first > 127) {
                return "it must start with an ASCII letter or digit";
            }
            return "only ASCII letters, digits, '.', '_' and '-' are allowed";
        }
        if (value.endsWith(".")) {
            return "it must not end with '.'";
        }
        String stem = value.contains(".") ? value.substring(0, value.indexOf('.')) : value;
        if (WINDOWS_RESERVED.contains(stem.toUpperCase(Locale.ROOT))) {
            return "'" + stem + "' is a name Windows reserves";
        }
        return null;
    }

    /**
     * Quotes a value for a message, with control characters, line and paragraph separators and
     * invisible format characters escaped ({@link SingleLine#escape}), so that a quoted value can
     * neither forge a line nor disguise what it is. Long values are cut.
     */
    public static String quote(String value) {
        if (value == null) {
            return "(none)";
        }
        int length = value.codePointCount(0, value.length());
        String shown = length > MAX_LENGTH + 8 ? value.substring(0, value.offsetByCodePoints(0, MAX_LENGTH + 8)) : value;
        return "'" + SingleLine.escape(shown) + (length > MAX_LENGTH + 8 ? "..." : "") + "'";
    }
}
