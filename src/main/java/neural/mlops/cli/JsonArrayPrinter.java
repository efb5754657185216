package neural.mlops.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import neural.mlops.store.IndentedJsonBytes;
import neural.mlops.store.MlopsException;

/**
 * A JSON array written to stdout one element at a time ({@link CliContext#printJsonArray}), in
 * exactly the bytes {@link CliContext#printJson} gives the whole array. Jackson's default
 * indentation keeps arrays on one line and indents an element as it would a document of its own,
 * so each element is written on its own ({@link #write}, or built as bytes without Jackson,
 * {@link #writeIndented}) and placed as that indentation places it: {@code [ a, b ]}, {@code [ ]}.
 * A {@code --json registry list} of plain versions thus never starts Jackson's generator.
 *
 * <p>Only {@link #finish()} closes the array. A listing that fails half-way leaves the array open
 * when it is {@link #close() closed}: a pipeline reading it gets invalid JSON (and exit status 1),
 * never a shorter list that passes for the whole one.
 */
public final class JsonArrayPrinter implements AutoCloseable {

    /** Bytes gathered before they go to stdout: one write each, where stdout would flush every element. */
    private static final int BUFFER_BYTES = 64 * 1024;

    private final PrintWriter out;
    /** The process's stdout, written as UTF-8 bytes; null for another writer, which is given characters. */
    private final OutputStream bytes;
    private byte[] buffer = new byte[BUFFER_BYTES];
    private int length;
    private long elements;
    private boolean finished;
    /** Where {@link #write} has Jackson put an element, and the generator that does, made at the first. */
    private ByteArrayOutputStream rendered;
    private JsonGenerator elementGenerator;

    JsonArrayPrinter(PrintWriter out) {
        this.out = out;
        this.bytes = out instanceof Stdout stdout ? stdout.bytes() : null;
        put((byte) '[');
    }

    /** Writes one element: a {@code JsonNode}, or any value Jackson writes. */
    public void write(Object element) {
        try {
            if (elementGenerator == null) {
                rendered = new ByteArrayOutputStream();
                elementGenerator = Elements.WRITER.createGenerator(rendered, JsonEncoding.UTF8);
            }
            rendered.reset();
            Elements.WRITER.writeValue(elementGenerator, element);
            elementGenerator.flush();
        } catch (IOException e) {
            throw new MlopsException("Could not print JSON: " + e.getMessage(), e);
        }
        place(rendered.toByteArray(), rendered.size());
    }

    /**
     * The mapper's writer, made at the first element written as a value. Each element is a
     * document of its own, written one after another by one generator: nothing between them (no
     * root separator), and no flush through to the stream, which is this printer's.
     */
    private static final class Elements {
        static final ObjectWriter WRITER = CliContext.jsonWriter()
                .with(JsonIndentation.printer().withSeparators(Separators.createDefaultInstance().withRootSeparator("")))
                .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    }

    /** Writes one element already built as the bytes Jackson would give it ({@link IndentedJsonBytes#plain}). */
    public void writeIndented(IndentedJsonBytes element) {
        place(element.bytes(), element.length());
    }

    /** How a value writes itself to a generator, token by token, when building it first would cost more ({@link CliContext#printJsonWith}). */
    @FunctionalInterface
    public interface ElementWriter {
        void write(JsonGenerator generator) throws IOException;
    }

    /** Closes the array and ends the line, as {@link CliContext#printJson} does. */
    public void finish() {
        put((byte) ' ');
        put((byte) ']');
        send();
        finished = true;
        out.println();
        out.flush();
    }

    /** Sends what was written so far; an unfinished array stays open (see the class comment). */
    @Override
    public void close() {
        if (!finished) {
            try {
                send();
            } catch (MlopsException e) {
                // stdout is gone (a closed pipe): there is no one left to tell.
            }
            out.flush();
        }
    }

    /** An element after the separator Jackson's indentation puts before it: a space, then a comma and a space. */
    private void place(byte[] element, int size) {
        if (elements++ > 0) {
            put((byte) ',');
        }
        put((byte) ' ');
        ensure(size);
        System.arraycopy(element, 0, buffer, length, size);
        length += size;
        if (length >= BUFFER_BYTES) {
            send(); // at an element's end, so a writer of characters is never given half of one
        }
    }

    private void put(byte b) {
        ensure(1);
        buffer[length++] = b;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    private void send() {
        try {
            if (bytes != null) {
                bytes.write(buffer, 0, length);
                bytes.flush();
            } else {
                out.write(new String(buffer, 0, length, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new MlopsException("Could not print JSON: " + e.getMessage(), e);
        }
        length = 0;
    }
}
