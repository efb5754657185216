package neural.mlops.store.storage;

import java.nio.file.Path;
import neural.mlops.store.InvalidInputException;

/**
 * Opens a workspace location as typed by a user ({@code --workspace}, the desktop, the API): an
 * {@code s3://bucket/prefix} location is a bucket reached with the SDK's default credential and
 * region chains and the endpoint of the standard environment variables ({@link S3Settings}); any
 * other text is a folder.
 */
public final class Storages {

    private Storages() {
    }

    /** True when {@code location} names a bucket rather than a folder. */
    public static boolean isRemote(String location) {
        return S3Location.isS3(location);
    }

    /** The storage at {@code location}; a malformed location is refused with what a valid one looks like. */
    public static Storage open(String location) {
        if (location == null || location.isBlank()) {
            throw new InvalidInputException("No workspace location was given; name a folder or s3://bucket/prefix");
        }
        if (isRemote(location)) {
            return S3Storage.open(S3Location.parse(location.strip()), S3Settings.fromEnvironment());
        }
        return new LocalStorage(Path.of(location));
    }
}
