package neural.mlops.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * A signature in OpenSSH's {@code sshsig} format (PROTOCOL.sshsig), as {@code ssh-keygen -Y sign}
 * writes it: the signer's public key (or certificate), a namespace, a hash algorithm (sha512 or
 * sha256) and the signature over {@code "SSHSIG" || namespace || reserved || hash || H(message)}.
 * Read from its armored form or from the bare base64 the audit trail stores.
 */
public final class SshSignature {

    /** The namespace every signature of this product carries, so no other signed text can be replayed as an action. */
    public static final String NAMESPACE = "neural-mlops";

    private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
    private static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
    private static final String END = "-----END SSH SIGNATURE-----";
    /** A signature by a 16384-bit RSA certificate is well under this; anything larger is not one. */
    static final int MAX_ENCODED = 8192;

    private final byte[] encoded;
    private final SshPublicKey publicKey;
    private final String namespace;
    private final String hashAlgorithm;
    private final byte[] signature;

    private SshSignature(byte[] encoded, SshPublicKey publicKey, String namespace, String hashAlgorithm,
                         byte[] signature) {
        this.encoded = encoded;
        this.publicKey = publicKey;
        this.namespace = namespace;
        this.hashAlgorithm = hashAlgorithm;
        this.signature = signature;
    }

    /** Reads an armored signature, or its base64 body alone (white space ignored). */
    public static SshSignature parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SshFormatException("the signature is empty");
        }
        if (text.length() > MAX_ENCODED) {
            throw new SshFormatException("the signature is " + text.length() + " characters long; at most "
                    + MAX_ENCODED + " are read");
        }
        String body = text.strip();
        if (body.startsWith(BEGIN)) {
            int end = body.indexOf(END);
            if (end < 0) {
                throw new SshFormatException("the signature starts with " + BEGIN + " but has no " + END);
            }
            body = body.substring(BEGIN.length(), end);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(body.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw new SshFormatException("the signature is not valid base64", e);
        }
        return parse(bytes);
    }

    static SshSignature parse(byte[] bytes) {
        SshWire.Reader in = new SshWire.Reader(bytes);
        if (!Arrays.equals(in.bytes(MAGIC.length), MAGIC)) {
            throw new SshFormatException("not an SSH signature (it does not start with SSHSIG)");
        }
        long version = in.uint32();
        if (version != 1) {
            throw new SshFormatException("unsupported SSH signature version " + version);
        }
        SshPublicKey key = SshPublicKey.parse(in.string());
        String namespace = in.text();
        in.string(); // reserved
        String hash = in.text();
        byte[] signature = in.string();
        if (in.hasMore()) {
            throw new SshFormatException("the SSH signature has trailing data");
        }
        if (!hash.equals("sha512") && !hash.equals("sha256")) {
            throw new SshFormatException("unsupported signature hash " + SshPublicKey.Quote.of(hash)
                    + "; expected sha512 or sha256");
        }
        return new SshSignature(bytes.clone(), key, namespace, hash, signature);
    }

    /** The key (or certificate) the signature says made it; {@link #verify} decides whether it did. */
    public SshPublicKey publicKey() {
        return publicKey;
    }

    public String namespace() {
        return namespace;
    }

    public String hashAlgorithm() {
        return hashAlgorithm;
    }

    /** The signature as one line of base64, the form the audit trail and request documents store. */
    public String encoded() {
        return Base64.getEncoder().encodeToString(encoded);
    }

    /**
     * True when this is a signature in {@code expectedNamespace} over exactly {@code message} by
     * its {@link #publicKey()}. Whether that key may speak for anyone is {@link AllowedSigners}'s question.
     */
    public boolean verify(byte[] message, String expectedNamespace) {
        if (!namespace.equals(expectedNamespace)) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance(hashAlgorithm.equals("sha512") ? "SHA-512" : "SHA-256")
                    .digest(message);
            byte[] signed = new SshWire.Writer().raw(MAGIC).string(namespace).string(new byte[0])
                    .string(hashAlgorithm).string(digest).toByteArray();
            return publicKey.verify(signature, signed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hashAlgorithm + " is missing from this Java runtime", e);
        }
    }
}
