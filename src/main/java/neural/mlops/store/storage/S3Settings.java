package neural.mlops.store.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;

/**
 * How to reach an S3-compatible server, from the standard environment variables only: the
 * endpoint from {@code AWS_ENDPOINT_URL_S3}, else {@code AWS_ENDPOINT_URL} (absent: the SDK's own
 * resolution, which includes a profile's {@code endpoint_url}, else AWS), and path-style addressing
 * when the endpoint host is an IP address or {@code localhost} (MinIO, S3Mock: no DNS per bucket),
 * forced either way by {@code NEURAL_MLOPS_S3_PATH_STYLE=true|false}. Credentials and region are
 * not here: they come from the SDK's default chains and are never read, kept or shown by the product.
 *
 * @param endpoint the endpoint to use instead of the SDK's, if any
 * @param pathStyle true for {@code https://host/bucket/key}, false for {@code https://bucket.host/key}
 * @param profile the AWS profile to take credentials, region and {@code endpoint_url} from instead of
 *                {@code AWS_PROFILE}'s (the desktop's Open Remote Workspace); only its name is kept
 */
public record S3Settings(Optional<URI> endpoint, boolean pathStyle, Optional<String> profile) {

    public S3Settings(Optional<URI> endpoint, boolean pathStyle) {
        this(endpoint, pathStyle, Optional.empty());
    }

    /**
     * These settings with the endpoint and profile a user typed (blank fields keep the
     * environment's); path style is decided again for a typed endpoint unless it was forced.
     */
    public S3Settings with(String typedEndpoint, String typedProfile, Map<String, String> environment) {
        Optional<URI> chosen = endpoint;
        boolean style = pathStyle;
        if (typedEndpoint != null && !typedEndpoint.isBlank()) {
            chosen = Optional.of(endpoint("The endpoint", typedEndpoint.strip()));
            String forced = environment.get(PATH_STYLE);
            style = forced == null || forced.isBlank() ? needsPathStyle(chosen.get()) : pathStyle;
        }
        Optional<String> named = profile;
        if (typedProfile != null && !typedProfile.isBlank()) {
            String name = typedProfile.strip();
            if (!name.matches("[A-Za-z0-9._@+=,-]{1,64}")) {
                throw new InvalidInputException("The AWS profile " + Names.quote(name) + " is not a profile name "
                        + "(letters, digits and . _ - @ + = , up to 64 characters)");
            }
            named = Optional.of(name);
        }
        return new S3Settings(chosen, style, named);
    }

    public static final String ENDPOINT_S3 = "AWS_ENDPOINT_URL_S3";
    public static final String ENDPOINT = "AWS_ENDPOINT_URL";
    public static final String PATH_STYLE = "NEURAL_MLOPS_S3_PATH_STYLE";

    /** The settings of the current process. */
    public static S3Settings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** The settings given {@code environment}; a malformed value is refused, naming the variable. */
    public static S3Settings fromEnvironment(Map<String, String> environment) {
        Optional<URI> endpoint = Optional.empty();
        for (String variable : new String[] {ENDPOINT_S3, ENDPOINT}) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                endpoint = Optional.of(endpoint(variable, value.trim()));
                break;
            }
        }
        String forced = environment.get(PATH_STYLE);
        boolean pathStyle;
        if (forced == null || forced.isBlank()) {
            pathStyle = endpoint.map(S3Settings::needsPathStyle).orElse(false);
        } else if (forced.trim().equalsIgnoreCase("true")) {
            pathStyle = true;
        } else if (forced.trim().equalsIgnoreCase("false")) {
            pathStyle = false;
        } else {
            throw new InvalidInputException(PATH_STYLE + " is " + Names.quote(forced) + "; set it to true or false, "
                    + "or unset it to decide from the endpoint");
        }
        return new S3Settings(endpoint, pathStyle);
    }

    /** A bucket cannot be a DNS label of an IP address or of localhost. */
    static boolean needsPathStyle(URI endpoint) {
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.endsWith(".localhost")
                || host.startsWith("[") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static URI endpoint(String variable, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidInputException(variable + " is not a URL (" + e.getReason() + "); expected for example "
                    + "http://127.0.0.1:9000 or https://s3.example.com", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new InvalidInputException(variable + " must be an http or https URL with a host, such as "
                    + "http://127.0.0.1:9000 or https://s3.example.com");
        }
        if (uri.getUserInfo() != null) {
            // Credentials in a URL would end up in messages and logs; they belong in the credential chain.
            throw new InvalidInputException(variable + " must not contain credentials; use AWS_PROFILE or the "
                    + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables");
        }
        return uri;
    }
}
