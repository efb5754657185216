package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Version ordering (SPEC 3.1) as properties: a total order over any mix of semantic and other
 * versions (antisymmetric, transitive, consistent with equality of identity), and, for generated
 * semantic versions, exactly the precedence of SemVer 2.0, computed here independently.
 */
class VersionOrderPropertiesTest {

    static ModelVersion version(String version, Instant createdAt) {
        return new ModelVersion("model", version, ModelStage.DEVELOPMENT, "pytorch", "alice", createdAt, createdAt,
                "", null, null, "model.pt", null, 1, null, null, null, null);
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.FIRST)
    void theOrderIsAntisymmetricAndOnlyTheSameVersionComparesEqual(@ForAll("versions") ModelVersion a,
                                                                  @ForAll("versions") ModelVersion b) {
        int ab = VersionOrder.compare(a, b);
        int ba = VersionOrder.compare(b, a);
        assertThat(Integer.signum(ab)).isEqualTo(-Integer.signum(ba));
        assertThat(VersionOrder.compare(a, a)).isZero();
        if (ab == 0) {
            assertThat(a.version()).isEqualTo(b.version());
            assertThat(a.createdAt()).isEqualTo(b.createdAt());
        }
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.FIRST)
    void theOrderIsTransitive(@ForAll("versions") ModelVersion a, @ForAll("versions") ModelVersion b,
                              @ForAll("versions") ModelVersion c) {
        List<ModelVersion> sorted = VersionOrder.sorted(List.of(a, b, c));
        assertThat(VersionOrder.compare(sorted.get(0), sorted.get(1))).isLessThanOrEqualTo(0);
        assertThat(VersionOrder.compare(sorted.get(1), sorted.get(2))).isLessThanOrEqualTo(0);
        assertThat(VersionOrder.compare(sorted.get(0), sorted.get(2))).isLessThanOrEqualTo(0);
        if (VersionOrder.compare(a, b) <= 0 && VersionOrder.compare(b, c) <= 0) {
            assertThat(VersionOrder.compare(a, c)).isLessThanOrEqualTo(0);
        }
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.FIRST)
    void semanticVersionsFollowSemVerPrecedenceWhateverTheirCreationTimes(
            @ForAll("semvers") String first, @ForAll("semvers") String second,
            @ForAll("times") Instant createdFirst, @ForAll("times") Instant createdSecond) {
        int expected = semverPrecedence(first, second);
        int actual = VersionOrder.compare(version(first, createdFirst), version(second, createdSecond));
        if (expected != 0) {
            assertThat(Integer.signum(actual)).as("%s vs %s", first, second).isEqualTo(expected);
        }
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.FIRST)
    void sortingIsStableUnderShufflingAndTheHighestReleaseComesLast(@ForAll("versionLists") List<ModelVersion> versions) {
        List<ModelVersion> reversed = new ArrayList<>(versions);
        java.util.Collections.reverse(reversed);
        assertThat(VersionOrder.sorted(reversed)).isEqualTo(VersionOrder.sorted(versions));
    }

    /** SemVer 2.0 rule 11, written out independently of {@link VersionOrder}; build metadata is not generated. */
    static int semverPrecedence(String a, String b) {
        String[] x = split(a);
        String[] y = split(b);
        for (int i = 0; i < 3; i++) {
            int c = new BigInteger(x[i]).compareTo(new BigInteger(y[i]));
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        String preA = x[3];
        String preB = y[3];
        if (preA == null || preB == null) {
            return preA == null && preB == null ? 0 : preA == null ? 1 : -1;
        }
        String[] idsA = preA.split("\\.");
        String[] idsB = preB.split("\\.");
        for (int i = 0; i < Math.min(idsA.length, idsB.length); i++) {
            boolean numA = idsA[i].matches("\\d+");
            boolean numB = idsB[i].matches("\\d+");
            int c;
            if (numA && numB) {
                c = new BigInteger(idsA[i]).compareTo(new BigInteger(idsB[i]));
            } else if (numA != numB) {
                c = numA ? -1 : 1;
            } else {
                c = idsA[i].compareTo(idsB[i]);
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return Integer.compare(idsA.length, idsB.length);
    }

    private static String[] split(String version) {
        String text = version.startsWith("v") || version.startsWith("V") ? version.substring(1) : version;
        int dash = text.indexOf('-');
        String core = dash < 0 ? text : text.substring(0, dash);
        String[] numbers = core.split("\\.");
        return new String[] {numbers[0], numbers[1], numbers[2], dash < 0 ? null : text.substring(dash + 1)};
    }

    @Provide
    Arbitrary<String> semvers() {
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.integers().between(0, 12).map(String::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TEN.pow(30)).map(BigInteger::toString));
        Arbitrary<String> identifier = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 20).map(String::valueOf),
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withChars('-').ofMinLength(1)
                        .ofMaxLength(5).filter(s -> !s.matches("\\d+")),
                Arbitraries.of("alpha", "beta", "rc", "x-1", "0a"));
        Arbitrary<String> preRelease = identifier.list().ofMinSize(1).ofMaxSize(3).map(ids -> String.join(".", ids))
                .injectNull(0.4);
        return Combinators.combine(Arbitraries.of("", "v", "V"), number, number, number, preRelease)
                .as((prefix, major, minor, patch, pre) -> prefix + major + "." + minor + "." + patch
                        + (pre == null ? "" : "-" + pre));
    }

    @Provide
    Arbitrary<Instant> times() {
        return Arbitraries.longs().between(1_600_000_000L, 1_600_000_010L).map(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<ModelVersion> versions() {
        Arbitrary<String> other = Arbitraries.oneOf(
                Arbitraries.of("latest", "1", "v2", "1.2", "v1.0", "1.0.0.0", "2024-01-15", "release_7", "V3.1",
                        "1.0.0-", "1.0.0-rc..1", "1.0.0-01", "1.0.0-1"),
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('.', '_', '-')
                        .ofMinLength(1).ofMaxLength(8).filter(s -> Character.isLetterOrDigit(s.charAt(0))));
        return Combinators.combine(Arbitraries.oneOf(semvers(), other), times()).as(VersionOrderPropertiesTest::version);
    }

    @Provide
    Arbitrary<List<ModelVersion>> versionLists() {
        return versions().list().ofMaxSize(12).uniqueElements(v -> v.version());
    }
}
