package neural.mlops.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import neural.mlops.store.IndentedJsonBytes;

/**
 * The indentation of the command line's JSON: Jackson's default, byte for byte (a line end and two
 * spaces a level inside objects, arrays on one line), with each level's indentation made once and
 * written as a whole. Jackson's own indenter hands the generator characters, which a UTF-8
 * generator encodes one at a time: a sixth of a 100,000-version {@code --json registry list}.
 */
final class JsonIndentation implements DefaultPrettyPrinter.Indenter {

    private static final JsonIndentation OBJECTS = new JsonIndentation();
    /** Levels whose indentation is kept; a deeper one is made when written. */
    private static final int KEPT_LEVELS = 32;

    private final SerializedString[] levels = new SerializedString[KEPT_LEVELS];

    private JsonIndentation() {
        for (int level = 0; level < KEPT_LEVELS; level++) {
            levels[level] = new SerializedString(line(level));
        }
    }

    /** Jackson's default pretty printer with this indentation inside objects. */
    static DefaultPrettyPrinter printer() {
        return new DefaultPrettyPrinter().withObjectIndenter(OBJECTS);
    }

    @Override
    public void writeIndentation(JsonGenerator generator, int level) throws IOException {
        generator.writeRaw(level < KEPT_LEVELS ? levels[level] : new SerializedString(line(level)));
    }

    @Override
    public boolean isInline() {
        return false;
    }

    private static String line(int level) {
        return IndentedJsonBytes.indentation(level);
    }
}
