package neural.mlops.identity;

import neural.mlops.store.InvalidInputException;

/** A key, certificate, signature or allowed_signers line that is not what OpenSSH writes. */
public final class SshFormatException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    public SshFormatException(String message) {
        super(message);
    }

    public SshFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
