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
        return value.codePoints().anyMatch(SingleLine::isBreaking);
    }
}
