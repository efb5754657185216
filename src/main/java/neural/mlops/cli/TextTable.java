package neural.mlops.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one layout of the command line's tables: columns padded to a width, two spaces apart, the
 * last column not padded, no white space at the end of a line. Cells are printed as given: the
 * caller passes them through {@link Terminal} first.
 *
 * <p>Two ways to size the columns. Rows whose items are in memory anyway (the deployments, a
 * registry listing's cells, held instead of its versions) are sized in a first pass that keeps
 * only the widths ({@link #print}), then printed: one row's text rendered at a time.
 * Rows read as they are printed (audit events) are held back up to {@value #SIZING_ROWS} to size
 * the columns ({@link #streamed}): a result that fits is laid out exactly as a sized table, a
 * larger one takes each column's {@code bound} (the longest value that column can hold, when there
 * is one) so that the rows after the first ones stay aligned while memory stays constant.
 */
final class TextTable {

    /** A column whose cells have no known longest value. */
    static final int UNBOUNDED = -1;
    /** Rows a streamed table holds back to size its columns before printing the first line. */
    static final int SIZING_ROWS = 1000;

    private final PrintWriter out;
    private final String[] header;
    private final int[] bounds;
    private final List<String[]> held = new ArrayList<>();
    private final StringBuilder line = new StringBuilder(256);
    private final String newline = System.lineSeparator();
    private int[] widths;
    private long rows;

    private TextTable(PrintWriter out, String[] header, int[] bounds) {
        this.out = out;
        this.header = header;
        this.bounds = bounds;
    }

    /**
     * Prints {@code items} as a table under {@code header}: a first pass over {@code cells} sizes
     * the columns, a second prints each row as it renders it.
     */
    static <T> void print(PrintWriter out, String[] header, List<T> items, Function<T, String[]> cells) {
        int[] widths = new int[header.length];
        widen(widths, header);
        for (T item : items) {
            widen(widths, cells.apply(item));
        }
        TextTable table = new TextTable(out, header, new int[0]);
        table.widths = widths;
        table.printLine(header);
        for (T item : items) {
            table.printLine(cells.apply(item));
        }
        out.flush();
    }

    /** Prints {@code rows} (a header, when any, first), each column as wide as its widest cell. */
    static void print(PrintWriter out, List<String[]> rows) {
        int columns = 0;
        for (String[] row : rows) {
            columns = Math.max(columns, row.length);
        }
        TextTable table = new TextTable(out, new String[0], new int[0]);
        table.widths = new int[columns];
        rows.forEach(row -> widen(table.widths, row));
        rows.forEach(table::printLine);
    }

    /**
     * A table printed as its rows come ({@link #row}, then {@link #finish}); {@code bounds} holds
     * each column's longest possible cell, or {@link #UNBOUNDED}.
     */
    static TextTable streamed(PrintWriter out, String[] header, int... bounds) {
        if (bounds.length != header.length) {
            throw new IllegalArgumentException("One bound per column: " + header.length + " columns, " + bounds.length + " bounds");
        }
        return new TextTable(out, header, bounds);
    }

    void row(String... cells) {
        rows++;
        if (widths != null) {
            printLine(cells);
            return;
        }
        held.add(cells);
        if (held.size() > SIZING_ROWS) {
            startPrinting(true);
        }
    }

    /** The rows given so far. */
    long rows() {
        return rows;
    }

    /** Prints what is held back; a table with no row prints nothing (callers say "none match" instead). */
    void finish() {
        if (widths == null && !held.isEmpty()) {
            startPrinting(false);
        }
        out.flush();
    }

    private void startPrinting(boolean moreToCome) {
        widths = new int[header.length];
        widen(widths, header);
        held.forEach(row -> widen(widths, row));
        if (moreToCome) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], bounds[i]);
            }
        }
        printLine(header);
        held.forEach(this::printLine);
        held.clear();
    }

    private static void widen(int[] widths, String[] row) {
        for (int i = 0; i < row.length && i < widths.length; i++) {
            widths[i] = Math.max(widths[i], row[i].length());
        }
    }

    private void printLine(String[] row) {
        line.setLength(0);
        for (int i = 0; i < row.length; i++) {
            line.append(row[i]);
            if (i < row.length - 1) {
                // Two spaces at least: a cell longer than its column (past a streamed table's sizing) still stands apart.
                for (int pad = Math.max(2, widths[i] - row[i].length() + 2); pad > 0; pad--) {
                    line.append(' ');
                }
            }
        }
        int end = line.length();
        while (end > 0 && Character.isWhitespace(line.charAt(end - 1))) {
            end--;
        }
        line.setLength(end);
        line.append(newline);
        out.append(line);
    }
}
