package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SingleLineTest {

    @ParameterizedTest
    @ValueSource(strings = {"\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200b", "\u200c", "\u200d",
        "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad", "\u061c"})
    void invisibleFormatCharactersAreRefusedAndNamed(String invisible) {
        String value = "alice" + invisible + "gnp.exe";

        assertThat(SingleLine.containsBreaking(value)).isTrue();
        assertThat(SingleLine.problem(value)).startsWith("it contains an invisible formatting character (U+")
                .contains(String.format("U+%04X", invisible.codePointAt(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r", "\u0000", "\u001b", "\u007f", "\u0085", "\u009b", "\u2028", "\u2029"})
    void controlCharactersAndLineSeparatorsAreRefusedAndNamed(String control) {
        assertThat(SingleLine.problem("a" + control + "b")).startsWith("it contains a control character or line break");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "Jos\u00e9 Garc\u00eda", "\u674e\u56db", "\u0645\u062d\u0645\u062f", "o'brien", "a b",
        "\ud83d\ude00"})
    void printableTextOfAnyScriptIsAccepted(String value) {
        assertThat(SingleLine.problem(value)).isNull();
        assertThat(SingleLine.escape(value)).isSameAs(value);
    }

    @Test
    void escapingWritesEveryRefusedCharacterAsAUnicodeEscapeAndKeepsTheRest() {
        assertThat(SingleLine.escape("\u001b[31mred\u202e\u2028x\u0085\u200b\u00e9"))
                .isEqualTo("\\u001b[31mred\\u202e\\u2028x\\u0085\\u200b\u00e9");
        assertThat(SingleLine.escape("lone \ud800 surrogate")).isEqualTo("lone \\ud800 surrogate");
        assertThat(SingleLine.escape(null)).isNull();
    }

    @Test
    void escapingFreeTextKeepsLineFeedsAndTabsOnly() {
        assertThat(SingleLine.escapeText("first\nsecond\tcol\r\u001b\u2028\u202e"))
                .isEqualTo("first\nsecond\tcol\\u000d\\u001b\\u2028\\u202e");
    }
}
