package neural.mlops.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import neural.mlops.store.InvalidInputException;

/**
 * Signs with an SSH key file through {@code ssh-keygen -Y sign -n neural-mlops -f KEY} (issue 24
 * allows ssh-keygen for signing; verifying never shells out). Signing through ssh-keygen handles
 * every key type, passphrase-protected keys (it asks on the terminal) and keys held by the
 * ssh-agent (give the {@code .pub} file or a certificate, and the agent signs). The public key is
 * read from the file itself: a {@code .pub} file or certificate, or the clear header of an OpenSSH
 * private key.
 */
public final class KeyFileSigner implements Signer {

    /** Generous for a passphrase typed at the terminal; a hung ssh-keygen must not hang the tool for ever. */
    static final long TIMEOUT_SECONDS = 120;
    private static final String PRIVATE_BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private static final String PRIVATE_END = "-----END OPENSSH PRIVATE KEY-----";
    private static final byte[] PRIVATE_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

    private final Path keyFile;
    private final String sshKeygen;
    private final SshPublicKey publicKey;

    /** Signs with {@code keyFile}, running {@code ssh-keygen} from the PATH. */
    public KeyFileSigner(Path keyFile) {
        this(keyFile, "ssh-keygen");
    }

    /**
     * Signs with {@code keyFile} through the program {@code sshKeygen}. Reads the public key now:
     * a file that is missing or is not an OpenSSH key is refused here, before anything is signed.
     */
    public KeyFileSigner(Path keyFile, String sshKeygen) {
        this.keyFile = Objects.requireNonNull(keyFile, "keyFile").toAbsolutePath();
        this.sshKeygen = Objects.requireNonNull(sshKeygen, "sshKeygen");
        this.publicKey = readPublicKey(this.keyFile);
    }

    public Path keyFile() {
        return keyFile;
    }

    @Override
    public Optional<SshPublicKey> publicKey() {
        return Optional.of(publicKey);
    }

    /** The public key (or certificate) of an OpenSSH key file, a .pub file or a certificate file. */
    static SshPublicKey readPublicKey(Path file) {
        String text;
        try {
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException("The signing key " + file + " is not a file; give the path of an "
                        + "SSH private key (or of its .pub file when the ssh-agent holds it)");
            }
            if (Files.size(file) > 64 * 1024) {
                throw new InvalidInputException("The signing key " + file + " is larger than any SSH key file");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot read the signing key " + file + ": " + e.getMessage(), e);
        }
        try {
            String body = text.strip();
            if (body.startsWith(PRIVATE_BEGIN)) {
                return privateKeyHeader(body);
            }
            if (body.startsWith("-----BEGIN")) {
                throw new SshFormatException("it is a PEM private key; convert it with ssh-keygen -p -f KEY "
                        + "(which writes the OpenSSH format), or give its .pub file");
            }
            return SshPublicKey.parseLine(body.lines().findFirst().orElse(""));
        } catch (SshFormatException e) {
            throw new InvalidInputException("The signing key " + file + " is not an OpenSSH key: " + e.getMessage(), e);
        }
    }

    /** The first public key of an {@code openssh-key-v1} private key, which is stored in clear even when the key is encrypted. */
    private static SshPublicKey privateKeyHeader(String armored) {
        int end = armored.indexOf(PRIVATE_END);
        if (end < 0) {
            throw new SshFormatException("the private key has no " + PRIVATE_END + " line");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(armored.substring(PRIVATE_BEGIN.length(), end).replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw new SshFormatException("the private key is not valid base64", e);
        }
        if (blob.length < PRIVATE_MAGIC.length || !Arrays.equals(Arrays.copyOf(blob, PRIVATE_MAGIC.length), PRIVATE_MAGIC)) {
            throw new SshFormatException("the private key is not in the openssh-key-v1 format");
        }
        SshWire.Reader in = new SshWire.Reader(Arrays.copyOfRange(blob, PRIVATE_MAGIC.length, blob.length));
        in.string(); // cipher
        in.string(); // kdf
        in.string(); // kdf options
        if (in.uint32() < 1) {
            throw new SshFormatException("the private key file holds no key");
        }
        return SshPublicKey.parse(in.string());
    }

    @Override
    public Optional<SshSignature> sign(byte[] message) {
        List<String> command = List.of(sshKeygen, "-Y", "sign", "-n", SshSignature.NAMESPACE, "-f", keyFile.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new InvalidInputException("Cannot sign with " + keyFile + ": " + sshKeygen + " cannot be run ("
                    + e.getMessage() + "); install OpenSSH's ssh-keygen (package openssh-client) or put it on the PATH", e);
        }
        try {
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            try (OutputStream in = process.getOutputStream()) {
                in.write(message);
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new InvalidInputException("Signing with " + keyFile + " did not finish within "
                        + TIMEOUT_SECONDS + " s; ssh-keygen may be waiting for a passphrase no one can type");
            }
            String errors = new String(err.join(), StandardCharsets.UTF_8).strip()
                    .replace("Signing data on standard input", "").strip();
            if (process.exitValue() != 0) {
                throw new InvalidInputException("Could not sign with " + keyFile + ": ssh-keygen failed (status "
                        + process.exitValue() + (errors.isEmpty() ? "" : ": " + errors) + ")");
            }
            SshSignature signature = SshSignature.parse(new String(out.join(), StandardCharsets.UTF_8));
            if (!signature.publicKey().sameAs(publicKey)) {
                throw new InvalidInputException("ssh-keygen signed with " + signature.publicKey() + ", not with "
                        + publicKey + " of " + keyFile);
            }
            return Optional.of(signature);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new InvalidInputException("Could not sign with " + keyFile + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InvalidInputException("Signing with " + keyFile + " was interrupted", e);
        }
    }

    private static byte[] readAll(InputStream stream) {
        try (stream) {
            return stream.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
