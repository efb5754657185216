package neural.mlops.identity;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of an OpenSSH {@code allowed_signers} file (ssh-keygen(1), ALLOWED SIGNERS): the
 * principals a key speaks for, its options, and the key.
 *
 * @param principals    principal patterns ({@code *} and {@code ?} wildcards, {@code !} negation)
 * @param certAuthority the key is a certificate authority: it vouches for certificates naming the principal
 * @param namespaces    namespace patterns the key may sign in; empty when any
 * @param validAfter    the key may sign only from this time; null when always
 * @param validBefore   the key may sign only before this time; null when always
 * @param key           the public key (never a certificate)
 */
public record AllowedSigner(
        List<String> principals,
        boolean certAuthority,
        Optional<List<String>> namespaces,
        Instant validAfter,
        Instant validBefore,
        SshPublicKey key) {

    public AllowedSigner {
        principals = List.copyOf(principals);
        namespaces = namespaces.map(List::copyOf);
        Objects.requireNonNull(key, "key");
    }

    /** True when the principal patterns admit {@code principal}. */
    public boolean speaksFor(String principal) {
        return Patterns.matchList(principal, principals);
    }

    /** True when the key may sign in {@code namespace}. */
    public boolean allowsNamespace(String namespace) {
        return namespaces.map(list -> Patterns.matchList(namespace, list)).orElse(true);
    }

    /** Why the line does not admit a signature made at {@code at}, or empty when it does. */
    public Optional<String> timeProblem(Instant at) {
        if (validAfter != null && at.isBefore(validAfter)) {
            return Optional.of("the key is valid only from " + validAfter);
        }
        if (validBefore != null && !at.isBefore(validBefore)) {
            return Optional.of("the key was valid only until " + validBefore);
        }
        return Optional.empty();
    }

    /** OpenSSH's pattern lists: comma-separated, {@code *} and {@code ?} wildcards, a {@code !} pattern excludes. */
    static final class Patterns {
        private Patterns() {
        }

        static boolean matchList(String text, List<String> patterns) {
            boolean matched = false;
            for (String pattern : patterns) {
                boolean negated = pattern.startsWith("!");
                if (match(text, negated ? pattern.substring(1) : pattern, 0, 0)) {
                    if (negated) {
                        return false;
                    }
                    matched = true;
                }
            }
            return matched;
        }

        private static boolean match(String text, String pattern, int t, int p) {
            while (p < pattern.length()) {
                char c = pattern.charAt(p);
                if (c == '*') {
                    for (int i = t; i <= text.length(); i++) {
                        if (match(text, pattern, i, p + 1)) {
                            return true;
                        }
                    }
                    return false;
                }
                if (t >= text.length() || (c != '?' && c != text.charAt(t))) {
                    return false;
                }
                t++;
                p++;
            }
            return t == text.length();
        }
    }
}
