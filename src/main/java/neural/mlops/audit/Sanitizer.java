package neural.mlops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;
import neural.mlops.store.SingleLine;
import neural.mlops.store.UtcTime;
import neural.mlops.store.Valued;
import org.erdtman.jcs.NumberToJSON;

/**
 * What may reach the audit trail (SPEC 2.3): single-line fields lose their control characters and
 * refuse invisible format characters,
 * sizes and depth are bounded, and values under secret-looking keys are replaced by a keyed hash
 * before anything is written, at any depth of {@code details}.
 */
final class Sanitizer {

    static final int MAX_DETAILS_BYTES = 64 * 1024;
    static final int MAX_DEPTH = 32;
    static final int MAX_FIELD_BYTES = 4 * 1024;
    static final String REDACTED_PREFIX = "redacted:hmac-sha256:";

    /** Compared with the key lowercased and without separators, so db_password, apiKey and X-Api-Key match. */
    private static final List<String> SECRET_WORDS =
            List.of("password", "secret", "token", "apikey", "authorization", "credential", "privatekey");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Keeps decimals as given (0.950 stays 0.950) instead of normalising them to 0.95 or 1E+2. */
    private static final JsonNodeFactory EXACT = new JsonNodeFactory(true);

    private Sanitizer() {
    }

    /**
     * A field that must stay on one line (user, action, resource ids, addresses): control
     * characters and line separators removed (SPEC 2.3), invisible format characters such as
     * bidi overrides refused, since removing them could change what the value says. The rule is
     * {@link SingleLine}'s.
     */
    static String singleLine(String field, String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().filter(cp -> !SingleLine.isBreaking(cp)).forEach(out::appendCodePoint);
        String kept = out.toString();
        String problem = SingleLine.problem(kept);
        if (problem != null) {
            throw new InvalidInputException("Invalid audit " + field + " " + Names.quote(value) + ": " + problem);
        }
        return bounded(field, kept);
    }

    /** A free-text field (the reason): line breaks and tabs kept, other control characters removed. */
    static String multiLine(String field, String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(value.length());
        value.replace("\r\n", "\n").codePoints()
                .filter(cp -> cp == '\n' || cp == '\t' || !SingleLine.isBreaking(cp))
                .forEach(out::appendCodePoint);
        return bounded(field, out.toString());
    }

    static boolean looksSecret(String key) {
        String normalised = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        for (String word : SECRET_WORDS) {
            if (normalised.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The details as JSON, checked against the limits: at most {@value #MAX_DEPTH} levels, each
     * string and key at most {@value #MAX_FIELD_BYTES} bytes, the whole at most
     * {@value #MAX_DETAILS_BYTES} bytes. Numbers that JCS could not hash exactly become strings.
     */
    static ObjectNode details(Map<String, Object> details) {
        ObjectNode node = (ObjectNode) toNode(details == null ? Map.of() : details, 1);
        int size = Canonical.compact(node).getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_DETAILS_BYTES) {
            throw new InvalidInputException("The event details are " + size + " bytes of JSON; at most "
                    + MAX_DETAILS_BYTES + " are recorded. Keep large data in a file and record its path and hash");
        }
        return node;
    }

    /** A copy of {@code details} with every value under a secret-looking key replaced by its keyed hash. */
    static ObjectNode redact(ObjectNode details, byte[] redactionKey) {
        return (ObjectNode) redactNode(details, redactionKey);
    }

    private static JsonNode redactNode(JsonNode node, byte[] redactionKey) {
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode value = field.getValue();
                boolean secret = looksSecret(field.getKey()) && !value.isNull();
                copy.set(field.getKey(), secret
                        ? NODES.textNode(REDACTED_PREFIX + Canonical.hmacHex(redactionKey, Canonical.bytes(value)).substring(0, 16))
                        : redactNode(value, redactionKey));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(element -> copy.add(redactNode(element, redactionKey)));
            return copy;
        }
        return node;
    }

    private static JsonNode toNode(Object value, int depth) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof Map<?, ?> || value instanceof Iterable<?> || value.getClass().isArray()
                || (value instanceof JsonNode node && node.isContainerNode())) {
            if (depth > MAX_DEPTH) {
                throw new InvalidInputException("The event details are nested more than " + MAX_DEPTH
                        + " levels deep; flatten them");
            }
        }
        if (value instanceof JsonNode node) {
            return fromJsonNode(node, depth);
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = bounded("details key", String.valueOf(entry.getKey()));
                object.set(key, toNode(entry.getValue(), depth + 1));
            }
            return object;
        }
        if (value instanceof Iterable<?> iterable) {
            ArrayNode array = NODES.arrayNode();
            iterable.forEach(element -> array.add(toNode(element, depth + 1)));
            return array;
        }
        if (value.getClass().isArray()) {
            ArrayNode array = NODES.arrayNode();
            for (int i = 0; i < Array.getLength(value); i++) {
                array.add(toNode(Array.get(value, i), depth + 1));
            }
            return array;
        }
        return scalar(value);
    }

    private static JsonNode fromJsonNode(JsonNode node, int depth) {
        if (node.isObject()) {
            ObjectNode object = NODES.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                object.set(bounded("details key", field.getKey()), toNode(field.getValue(), depth + 1));
            }
            return object;
        }
        if (node.isArray()) {
            ArrayNode array = NODES.arrayNode();
            node.forEach(element -> array.add(toNode(element, depth + 1)));
            return array;
        }
        if (node.isNumber()) {
            return number(node.decimalValue());
        }
        if (node.isTextual()) {
            return NODES.textNode(bounded("details value", node.textValue()));
        }
        if (node.isBoolean() || node.isNull()) {
            return node;
        }
        throw new InvalidInputException("Unsupported JSON value in the event details: " + node.getNodeType());
    }

    private static JsonNode scalar(Object value) {
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof Double || value instanceof Float) {
            double asDouble = ((Number) value).doubleValue();
            if (!Double.isFinite(asDouble)) {
                throw new InvalidInputException("The event details hold " + value + "; only finite numbers are recorded");
            }
            return number(jcsDecimal(asDouble));
        }
        if (value instanceof BigDecimal decimal) {
            return number(decimal);
        }
        if (value instanceof Number number) {
            return number(new BigDecimal(value instanceof BigInteger big ? big : BigInteger.valueOf(number.longValue())));
        }
        if (value instanceof Valued constant) {
            return NODES.textNode(constant.value());
        }
        if (value instanceof Enum<?> constant) {
            return NODES.textNode(constant.name().toLowerCase(Locale.ROOT));
        }
        if (value instanceof Instant instant) {
            return NODES.textNode(UtcTime.format(instant));
        }
        if (value instanceof CharSequence || value instanceof Character || value instanceof Path
                || value instanceof UUID || value instanceof TemporalAccessor) {
            return NODES.textNode(bounded("details value", value.toString()));
        }
        throw new InvalidInputException("The event details hold a " + value.getClass().getSimpleName()
                + "; record strings, numbers, booleans, lists and maps");
    }

    /** A number as JCS will hash it; one it could not hash exactly (beyond a double's precision) is kept as text. */
    private static JsonNode number(BigDecimal value) {
        if (!Canonical.isExactDouble(value)) {
            return NODES.textNode(value.toString());
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            return NODES.numberNode(stripped.longValueExact());
        }
        return EXACT.numberNode(value);
    }

    private static BigDecimal jcsDecimal(double value) {
        try {
            return new BigDecimal(NumberToJSON.serializeNumber(value));
        } catch (IOException e) {
            throw new InvalidInputException("The event details hold the number " + value + ", which JSON cannot represent");
        }
    }

    private static String bounded(String field, String value) {
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_FIELD_BYTES) {
            throw new InvalidInputException("The audit " + field + " " + Names.quote(value) + " is " + bytes
                    + " bytes; at most " + MAX_FIELD_BYTES + " are recorded");
        }
        return value;
    }
}
