package neural.mlops.store.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A storage opened as the product opens one (S3Storage.open: the SDK's default chains, the
 * endpoint of the settings) counts every request by operation and the bytes each way.
 */
class S3TrafficTest {

    private static final Map<String, String> CHAIN = Map.of("aws.region", S3MockServer.REGION.id(),
            "aws.accessKeyId", "test-key", "aws.secretAccessKey", "test-secret");

    @BeforeAll
    static void credentialsFromTheDefaultChain() {
        CHAIN.forEach(System::setProperty); // the SDK's system-property providers, first in its chains
    }

    @AfterAll
    static void forgetThem() {
        CHAIN.keySet().forEach(System::clearProperty);
    }

    @Test
    void everyRequestIsCountedByOperationWithTheBytesEachWay() {
        S3MockServer server = S3MockServer.shared();
        S3Location location = new S3Location(S3MockServer.BUCKET, "traffic/" + UUID.randomUUID() + "/");
        try (S3Storage storage = S3Storage.open(location, new S3Settings(Optional.of(server.endpoint()), true))) {
            byte[] content = "x".repeat(1000).getBytes(StandardCharsets.UTF_8);
            Traffic before = storage.traffic();

            storage.create(Key.of("models/metadata/a_1.json"), content);
            storage.read(Key.of("models/metadata/a_1.json"), 10_000).orElseThrow();
            try (var listing = storage.list("models")) {
                assertThat(listing.count()).isEqualTo(1);
            }

            Traffic used = storage.traffic().since(before);
            assertThat(used.requests()).containsEntry("GetObject", 1L).containsEntry("ListObjectsV2", 1L)
                    .containsEntry("PutObject", 2L); // the document and the change marker
            assertThat(used.totalRequests()).isEqualTo(4);
            assertThat(used.bytesSent()).isGreaterThanOrEqualTo(1000);
            assertThat(used.bytesReceived()).isGreaterThanOrEqualTo(1000);
        }
    }
}
