package neural.mlops.policy;

import java.util.Locale;
import neural.mlops.store.Enums;
import neural.mlops.store.Valued;

/** Where a promotion request stands, written in lowercase in its document. */
public enum RequestStatus implements Valued {
    /** Waiting for approvals. */
    OPEN,
    /** The last required approval was given and the promotion carried out. */
    APPROVED,
    /** A permitted user turned it down. */
    REJECTED,
    /** The requester took it back. */
    WITHDRAWN;

    @Override
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RequestStatus parse(String text) {
        return Enums.parse(RequestStatus.class, text, "request status");
    }

    @Override
    public String toString() {
        return value();
    }
}
