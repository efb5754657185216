package neural.mlops.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * What a stored signature proves about the user an action claims to be by, in the words the
 * desktop shows: signed by that user, a signature that does not speak for them, or no signature.
 *
 * @param status  which of the three
 * @param user    the user the action claims to be by
 * @param key     the key (or certificate) the signature presents; empty when unsigned
 * @param problem why the signature is refused; empty unless {@link Status#INVALID}
 */
public record SignatureVerdict(Status status, String user, Optional<SshPublicKey> key, Optional<String> problem) {

    /** The three answers. */
    public enum Status { SIGNED, INVALID, UNSIGNED }

    public SignatureVerdict {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(problem, "problem");
    }

    /** No signature was stored. */
    public static SignatureVerdict unsigned(String user) {
        return new SignatureVerdict(Status.UNSIGNED, user, Optional.empty(), Optional.empty());
    }

    /** The verdict of a {@link Verification} of {@code user}'s signature. */
    public static SignatureVerdict of(String user, Verification verification) {
        return new SignatureVerdict(verification.isValid() ? Status.SIGNED : Status.INVALID, user,
                Optional.of(verification.key()), verification.problem());
    }

    /** A valid signature of {@code user} with {@code key}. */
    public static SignatureVerdict signed(String user, SshPublicKey key) {
        return new SignatureVerdict(Status.SIGNED, user, Optional.of(key), Optional.empty());
    }

    /** A signature refused for {@code problem} (one that could not even be read, or is over another action). */
    public static SignatureVerdict invalid(String user, Optional<SshPublicKey> key, String problem) {
        return new SignatureVerdict(Status.INVALID, user, key, Optional.of(problem));
    }

    /** "signed by alice (ed25519 SHA256:...)", "signature invalid" or "unsigned". */
    public String describe() {
        return switch (status) {
            case SIGNED -> "signed by " + user + " (" + key.orElseThrow() + ")";
            case INVALID -> "signature invalid";
            case UNSIGNED -> "unsigned";
        };
    }
}
