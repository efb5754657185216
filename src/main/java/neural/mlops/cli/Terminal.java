package neural.mlops.cli;

import neural.mlops.store.SingleLine;

/**
 * The one way a value reaches a human-readable line of the command line (tables, labelled
 * fields, messages): values come from documents other tools may have written, from old trails
 * and from endpoints' replies, so control characters (ESC), line separators and invisible format
 * characters (bidi overrides) are printed as {@code \}{@code u001b} escapes; nothing printed can
 * forge a line, drive the terminal or disguise a name. {@code --json} output is escaped by
 * {@link CliContext#printJson} instead, and stays exact JSON.
 */
final class Terminal {

    private Terminal() {
    }

    /** {@code value} escaped for one line; "-" for null. */
    static String text(String value) {
        return value == null ? "-" : SingleLine.escape(value);
    }

    /** Like {@link #text(String)}, cut to at most {@code max} characters with "..." when longer. */
    static String text(String value, int max) {
        String escaped = text(value);
        return escaped.length() > max ? escaped.substring(0, max - 3) + "..." : escaped;
    }
}
