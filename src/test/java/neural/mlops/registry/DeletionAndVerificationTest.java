package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import neural.mlops.store.ConflictException;
import neural.mlops.store.NotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeletionAndVerificationTest {

    @TempDir
    Path workspace;

    Fixtures fx;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(workspace);
        fx.register("m", "1", 0.5);
        fx.register("m", "2", 0.6);
    }

    @Test
    void deletingRemovesTheMetadataAndTheVersionFolder() {
        ModelVersion deleted = fx.registry.deleteVersion("m", "1", false);

        assertThat(deleted.version()).isEqualTo("1");
        assertThat(fx.metadataFile("m", "1")).doesNotExist();
        assertThat(fx.root.resolve("models/m/1")).doesNotExist();
        assertThat(fx.registry.listVersions("m")).extracting(ModelVersion::version).containsExactly("2");
        assertThatThrownBy(() -> fx.registry.getModel("m", "1")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deletingTheLastVersionRemovesTheModelFolder() {
        fx.registry.deleteVersion("m", "1", false);
        fx.registry.deleteVersion("m", "2", false);
        assertThat(fx.root.resolve("models/m")).doesNotExist();
        assertThat(fx.registry.listModels()).isEmpty();
    }

    @Test
    void deletingTheProductionVersionIsRefusedUnlessForced() {
        fx.registry.promoteModel("m", "2", ModelStage.PRODUCTION, null);
        Map<String, String> before = TreeSnapshot.of(fx.root);

        assertThatThrownBy(() -> fx.registry.deleteVersion("m", "2", false))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("m 2 is in production");
        assertThat(TreeSnapshot.of(fx.root)).isEqualTo(before);

        fx.registry.deleteVersion("m", "2", true);
        assertThat(fx.registry.getProductionVersion("m")).isEmpty();
    }

    @Test
    void deletingAnActivelyDeployedVersionIsRefusedUnlessForced() {
        fx.registry.setActiveDeployments((name, version) -> name.equals("m") && version.equals("1"));
        Map<String, String> before = TreeSnapshot.of(fx.root);

        assertThatThrownBy(() -> fx.registry.deleteVersion("m", "1", false))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("actively deployed");
        assertThat(TreeSnapshot.of(fx.root)).isEqualTo(before);
        fx.registry.deleteVersion("m", "2", false);
        fx.registry.deleteVersion("m", "1", true);
        assertThat(fx.registry.listModels()).isEmpty();
    }

    @Test
    void verifyingAnUntouchedArtifactSaysIntact() {
        ArtifactCheck check = fx.registry.verifyArtifact("m", "1");
        assertThat(check.ok()).isTrue();
        assertThat(check.status()).isEqualTo(ArtifactCheck.Status.INTACT);
        assertThat(check.actualSha256()).isEqualTo(check.expectedSha256());
        assertThat(check.actualSizeBytes()).isEqualTo(check.expectedSizeBytes());
    }

    @Test
    void verifyingDetectsAChangedAndAMissingArtifact() throws Exception {
        Path artifact = fx.root.resolve("models/m/1/model.pt");
        Files.writeString(artifact, "tampered");
        ArtifactCheck changed = fx.registry.verifyArtifact("m", "1");
        assertThat(changed.status()).isEqualTo(ArtifactCheck.Status.MODIFIED);
        assertThat(changed.ok()).isFalse();
        assertThat(changed.message()).contains("has changed since registration");

        Files.delete(artifact);
        ArtifactCheck missing = fx.registry.verifyArtifact("m", "1");
        assertThat(missing.status()).isEqualTo(ArtifactCheck.Status.MISSING);
        assertThat(missing.toJson().get("ok").asBoolean()).isFalse();
    }
}
