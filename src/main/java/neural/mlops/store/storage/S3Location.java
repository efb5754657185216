package neural.mlops.store.storage;

import java.util.Locale;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;

/**
 * A workspace in a bucket, {@code s3://bucket/prefix}: the bucket and the key prefix under which
 * the SPEC 2 layout lives ({@code ""} for the bucket's root, else ending in {@code /}).
 *
 * @param bucket a valid S3 bucket name
 * @param prefix {@code ""} or a key-like path ending in {@code /}
 */
public record S3Location(String bucket, String prefix) {

    private static final String SCHEME = "s3://";

    public S3Location {
        requireBucket(bucket, SCHEME + bucket);
        if (!prefix.isEmpty() && !Key.folder(prefix).equals(prefix)) {
            throw new InvalidInputException("The prefix " + Names.quote(prefix) + " must be \"\" or end with '/'");
        }
    }

    /** True when {@code text} is meant as a bucket location rather than a folder. */
    public static boolean isS3(String text) {
        return text != null && text.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * Parses {@code s3://bucket} or {@code s3://bucket/some/prefix[/]}; anything else is refused with
     * a message that says what is wrong and what a valid location looks like.
     */
    public static S3Location parse(String text) {
        if (!isS3(text)) {
            throw invalid(text, "it does not start with s3://");
        }
        String rest = text.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw invalid(text, "it names no bucket");
        }
        if (bucket.contains("@") || bucket.contains(":")) {
            throw invalid(text, "credentials and ports do not belong in it; they come from the AWS configuration "
                    + "(AWS_PROFILE, AWS_ENDPOINT_URL_S3)");
        }
        if (path.contains("?") || path.contains("#")) {
            throw invalid(text, "it has a query or fragment ('?' or '#')");
        }
        requireBucket(bucket, text);
        try {
            return new S3Location(bucket, Key.folder(path));
        } catch (InvalidInputException e) {
            throw new InvalidInputException("Invalid workspace location " + Names.quote(text) + ": the prefix "
                    + Names.quote(path) + " is not a plain path (" + e.getMessage() + ")", e);
        }
    }

    /** The full key of an object of the workspace. */
    String objectKey(Key key) {
        return prefix + key.value();
    }

    @Override
    public String toString() {
        return prefix.isEmpty() ? SCHEME + bucket : SCHEME + bucket + "/" + prefix.substring(0, prefix.length() - 1);
    }

    /** S3's rules for a bucket name (3 to 63 lowercase letters, digits, '.', '-'; not like an IP address). */
    private static void requireBucket(String bucket, String text) {
        if (bucket == null || bucket.length() < 3 || bucket.length() > 63) {
            throw invalid(text, "a bucket name has 3 to 63 characters");
        }
        if (!bucket.equals(bucket.toLowerCase(Locale.ROOT)) || !bucket.matches("[a-z0-9][a-z0-9.-]*[a-z0-9]")) {
            throw invalid(text, "a bucket name has only lowercase letters, digits, '.' and '-', and starts and "
                    + "ends with a letter or digit");
        }
        if (bucket.contains("..") || bucket.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            throw invalid(text, "a bucket name has no '..' and is not an IP address");
        }
    }

    private static InvalidInputException invalid(String text, String reason) {
        return new InvalidInputException("Invalid workspace location " + Names.quote(String.valueOf(text)) + ": "
                + reason + "; expected s3://bucket or s3://bucket/prefix");
    }
}
