package neural.mlops.artifact;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A little-endian reader over a stream that knows how far it has read and refuses to go past
 * {@code end} (the file's size, or an enclosing length): a declared length larger than what
 * remains is an {@link Unreadable}, found before any buffer of that size is allocated.
 */
final class ByteInput {
    private final InputStream in;
    private final long end;
    private long position;

    ByteInput(InputStream in, long end) {
        this.in = in;
        this.end = end;
    }

    long position() {
        return position;
    }

    long remaining() {
        return end - position;
    }

    boolean atEnd() {
        return position >= end;
    }

    /**
     * The next {@code length} bytes as a reader of their own that cannot read past them (an archive
     * entry handed to a pickle scan); this reader counts them as read at once, so skip what the
     * part leaves unread ({@code part.skip(part.remaining(), ...)}) before reading on.
     */
    ByteInput part(long length, String what) throws Unreadable {
        require(length, what);
        position += length;
        return new ByteInput(new Bounded(in, length), length);
    }

    int u8() throws Unreadable {
        if (remaining() < 1) {
            throw new Unreadable("the file ends early, at byte " + position);
        }
        try {
            int b = in.read();
            if (b < 0) {
                throw new Unreadable("the file ends early, at byte " + position);
            }
            position++;
            return b;
        } catch (IOException e) {
            throw new Unreadable("cannot read the file: " + e.getMessage(), e);
        }
    }

    int le16() throws Unreadable {
        return u8() | u8() << 8;
    }

    long le32() throws Unreadable {
        return (u8() | (long) u8() << 8 | (long) u8() << 16 | (long) u8() << 24) & 0xffffffffL;
    }

    /** A 64-bit length or count; one with the top bit set is refused rather than read as negative. */
    long le64(String what) throws Unreadable {
        long low = le32();
        long high = le32();
        long value = high << 32 | low;
        if (value < 0) {
            throw new Unreadable(what + " is absurd (" + Long.toUnsignedString(value) + ")");
        }
        return value;
    }

    /** {@code length} bytes into memory, refused beyond {@code max} or beyond the end. */
    byte[] bytes(long length, int max, String what) throws Unreadable {
        if (length < 0 || length > max) {
            throw new Unreadable(what + " declares " + length + " bytes, more than the limit of " + max);
        }
        require(length, what);
        try {
            byte[] data = in.readNBytes((int) length);
            if (data.length < length) {
                throw new Unreadable("the file ends early, inside " + what);
            }
            position += length;
            return data;
        } catch (IOException e) {
            throw new Unreadable("cannot read the file: " + e.getMessage(), e);
        }
    }

    String utf8(long length, int max, String what) throws Unreadable {
        return new String(bytes(length, max, what), StandardCharsets.UTF_8);
    }

    void skip(long length, String what) throws Unreadable {
        require(length, what);
        try {
            in.skipNBytes(length);
            position += length;
        } catch (EOFException e) {
            throw new Unreadable("the file ends early, inside " + what, e);
        } catch (IOException e) {
            throw new Unreadable("cannot read the file: " + e.getMessage(), e);
        }
    }

    /** A newline-terminated line of at most {@code max} bytes (pickle's text arguments). */
    String line(int max) throws Unreadable {
        StringBuilder text = new StringBuilder();
        while (true) {
            int b = u8();
            if (b == '\n') {
                return text.toString();
            }
            if (text.length() >= max) {
                throw new Unreadable("a text argument at byte " + position + " is longer than " + max + " bytes");
            }
            text.append((char) b);
        }
    }

    private void require(long length, String what) throws Unreadable {
        if (length < 0 || length > remaining()) {
            throw new Unreadable(what + " at byte " + position + " declares " + length
                    + " bytes but only " + Math.max(0, remaining()) + " remain");
        }
    }

    /** The stream cut after a part's length, so that a reader of the part never reads into what follows. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, left));
            if (read > 0) {
                left -= read;
            }
            return read;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, left));
            left -= skipped;
            return skipped;
        }
    }
}
