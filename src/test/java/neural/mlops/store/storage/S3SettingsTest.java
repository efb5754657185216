package neural.mlops.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import neural.mlops.store.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3SettingsTest {

    @Test
    void withoutAnEndpointTheSdkResolvesItAndAddressingIsVirtualHosted() {
        S3Settings settings = S3Settings.fromEnvironment(Map.of());

        assertThat(settings.endpoint()).isEmpty();
        assertThat(settings.pathStyle()).isFalse();
    }

    @Test
    void theS3SpecificEndpointWinsOverTheGeneralOne() {
        S3Settings settings = S3Settings.fromEnvironment(Map.of(
                "AWS_ENDPOINT_URL", "https://general.example.com",
                "AWS_ENDPOINT_URL_S3", "https://s3.example.com"));

        assertThat(settings.endpoint()).contains(URI.create("https://s3.example.com"));
    }

    @Test
    void theGeneralEndpointIsUsedWhenThereIsNoS3One() {
        S3Settings settings = S3Settings.fromEnvironment(Map.of("AWS_ENDPOINT_URL", " https://general.example.com "));

        assertThat(settings.endpoint()).contains(URI.create("https://general.example.com"));
    }

    @ParameterizedTest
    @CsvSource({
        "http://localhost:9000,          true",
        "http://127.0.0.1:9090,          true",
        "http://[::1]:9000,              true",
        "http://minio.localhost:9000,    true",
        "https://s3.eu-central-1.amazonaws.com, false",
        "https://abc.r2.cloudflarestorage.com, false"
    })
    void pathStyleIsChosenWhenTheHostCannotCarryABucketName(String endpoint, boolean pathStyle) {
        assertThat(S3Settings.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", endpoint)).pathStyle()).isEqualTo(pathStyle);
    }

    @Test
    void pathStyleCanBeForcedEitherWay() {
        assertThat(S3Settings.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", "https://ceph.example.com",
                "NEURAL_MLOPS_S3_PATH_STYLE", "true")).pathStyle()).isTrue();
        assertThat(S3Settings.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000",
                "NEURAL_MLOPS_S3_PATH_STYLE", "FALSE")).pathStyle()).isFalse();
        assertThat(S3Settings.fromEnvironment(Map.of("NEURAL_MLOPS_S3_PATH_STYLE", "true")))
                .isEqualTo(new S3Settings(Optional.empty(), true));
    }

    @Test
    void aPathStyleValueOtherThanTrueOrFalseIsRefused() {
        assertThatThrownBy(() -> S3Settings.fromEnvironment(Map.of("NEURAL_MLOPS_S3_PATH_STYLE", "yes")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("NEURAL_MLOPS_S3_PATH_STYLE").hasMessageContaining("true or false");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ftp://files.example.com   | http or https",
        "localhost:9000            | http or https",
        "http://exa mple.com       | not a URL"
    })
    void aMalformedEndpointIsRefusedNamingTheVariable(String endpoint, String reason) {
        assertThatThrownBy(() -> S3Settings.fromEnvironment(Map.of("AWS_ENDPOINT_URL", endpoint)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("AWS_ENDPOINT_URL").hasMessageContaining(reason);
    }

    @Test
    void anEndpointWithCredentialsIsRefusedWithoutRepeatingThem() {
        assertThatThrownBy(() -> S3Settings.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", "https://AKIAEXAMPLE:s3cr3t@s3.example.com")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must not contain credentials")
                .hasMessageNotContaining("s3cr3t").hasMessageNotContaining("AKIAEXAMPLE");
    }
}
