package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

/**
 * The hashed form is RFC 8785 (JCS): the RFC's own examples hold, and the tree is written exactly as
 * the reference implementation writes the same document's text.
 */
class CanonicalTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static String canonical(String json) throws Exception {
        JsonNode node = Json.mapper().readTree(json);
        return new String(Canonical.bytes(node), StandardCharsets.UTF_8);
    }

    @Test
    void theRfc8785ExampleCanonicalisesAsTheRfcSays() throws Exception {
        String input = """
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }
                """;
        assertThat(canonical(input)).isEqualTo(
                "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                        + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void keysAreSortedByUtf16CodeUnitsAtEveryDepth() throws Exception {
        assertThat(canonical("{\"b\": {\"z\": 1, \"a\": 2}, \"a\": [ {\"y\": 1, \"x\": 2} ], \"\u20ac\": 0, \"\ud83d\ude00\": 0, \"\ufb33\": 0}"))
                .isEqualTo("{\"a\":[{\"x\":2,\"y\":1}],\"b\":{\"a\":2,\"z\":1},\"\u20ac\":0,\"\ud83d\ude00\":0,\"\ufb33\":0}");
    }

    @Test
    void aScalarHasTheFormItHasInsideADocument() throws Exception {
        assertThat(canonical("\"h\u00e9\"")).isEqualTo("\"h\u00e9\"");
        assertThat(canonical("4.50")).isEqualTo("4.5");
    }

    @Test
    void indentationAndKeyOrderDoNotChangeTheHash() throws Exception {
        JsonNode compact = Json.mapper().readTree("{\"a\":1,\"b\":[1,2]}");
        JsonNode spaced = Json.mapper().readTree("{\n  \"b\" : [ 1, 2 ],\n  \"a\" : 1.0\n}");
        assertThat(Canonical.sha256Hex(compact)).isEqualTo(Canonical.sha256Hex(spaced)).hasSize(64);
    }

    @Test
    void numbersBeyondADoublesPrecisionAreNotExact() {
        assertThat(Canonical.isExactDouble(new BigDecimal("9007199254740993"))).isFalse();
        assertThat(Canonical.isExactDouble(new BigDecimal("9007199254740992"))).isTrue();
        assertThat(Canonical.isExactDouble(new BigDecimal("0.1"))).isTrue();
        assertThat(Canonical.isExactDouble(new BigDecimal("0.95"))).isTrue();
        assertThat(Canonical.isExactDouble(new BigDecimal("1e400"))).isFalse();
    }

    @Test
    void everyDocumentIsWrittenAsTheReferenceImplementationWritesItsText() throws Exception {
        Random random = new Random(8785);
        for (int i = 0; i < 20_000; i++) {
            JsonNode document = random.nextInt(5) == 0 ? randomArray(random, 3) : randomObject(random, 3);
            String text = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document);
            byte[] reference = new JsonCanonicalizer(text).getEncodedUTF8();
            assertThat(Canonical.bytes(document)).as("document %s", text).isEqualTo(reference);
        }
    }

    @Test
    void everyScalarIsWrittenAsTheReferenceImplementationWritesItInsideAnArray() throws Exception {
        // The reference takes documents only; a scalar's form is its form inside [ ].
        Random random = new Random(20);
        for (int i = 0; i < 5_000; i++) {
            JsonNode scalar = randomValue(random, 0);
            String text = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(scalar);
            byte[] inArray = new JsonCanonicalizer("[" + text + "]").getEncodedUTF8();
            assertThat(Canonical.bytes(scalar)).as("value %s", text)
                    .isEqualTo(Arrays.copyOfRange(inArray, 1, inArray.length - 1));
        }
    }

    @Test
    void documentsParsedFromTextAreWrittenAsTheReferenceImplementationWritesThem() throws Exception {
        // As the trail reads them: floats as BigDecimal, large integers as BigInteger.
        String[] numbers = {"0", "-0", "0.0", "-0.0", "1", "-1", "4.50", "1E30", "1e-7", "1e-6", "1e21", "1e20",
            "123456789012345678901234567890", "9007199254740993", "5e-324", "1.7976931348623157e308",
            "0.1", "0.30000000000000004", "333333333.33333329", "2e-3", "-12.5e-10"};
        for (String number : numbers) {
            String text = "{\"n\": " + number + ", \"a\": [" + number + "]}";
            JsonNode parsed = Json.mapper().readTree(text);
            assertThat(Canonical.bytes(parsed)).as(number).isEqualTo(new JsonCanonicalizer(text).getEncodedUTF8());
        }
    }

    @Test
    void anEventIsHashedWithoutItsHashFieldAndIsNotChanged() throws Exception {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(
                "{\"seq\": 3, \"hash\": \"abc\", \"details\": {\"hash\": \"kept\"}, \"action\": \"x\"}");
        ObjectNode copy = event.deepCopy();
        copy.remove("hash");
        assertThat(Canonical.sha256HexWithout(event, "hash")).isEqualTo(Canonical.sha256Hex(copy));
        assertThat(event.has("hash")).isTrue();
        assertThat(event.size()).isEqualTo(4);
    }

    @Test
    void aNumberWithNoJsonFormIsRefusedByName() {
        JsonNode document = NODES.objectNode().put("x", Double.NaN);
        assertThatThrownBy(() -> Canonical.bytes(document))
                .isInstanceOf(MlopsException.class)
                .hasMessageContaining("Could not canonicalise an audit document");
    }

    /** Characters that canonical JSON treats differently: controls, escapes, non-ASCII, pairs and lone surrogates. */
    private static final String ALPHABET = "aZ09 \"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f\u00e9\u20ac\u2028\ufb33\ud83d\ude00\ud800\udc00";

    private static String randomString(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(8);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }

    private static JsonNode randomValue(Random random, int depth) {
        return switch (random.nextInt(depth > 0 ? 10 : 8)) {
            case 0 -> NODES.textNode(randomString(random));
            case 1 -> NODES.numberNode(random.nextInt());
            case 2 -> NODES.numberNode(random.nextLong() >> random.nextInt(64));
            case 3 -> NODES.numberNode(new BigInteger(90, random));
            case 4 -> NODES.numberNode(new BigDecimal(BigInteger.valueOf(random.nextLong()), random.nextInt(60) - 30));
            case 5 -> NODES.numberNode(Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL) * (random.nextBoolean() ? 1 : -1));
            case 6 -> NODES.booleanNode(random.nextBoolean());
            case 7 -> NODES.nullNode();
            case 8 -> randomObject(random, depth - 1);
            default -> randomArray(random, depth - 1);
        };
    }

    private static ObjectNode randomObject(Random random, int depth) {
        ObjectNode object = NODES.objectNode();
        int size = random.nextInt(6);
        for (int i = 0; i < size; i++) {
            object.set(randomString(random), randomValue(random, depth));
        }
        return object;
    }

    private static ArrayNode randomArray(Random random, int depth) {
        ArrayNode array = NODES.arrayNode();
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
            array.add(randomValue(random, depth));
        }
        return array;
    }
}
