package neural.mlops.identity;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which key signs the acting user's governed actions, the one rule the CLI and the desktop share:
 * the key chosen for this run ({@code --sign-with}, or the desktop's preference), else the one
 * named by {@value #VARIABLE}, else none. A {@code .pub} file or a certificate means the
 * ssh-agent signs ({@link KeyFileSigner}).
 */
public final class SigningKey {

    /** The variable naming the signing key when none is chosen (issue 24). */
    public static final String VARIABLE = "NEURAL_MLOPS_SIGNING_KEY";

    private SigningKey() {
    }

    /** {@code chosen} when there is one, else the key file {@code environment} names, else none. */
    public static Optional<Path> choose(Optional<Path> chosen, Map<String, String> environment) {
        if (chosen.isPresent()) {
            return chosen;
        }
        String variable = environment.get(VARIABLE);
        return variable == null || variable.isBlank() ? Optional.empty() : Optional.of(Path.of(variable.strip()));
    }

    /**
     * The signer of {@code key}, or {@link Signer#NONE} when there is none. A key file that is
     * missing or is not an OpenSSH key is refused here with a message naming it.
     */
    public static Signer signerOf(Optional<Path> key) {
        return key.<Signer>map(KeyFileSigner::new).orElse(Signer.NONE);
    }
}
