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

    /** Every UTF-16 unit alone, behind ASCII and before it: escaped exactly when its code point is refused or a lone surrogate. */
    @Test
    void everyCharacterIsEscapedExactlyWhenItsCodePointIsRefused() {
        for (int c = 0; c <= 0xFFFF; c++) {
            String character = String.valueOf((char) c);
            boolean refused = SingleLine.isRefused(c) || Character.isSurrogate((char) c);
            String expected = refused ? String.format("\\u%04x", c) : character;
            assertThat(SingleLine.escape("ok " + character + " ok")).as("U+%04X", c).isEqualTo("ok " + expected + " ok");
            assertThat(SingleLine.problem(character) != null).as("U+%04X", c).isEqualTo(SingleLine.isRefused(c));
        }
    }

    @Test
    void surrogatePairsAreKeptAndTheirRefusedCodePointsEscaped() {
        String emoji = new String(Character.toChars(0x1F600));
        String tag = new String(Character.toChars(0xE0001)); // LANGUAGE TAG: an invisible format character
        assertThat(SingleLine.escape("model " + emoji)).isEqualTo("model " + emoji);
        assertThat(SingleLine.escape("a" + tag + "b")).isEqualTo("a\\ue0001b");
        assertThat(SingleLine.problem("a" + tag)).contains("U+E0001");
    }
}
