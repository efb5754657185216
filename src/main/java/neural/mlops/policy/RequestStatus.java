package neural.mlops.policy;

import java.util.Locale;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;

/** Where a promotion request stands, written in lowercase in its document. */
public enum RequestStatus {
    /** Waiting for approvals. */
    OPEN,
    /** The last required approval was given and the promotion carried out. */
    APPROVED,
    /** A permitted user turned it down. */
    REJECTED,
    /** The requester took it back. */
    WITHDRAWN;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RequestStatus parse(String text) {
        for (RequestStatus status : values()) {
            if (status.value().equals(text)) {
                return status;
            }
        }
        throw new InvalidInputException("Unknown request status " + Names.quote(text)
                + "; expected open, approved, rejected or withdrawn");
    }

    @Override
    public String toString() {
        return value();
    }
}
