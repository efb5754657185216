package neural.mlops.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import org.erdtman.jcs.NumberToJSON;

/**
 * The bytes the audit chain hashes and signs: RFC 8785 (JCS) canonical JSON, plus the SHA-256 and
 * HMAC-SHA256 helpers over it.
 *
 * <p>A value is written straight from its tree: keys sorted by UTF-16 code units, strings escaped
 * as RFC 8785 section 3.2.2.2 says, numbers in their ECMAScript form by the reference
 * implementation's own {@link NumberToJSON}. That implementation ({@code
 * org.erdtman.jcs.JsonCanonicalizer}) takes JSON text, so going through it meant writing the tree
 * as text, parsing that text again and writing it a third time: a third of the CPU of verifying a
 * whole trail. {@code CanonicalTest} checks that both give the same bytes, over every kind of value.
 */
final class Canonical {

    private static final ObjectWriter COMPACT = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);

    private Canonical() {
    }

    /** The canonical UTF-8 bytes of {@code node}: sorted keys, no insignificant white space, ES6 numbers. */
    static byte[] bytes(JsonNode node) {
        return bytesWithout(node, null);
    }

    /** Compact (not canonical) JSON text, for sizes, CSV cells and text search. */
    static String compact(JsonNode node) {
        try {
            return COMPACT.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new MlopsException("Could not serialise an audit document: " + e.getOriginalMessage(), e);
        }
    }

    static String sha256Hex(JsonNode node) {
        return HexFormat.of().formatHex(sha256().digest(bytes(node)));
    }

    /**
     * Whether {@code event}, as stored, is what {@code hash} was computed over: the SHA-256 of its
     * canonical bytes without its own hash field (the document is not copied), and every number in
     * it one that JCS keeps exact ({@link #numbersAreExact}). Compared in constant time.
     */
    static boolean matchesHash(ObjectNode event, String hash) {
        return numbersAreExact(event) && sameDigest(sha256HexWithout(event, EventJson.HASH), hash);
    }

    /**
     * The SHA-256 of {@code document}'s canonical bytes as if its top-level field {@code left} were
     * not there: an event's hash covers the event without its own hash field. The document is
     * left as it is (no copy is made).
     */
    static String sha256HexWithout(ObjectNode document, String left) {
        return HexFormat.of().formatHex(sha256().digest(bytesWithout(document, left)));
    }

    /** The canonical bytes of {@code node} without the top-level field {@code left} of an object (null: none). */
    private static byte[] bytesWithout(JsonNode node, String left) {
        try {
            return text(node, left).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MlopsException("Could not canonicalise an audit document: " + e.getMessage(), e);
        }
    }

    /**
     * The canonical text of a value, without the top-level field {@code left} of an object (null: none).
     * As the reference implementation does, the text is made whole and then encoded to UTF-8, so a
     * lone surrogate in a string becomes the same byte ('?') as there.
     */
    private static String text(JsonNode node, String left) throws IOException {
        StringBuilder out = new StringBuilder(256);
        write(node, left, out);
        return out.toString();
    }

    private static void write(JsonNode node, String left, StringBuilder out) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                String[] names = new String[node.size()];
                int count = 0;
                for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
                    String name = fields.next();
                    if (!name.equals(left)) {
                        names[count++] = name;
                    }
                }
                Arrays.sort(names, 0, count); // String order: UTF-16 code units, as RFC 8785 sorts
                out.append('{');
                for (int i = 0; i < count; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeString(names[i], out);
                    out.append(':');
                    write(node.get(names[i]), null, out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), null, out);
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), out);
            // The reference implementation reads every number as a double (JCS's I-JSON numbers).
            case NUMBER -> out.append(NumberToJSON.serializeNumber(node.doubleValue()));
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IOException("a " + node.getNodeType() + " value has no JSON form");
        }
    }

    /**
     * A string as RFC 8785 writes it: quoted, with only the quote, the backslash and the controls
     * escaped. The runs between escapes are copied whole (most strings have none).
     */
    private static void writeString(String value, StringBuilder out) {
        out.append('"');
        int copied = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(value, copied, i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
            copied = i + 1;
        }
        out.append(value, copied, value.length());
        out.append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }

    static String hmacHex(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime provides HmacSHA256", e);
        }
    }

    static String hmacHex(byte[] key, String message) {
        return hmacHex(key, message.getBytes(StandardCharsets.UTF_8));
    }

    /** Compares two hex digests in constant time, so a signature check leaks nothing through timing. */
    static boolean sameDigest(String expected, String actual) {
        if (expected == null || actual == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), actual.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * True when every number in {@code node} survives JCS unchanged. JCS reads numbers as IEEE
     * doubles, so 2^53 + 1 and 2^53 would hash alike; the logger stores such numbers as strings,
     * and a chained event that holds one has been edited by hand.
     */
    static boolean numbersAreExact(JsonNode node) {
        if (node.isNumber()) {
            return isExactDouble(node.decimalValue());
        }
        if (node.isContainerNode()) {
            Iterator<JsonNode> children = node.elements();
            while (children.hasNext()) {
                if (!numbersAreExact(children.next())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True when JCS writes {@code value} back as the same number (it goes through a double). */
    static boolean isExactDouble(BigDecimal value) {
        double asDouble = value.doubleValue();
        if (!Double.isFinite(asDouble)) {
            return false;
        }
        try {
            return new BigDecimal(NumberToJSON.serializeNumber(asDouble)).compareTo(value) == 0;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }
}
