package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Documents built as bytes are the bytes Jackson's default pretty printer gives the same values,
 * or say they are not plain and are left to Jackson.
 */
class IndentedJsonBytesTest {

    private static final ObjectWriter JACKSON = Json.mapper().writer(new DefaultPrettyPrinter())
            .with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Characters a plain string may hold: ASCII that needs no escape, the two that take a backslash, and UTF-8 of 2, 3 and 4 bytes. */
    private static final String[] PIECES = {"a", "Z", "0", " ", "/", "{", "\"", "\\", "\u00e9", "\u00df", "\u20ac",
        "\u65e5", "\ud83d\ude00", "\ud834\udd1e", ":", ","};

    @Test
    void randomDocumentsAreTheBytesJacksonPrintsThemIn() throws Exception {
        Random random = new Random(23);
        IndentedJsonBytes built = new IndentedJsonBytes();
        for (int i = 0; i < 2_000; i++) {
            JsonNode document = i % 2 == 0 ? object(random, 0) : array(random, 0);
            build(document, built.clear());

            assertThat(built.plain()).isTrue();
            assertThat(new String(built.bytes(), 0, built.length(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(JACKSON.writeValueAsBytes(document), StandardCharsets.UTF_8));
        }
    }

    @Test
    void emptyAndSingleContainersAreLaidOutAsJacksonLaysThemOut() throws Exception {
        ObjectNode document = NODES.objectNode();
        document.putObject("empty object");
        document.putArray("empty array");
        document.putArray("one").add(1);
        document.putArray("objects").addObject().putObject("inner").put("k", "v");
        document.putObject("nested").putArray("deep").addArray().addObject();
        IndentedJsonBytes built = new IndentedJsonBytes();
        build(document, built);

        assertThat(new String(built.bytes(), 0, built.length(), StandardCharsets.UTF_8))
                .isEqualTo(JACKSON.writeValueAsString(document))
                .contains("\"empty object\" : { }", "\"empty array\" : [ ]", "\"one\" : [ 1 ]");
    }

    @Test
    void deepNestingAndEveryLengthOfWholeNumberAreLaidOutAsJacksonLaysThemOut() throws Exception {
        ObjectNode document = NODES.objectNode();
        ObjectNode inner = document;
        for (int level = 0; level < 12; level++) { // past the indentations made once
            inner = inner.putObject("level " + level);
            inner.put("depth", level);
        }
        ArrayNode numbers = inner.putArray("numbers");
        for (long power = 1; power > 0 && power <= Long.MAX_VALUE / 10; power *= 10) {
            numbers.add(power).add(power - 1).add(-power).add(power * 9 + 8);
        }
        numbers.add(Long.MAX_VALUE).add(Long.MIN_VALUE).add(-Long.MAX_VALUE).add(0);
        IndentedJsonBytes built = new IndentedJsonBytes();
        build(document, built);

        assertThat(built.plain()).isTrue();
        assertThat(new String(built.bytes(), 0, built.length(), StandardCharsets.UTF_8))
                .isEqualTo(JACKSON.writeValueAsString(document))
                .contains("-9223372036854775808", "9223372036854775807", "900000000000000008");
    }

    @Test
    void whatOnlyJacksonWritesRightMakesTheDocumentNotPlain() {
        for (String text : new String[] {"tab\there", "line\nbreak", "esc\u001b", "del\u007f", "bidi\u202e",
            "line separator\u2028", "zero width\u200b", "lone \ud83d high", "lone \ude00 low"}) {
            IndentedJsonBytes built = new IndentedJsonBytes();
            built.startArray();
            built.string(text);
            built.endArray();
            assertThat(built.plain()).as(text).isFalse();
        }
        for (double number : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            IndentedJsonBytes built = new IndentedJsonBytes();
            built.number(number);
            assertThat(built.plain()).as("%s", number).isFalse();
        }
        IndentedJsonBytes reused = new IndentedJsonBytes();
        reused.notPlain();
        assertThat(reused.clear().plain()).as("a new document starts plain").isTrue();
    }

    @Test
    void aMemberNameMadeOnceMustBePlain() {
        assertThatThrownBy(() -> IndentedJsonBytes.memberName("tab\there"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tab");
        IndentedJsonBytes built = new IndentedJsonBytes();
        built.startObject();
        built.name(IndentedJsonBytes.memberName("caf\u00e9 \"q\""));
        built.number(1);
        built.endObject();
        assertThat(new String(built.bytes(), 0, built.length(), StandardCharsets.UTF_8))
                .isEqualTo("{" + IndentedJsonBytes.indentation(1) + "\"caf\u00e9 \\\"q\\\"\" : 1"
                        + IndentedJsonBytes.indentation(0) + "}");
    }

    @Test
    void aTimeIsTheStringTheStoresWrite() {
        for (Instant time : new Instant[] {Instant.parse("2024-01-15T12:00:00.123456789Z"), Instant.EPOCH,
            Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999Z"),
            Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z")}) {
            IndentedJsonBytes built = new IndentedJsonBytes();
            built.startArray();
            built.time(time);
            built.string("after");
            built.endArray();
            IndentedJsonBytes expected = new IndentedJsonBytes();
            expected.startArray();
            expected.string(UtcTime.format(time));
            expected.string("after");
            expected.endArray();
            assertThat(new String(built.bytes(), 0, built.length(), StandardCharsets.UTF_8)).as("%s", time)
                    .isEqualTo(new String(expected.bytes(), 0, expected.length(), StandardCharsets.UTF_8));
        }
    }

    // Random documents

    private static ObjectNode object(Random random, int depth) {
        ObjectNode node = NODES.objectNode();
        int fields = random.nextInt(depth < 3 ? 6 : 2);
        for (int i = 0; i < fields; i++) {
            node.set(text(random) + i, value(random, depth + 1));
        }
        return node;
    }

    private static ArrayNode array(Random random, int depth) {
        ArrayNode node = NODES.arrayNode();
        int values = random.nextInt(depth < 3 ? 5 : 2);
        for (int i = 0; i < values; i++) {
            node.add(value(random, depth + 1));
        }
        return node;
    }

    private static JsonNode value(Random random, int depth) {
        return switch (random.nextInt(depth < 4 ? 9 : 7)) {
            case 0 -> NODES.textNode(text(random));
            case 1 -> NODES.numberNode(random.nextLong() >> random.nextInt(64));
            case 2 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20) * (random.nextBoolean() ? 1 : -1));
            case 3 -> NODES.booleanNode(random.nextBoolean());
            case 4 -> NODES.nullNode();
            case 5 -> NODES.textNode("");
            case 6 -> NODES.numberNode(random.nextInt());
            case 7 -> object(random, depth);
            default -> array(random, depth);
        };
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = random.nextInt(12);
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    /** Walks {@code node} into {@code out}, as a document's own writer would. */
    private static void build(JsonNode node, IndentedJsonBytes out) {
        if (node.isObject()) {
            out.startObject();
            boolean madeOnce = false;
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (madeOnce) { // every other name as bytes made once: both ways must give the same bytes
                    out.name(IndentedJsonBytes.memberName(field.getKey()));
                } else {
                    out.name(field.getKey());
                }
                madeOnce = !madeOnce;
                build(field.getValue(), out);
            }
            out.endObject();
        } else if (node.isArray()) {
            out.startArray();
            node.forEach(item -> build(item, out));
            out.endArray();
        } else if (node.isTextual()) {
            out.string(node.textValue());
        } else if (node.isDouble()) {
            out.number(node.doubleValue());
        } else if (node.isIntegralNumber()) {
            out.number(node.longValue());
        } else if (node.isBoolean()) {
            out.bool(node.booleanValue());
        } else {
            out.nullValue();
        }
    }
}
