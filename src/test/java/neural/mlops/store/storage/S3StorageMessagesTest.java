package neural.mlops.store.storage;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import neural.mlops.store.StoreIOException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** What a user reads when the S3 client cannot even send a request; no server is needed for that. */
class S3StorageMessagesTest {

    @Test
    void missingCredentialsAreReportedAsWhatToSetAndNotAsTheSdksChain() {
        S3Client client = S3Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .forcePathStyle(true)
                .region(Region.EU_WEST_1)
                .credentialsProvider(() -> {
                    throw SdkClientException.create("Unable to load credentials from any of the providers in the chain "
                            + "AwsCredentialsProviderChain(credentialsProviders=[...])");
                })
                .build();

        try (Storage storage = new S3Storage(client, S3Location.parse("s3://team-models/prod"))) {
            assertThatThrownBy(() -> storage.stat(Key.of("workspace.yaml")))
                    .isInstanceOf(StoreIOException.class)
                    .hasMessageStartingWith("Could not read s3://team-models/prod/workspace.yaml: no AWS credentials were found")
                    .hasMessageContaining("AWS_PROFILE")
                    .hasMessageNotContaining("AwsCredentialsProviderChain")
                    .hasCauseInstanceOf(SdkClientException.class);
        }
    }
}
