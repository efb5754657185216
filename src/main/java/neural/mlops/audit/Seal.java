package neural.mlops.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The seal of a derived document (an index line, a day summary): the compact JSON object with
 * two fields appended last, {@code "sum"}, the SHA-256 of the object's bytes before it, and with
 * a key {@code "mac"}, their HMAC-SHA256. The check works on the bytes as stored (no re-encoding),
 * so it is cheap enough to run on every line a query reads.
 *
 * <p>Without a key the sum is public arithmetic: it catches a derived file damaged or edited by
 * hand, not one rewritten by someone who recomputes it (that is what {@code audit verify}, which
 * compares the derived files with the events, catches). With a key the mac cannot be forged; a
 * derived file without a valid mac is not used, and is rebuilt from the events.
 */
final class Seal {

    /** What a check found. */
    enum Status {
        /** The sum matches, and the mac too when a key is given. */
        VALID,
        /**
         * The sum matches but no mac made with the key given does: written by a process without the
         * key or with another one, or edited by someone who recomputed the sum. Not vouched for, so
         * not used; not evidence of an edit either.
         */
        UNVOUCHED,
        /** No seal at all: written by an older version. */
        ABSENT,
        /** The sum or the mac does not match the bytes: the object was changed after it was written. */
        BROKEN
    }

    private static final byte[] SUM = ",\"sum\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAC = "\",\"mac\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int HEX = 64;
    /** {@code ,"sum":"<64 hex>"} */
    private static final int SUM_LENGTH = SUM.length + HEX + 1;
    /** {@code ,"sum":"<64 hex>","mac":"<64 hex>"} */
    private static final int BOTH_LENGTH = SUM.length + HEX + MAC.length + HEX + 1;
    /** Keeps a derived object's mac from ever being mistaken for a signature of the chain. */
    private static final byte[] DOMAIN = "neural-mlops derived\n".getBytes(StandardCharsets.US_ASCII);

    private Seal() {
    }

    /** Seals {@code object}, the compact JSON of an object ({@code {...}}), with a mac when {@code key} is given. */
    static byte[] seal(byte[] object, AuditKey key) {
        int content = object.length - 1; // the closing brace goes after the seal
        StringBuilder seal = new StringBuilder(BOTH_LENGTH + 1).append(",\"sum\":\"").append(sum(object, 0, content))
                .append('"');
        if (key != null) {
            seal.append(",\"mac\":\"").append(mac(key, object, 0, content)).append('"');
        }
        seal.append('}');
        byte[] tail = seal.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = Arrays.copyOf(object, content + tail.length);
        System.arraycopy(tail, 0, sealed, content, tail.length);
        return sealed;
    }

    /**
     * Checks the sealed object in {@code data[start, end)} (from its opening to its closing brace),
     * with {@code key} when given; {@code digest} is a SHA-256 instance the caller reuses.
     */
    static Status check(byte[] data, int start, int end, AuditKey key, MessageDigest digest) {
        int close = end - 1;
        if (close - start < BOTH_LENGTH || data[close] != '}') {
            return close - start >= SUM_LENGTH && data[close] == '}' && at(data, close - SUM_LENGTH, SUM)
                    ? checkSum(data, start, close - SUM_LENGTH, digest) : Status.ABSENT;
        }
        int both = close - BOTH_LENGTH;
        if (at(data, both, SUM) && at(data, both + SUM.length + HEX, MAC)) {
            Status sum = checkSum(data, start, both, digest);
            if (sum != Status.VALID || key == null) {
                return sum;
            }
            String mac = new String(data, both + SUM.length + HEX + MAC.length, HEX, StandardCharsets.US_ASCII);
            return Canonical.sameDigest(mac(key, data, start, both), mac) ? Status.VALID : Status.UNVOUCHED;
        }
        if (at(data, close - SUM_LENGTH, SUM)) {
            Status sum = checkSum(data, start, close - SUM_LENGTH, digest);
            return sum == Status.VALID && key != null ? Status.UNVOUCHED : sum;
        }
        return Status.ABSENT;
    }

    /** The SHA-256 instance to hand to {@link #check}: one per reading thread and day. */
    static MessageDigest digest() {
        return Canonical.sha256();
    }

    private static Status checkSum(byte[] data, int start, int sumAt, MessageDigest digest) {
        digest.reset();
        digest.update(data, start, sumAt - start);
        byte[] expected = HexFormat.of().formatHex(digest.digest()).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(data, sumAt + SUM.length, sumAt + SUM.length + HEX))
                && data[sumAt + SUM.length + HEX] == '"' ? Status.VALID : Status.BROKEN;
    }

    private static String sum(byte[] data, int start, int end) {
        MessageDigest digest = Canonical.sha256();
        digest.update(data, start, end - start);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String mac(AuditKey key, byte[] data, int start, int end) {
        byte[] message = new byte[DOMAIN.length + end - start];
        System.arraycopy(DOMAIN, 0, message, 0, DOMAIN.length);
        System.arraycopy(data, start, message, DOMAIN.length, end - start);
        return key.sign(message);
    }

    private static boolean at(byte[] data, int offset, byte[] expected) {
        if (offset < 0 || offset + expected.length > data.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (data[offset + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
