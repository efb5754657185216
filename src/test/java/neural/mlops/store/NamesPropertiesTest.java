package neural.mlops.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The SPEC 2 name rule as properties: every name it accepts is one portable path segment that
 * round-trips through the file system, every string that breaks it is refused, and nothing but
 * {@link InvalidInputException} ever comes out of it, whatever the input.
 */
class NamesPropertiesTest {

    /** The rule written out again, independently of {@link Names}, as the oracle. */
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Set<String> RESERVED = Set.of("CON", "PRN", "AUX", "NUL",
            "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "COM\u00b9", "COM\u00b2", "COM\u00b3",
            "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
            "LPT\u00b9", "LPT\u00b2", "LPT\u00b3");

    private static Path root;

    @BeforeContainer
    static void createRoot() throws IOException {
        Files.createDirectories(Path.of("target"));
        root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "names-properties");
    }

    @AfterContainer
    static void deleteRoot() throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static boolean oracleAccepts(String value) {
        if (value == null || !RULE.matcher(value).matches() || value.endsWith(".")) {
            return false;
        }
        String stem = value.contains(".") ? value.substring(0, value.indexOf('.')) : value;
        return !RESERVED.contains(stem.toUpperCase(Locale.ROOT));
    }

    @Property(tries = 500)
    void aValidNameIsOnePathSegmentThatRoundTripsThroughTheFileSystem(@ForAll("validNames") String name)
            throws IOException {
        assertThat(Names.require("model name", name)).isEqualTo(name);

        Path path = StorePaths.forWrite(root, name);
        assertThat(path.getParent()).isEqualTo(root);
        assertThat(path.getFileName().toString()).isEqualTo(name);
        assertThat(Path.of(name).getNameCount()).isEqualTo(1);
        assertThat(Path.of(name).normalize().toString()).isEqualTo(name);

        Path folder = Files.createTempDirectory(root, "segment");
        Files.createDirectory(folder.resolve(name));
        try (Stream<Path> listed = Files.list(folder)) {
            assertThat(listed.map(p -> p.getFileName().toString()).toList()).containsExactly(name);
        }
    }

    @Property
    void everyStringThatBreaksTheRuleIsRefusedWithAnInvalidInputException(@ForAll("invalidNames") String value) {
        assertThat(oracleAccepts(value)).as("the generator made an invalid name").isFalse();
        assertThat(Names.isValid(value)).isFalse();
        assertThat(Names.problem(value)).isNotBlank();
        assertThatThrownBy(() -> Names.require("version", value))
                .isExactlyInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Invalid version ");
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.FIRST)
    void anyStringAtAllIsJudgedAsTheOracleJudgesItAndNeverThrowsAnythingElse(@ForAll("anyStrings") String value) {
        Throwable thrown = catchThrowable(() -> Names.require("model name", value));
        if (oracleAccepts(value)) {
            assertThat(thrown).isNull();
        } else {
            assertThat(thrown).isExactlyInstanceOf(InvalidInputException.class);
            // The message quotes the value with control characters escaped: it stays on one line.
            assertThat(thrown.getMessage()).doesNotContain("\n", "\r", "\u2028", "\u2029", "\u0085", "\u202e");
        }
    }

    @Provide
    Arbitrary<String> validNames() {
        Arbitrary<Character> first = Arbitraries.chars().range('a', 'z').range('A', 'Z').range('0', '9');
        Arbitrary<String> rest = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withChars('.', '_', '-').ofMaxLength(127);
        return Combinators.combine(first, rest).as((f, r) -> f + r)
                .filter(NamesPropertiesTest::oracleAccepts);
    }

    @Provide
    Arbitrary<String> invalidNames() {
        Arbitrary<String> valid = validNames();
        Arbitrary<String> badCharacter = Arbitraries.of(
                "/", "\\", "..", " ", "\t", "\n", "\r", "\u0000", "\u007f", "\u0085", "\u2028", "\ufffd",
                "\u0430", "\uff41", "\uff0e", "\u00e9", ":", "*", "?", "\"", "<", ">", "|", "%", "$", "~", "\ud800");
        Arbitrary<String> inserted = Combinators.combine(valid, badCharacter, Arbitraries.integers().between(0, 128))
                .as((name, bad, at) -> name.substring(0, Math.min(at, name.length())) + bad
                        + name.substring(Math.min(at, name.length())));
        Arbitrary<String> badStart = Combinators.combine(Arbitraries.of("-", "_", ".", "..", "-rf ", "~"), valid)
                .as((start, name) -> start + name);
        Arbitrary<String> badEnd = Combinators.combine(valid, Arbitraries.of(".", " ", "..", ". ", " ."))
                .as((name, end) -> name + end);
        Arbitrary<String> reserved = Combinators.combine(Arbitraries.of(List.copyOf(RESERVED)),
                        Arbitraries.of("", ".txt", ".tar.gz", ".json", ".1"), Arbitraries.of(true, false))
                .as((stem, extension, lower) -> (lower ? stem.toLowerCase(Locale.ROOT) : stem) + extension);
        Arbitrary<String> tooLong = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(129).ofMaxLength(400);
        Arbitrary<String> traversal = Arbitraries.of("..", ".", "../x", "..\\x", "x/../y", "/etc/passwd",
                "C:\\Windows", "\\\\server\\share", "", " ");
        return Arbitraries.oneOf(inserted, badStart, badEnd, reserved, tooLong, traversal)
                .filter(value -> !oracleAccepts(value));
    }

    @Provide
    Arbitrary<String> anyStrings() {
        Arbitrary<String> lineBreaking = Combinators.combine(validNames(),
                        Arbitraries.of("\n", "\r\n", "\u0085", "\u2028", "\u2029", "\u001b[2J", "\u202e"), validNames())
                .as((before, lineBreak, after) -> before + lineBreak + after);
        return Arbitraries.oneOf(
                lineBreaking,
                Arbitraries.strings().ofMaxLength(140),
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(20),
                validNames());
    }
}
