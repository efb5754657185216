package neural.mlops.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A workspace's {@code identities}: user name to the keys that speak for that user, each an
 * allowed_signers line without its principals ({@code [options] keytype base64 [comment]}).
 * Kept with the lines as written, so the audit trail can record them and verify them again later.
 */
public final class Identities {

    public static final Identities NONE = new Identities(Map.of());

    private final Map<String, List<String>> lines;
    private final AllowedSigners signers;

    /** Parses every line; a malformed one is an {@link SshFormatException} naming the user. */
    public Identities(Map<String, List<String>> lines) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        List<AllowedSigner> parsed = new ArrayList<>();
        lines.forEach((user, entries) -> {
            copy.put(user, List.copyOf(entries));
            for (String entry : entries) {
                parsed.add(AllowedSigners.parseKeyOf(user, entry));
            }
        });
        this.lines = Collections.unmodifiableMap(copy);
        this.signers = new AllowedSigners(parsed);
    }

    /** User name to that user's key lines, as written. */
    public Map<String, List<String>> lines() {
        return lines;
    }

    public AllowedSigners signers() {
        return signers;
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    /** Whether {@code action} is validly signed by one of its claimed user's keys. */
    public Verification verify(SignedAction action) {
        return action.verify(signers);
    }

    /**
     * The verdict on {@code action} (null: unsigned) as the signature of {@code claimedUser}: valid
     * only when its payload names that user and one of their keys made it. A valid signature
     * copied onto another user's approval is refused here, not just read.
     */
    public SignatureVerdict verdict(String claimedUser, SignedAction action) {
        if (action == null) {
            return SignatureVerdict.unsigned(claimedUser);
        }
        SshPublicKey key = action.signature().publicKey();
        if (!action.payload().user().equals(claimedUser)) {
            return SignatureVerdict.of(claimedUser, Verification.refused(key, "it was made for "
                    + action.payload().user() + ", not " + claimedUser));
        }
        return SignatureVerdict.of(claimedUser, verify(action));
    }

    /**
     * Why {@code key} would not speak for {@code user} at {@code at}; empty when one of the user's
     * lines admits it. What the desktop shows before anything is signed.
     */
    public Optional<String> keyProblem(String user, SshPublicKey key, Instant at) {
        return signers.keyProblem(user, key, at);
    }

    /**
     * SHA-256 over the users and their lines in a fixed order (users sorted, lines as listed, each
     * trimmed), so two equal blocks written differently have the same hash.
     */
    public String sha256() {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(lines).forEach((user, entries) -> {
            for (String entry : entries) {
                text.append(user).append(' ').append(entry.strip()).append('\n');
            }
        });
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** The key kind and fingerprint of each of {@code user}'s keys, for people. */
    public List<String> describe(String user) {
        return signers.signers().stream().filter(signer -> signer.speaksFor(user))
                .map(signer -> (signer.certAuthority() ? "certificates by " : "") + signer.key()).toList();
    }
}
