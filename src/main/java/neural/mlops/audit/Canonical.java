package neural.mlops.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import org.erdtman.jcs.JsonCanonicalizer;
import org.erdtman.jcs.NumberToJSON;

/**
 * The bytes the audit chain hashes and signs: RFC 8785 (JCS) canonical JSON, computed by the
 * reference implementation of the scheme, plus the SHA-256 and HMAC-SHA256 helpers over it.
 */
final class Canonical {

    private static final ObjectWriter COMPACT = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);

    private Canonical() {
    }

    /** The canonical UTF-8 bytes of {@code node}: sorted keys, no insignificant white space, ES6 numbers. */
    static byte[] bytes(JsonNode node) {
        try {
            if (!node.isContainerNode()) {
                // The library canonicalises documents (objects, arrays); a scalar's form is its form inside [ ].
                byte[] inArray = new JsonCanonicalizer("[" + COMPACT.writeValueAsString(node) + "]").getEncodedUTF8();
                return java.util.Arrays.copyOfRange(inArray, 1, inArray.length - 1);
            }
            return new JsonCanonicalizer(COMPACT.writeValueAsString(node)).getEncodedUTF8();
        } catch (IOException e) {
            throw new MlopsException("Could not canonicalise an audit document: " + e.getMessage(), e);
        }
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
