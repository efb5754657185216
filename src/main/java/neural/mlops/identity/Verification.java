package neural.mlops.identity;

import java.util.Optional;

/**
 * The answer to "does this signature speak for this user?": valid, or refused with the reason.
 *
 * @param key     the key (or certificate) the signature presents, as its kind and fingerprint
 * @param problem why it is refused; empty when valid
 */
public record Verification(SshPublicKey key, Optional<String> problem) {

    static Verification valid(SshPublicKey key) {
        return new Verification(key, Optional.empty());
    }

    static Verification refused(SshPublicKey key, String problem) {
        return new Verification(key, Optional.of(problem));
    }

    public boolean isValid() {
        return problem.isEmpty();
    }
}
