package neural.mlops.store;

/**
 * The one rule for single-line fields (a user name, a resource id, a tag, an endpoint) and the
 * one way such values are printed. Refused: control characters (C0, DEL, C1, which includes
 * NEL) and the Unicode line and paragraph separators, which could start a forged line where the
 * value is printed, logged or parsed line by line; and invisible format characters (Unicode
 * category Cf: bidi overrides such as U+202E, zero-width characters), which could make a value
 * display as another one. Values written before the rule, or received from elsewhere (an
 * endpoint's reply), are printed through {@link #escape}.
 */
public final class SingleLine {

    private SingleLine() {
    }

    /** True when {@code codePoint} breaks a line or controls a terminal. */
    public static boolean isBreaking(int codePoint) {
        return Character.isISOControl(codePoint) || codePoint == 0x2028 || codePoint == 0x2029;
    }

    /** True when {@code codePoint} is an invisible format character (category Cf), such as a bidi override. */
    public static boolean isInvisible(int codePoint) {
        return Character.getType(codePoint) == Character.FORMAT;
    }

    /** True when {@code codePoint} may not appear in a single-line field: it breaks a line, or is invisible. */
    public static boolean isRefused(int codePoint) {
        return isBreaking(codePoint) || isInvisible(codePoint);
    }

    /**
     * True when {@code value} holds a character that a single-line field refuses ({@link #isRefused}):
     * a control character, a line separator or an invisible format character.
     */
    public static boolean containsBreaking(String value) {
        return problem(value) != null;
    }

    /** What makes {@code value} unfit for a single-line field, naming the first such character, or null. */
    public static String problem(String value) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (isBreaking(cp)) {
                return "it contains a control character or line break (" + hex(cp) + ")";
            }
            if (isInvisible(cp)) {
                return "it contains an invisible formatting character (" + hex(cp) + ")";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /**
     * {@code value} for a human-readable line (a terminal, a table, a CSV cell, a message): every
     * refused character, and any lone surrogate, written as {@code \}{@code u202e}, so nothing
     * printed can break the line, drive the terminal or hide what it is. The same string when
     * there is nothing to escape; printable text of any script is kept as it is.
     */
    public static String escape(String value) {
        return escape(value, false);
    }

    /**
     * Like {@link #escape} for free text that may span lines (a reason) where the medium keeps
     * line breaks inside a value, as a quoted CSV cell does: line feeds and tabs are kept.
     */
    public static String escapeText(String value) {
        return escape(value, true);
    }

    private static String escape(String value, boolean keepLines) {
        if (value == null) {
            return null;
        }
        if (!needsEscape(value, keepLines)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        value.codePoints().forEach(cp -> {
            if (mustEscape(cp, keepLines)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /**
     * True when {@code value} holds a character to escape. Printable ASCII, the bulk of every
     * listing (100,000 rows of names, stages and times), is passed over without a code point's
     * Unicode lookups: none of it is ever escaped.
     */
    private static boolean needsEscape(String value, boolean keepLines) {
        for (int i = 0; i < value.length(); ) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                i++;
                continue;
            }
            int cp = value.codePointAt(i); // a lone surrogate comes back as itself, and is escaped
            if (mustEscape(cp, keepLines)) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    private static boolean mustEscape(int codePoint, boolean keepLines) {
        if (keepLines && (codePoint == '\n' || codePoint == '\t')) {
            return false;
        }
        return isRefused(codePoint) || Character.getType(codePoint) == Character.SURROGATE;
    }

    private static String hex(int codePoint) {
        return String.format("U+%04X", codePoint);
    }
}
