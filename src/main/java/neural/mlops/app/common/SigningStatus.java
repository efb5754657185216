package neural.mlops.app.common;

import java.util.Objects;

/**
 * The acting user's signing as people see it: "signed as alice (ed25519 SHA256:...)", "key not
 * listed for alice" or "unsigned".
 *
 * @param text    what the status bar and Preferences say
 * @param warning true when the key will not be accepted (shown in the warning colour)
 */
public record SigningStatus(String text, boolean warning) {

    /** Before a workspace is open, or while its identities are read. */
    public static final SigningStatus NONE = new SigningStatus("", false);

    public SigningStatus {
        Objects.requireNonNull(text, "text");
    }
}
