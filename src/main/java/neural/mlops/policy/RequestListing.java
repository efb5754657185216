package neural.mlops.policy;

import java.util.List;
import neural.mlops.registry.RegistryProblem;

/**
 * Promotion requests as listed, oldest first, and one problem per request document that could not
 * be read (it is reported and left untouched; the others still load).
 */
public record RequestListing(List<PromotionRequest> requests, List<RegistryProblem> problems) {

    public RequestListing {
        requests = List.copyOf(requests);
        problems = List.copyOf(problems);
    }
}
