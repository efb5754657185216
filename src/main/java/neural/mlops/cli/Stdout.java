package neural.mlops.cli;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The process's stdout as the command line writes it: text through a buffered UTF-8 writer (a
 * line-by-line flush made printing ten thousand rows a third of a listing's time; {@link Cli#run}
 * flushes at the end), and long JSON straight to the bytes underneath ({@link #bytes}), which spares
 * encoding 145 MB of a 100,000-version listing from characters.
 */
public final class Stdout extends PrintWriter {

    private static final int BUFFER_CHARS = 64 * 1024;

    private final OutputStream bytes;

    public Stdout(OutputStream bytes) {
        super(new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), BUFFER_CHARS), false);
        this.bytes = bytes;
    }

    /** The stream under this writer, once what was printed so far has gone to it: write UTF-8, then flush. */
    OutputStream bytes() {
        flush();
        return bytes;
    }
}
