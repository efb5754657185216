package neural.mlops.identity;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * An OpenSSH public key (ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa) or a certificate
 * over one ({@code ...-cert-v01@openssh.com}), decoded into a JDK {@link PublicKey} so that
 * signatures are verified with the JDK's own algorithms, never by another program.
 */
public final class SshPublicKey {

    static final String ED25519 = "ssh-ed25519";
    static final String RSA = "ssh-rsa";
    static final String CERT_SUFFIX = "-cert-v01@openssh.com";
    static final List<String> PLAIN_TYPES = List.of(ED25519, "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", RSA);
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo: the 32 raw bytes follow it. */
    private static final byte[] ED25519_X509 = HexFormat.of().parseHex("302a300506032b6570032100");
    /** RSA keys smaller than this are refused, as OpenSSH refuses them. */
    static final int MIN_RSA_BITS = 1024;

    private final String type;
    private final byte[] blob;
    private final PublicKey key;
    private final SshCertificate certificate;

    private SshPublicKey(String type, byte[] blob, PublicKey key, SshCertificate certificate) {
        this.type = type;
        this.blob = blob;
        this.key = key;
        this.certificate = certificate;
    }

    /** Decodes a key or certificate blob (the base64 field of a .pub line, decoded). */
    public static SshPublicKey parse(byte[] blob) {
        SshWire.Reader in = new SshWire.Reader(blob);
        String type = in.text();
        if (type.endsWith(CERT_SUFFIX)) {
            SshCertificate certificate = SshCertificate.parse(type, blob, in);
            return new SshPublicKey(type, blob.clone(), certificate.key().key, certificate);
        }
        PublicKey key = readKey(type, in);
        if (in.hasMore()) {
            throw new SshFormatException("the " + type + " key has trailing data");
        }
        return new SshPublicKey(type, blob.clone(), key, null);
    }

    /** Parses {@code <type> <base64> [comment]}, as in a .pub file; the type must match the blob's. */
    public static SshPublicKey parseLine(String line) {
        String[] fields = line.strip().split("\\s+", 3);
        if (fields.length < 2) {
            throw new SshFormatException("expected '<key type> <base64 key> [comment]', not "
                    + Quote.of(line));
        }
        return parse(fields[0], fields[1]);
    }

    /** The key of type {@code type} whose blob is {@code base64}. */
    static SshPublicKey parse(String type, String base64) {
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new SshFormatException("the " + type + " key is not valid base64", e);
        }
        SshPublicKey parsed = parse(blob);
        if (!parsed.type.equals(type)) {
            throw new SshFormatException("the key is labelled " + type + " but holds a " + parsed.type + " key");
        }
        return parsed;
    }

    /** Reads the fields of a plain key of {@code type} (after its type string). */
    static PublicKey readKey(String type, SshWire.Reader in) {
        try {
            if (type.equals(ED25519)) {
                byte[] raw = in.string();
                if (raw.length != 32) {
                    throw new SshFormatException("an ssh-ed25519 key has 32 bytes, not " + raw.length);
                }
                byte[] der = Arrays.copyOf(ED25519_X509, ED25519_X509.length + 32);
                System.arraycopy(raw, 0, der, ED25519_X509.length, 32);
                return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            }
            if (type.startsWith("ecdsa-sha2-")) {
                String curve = type.substring("ecdsa-sha2-".length());
                String named = in.text();
                if (!named.equals(curve)) {
                    throw new SshFormatException("the " + type + " key names the curve " + Quote.of(named));
                }
                ECParameterSpec params = curve(curve);
                byte[] point = in.string();
                int size = (params.getCurve().getField().getFieldSize() + 7) / 8;
                if (point.length != 1 + 2 * size || point[0] != 4) {
                    throw new SshFormatException("the " + type + " key's point is not an uncompressed point");
                }
                ECPoint q = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + size)),
                        new BigInteger(1, Arrays.copyOfRange(point, 1 + size, point.length)));
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(q, params));
            }
            if (type.equals(RSA)) {
                BigInteger e = in.mpint();
                BigInteger n = in.mpint();
                if (n.bitLength() < MIN_RSA_BITS) {
                    throw new SshFormatException("the ssh-rsa key has " + n.bitLength() + " bits; at least "
                            + MIN_RSA_BITS + " are needed");
                }
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
            }
        } catch (GeneralSecurityException e) {
            throw new SshFormatException("the " + type + " key cannot be used: " + e.getMessage(), e);
        }
        throw new SshFormatException("unsupported key type " + Quote.of(type) + "; expected one of "
                + String.join(", ", PLAIN_TYPES) + " (or their certificates)");
    }

    private static ECParameterSpec curve(String curve) throws GeneralSecurityException {
        String std = switch (curve) {
            case "nistp256" -> "secp256r1";
            case "nistp384" -> "secp384r1";
            case "nistp521" -> "secp521r1";
            default -> throw new SshFormatException("unsupported ECDSA curve " + Quote.of(curve));
        };
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec(std));
        return parameters.getParameterSpec(ECParameterSpec.class);
    }

    /** {@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, ..., or a certificate type. */
    public String type() {
        return type;
    }

    /** The wire blob, as in the base64 field of a .pub line. */
    public byte[] blob() {
        return blob.clone();
    }

    /** The certificate when this is one; its {@link SshCertificate#key()} is the key that signs. */
    public Optional<SshCertificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    /** The key that signs: this one, or a certificate's subject key. */
    public SshPublicKey signingKey() {
        return certificate == null ? this : certificate.key();
    }

    /** {@code ed25519}, {@code ecdsa} or {@code rsa}: how people name the kind of key. */
    public String kind() {
        String plain = signingKey().type;
        return plain.equals(ED25519) ? "ed25519" : plain.equals(RSA) ? "rsa" : "ecdsa";
    }

    /** {@code SHA256:...}, as {@code ssh-keygen -l} prints it, of the key that signs. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(signingKey().blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** The .pub line form: {@code <type> <base64>}. */
    public String line() {
        return type + " " + Base64.getEncoder().encodeToString(blob);
    }

    /** True when {@code other} is the same key (or certificate), byte for byte. */
    public boolean sameAs(SshPublicKey other) {
        return other != null && Arrays.equals(blob, other.blob);
    }

    /**
     * True when {@code signatureBlob} ({@code string algorithm, string signature}) is this key's
     * signature over {@code data}. RSA signatures must use SHA-2 ({@code rsa-sha2-256/512}):
     * SHA-1 {@code ssh-rsa} signatures are refused, as OpenSSH refuses them for sshsig.
     */
    public boolean verify(byte[] signatureBlob, byte[] data) {
        SshPublicKey signer = signingKey();
        SshWire.Reader in = new SshWire.Reader(signatureBlob);
        String algorithm = in.text();
        byte[] signature = in.string();
        try {
            Signature verifier;
            byte[] checked = signature;
            if (signer.type.equals(ED25519) && algorithm.equals(ED25519)) {
                verifier = Signature.getInstance("Ed25519");
            } else if (signer.type.equals(RSA) && algorithm.equals("rsa-sha2-256")) {
                verifier = Signature.getInstance("SHA256withRSA");
            } else if (signer.type.equals(RSA) && algorithm.equals("rsa-sha2-512")) {
                verifier = Signature.getInstance("SHA512withRSA");
            } else if (signer.type.startsWith("ecdsa-sha2-") && algorithm.equals(signer.type)) {
                verifier = Signature.getInstance(switch (signer.type) {
                    case "ecdsa-sha2-nistp256" -> "SHA256withECDSA";
                    case "ecdsa-sha2-nistp384" -> "SHA384withECDSA";
                    default -> "SHA512withECDSA";
                });
                checked = ecdsaDer(signature);
            } else {
                return false;
            }
            verifier.initVerify(signer.key);
            verifier.update(data);
            return verifier.verify(checked);
        } catch (GeneralSecurityException | SshFormatException e) {
            return false; // a malformed signature is simply not a valid one
        }
    }

    /** OpenSSH's ECDSA signature ({@code mpint r, mpint s}) as the DER SEQUENCE the JDK verifies. */
    private static byte[] ecdsaDer(byte[] signature) {
        SshWire.Reader in = new SshWire.Reader(signature);
        byte[] r = in.mpint().toByteArray();
        byte[] s = in.mpint().toByteArray();
        byte[] body = concat(derInteger(r), derInteger(s));
        return concat(derHeader(0x30, body.length), body);
    }

    private static byte[] derInteger(byte[] value) {
        return concat(derHeader(0x02, value.length), value);
    }

    private static byte[] derHeader(int tag, int length) {
        if (length < 128) {
            return new byte[] {(byte) tag, (byte) length};
        }
        if (length < 256) {
            return new byte[] {(byte) tag, (byte) 0x81, (byte) length};
        }
        return new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public String toString() {
        return kind() + " " + fingerprint();
    }

    /** Quoting for messages, shortened: keys and lines can be long. */
    static final class Quote {
        private Quote() {
        }

        static String of(String text) {
            String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
            return "'" + shown + "'";
        }
    }
}
