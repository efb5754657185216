package neural.mlops.store;

/**
 * What may not appear in a single-line field (a user name, a reason, a tag): control characters
 * (C0, DEL, C1, which includes NEL) and the Unicode line and paragraph separators. Any of them
 * could start a forged line where the value is printed, logged or parsed line by line.
 */
public final class SingleLine {

    private SingleLine() {
    }

    /** True when {@code codePoint} breaks a line or controls a terminal. */
    public static boolean isBreaking(int codePoint) {
        return Character.isISOControl(codePoint) || codePoint == 0x2028 || codePoint == 0x2029;
    }

    /** True when {@code value} holds any such character. */
    public static boolean containsBreaking(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (isBreaking(value.charAt(i))) { // every such character is a single UTF-16 unit
                return true;
            }
        }
        return false;
    }

    /** {@code value} with each such character replaced by {@code replacement}; the same string when it has none. */
    public static String replaceBreaking(String value, char replacement) {
        if (!containsBreaking(value)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(isBreaking(c) ? replacement : c);
        }
        return out.toString();
    }
}
