package neural.mlops.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.storage.S3Location;
import org.junit.jupiter.api.Test;

class WorkspaceLocationTest {

    @Test
    void anS3LocationIsABucketAndAnythingElseAFolder() {
        WorkspaceLocation bucket = WorkspaceLocation.parse("s3://team-models/fraud/ws");
        WorkspaceLocation folder = WorkspaceLocation.parse("some/folder");

        assertThat(bucket.isRemote()).isTrue();
        assertThat(bucket).hasToString("s3://team-models/fraud/ws");
        assertThat(bucket.displayName()).isEqualTo("ws");
        assertThat(WorkspaceLocation.parse("s3://team-models").displayName()).isEqualTo("team-models");
        assertThat(folder.isRemote()).isFalse();
        assertThat(folder).isEqualTo(new WorkspaceLocation.Folder(Path.of("some/folder").toAbsolutePath()));
        assertThat(folder.displayName()).isEqualTo("folder");
    }

    @Test
    void theJavaApisUriFormAcceptsS3AndFileUris() {
        assertThat(WorkspaceLocation.of(URI.create("s3://team-models/fraud"))).hasToString("s3://team-models/fraud");
        assertThat(WorkspaceLocation.of(Path.of("/tmp/ws").toUri())).isEqualTo(new WorkspaceLocation.Folder(Path.of("/tmp/ws")));
        assertThatThrownBy(() -> WorkspaceLocation.of(URI.create("https://example.com/ws")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("neither s3://");
    }

    @Test
    void badLocationsEndpointsAndProfilesAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> WorkspaceLocation.parse(" ")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("s3://bucket/prefix");
        assertThatThrownBy(() -> WorkspaceLocation.parse("s3://user:secret@bucket/x"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("credentials");
        S3Location location = S3Location.parse("s3://team-models");
        assertThatThrownBy(() -> new WorkspaceLocation.Bucket(location, Optional.of("ftp://minio"), Optional.empty()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("http or https");
        assertThatThrownBy(() -> new WorkspaceLocation.Bucket(location, Optional.empty(), Optional.of("team dev; rm")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a profile name");
    }
}
