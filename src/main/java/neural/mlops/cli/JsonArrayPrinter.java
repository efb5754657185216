package neural.mlops.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import neural.mlops.store.MlopsException;

/**
 * A JSON array written to stdout one element at a time ({@link CliContext#printJsonArray}), in
 * exactly the bytes {@link CliContext#printJson} gives the whole array: the same writer settings
 * (indentation, {@link CliContext.TerminalEscapes}), the same generator from the first bracket to
 * the last, so the indentation of each element follows from the array it is in.
 *
 * <p>Only {@link #finish()} closes the array. A listing that fails half-way leaves the array open
 * when it is {@link #close() closed}: a pipeline reading it gets invalid JSON (and exit status 1),
 * never a shorter list that passes for the whole one.
 */
public final class JsonArrayPrinter implements AutoCloseable {

    /**
     * The generator's factory alone, without Jackson's mapper: {@link #writeWith} needs only the
     * generator, set up as {@link CliContext#jsonWriter} sets it up (Jackson's default indentation
     * and the terminal escapes), so that {@code --json registry list} does not load the mapper's classes.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

    private final PrintWriter out;
    private final JsonGenerator generator;
    private boolean finished;

    JsonArrayPrinter(PrintWriter out) {
        this.out = out;
        try {
            // On the process's stdout, UTF-8 bytes straight to the stream: the same bytes, without a pass through characters.
            generator = out instanceof Stdout stdout ? FACTORY.createGenerator(stdout.bytes(), JsonEncoding.UTF8)
                    : FACTORY.createGenerator(out);
            generator.setPrettyPrinter(JsonIndentation.printer());
            generator.setCharacterEscapes(CliContext.TerminalEscapes.INSTANCE);
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            generator.writeStartArray();
        } catch (IOException e) {
            throw new MlopsException("Could not print JSON: " + e.getMessage(), e);
        }
    }

    /** Writes one element: a {@code JsonNode}, or any value Jackson writes. */
    public void write(Object element) {
        try {
            Elements.WRITER.writeValue(generator, element);
        } catch (IOException e) {
            throw new MlopsException("Could not print JSON: " + e.getMessage(), e);
        }
    }

    /** The mapper's writer, made at the first element written as a value. */
    private static final class Elements {
        /** Flushing after each element would send every element to stdout on its own; the stream flushes once its buffer is full. */
        static final ObjectWriter WRITER = CliContext.jsonWriter().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    }

    /** How an element writes itself to the generator, token by token, when building it as a value would cost more. */
    @FunctionalInterface
    public interface ElementWriter {
        void write(JsonGenerator generator) throws IOException;
    }

    /**
     * Writes one element through {@code writer}, straight to the generator: for long listings whose
     * elements would otherwise be built as trees only to be written once ({@code --json registry list}).
     */
    public void writeWith(ElementWriter writer) {
        try {
            writer.write(generator);
        } catch (IOException e) {
            throw new MlopsException("Could not print JSON: " + e.getMessage(), e);
        }
    }

    /** Closes the array and ends the line, as {@link CliContext#printJson} does. */
    public void finish() {
        try {
            generator.writeEndArray();
            generator.flush();
        } catch (IOException e) {
            throw new MlopsException("Could not print JSON: " + e.getMessage(), e);
        }
        finished = true;
        out.println();
        out.flush();
    }

    /** Sends what was written so far; an unfinished array stays open (see the class comment). */
    @Override
    public void close() {
        if (!finished) {
            try {
                generator.flush();
            } catch (IOException e) {
                // stdout is gone (a closed pipe): there is no one left to tell.
            }
            out.flush();
        }
    }
}
