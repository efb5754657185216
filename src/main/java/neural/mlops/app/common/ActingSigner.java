package neural.mlops.app.common;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import neural.mlops.identity.Identities;
import neural.mlops.identity.Signer;
import neural.mlops.identity.SigningKey;
import neural.mlops.store.MlopsException;

/**
 * Who signs the acting user's governed actions in the desktop (issue 24), and where the key came
 * from: the key chosen in Preferences, else {@code NEURAL_MLOPS_SIGNING_KEY} (the CLI's rule,
 * {@link SigningKey}), else no one. A key file that cannot be used leaves the actions unsigned and
 * says why, rather than stopping the workspace from opening.
 *
 * @param keyFile the key file, when one is chosen
 * @param source  where it was chosen
 * @param signer  the signer the workspace is opened with ({@link Signer#NONE} when none or unusable)
 * @param problem why the chosen key cannot sign; empty when it can (or there is none)
 */
public record ActingSigner(Optional<Path> keyFile, Source source, Signer signer, Optional<String> problem) {

    /** Where the signing key came from. */
    public enum Source {
        PREFERENCE("chosen in Preferences"),
        ENVIRONMENT("from $" + SigningKey.VARIABLE),
        NONE("no signing key");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public ActingSigner {
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(problem, "problem");
    }

    /** The signer of {@code preference} (the Preferences' key), else of the key {@code environment} names. */
    public static ActingSigner resolve(Optional<Path> preference, Map<String, String> environment) {
        Optional<Path> key = SigningKey.choose(preference, environment);
        if (key.isEmpty()) {
            return new ActingSigner(key, Source.NONE, Signer.NONE, Optional.empty());
        }
        Source source = preference.isPresent() ? Source.PREFERENCE : Source.ENVIRONMENT;
        try {
            return new ActingSigner(key, source, SigningKey.signerOf(key), Optional.empty());
        } catch (MlopsException e) {
            return new ActingSigner(key, source, Signer.NONE, Optional.of(e.getMessage()));
        }
    }

    /**
     * How the acting user's signing shows in the status bar and Preferences, against the open
     * workspace's {@code identities} at {@code now}.
     */
    public SigningStatus status(String user, Identities identities, Instant now) {
        if (problem.isPresent()) {
            return new SigningStatus("unsigned: the signing key cannot be used", true);
        }
        return signer.publicKey().map(key -> identities.keyProblem(user, key, now).isEmpty()
                        ? new SigningStatus(signer.describe(user), false)
                        : new SigningStatus("key not listed for " + user, true))
                .orElseGet(() -> new SigningStatus("unsigned", false));
    }
}
