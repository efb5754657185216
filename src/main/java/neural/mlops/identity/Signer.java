package neural.mlops.identity;

import java.util.Optional;

/**
 * Who signs the acting user's actions, if anyone: a key that makes {@code sshsig} signatures in the
 * product's namespace. {@link #NONE} signs nothing; {@link KeyFileSigner} signs with a key file.
 */
public interface Signer {

    /** No key: actions are unsigned (and refused where the policy requires a signature). */
    Signer NONE = new Signer() {
        @Override
        public Optional<SshSignature> sign(byte[] message) {
            return Optional.empty();
        }

        @Override
        public Optional<SshPublicKey> publicKey() {
            return Optional.empty();
        }
    };

    /** The signature over {@code message}, or empty when there is no key. Throws when the key cannot sign. */
    Optional<SshSignature> sign(byte[] message);

    /** The key (or certificate) signatures will carry, or empty when there is none. */
    Optional<SshPublicKey> publicKey();

    /** "signed as alice (ed25519 SHA256:...)" or "unsigned", as the desktop and the CLI show the acting user. */
    default String describe(String user) {
        return publicKey().map(key -> "signed as " + user + " (" + key + ")").orElse("unsigned");
    }
}
