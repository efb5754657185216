package neural.mlops.store.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import neural.mlops.store.AtomicFiles;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

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

    /**
     * How long the leases of the CLI processes that {@link #cliJvmOptions} starts last on S3: short,
     * so that a killed writer's lease has expired 13 s later (with the 10 s allowed for clock skew).
     */
    public static final int CLI_LEASE_SECONDS = 3;

    /** The CLI's {@code --workspace} for a workspace storage made by {@link #create}: its folder or its {@code s3://} location. */
    public static String workspaceArgument(Storage storage) {
        if (storage instanceof LocalStorage local) {
            return local.root().toString();
        }
        S3Location location = ((S3Storage) storage).s3Location();
        return "s3://" + location.bucket() + "/" + location.prefix().replaceAll("/$", "");
    }

    /** The environment that lets a CLI process reach {@code storage}: the S3 test server's, nothing for a folder. */
    public static Map<String, String> cliEnvironment(Storage storage) {
        return storage instanceof S3Storage ? S3MockServer.shared().environment() : Map.of();
    }

    /** The JVM options of such a process: its leases last {@value #CLI_LEASE_SECONDS} s, through the documented property. */
    public static List<String> cliJvmOptions(Storage storage) {
        return List.of("-D" + S3Storage.LEASE_SECONDS + "=" + CLI_LEASE_SECONDS);
    }

    /**
     * Keeps every other process from committing a write to {@code storage} until closed, as another
     * writer holding the folder's lock does: an upload then streams its whole temporary file and
     * waits to rename it, under way for as long as this is held. On S3 nothing is held: the parts
     * of a large upload take long enough to see it under way.
     */
    public static AutoCloseable holdCommits(Storage storage) throws IOException {
        if (!(storage instanceof LocalStorage local)) {
            return () -> { };
        }
        Path lockFile = local.root().resolve(Key.RESERVED).resolve("storage.lock");
        Files.createDirectories(lockFile.getParent());
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.lock();
        return channel::close;
    }

    /**
     * True once an upload to {@code key} is under way, seen behind the product's back: a multipart
     * upload with a part stored (its lease is taken before the first part), or a temporary file
     * with content beside its lease file.
     */
    public static boolean uploadUnderWay(Storage storage, Key key) {
        if (storage instanceof LocalStorage local) {
            Path target = local.root().resolve(key.value());
            try (Stream<Path> files = Files.list(target.getParent())) {
                return files.anyMatch(file -> FolderUploadLease.isLease(file)
                        && file.getFileName().toString().startsWith("." + target.getFileName() + ".")
                        && sizeOf(FolderUploadLease.temporaryOf(file)) > 0);
            } catch (IOException notYet) {
                return false;
            }
        }
        S3Location location = ((S3Storage) storage).s3Location();
        try (S3Client client = S3MockServer.shared().newClient()) {
            return uploadsTo(client, location, key).stream().anyMatch(upload -> !client.listParts(parts -> parts
                    .bucket(location.bucket()).key(upload.key()).uploadId(upload.uploadId())).parts().isEmpty());
        }
    }

    /**
     * The unfinished uploads in {@code storage}, listed behind the product's back: the keys of its
     * multipart uploads, or the paths of its temporary files (but lease files), relative to it.
     */
    public static List<String> unfinishedUploads(Storage storage) {
        if (storage instanceof LocalStorage local) {
            return temporaryFiles(local, false);
        }
        S3Location location = ((S3Storage) storage).s3Location();
        try (S3Client client = S3MockServer.shared().newClient()) {
            return client.listMultipartUploadsPaginator(list -> list.bucket(location.bucket()).prefix(location.prefix()))
                    .uploads().stream().map(upload -> upload.key().substring(location.prefix().length())).toList();
        }
    }

    /** The upload leases in {@code storage}: objects under {@code .neural-mlops/uploads/}, or lease files. */
    public static List<String> uploadLeases(Storage storage) {
        if (storage instanceof LocalStorage local) {
            return temporaryFiles(local, true);
        }
        S3Location location = ((S3Storage) storage).s3Location();
        try (S3Client client = S3MockServer.shared().newClient()) {
            String prefix = location.prefix() + Key.RESERVED + "/uploads/";
            return client.listObjectsV2Paginator(list -> list.bucket(location.bucket()).prefix(prefix)).contents()
                    .stream().map(object -> object.key().substring(location.prefix().length())).toList();
        }
    }

    /**
     * Waits, at most {@code timeout}, until the leases of the uploads to {@code key} say their
     * writer is gone. A folder's say so the moment the writer's process has ended (the OS released
     * its lock); a bucket's once their time and the clock skew allowed have passed.
     */
    public static void awaitUploadLeasesExpired(Storage storage, Key key, Duration timeout) throws InterruptedException {
        if (!(storage instanceof S3Storage s3)) {
            return;
        }
        S3Location location = s3.s3Location();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (S3Client client = S3MockServer.shared().newClient()) {
            while (!uploadsTo(client, location, key).stream().allMatch(upload -> lease(client, location, upload)
                    .map(Lease::expired).orElse(true))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("The upload lease of " + key + " did not expire within " + timeout);
                }
                Thread.sleep(200); // a wait for a condition that only time brings about
            }
        }
    }

    private static List<MultipartUpload> uploadsTo(S3Client client, S3Location location, Key key) {
        String objectKey = location.prefix() + key.value();
        return client.listMultipartUploadsPaginator(list -> list.bucket(location.bucket()).prefix(objectKey))
                .uploads().stream().filter(upload -> upload.key().equals(objectKey)).toList();
    }

    private static Optional<Document> lease(S3Client client, S3Location location, MultipartUpload upload) {
        Key leaseKey = S3Storage.uploadLeaseKey(upload.uploadId());
        try {
            ResponseBytes<GetObjectResponse> bytes = client.getObjectAsBytes(get -> get.bucket(location.bucket())
                    .key(location.prefix() + leaseKey.value()));
            return Optional.of(new Document(leaseKey, bytes.asByteArray(), new Version(bytes.response().eTag())));
        } catch (NoSuchKeyException gone) {
            return Optional.empty();
        }
    }

    private static List<String> temporaryFiles(LocalStorage local, boolean leases) {
        if (!Files.isDirectory(local.root())) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(local.root())) {
            List<String> found = new ArrayList<>();
            files.filter(Files::isRegularFile)
                    .filter(file -> AtomicFiles.isTemporary(file) && FolderUploadLease.isLease(file) == leases)
                    .filter(file -> !local.root().relativize(file).startsWith(Key.RESERVED))
                    .forEach(file -> found.add(local.root().relativize(file).toString().replace('\\', '/')));
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException gone) {
            return 0;
        }
    }

    /** How many of {@code arguments} {@link #open} consumed. */
    public static int argumentCount(List<String> arguments) {
        return arguments.get(0).equals("s3") ? 4 : 2;
    }
}
