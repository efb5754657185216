package neural.mlops.registry;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The order of a model's versions (SPEC 3.1). Versions that parse as semantic versions (an
 * optional leading {@code v}, one to three numbers, an optional pre-release such as {@code -rc.1})
 * sort by semantic-version precedence, so {@code v1.10.0} follows {@code v1.9.0} and
 * {@code v1.0.0-rc.1} precedes {@code v1.0.0}. Other versions sort by creation time and come
 * before the semantic ones, so the last version of a list is the highest release.
 */
public final class VersionOrder {

    private static final Pattern SEMVER =
            Pattern.compile("[vV]?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-([0-9A-Za-z.-]+))?");

    private static final Comparator<ModelVersion> ORDER = VersionOrder::compare;

    private VersionOrder() {
    }

    /** Orders versions of one model; across models, sort by name first. */
    public static Comparator<ModelVersion> comparator() {
        return ORDER;
    }

    /** A copy of {@code versions} in version order; each version string is parsed once, not once per comparison. */
    public static List<ModelVersion> sorted(List<ModelVersion> versions) {
        List<Keyed> keyed = new ArrayList<>(versions.size());
        for (ModelVersion version : versions) {
            keyed.add(new Keyed(version, parsed(version.version())));
        }
        keyed.sort((a, b) -> compare(a.version(), a.semantic(), b.version(), b.semantic()));
        List<ModelVersion> copy = new ArrayList<>(versions.size());
        keyed.forEach(entry -> copy.add(entry.version()));
        return copy;
    }

    private record Keyed(ModelVersion version, Semantic semantic) {
    }

    static int compare(ModelVersion a, ModelVersion b) {
        return compare(a, parsed(a.version()), b, parsed(b.version()));
    }

    /** Orders two version strings alone (no creation times to break a tie): semantic versions by their parts, else as text. */
    static int compare(String a, String b) {
        Semantic first = parsed(a);
        Semantic second = parsed(b);
        int result;
        if (first != null && second != null) {
            result = first.compareTo(second);
        } else {
            result = first != null || second != null ? (first == null ? -1 : 1) : 0;
        }
        return result != 0 ? result : a.compareTo(b);
    }

    /** Version strings repeat from model to model (v1.0.0, v1.1.0, ...): each is parsed once, in a bounded memo. */
    private static final Map<String, Optional<Semantic>> PARSED = new ConcurrentHashMap<>();
    private static final int MAX_PARSED = 50_000;

    private static Semantic parsed(String text) {
        Optional<Semantic> known = PARSED.get(text);
        if (known == null) {
            if (PARSED.size() >= MAX_PARSED) {
                PARSED.clear();
            }
            known = Optional.ofNullable(Semantic.parse(text));
            PARSED.put(text, known);
        }
        return known.orElse(null);
    }

    private static int compare(ModelVersion a, Semantic first, ModelVersion b, Semantic second) {
        int result;
        if (first != null && second != null) {
            result = first.compareTo(second);
        } else if (first != null || second != null) {
            result = first == null ? -1 : 1;
        } else {
            result = a.createdAt().compareTo(b.createdAt());
        }
        if (result == 0) {
            result = a.createdAt().compareTo(b.createdAt());
        }
        return result != 0 ? result : a.version().compareTo(b.version());
    }

    /** A parsed semantic version; null from {@link #parse} when the text is not one. */
    record Semantic(BigInteger major, BigInteger minor, BigInteger patch, List<String> preRelease)
            implements Comparable<Semantic> {

        static Semantic parse(String text) {
            Matcher m = SEMVER.matcher(text);
            if (!m.matches()) {
                return null;
            }
            List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\.", -1));
            if (pre.stream().anyMatch(String::isEmpty)) {
                return null;
            }
            return new Semantic(number(m.group(1)), number(m.group(2)), number(m.group(3)), pre);
        }

        private static BigInteger number(String digits) {
            return digits == null ? BigInteger.ZERO : new BigInteger(digits);
        }

        @Override
        public int compareTo(Semantic other) {
            int result = major.compareTo(other.major);
            if (result == 0) {
                result = minor.compareTo(other.minor);
            }
            if (result == 0) {
                result = patch.compareTo(other.patch);
            }
            return result != 0 ? result : comparePreRelease(preRelease, other.preRelease);
        }

        /** SemVer 2.0 rule 11: a release follows its pre-releases; identifiers compare one by one. */
        private static int comparePreRelease(List<String> a, List<String> b) {
            if (a.isEmpty() || b.isEmpty()) {
                return Boolean.compare(a.isEmpty(), b.isEmpty());
            }
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                int result = compareIdentifier(a.get(i), b.get(i));
                if (result != 0) {
                    return result;
                }
            }
            return Integer.compare(a.size(), b.size());
        }

        private static int compareIdentifier(String a, String b) {
            boolean aNumeric = a.chars().allMatch(Character::isDigit);
            boolean bNumeric = b.chars().allMatch(Character::isDigit);
            if (aNumeric && bNumeric) {
                return new BigInteger(a).compareTo(new BigInteger(b));
            }
            if (aNumeric != bNumeric) {
                return aNumeric ? -1 : 1;
            }
            return a.compareTo(b);
        }
    }
}
