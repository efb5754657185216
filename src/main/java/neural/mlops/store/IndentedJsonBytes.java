package neural.mlops.store;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * A JSON document built straight as the UTF-8 bytes that Jackson's default pretty printer gives it:
 * a line end and two spaces a level inside objects, {@code " : "} after a name, arrays on one line
 * ({@code [ 1, 2 ]}), empty containers as {@code { }} and {@code [ ]}. It serves the command line's
 * longest output, {@code --json registry list}: in a new process, Jackson's generator runs each
 * version's few dozen values through code not yet compiled, which cost more than the rest of the
 * listing (issue 23: {@code --json} within 1.2 times the text).
 *
 * <p>It writes only what any Jackson generator writes unchanged, whatever its escapes: strings
 * whose characters are printable ASCII (quote and backslash escaped as Jackson escapes them) or
 * other characters as UTF-8, and finite numbers. A control character, a character
 * {@link SingleLine#isRefused} refuses (which the command line escapes), a lone surrogate or a
 * non-finite number makes the document {@linkplain #plain() not plain}: the caller then writes it
 * through Jackson. A test compares the two, value for value.
 */
public final class IndentedJsonBytes {

    private static final byte[] LINE_END = DefaultIndenter.SYS_LF.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] NAME_SEPARATOR = {' ', ':', ' '};
    private static final int SPACES_PER_LEVEL = 2;

    private byte[] bytes = new byte[4096];
    private int length;
    private boolean plain = true;
    /** Per open container, outermost first: whether it is an object, and how many values it holds so far. */
    private boolean[] objectAt = new boolean[8];
    private int[] valuesAt = new int[8];
    private int depth;
    /** Open objects: the indentation level of their names (arrays add none). */
    private int objects;

    /** Empties the builder for a new document. */
    public IndentedJsonBytes clear() {
        length = 0;
        plain = true;
        depth = 0;
        objects = 0;
        return this;
    }

    /** False once a value was met that only Jackson's generator writes right: the bytes are then not to be used. */
    public boolean plain() {
        return plain;
    }

    /**
     * The indentation of a value at {@code level} inside objects: a line end and two spaces a level,
     * Jackson's default. The one definition, also used by the command line's pretty printer.
     */
    public static String indentation(int level) {
        return DefaultIndenter.SYS_LF + " ".repeat(level * SPACES_PER_LEVEL);
    }

    /** Says that a value is of a kind this builder does not write: the document goes to Jackson. */
    public void notPlain() {
        plain = false;
    }

    /** The document's bytes: {@link #length()} of them, valid until the next change. */
    public byte[] bytes() {
        return bytes;
    }

    public int length() {
        return length;
    }

    // Containers

    public void startObject() {
        beforeValue();
        put('{');
        open(true);
        objects++;
    }

    public void endObject() {
        objects--;
        if (valuesAt[depth - 1] > 0) {
            indent(objects);
        } else {
            put(' ');
        }
        put('}');
        depth--;
    }

    public void startArray() {
        beforeValue();
        put('[');
        open(false);
    }

    public void endArray() {
        put(' ');
        put(']');
        depth--;
    }

    /** The name of the next value in the object being written. */
    public void name(String name) {
        beforeName();
        quoted(name);
        put(NAME_SEPARATOR);
    }

    /** A name every document repeats, written as bytes made once ({@link #memberName}). */
    public void name(MemberName name) {
        beforeName();
        put(name.bytes);
    }

    /**
     * A member name quoted and followed by its separator, once: a listing of 100,000 versions
     * writes each of a version's twenty names 100,000 times, and a copy costs less than quoting.
     * Refuses a name that is not {@linkplain #plain() plain}.
     */
    public static MemberName memberName(String name) {
        IndentedJsonBytes once = new IndentedJsonBytes();
        once.quoted(name);
        if (!once.plain) {
            throw new IllegalArgumentException("Not a plain JSON member name: " + name);
        }
        once.put(NAME_SEPARATOR);
        return new MemberName(Arrays.copyOf(once.bytes, once.length));
    }

    /** A member name as {@link #name(String)} would write it, made by {@link #memberName}. */
    public static final class MemberName {
        private final byte[] bytes;

        private MemberName(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    // Values

    /** A string, or null. */
    public void string(String value) {
        beforeValue();
        if (value == null) {
            put(NULL);
        } else {
            quoted(value);
        }
    }

    /** A time as the stores write it ({@link UtcTime#format}), a string, written without making the string. */
    public void time(Instant instant) {
        beforeValue();
        ensure(UtcTime.STORED_LENGTH + 2);
        if (UtcTime.write(instant, bytes, length + 1)) {
            bytes[length] = '"';
            bytes[length + UtcTime.STORED_LENGTH + 1] = '"';
            length += UtcTime.STORED_LENGTH + 2;
        } else {
            quoted(UtcTime.format(instant));
        }
    }

    public void number(long value) {
        beforeValue();
        ascii(Long.toString(value));
    }

    /**
     * A finite double as Jackson writes it ({@link Double#toString}), most without making the string
     * ({@link ShortDecimal}); NaN and the infinities are not plain.
     */
    public void number(double value) {
        beforeValue();
        if (!Double.isFinite(value)) {
            plain = false;
            return;
        }
        ensure(ShortDecimal.MAX_LENGTH);
        int end = ShortDecimal.write(value, bytes, length);
        if (end < 0) {
            ascii(Double.toString(value));
        } else {
            length = end;
        }
    }

    /** A number already in JSON's form, such as a BigDecimal's or a BigInteger's {@code toString()}. */
    public void numberText(String text) {
        beforeValue();
        ascii(text);
    }

    public void bool(boolean value) {
        beforeValue();
        ascii(value ? "true" : "false");
    }

    public void nullValue() {
        beforeValue();
        put(NULL);
    }

    // Layout

    private void open(boolean object) {
        if (depth == objectAt.length) {
            objectAt = Arrays.copyOf(objectAt, depth * 2);
            valuesAt = Arrays.copyOf(valuesAt, depth * 2);
        }
        objectAt[depth] = object;
        valuesAt[depth] = 0;
        depth++;
    }

    /** In an object, the comma after the value before, then the name's line and indentation. */
    private void beforeName() {
        if (valuesAt[depth - 1]++ > 0) {
            put(',');
        }
        indent(objects);
    }

    /** An array's separator before each of its values; in an object, {@link #name} has placed the value. */
    private void beforeValue() {
        if (depth == 0 || objectAt[depth - 1]) {
            return;
        }
        if (valuesAt[depth - 1]++ > 0) {
            put(',');
        }
        put(' ');
    }

    private void indent(int level) {
        put(LINE_END);
        int spaces = level * SPACES_PER_LEVEL;
        ensure(spaces);
        Arrays.fill(bytes, length, length + spaces, (byte) ' ');
        length += spaces;
    }

    // Bytes

    private void quoted(String text) {
        // Three bytes a char is the most any takes: UTF-8's three, an escape's two, a pair's four for two chars.
        ensure(text.length() * 3 + 2);
        byte[] out = bytes;
        int at = length;
        out[at++] = '"';
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                if (c == '"' || c == '\\') {
                    out[at++] = '\\';
                }
                out[at++] = (byte) c;
            } else if (c < 0x80) {
                plain = false; // a control character, or DEL: Jackson's escapes
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                if (SingleLine.isRefused(codePoint)) {
                    plain = false;
                }
                out[at++] = (byte) (0xf0 | (codePoint >> 18));
                out[at++] = (byte) (0x80 | ((codePoint >> 12) & 0x3f));
                out[at++] = (byte) (0x80 | ((codePoint >> 6) & 0x3f));
                out[at++] = (byte) (0x80 | (codePoint & 0x3f));
            } else if (Character.isSurrogate(c) || SingleLine.isRefused(c)) {
                plain = false;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xc0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3f));
            } else {
                out[at++] = (byte) (0xe0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                out[at++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        out[at++] = '"';
        length = at;
    }

    private void ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            bytes[length++] = (byte) text.charAt(i);
        }
    }

    private void put(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
    }

    private void put(byte[] more) {
        ensure(more.length);
        System.arraycopy(more, 0, bytes, length, more.length);
        length += more.length;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
