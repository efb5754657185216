package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"fraud_detector", "v1.0.0", "1", "a-b.c_d", "CONSOLE", "con_1", "COM10", "x.CON"})
    void acceptsPortableSegments(String name) {
        assertThat(Names.isValid(name)).isTrue();
        assertThat(Names.require("model name", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../evil", "a/b", "a\\b", "with space", "-leading", "_leading", ".hidden",
        "trailing.", "CON", "con", "NUL.txt", "com1", "LPT9.tar.gz", "a\nb", "tab\tname", "caf\u00e9", "\u0430pple",
        "semi;colon", "star*", "trailing "})
    void rejectsEverythingElse(String name) {
        assertThat(Names.isValid(name)).isFalse();
        assertThatThrownBy(() -> Names.require("model name", name))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Invalid model name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"COM0", "com0", "LPT0", "lpt0.txt", "COM0.tar.gz", "COM\u00b9", "com\u00b2.log",
        "LPT\u00b3", "lpt\u00b9.json"})
    void refusesEveryDeviceNameWindowsReservesIncludingZeroAndSuperscriptDigits(String name) {
        assertThat(Names.isValid(name)).isFalse();
        assertThatThrownBy(() -> Names.require("model name", name))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Invalid model name")
                .hasMessageContaining(name.chars().allMatch(c -> c < 128) ? "Windows reserves" : "only ASCII letters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"COM10", "LPT00", "COM0x", "xCOM0", "CO.M0"})
    void acceptsNamesThatOnlyLookLikeReservedOnes(String name) {
        assertThat(Names.isValid(name)).isTrue();
    }

    @Test
    void limitsTheLengthTo128Characters() {
        assertThat(Names.isValid("a".repeat(128))).isTrue();
        assertThat(Names.problem("a".repeat(129))).contains("129 characters").contains("at most 128");
    }

    @Test
    void messagesNameTheRuleThatIsBroken() {
        assertThat(Names.problem("")).isEqualTo("it is empty");
        assertThat(Names.problem("-x")).contains("start with");
        assertThat(Names.problem("v1.")).contains("end with '.'");
        assertThat(Names.problem("AUX")).contains("Windows reserves");
        assertThat(Names.problem("a b")).contains("only ASCII letters");
    }

    @Test
    void quotingShowsControlCharactersAsEscapesSoTheyCannotForgeLines() {
        assertThat(Names.quote("evil\nINFO forged")).isEqualTo("'evil\\u000aINFO forged'");
        assertThat(Names.quote(null)).isEqualTo("(none)");
    }

    @Test
    void quotingEscapesLineSeparatorsAndInvisibleFormatCharactersToo() {
        assertThat(Names.quote("a\u2028b\u2029c")).isEqualTo("'a\\u2028b\\u2029c'");
        assertThat(Names.quote("alice\u202egnp.exe")).isEqualTo("'alice\\u202egnp.exe'");
        assertThat(Names.quote("zero\u200bwidth")).isEqualTo("'zero\\u200bwidth'");
        assertThat(Names.quote("caf\u00e9 \u0430")).isEqualTo("'caf\u00e9 \u0430'");
    }
}
