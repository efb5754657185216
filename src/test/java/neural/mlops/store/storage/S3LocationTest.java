package neural.mlops.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import neural.mlops.store.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class S3LocationTest {

    @ParameterizedTest
    @CsvSource({
        "s3://team-models,             team-models, ''",
        "s3://team-models/,            team-models, ''",
        "s3://team-models/prod,        team-models, prod/",
        "s3://team-models/ml/prod/,    team-models, ml/prod/",
        "S3://team.models-1/a_b/c.d,   team.models-1, a_b/c.d/"
    })
    void aLocationIsTheBucketAndAPrefixEndingInASlash(String text, String bucket, String prefix) {
        S3Location location = S3Location.parse(text);

        assertThat(location.bucket()).isEqualTo(bucket);
        assertThat(location.prefix()).isEqualTo(prefix);
    }

    @Test
    void objectKeysArePrefixedAndTheLocationPrintsAsItWasWritten() {
        S3Location location = S3Location.parse("s3://team-models/ml/prod/");

        assertThat(location.objectKey(Key.of("audit_logs/head.json"))).isEqualTo("ml/prod/audit_logs/head.json");
        assertThat(location).hasToString("s3://team-models/ml/prod");
        assertThat(S3Location.parse("s3://team-models")).hasToString("s3://team-models");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/data/workspace                 | does not start with s3://",
        "s3://                           | names no bucket",
        "s3:///prefix                    | names no bucket",
        "s3://ab                         | 3 to 63 characters",
        "s3://Team-Models                | lowercase letters",
        "s3://team_models                | lowercase letters",
        "s3://-team                      | starts",
        "s3://team..models               | no '..'",
        "s3://192.168.1.10               | not an IP address",
        "s3://key:secret@team-models/x   | credentials and ports",
        "s3://team-models:9000/x         | credentials and ports",
        "s3://team-models/a//b           | not a plain path",
        "s3://team-models/a/../b         | not a plain path",
        "s3://team-models/a?versionId=1  | query or fragment"
    })
    void aBadLocationIsRefusedSayingWhatIsWrong(String text, String reason) {
        assertThatThrownBy(() -> S3Location.parse(text))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Invalid workspace location")
                .hasMessageContaining(reason);
    }

    @Test
    void onlyTheS3SchemeIsTakenForABucket() {
        assertThat(S3Location.isS3("s3://bucket")).isTrue();
        assertThat(S3Location.isS3("S3://bucket")).isTrue();
        assertThat(S3Location.isS3("./s3://bucket")).isFalse();
        assertThat(S3Location.isS3("C:\\workspaces\\s3")).isFalse();
    }
}
