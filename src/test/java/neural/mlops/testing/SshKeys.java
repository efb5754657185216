package neural.mlops.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SSH keys and certificates made by OpenSSH's own {@code ssh-keygen} (Debian's openssh-client),
 * so the tests verify what real users sign with. When ssh-keygen is missing the tests fail with
 * this message rather than skip: signed identities would otherwise go untested.
 */
public final class SshKeys {

    private final Path folder;

    public SshKeys(Path folder) {
        this.folder = folder;
    }

    /** A new unencrypted key: {@code type} ed25519, ecdsa or rsa; {@code bits} 0 for the default. Returns the private key file. */
    public Path generate(String name, String type, int bits) {
        Path key = folder.resolve(name);
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f",
                key.toString()));
        if (bits > 0) {
            command.addAll(List.of("-b", Integer.toString(bits)));
        }
        run(command, null);
        return key;
    }

    /** The .pub line of {@code key}: {@code <type> <base64> <comment>}. */
    public String publicLine(Path key) {
        try {
            return Files.readString(Path.of(key + ".pub"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + key + ".pub", e);
        }
    }

    /** {@code SHA256:...} of {@code key}, as {@code ssh-keygen -l} prints it. */
    public String fingerprint(Path key) {
        return run(List.of("ssh-keygen", "-l", "-f", key + ".pub"), null).split("\\s+")[1];
    }

    /** Certifies {@code key} with {@code authority} for {@code principals}, valid {@code validity} (ssh-keygen -V). Returns the certificate file. */
    public Path certify(Path authority, Path key, String principals, String validity) {
        run(List.of("ssh-keygen", "-q", "-s", authority.toString(), "-I", "id-" + key.getFileName(), "-n", principals,
                "-V", validity, key + ".pub"), null);
        return Path.of(key + "-cert.pub");
    }

    /** {@code ssh-keygen -Y sign} of {@code message} in {@code namespace} with {@code key}: the armored signature. */
    public String sign(Path key, String namespace, byte[] message) {
        return run(List.of("ssh-keygen", "-Y", "sign", "-n", namespace, "-f", key.toString()), message);
    }

    private static String run(List<String> command, byte[] input) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(input == null).start();
        } catch (IOException e) {
            throw new AssertionError("ssh-keygen is needed by the signed-identity tests and cannot be run ("
                    + e.getMessage() + "); install openssh-client (apt-get install openssh-client)", e);
        }
        try {
            try (var in = process.getOutputStream()) {
                if (input != null) {
                    in.write(input);
                }
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", command) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
