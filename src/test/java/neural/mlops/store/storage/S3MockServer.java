package neural.mlops.store.storage;

import com.adobe.testing.s3mock.S3MockApplication;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Adobe S3Mock in this JVM, a real S3 server on 127.0.0.1 for the tests: {@link #shared()} is
 * started once for the whole test run (it takes seconds) and stopped when the JVM ends; any
 * credentials, a fixed region, one bucket. Each test takes a prefix of its own
 * ({@link #newWorkspace()}), as separate workspaces in one team bucket would.
 */
public final class S3MockServer implements AutoCloseable {

    public static final String BUCKET = "workspace";
    static final Region REGION = Region.EU_CENTRAL_1;

    private static S3MockServer shared;

    private final S3MockApplication application;
    private final URI endpoint;

    private S3MockServer(S3MockApplication application) {
        this.application = application;
        this.endpoint = URI.create("http://127.0.0.1:" + application.getHttpPort());
    }

    /** The server of the whole test run, started at the first call. */
    public static synchronized S3MockServer shared() {
        if (shared == null) {
            try {
                // Under the build's folder (target/), where the run's other files are; removed at the JVM's end.
                Path home = Path.of(System.getProperty("neural.mlops.home", "target/test-home"));
                java.nio.file.Files.createDirectories(home);
                Path root = java.nio.file.Files.createTempDirectory(home, "s3mock-");
                S3MockServer started = start(root);
                shared = started;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.close();
                    deleteQuietly(root);
                }, "s3mock-stop"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return shared;
    }

    private static void deleteQuietly(Path root) {
        try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // Under target/: the next clean removes it.
        }
    }

    /** A fresh, empty workspace location in the bucket, as a storage with the smallest parts S3 allows. */
    public S3Storage newWorkspace() {
        return open(new S3Location(BUCKET, "teams/" + java.util.UUID.randomUUID() + "/"));
    }

    /** The storage at {@code location} on this server, as another process would open it. */
    public S3Storage open(S3Location location) {
        return new S3Storage(newClient(), location, S3Storage.MIN_PART_BYTES);
    }

    /**
     * The environment that makes a child process (the CLI, a worker) reach this server through the
     * product's own configuration: endpoint, region and test credentials.
     */
    public Map<String, String> environment() {
        return Map.of(S3Settings.ENDPOINT_S3, endpoint.toString(), "AWS_REGION", REGION.id(),
                "AWS_ACCESS_KEY_ID", "test-key", "AWS_SECRET_ACCESS_KEY", "test-secret");
    }

    /**
     * Makes this JVM's product code reach this server through its own configuration, as a user's
     * would: the SDK's default chains read these system properties first. Undone by {@link #forgetDefaultChain}.
     */
    public static void becomeTheDefaultChain() {
        DEFAULT_CHAIN.forEach(System::setProperty);
        System.setProperty("aws.endpointUrlS3", shared().endpoint().toString());
    }

    public static void forgetDefaultChain() {
        DEFAULT_CHAIN.keySet().forEach(System::clearProperty);
        System.clearProperty("aws.endpointUrlS3");
    }

    private static final Map<String, String> DEFAULT_CHAIN = Map.of("aws.region", REGION.id(),
            "aws.accessKeyId", "test-key", "aws.secretAccessKey", "test-secret");

    /** A new bucket location for a workspace, with this server as its endpoint (what a desktop user types). */
    public neural.mlops.workspace.WorkspaceLocation.Bucket newLocation() {
        return new neural.mlops.workspace.WorkspaceLocation.Bucket(
                new S3Location(BUCKET, "teams/" + java.util.UUID.randomUUID() + "/"),
                java.util.Optional.of(endpoint.toString()), java.util.Optional.empty());
    }

    static S3MockServer start(Path root) {
        // The product's class path has slf4j-nop, so Logback is not SLF4J's provider here: Spring Boot
        // would refuse to start over that. The server's log is not wanted in the tests' output anyway.
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        S3MockApplication application = S3MockApplication.start(new java.util.HashMap<>(Map.of(
                S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_INITIAL_BUCKETS, BUCKET,
                S3MockApplication.PROP_ROOT_DIRECTORY, root.toString(),
                S3MockApplication.PROP_SILENT, true,
                "server.address", "127.0.0.1",
                "spring.main.sources", S3MockAdjustments.class.getName(),
                "com.adobe.testing.s3mock.region", REGION.id())));
        return new S3MockServer(application);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client as a user's would be, with test credentials (the server accepts any). */
    public S3Client newClient() {
        return client(endpoint);
    }

    static S3Client client(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-key", "test-secret")))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    @Override
    public void close() {
        application.stop();
    }
}
