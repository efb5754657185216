package neural.mlops.deployment;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;
import neural.mlops.store.SingleLine;

/** The rule for endpoints (SPEC 3.2): absolute http or https URLs with a host, and nothing else. */
final class Endpoints {

    static final int MAX_LENGTH = 2048;
    private static final String EXAMPLE = "give an http or https URL such as http://localhost:8080/predict";

    private Endpoints() {
    }

    /** The endpoint as a URI, or an {@link InvalidInputException} naming the value and the broken rule. */
    static URI require(String text) {
        String problem = problem(text);
        if (problem != null) {
            throw new InvalidInputException("Invalid endpoint " + Names.quote(text) + ": " + problem + "; " + EXAMPLE);
        }
        return URI.create(text);
    }

    /** What is wrong with {@code text} as an endpoint, or null when nothing is. */
    static String problem(String text) {
        if (text == null || text.isEmpty()) {
            return "it is empty";
        }
        if (text.length() > MAX_LENGTH) {
            return "it is longer than " + MAX_LENGTH + " characters";
        }
        if (text.codePoints().anyMatch(cp -> Character.isWhitespace(cp) || SingleLine.isRefused(cp))) {
            return "it contains spaces, control characters or invisible formatting characters";
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return "it is not a valid URL (" + e.getReason() + ")";
        }
        return problem(uri);
    }

    private static String problem(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null) {
            return "it is not an absolute URL";
        }
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (!lower.equals("http") && !lower.equals("https")) {
            return "only http and https URLs are allowed, not " + scheme;
        }
        if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
            return "it has no valid host";
        }
        if (uri.getRawUserInfo() != null) {
            // The endpoint is copied into documents and audit events: credentials must not be.
            return "it must not contain a user name or password";
        }
        if (uri.getPort() > 65535) {
            return "port " + uri.getPort() + " is out of range";
        }
        return null;
    }

    /**
     * The health probe's URL: {@code healthPath} (a path, or a full URL) resolved against the
     * endpoint, or the endpoint itself when there is none.
     */
    static URI healthUrl(URI endpoint, Object healthPath) {
        if (healthPath == null) {
            return endpoint;
        }
        if (!(healthPath instanceof String path) || path.isBlank()) {
            throw new InvalidInputException("Invalid config." + Deployment.HEALTH_PATH + " " + Names.quote(String.valueOf(healthPath))
                    + ": expected a path such as /health");
        }
        String problem;
        URI resolved = null;
        try {
            resolved = endpoint.resolve(new URI(path));
            problem = path.codePoints().anyMatch(cp -> Character.isWhitespace(cp) || SingleLine.isRefused(cp))
                    ? "it contains spaces, control characters or invisible formatting characters" : problem(resolved);
        } catch (URISyntaxException | IllegalArgumentException e) {
            problem = "it is not a valid path";
        }
        if (problem != null) {
            throw new InvalidInputException("Invalid config." + Deployment.HEALTH_PATH + " " + Names.quote(path)
                    + " for endpoint " + endpoint + ": " + problem + "; expected a path such as /health");
        }
        return resolved;
    }
}
