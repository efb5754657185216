package neural.mlops.identity;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The SSH wire encoding (RFC 4251 5): big-endian integers, length-prefixed strings and mpints.
 * Every read is bounds-checked: a blob from a file or an audit event is untrusted input.
 */
final class SshWire {

    private SshWire() {
    }

    /** Reads a blob front to back; a truncated or oversized field is a {@link SshFormatException}. */
    static final class Reader {
        private final ByteBuffer buffer;

        Reader(byte[] blob) {
            this.buffer = ByteBuffer.wrap(blob);
        }

        int position() {
            return buffer.position();
        }

        boolean hasMore() {
            return buffer.hasRemaining();
        }

        long uint32() {
            need(4);
            return Integer.toUnsignedLong(buffer.getInt());
        }

        long uint64() {
            need(8);
            return buffer.getLong();
        }

        byte[] bytes(int length) {
            need(length);
            byte[] out = new byte[length];
            buffer.get(out);
            return out;
        }

        byte[] string() {
            long length = uint32();
            if (length > buffer.remaining()) {
                throw new SshFormatException("a field claims " + length + " bytes but only " + buffer.remaining()
                        + " remain");
            }
            return bytes((int) length);
        }

        String text() {
            return new String(string(), StandardCharsets.UTF_8);
        }

        BigInteger mpint() {
            byte[] raw = string();
            return raw.length == 0 ? BigInteger.ZERO : new BigInteger(raw);
        }

        private void need(int length) {
            if (length < 0 || buffer.remaining() < length) {
                throw new SshFormatException("the data ends early (" + length + " more bytes expected, "
                        + buffer.remaining() + " left)");
            }
        }
    }

    /** Builds a blob. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        Writer uint32(long value) {
            out.writeBytes(ByteBuffer.allocate(4).putInt((int) value).array());
            return this;
        }

        Writer string(byte[] bytes) {
            uint32(bytes.length);
            return raw(bytes);
        }

        Writer string(String text) {
            return string(text.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    /** An unsigned big-endian integer of exactly {@code length} bytes (ECDSA coordinates, signature halves). */
    static byte[] unsigned(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        if (raw.length == length) {
            return raw;
        }
        if (raw.length > length) {
            return Arrays.copyOfRange(raw, raw.length - length, raw.length);
        }
        byte[] padded = new byte[length];
        System.arraycopy(raw, 0, padded, length - raw.length, raw.length);
        return padded;
    }
}
