package neural.mlops.audit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.StoreFiles;
import neural.mlops.store.UserConfig;

/**
 * The secret that signs the chain head and the per-day digests (HMAC-SHA256). It is held outside
 * the workspace, so that whoever can edit the workspace cannot re-sign a rewritten trail:
 * {@value #ENVIRONMENT_VARIABLE} or the file {@value #FILE_NAME} in the user's configuration folder.
 */
public final class AuditKey {

    public static final String ENVIRONMENT_VARIABLE = "NEURAL_MLOPS_AUDIT_KEY";
    public static final String FILE_NAME = "audit.key";
    /** Shorter secrets are guessable offline from a signed head; refuse them rather than sign weakly. */
    public static final int MIN_LENGTH = 16;

    private final byte[] secret;
    private final String id;

    private AuditKey(byte[] secret) {
        this.secret = secret.clone();
        this.id = Canonical.hmacHex(this.secret, "neural-mlops audit key id").substring(0, 16);
    }

    /** A key from its secret text (UTF-8), at least {@value #MIN_LENGTH} characters once trimmed. */
    public static AuditKey of(String secretText) {
        String trimmed = secretText == null ? "" : secretText.strip();
        if (trimmed.length() < MIN_LENGTH) {
            throw new InvalidInputException("The audit key is " + trimmed.length() + " characters long; use at least "
                    + MIN_LENGTH + " random characters (for example: openssl rand -hex 32)");
        }
        return new AuditKey(trimmed.getBytes(StandardCharsets.UTF_8));
    }

    /** The key in a file: its whole content, trimmed. */
    public static AuditKey fromFile(Path file) {
        return of(new String(StoreFiles.readRegular(file, 4096), StandardCharsets.UTF_8));
    }

    /**
     * The key configured for this user: the environment variable when it is set and not blank,
     * else {@code audit.key} in {@link UserConfig#folder()} when it exists, else none.
     */
    public static Optional<AuditKey> configured() {
        String fromEnvironment = System.getenv(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(of(fromEnvironment));
        }
        Path file = UserConfig.folder().resolve(FILE_NAME);
        return Files.isRegularFile(file) ? Optional.of(fromFile(file)) : Optional.empty();
    }

    /** A short public fingerprint, stored in head.json, telling which key signed (never the key). */
    public String id() {
        return id;
    }

    String sign(byte[] message) {
        return Canonical.hmacHex(secret, message);
    }

    byte[] secretForRedaction() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuditKey key && Arrays.equals(secret, key.secret);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "AuditKey[id=" + id + "]";
    }
}
