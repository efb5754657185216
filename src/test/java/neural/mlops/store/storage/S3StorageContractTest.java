package neural.mlops.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The storage contract on a real S3 server (S3Mock in this JVM, shared by the test run); each
 * test has a prefix of its own in the one bucket, as a workspace would.
 */
class S3StorageContractTest extends StorageContract {

    private static S3MockServer server;
    private static S3Client inspector;

    private String prefix;

    @BeforeAll
    static void startServer() {
        server = S3MockServer.shared();
        inspector = server.newClient();
    }

    @AfterAll
    static void stopServer() {
        if (inspector != null) {
            inspector.close();
        }
    }

    @Override
    protected Storage openStorage() {
        if (prefix == null) { // one workspace per test; later calls open it again, as another process would
            prefix = "teams/" + UUID.randomUUID() + "/";
        }
        // The smallest parts S3 allows, so that the contract's large upload has three of them.
        return new S3Storage(server.newClient(), new S3Location(S3MockServer.BUCKET, prefix), S3Storage.MIN_PART_BYTES);
    }

    @Override
    protected List<String> childArguments() {
        return List.of("s3", server.endpoint().toString(), S3MockServer.BUCKET, prefix);
    }

    /**
     * S3Mock 4.7.0 deletes the object at a key when a multipart upload to that key is aborted
     * (checked here: put x, start an upload to x, abort it, x is gone); AWS S3 does not.
     */
    @Override
    protected boolean abortingAnUploadKeepsTheObjectAtItsKey() {
        return false;
    }

    @Override
    protected void startUnfinishedUpload(Key key) {
        String objectKey = prefix + key.value();
        String uploadId = inspector.createMultipartUpload(create -> create.bucket(S3MockServer.BUCKET).key(objectKey))
                .uploadId();
        inspector.uploadPart(part -> part.bucket(S3MockServer.BUCKET).key(objectKey).uploadId(uploadId).partNumber(1),
                software.amazon.awssdk.core.sync.RequestBody.fromString("the first part of a model"));
    }

    @Override
    protected void startUploadOfADeadWriter(Key key) {
        startLeasedUpload(key, "2020-01-01T00:00:00Z dead-owner ci-runner-7");
    }

    @Override
    protected AutoCloseable startUploadOfALiveWriter(Key key) {
        startLeasedUpload(key, java.time.Instant.now().plusSeconds(600) + " live-owner ci-runner-8");
        return () -> { };
    }

    /** An upload with one part and a lease saying {@code lease}, as {@link S3Storage} writes them. */
    private void startLeasedUpload(Key key, String lease) {
        String objectKey = prefix + key.value();
        String uploadId = inspector.createMultipartUpload(create -> create.bucket(S3MockServer.BUCKET).key(objectKey))
                .uploadId();
        inspector.putObject(put -> put.bucket(S3MockServer.BUCKET).key(prefix + S3Storage.uploadLeaseKey(uploadId).value()),
                software.amazon.awssdk.core.sync.RequestBody.fromString(lease));
        inspector.uploadPart(part -> part.bucket(S3MockServer.BUCKET).key(objectKey).uploadId(uploadId).partNumber(1),
                software.amazon.awssdk.core.sync.RequestBody.fromString("the first part of a model"));
    }

    @Test
    void aLeaseTimeIsTakenFromItsPropertyAndABadOneIsRefusedNamingIt() {
        assertThat(S3Storage.leaseTtl(null)).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(S3Storage.leaseTtl(" 45 ")).isEqualTo(java.time.Duration.ofSeconds(45));
        for (String bad : List.of("2", "3601", "soon", "1.5")) {
            assertThatThrownBy(() -> S3Storage.leaseTtl(bad))
                    .isInstanceOf(neural.mlops.store.InvalidInputException.class)
                    .hasMessageContaining(S3Storage.LEASE_SECONDS).hasMessageContaining("3 to 3600");
        }
    }

    @Test
    void anUploadWhoseLeaseWasBrokenAsExpiredStopsSayingSoAndStoresNothing() {
        Storage stalled = new S3Storage(server.newClient(), new S3Location(S3MockServer.BUCKET, prefix),
                S3Storage.MIN_PART_BYTES);
        byte[] model = new byte[LARGE_BYTES];
        try (stalled) {
            assertThatThrownBy(() -> stalled.upload(key("models/models/m/v1/model.pt"),
                    new java.io.ByteArrayInputStream(model), model.length, Condition.absent(), (done, total) -> {
                        // Another process finds the lease expired (as after a long stall) and breaks it.
                        inspector.listObjectsV2(list -> list.bucket(S3MockServer.BUCKET)
                                .prefix(prefix + ".neural-mlops/uploads/")).contents().forEach(lease -> inspector
                                .putObject(put -> put.bucket(S3MockServer.BUCKET).key(lease.key()),
                                        software.amazon.awssdk.core.sync.RequestBody.fromString(
                                                "2020-01-01T00:00:00Z stalled-owner laptop")));
                        assertThat(storage.abortUnfinishedUploads("models", java.time.Duration.ofHours(1))).isEqualTo(1);
                        return true;
                    }))
                    .isInstanceOf(neural.mlops.store.StoreIOException.class)
                    .hasMessageContaining("took it for abandoned").hasMessageContaining("nothing was stored");
        }
        assertThat(storage.stat(key("models/models/m/v1/model.pt"))).isEmpty();
        assertNoUnfinishedUploads();
    }

    @Override
    protected void assertNoUnfinishedUploads() {
        assertThat(inspector.listMultipartUploads(list -> list.bucket(S3MockServer.BUCKET).prefix(prefix)).uploads())
                .as("multipart uploads left under %s", prefix).isEmpty();
    }

    @Test
    void aLeaseLeftByAKilledWriterIsBrokenOnceItHasExpired() {
        Key lease = Key.internal("leases/deployments/.lock");
        storage.write(lease, bytes("2020-01-01T00:00:00Z dead-owner ci-runner-7"), Condition.none());

        String result = storage.exclusively(key("deployments/.lock"), java.time.Duration.ofSeconds(5), () -> "ran");

        assertThat(result).isEqualTo("ran");
        assertThat(storage.stat(lease)).as("the lease is released after the section").isEmpty();
    }

    @Test
    void aLiveLeaseOfAnotherWriterMakesTheSectionWaitThenReportsWhoHoldsIt() {
        Key lease = Key.internal("leases/deployments/.lock");
        storage.write(lease, bytes(java.time.Instant.now().plusSeconds(60) + " other-owner ci-runner-7"),
                Condition.none());

        assertThatThrownBy(() -> storage.exclusively(key("deployments/.lock"), java.time.Duration.ofMillis(300),
                () -> "ran"))
                .isInstanceOf(neural.mlops.store.StoreLockedException.class)
                .hasMessageContaining("ci-runner-7").hasMessageContaining("nothing was changed");
        assertThat(storage.stat(lease)).as("another writer's lease is left alone").isPresent();
    }
}
