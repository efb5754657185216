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
 * Adobe S3Mock in this JVM, a real S3 server on 127.0.0.1 for the storage tests: started once per
 * test class (it takes seconds), any credentials, a fixed region, one bucket.
 */
final class S3MockServer implements AutoCloseable {

    static final String BUCKET = "workspace";
    static final Region REGION = Region.EU_CENTRAL_1;

    private final S3MockApplication application;
    private final URI endpoint;

    private S3MockServer(S3MockApplication application) {
        this.application = application;
        this.endpoint = URI.create("http://127.0.0.1:" + application.getHttpPort());
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

    URI endpoint() {
        return endpoint;
    }

    /** A client as a user's would be, with test credentials (the server accepts any). */
    S3Client newClient() {
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
