package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import neural.mlops.store.Json;
import org.junit.jupiter.api.Test;

/** The hashed form is RFC 8785 (JCS): the RFC's own examples hold. */
class CanonicalTest {

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
}
