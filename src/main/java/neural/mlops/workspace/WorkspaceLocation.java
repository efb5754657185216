package neural.mlops.workspace;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.store.storage.S3Location;
import neural.mlops.store.storage.S3Settings;
import neural.mlops.store.storage.S3Storage;
import neural.mlops.store.storage.Storage;

/**
 * Where a workspace is (SPEC 9): a folder, or a prefix in an S3-compatible bucket with the same key
 * layout. Accepted wherever a workspace is named: {@code --workspace}, {@link Workspace#open(URI, String)},
 * the desktop's Open Remote Workspace and its Recent Workspaces. A bucket location may carry the
 * endpoint and AWS profile a user chose in the desktop; credentials are never part of it.
 */
public sealed interface WorkspaceLocation {

    /** A folder on this machine or a mounted drive. */
    record Folder(Path path) implements WorkspaceLocation {
        public Folder {
            path = path.toAbsolutePath().normalize();
        }

        @Override
        public Storage openStorage() {
            return new LocalStorage(path);
        }

        @Override
        public String displayName() {
            Path name = path.getFileName();
            return name == null ? path.toString() : name.toString();
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /**
     * A prefix in a bucket.
     *
     * @param location bucket and prefix
     * @param endpoint the endpoint typed in the desktop, else empty (the standard variables decide)
     * @param profile the AWS profile chosen in the desktop, else empty ({@code AWS_PROFILE} decides)
     */
    record Bucket(S3Location location, Optional<String> endpoint, Optional<String> profile) implements WorkspaceLocation {
        public Bucket {
            endpoint = endpoint.filter(text -> !text.isBlank()).map(String::strip);
            profile = profile.filter(text -> !text.isBlank()).map(String::strip);
            settings(System.getenv(), endpoint, profile); // a bad endpoint or profile is refused here, not at the first read
        }

        @Override
        public Storage openStorage() {
            return S3Storage.open(location, settings(System.getenv(), endpoint, profile));
        }

        @Override
        public String displayName() {
            String prefix = location.prefix();
            if (prefix.isEmpty()) {
                return location.bucket();
            }
            String trimmed = prefix.substring(0, prefix.length() - 1);
            return trimmed.substring(trimmed.lastIndexOf('/') + 1);
        }

        /** The location as {@code s3://bucket/prefix}, without endpoint or profile. */
        @Override
        public String toString() {
            return location.toString();
        }

        private static S3Settings settings(Map<String, String> environment, Optional<String> endpoint,
                                           Optional<String> profile) {
            return S3Settings.fromEnvironment(environment).with(endpoint.orElse(null), profile.orElse(null), environment);
        }
    }

    /** The location's storage, opened now (for a bucket: a client from the SDK's default chains). */
    Storage openStorage();

    /** A short name for titles and lists: the folder's name, the prefix's last segment or the bucket. */
    String displayName();

    /** True for a bucket. */
    default boolean isRemote() {
        return this instanceof Bucket;
    }

    /** {@code s3://bucket/prefix} or a folder path, as typed by a user. */
    static WorkspaceLocation parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("No workspace was given; name a folder or s3://bucket/prefix");
        }
        if (S3Location.isS3(text.strip())) {
            return new Bucket(S3Location.parse(text.strip()), Optional.empty(), Optional.empty());
        }
        try {
            return new Folder(Path.of(text));
        } catch (InvalidPathException e) {
            throw new InvalidInputException("The workspace " + Names.quote(text) + " is not a folder path ("
                    + e.getReason() + ") nor an s3://bucket/prefix location", e);
        }
    }

    /** {@code s3://bucket/prefix} or a {@code file:} URI. */
    static WorkspaceLocation of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (scheme.equalsIgnoreCase("s3")) {
            return parse(uri.toString());
        }
        if (scheme.equalsIgnoreCase("file")) {
            return new Folder(Path.of(uri));
        }
        throw new InvalidInputException("The workspace URI " + Names.quote(uri.toString())
                + " is neither s3://bucket/prefix nor a file: URI");
    }
}
