package neural.mlops.app.audit;

import java.util.Optional;
import neural.mlops.audit.ChainHead;

/**
 * Where the chain head last verified intact is kept per workspace between runs (the desktop's
 * preferences), so opening a workspace verifies only the events appended since.
 */
public interface VerifiedHeads {

    Optional<ChainHead> get(String workspace);

    void put(String workspace, ChainHead head);
}
