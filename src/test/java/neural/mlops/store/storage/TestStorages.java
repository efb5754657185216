package neural.mlops.store.storage;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The two backends as the store tests meet them: a folder, or a fresh prefix on the shared S3 test
 * server; and the same storage described as arguments for a child process (a second writer), which
 * opens it again with {@link #open(List)}.
 */
public final class TestStorages {

    /** The backends every store contract runs against. */
    public enum Backend { LOCAL, S3 }

    private TestStorages() {
    }

    /** A new, empty workspace storage: under {@code folder} for LOCAL, a fresh prefix for S3. */
    public static Storage create(Backend backend, Path folder) {
        return switch (backend) {
            case LOCAL -> new LocalStorage(folder);
            case S3 -> S3MockServer.shared().newWorkspace();
        };
    }

    /** Arguments from which {@link #open(List)} opens {@code storage} again in another process. */
    public static List<String> arguments(Storage storage) {
        if (storage instanceof LocalStorage local) {
            return List.of("local", local.root().toString());
        }
        if (storage instanceof S3Storage s3) {
            S3Location location = s3.s3Location();
            return List.of("s3", S3MockServer.shared().endpoint().toString(), location.bucket(), location.prefix());
        }
        throw new IllegalArgumentException("Not a workspace storage of the tests: " + storage.location());
    }

    /** Opens the storage that {@link #arguments} described (the first two or four arguments). */
    public static Storage open(List<String> arguments) {
        return switch (arguments.get(0)) {
            case "local" -> new LocalStorage(Path.of(arguments.get(1)));
            case "s3" -> new S3Storage(S3MockServer.client(URI.create(arguments.get(1))),
                    new S3Location(arguments.get(2), arguments.get(3)), S3Storage.MIN_PART_BYTES);
            default -> throw new IllegalArgumentException("Unknown backend " + arguments.get(0));
        };
    }

    /** How many of {@code arguments} {@link #open} consumed. */
    public static int argumentCount(List<String> arguments) {
        return arguments.get(0).equals("s3") ? 4 : 2;
    }
}
