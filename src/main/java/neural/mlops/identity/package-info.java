/**
 * Signed identities (issue 24): OpenSSH public keys, certificates and {@code allowed_signers}
 * lines, the {@code sshsig} signature format (namespace {@code neural-mlops}) verified with the
 * JDK's own Ed25519, ECDSA and RSA, the canonical payload of a signed action, and the signer that
 * produces signatures with a user's key through {@code ssh-keygen -Y sign}.
 *
 * <p>Depends on the store primitives only (JSON, times, errors); never on the audit trail, the
 * policy, JavaFX, the CLI or the app, so that every floor above can verify a signature.
 */
package neural.mlops.identity;
