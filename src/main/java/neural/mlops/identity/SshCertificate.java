package neural.mlops.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An OpenSSH user certificate ({@code ssh-ed25519-cert-v01@openssh.com} and the ECDSA and RSA
 * forms, PROTOCOL.certkeys): a key, the principals it speaks for and a validity period, signed by
 * a certificate authority's key. Whether the CA's signature holds is decided once, when parsed.
 *
 * @param validAfter  null when the certificate is valid from the beginning of time
 * @param validBefore null when it never expires
 * @param criticalOptions the names of its critical options ({@code source-address}, ...)
 */
public record SshCertificate(
        SshPublicKey key,
        long serial,
        int certType,
        String keyId,
        List<String> principals,
        Instant validAfter,
        Instant validBefore,
        List<String> criticalOptions,
        SshPublicKey authority,
        boolean signatureValid) {

    /** The certificate type of a user certificate (a host certificate is 2, and never signs actions). */
    public static final int USER = 1;

    public SshCertificate {
        principals = List.copyOf(principals);
        criticalOptions = List.copyOf(criticalOptions);
    }

    static SshCertificate parse(String type, byte[] blob, SshWire.Reader in) {
        String plainType = type.substring(0, type.length() - SshPublicKey.CERT_SUFFIX.length());
        if (!SshPublicKey.PLAIN_TYPES.contains(plainType)) {
            throw new SshFormatException("unsupported certificate type " + SshPublicKey.Quote.of(type));
        }
        in.string(); // nonce
        int keyStart = in.position();
        SshPublicKey.readKey(plainType, in);
        byte[] keyFields = Arrays.copyOfRange(blob, keyStart, in.position());
        SshPublicKey key = SshPublicKey.parse(new SshWire.Writer().string(plainType).raw(keyFields).toByteArray());
        long serial = in.uint64();
        int certType = (int) in.uint32();
        String keyId = in.text();
        List<String> principals = new ArrayList<>();
        SshWire.Reader names = new SshWire.Reader(in.string());
        while (names.hasMore()) {
            principals.add(names.text());
        }
        Instant validAfter = time(in.uint64());
        Instant validBefore = time(in.uint64());
        List<String> critical = new ArrayList<>();
        SshWire.Reader options = new SshWire.Reader(in.string());
        while (options.hasMore()) {
            critical.add(options.text());
            options.string();
        }
        in.string(); // extensions
        in.string(); // reserved
        SshPublicKey authority = SshPublicKey.parse(in.string());
        int signedEnd = in.position();
        byte[] signature = in.string();
        if (in.hasMore()) {
            throw new SshFormatException("the certificate has trailing data");
        }
        if (authority.certificate().isPresent()) {
            throw new SshFormatException("the certificate is signed by another certificate, not by a CA key");
        }
        boolean valid = authority.verify(signature, Arrays.copyOfRange(blob, 0, signedEnd));
        return new SshCertificate(key, serial, certType, keyId, principals, validAfter, validBefore, critical, authority, valid);
    }

    private static Instant time(long seconds) {
        if (seconds == 0) {
            return null;
        }
        if (seconds < 0 || seconds > Instant.MAX.getEpochSecond()) {
            return null; // 0xFFFFFFFFFFFFFFFF: forever
        }
        return Instant.ofEpochSecond(seconds);
    }

    /** Why this certificate cannot speak for {@code principal} at {@code at}, or empty when it can. */
    public Optional<String> problem(String principal, Instant at) {
        if (!signatureValid) {
            return Optional.of("its certificate authority's signature does not verify");
        }
        if (certType != USER) {
            return Optional.of("it is a host certificate, not a user certificate");
        }
        if (!criticalOptions.isEmpty()) {
            // OpenSSH refuses a certificate with a critical option it does not honour; none is honoured here.
            return Optional.of("its certificate has critical options (" + String.join(", ", criticalOptions)
                    + "), which signatures cannot honour");
        }
        if (principals.isEmpty()) {
            return Optional.of("its certificate names no principal (OpenSSH requires one for signatures)");
        }
        if (!principals.contains(principal)) {
            return Optional.of("its certificate is for " + String.join(", ", principals) + ", not " + principal);
        }
        if (validAfter != null && at.isBefore(validAfter)) {
            return Optional.of("its certificate is valid only from " + validAfter);
        }
        if (validBefore != null && !at.isBefore(validBefore)) {
            return Optional.of("its certificate expired at " + validBefore);
        }
        return Optional.empty();
    }
}
