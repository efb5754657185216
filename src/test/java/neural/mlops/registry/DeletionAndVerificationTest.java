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
        ModelRegistry registry = new ModelRegistry(fx.root, fx.audit, "alice", fx.clock, PromotionGuard.ALLOW_ALL,
                (name, version) -> name.equals("m") && version.equals("1"));
        Map<String, String> before = TreeSnapshot.of(fx.root);

        assertThatThrownBy(() -> registry.deleteVersion("m", "1", false))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("actively deployed");
        assertThat(TreeSnapshot.of(fx.root)).isEqualTo(before);
        registry.deleteVersion("m", "2", false);
        registry.deleteVersion("m", "1", true);
        assertThat(registry.listModels()).isEmpty();
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

    @Test
    void aModelFileThatCannotBeRemovedDoesNotLeaveHalfAVersion() throws Exception {
        Path modelFile = fx.root.resolve("models/m/1/model.pt");
        try (Immutable stuck = Immutable.mark(modelFile)) {
            fx.registry.deleteVersion("m", "1", false);

            // Unregistered by the removal of its document; the stuck file is left outside every version.
            assertThat(fx.metadataFile("m", "1")).doesNotExist();
            assertThat(modelFile).exists();
            assertThatThrownBy(() -> fx.registry.getModel("m", "1")).isInstanceOf(NotFoundException.class);
            assertThat(fx.registry.problems()).isEmpty();
            assertThat(fx.audit.records).last().satisfies(record -> {
                assertThat(record.type()).isEqualTo(neural.mlops.audit.EventType.MODEL_DELETED);
                assertThat(record.outcome()).isEqualTo(neural.mlops.audit.Outcome.SUCCESS);
            });
        }
        // The next registration of the model clears what was left.
        fx.register("m", "1", 0.7);
        try (var entries = Files.list(fx.root.resolve("models/m"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("1", "2");
        }
    }

    @Test
    void aMetadataDocumentThatCannotBeRemovedLeavesTheVersionWholeAndTheFailureAudited() throws Exception {
        Map<String, String> before = TreeSnapshot.of(fx.root);
        int events = fx.audit.records.size();
        try (Immutable stuck = Immutable.mark(fx.metadataFile("m", "1"))) {
            assertThatThrownBy(() -> fx.registry.deleteVersion("m", "1", false))
                    .isInstanceOf(neural.mlops.store.StoreIOException.class);

            assertThat(TreeSnapshot.of(fx.root)).isEqualTo(before);
            assertThat(fx.registry.getModel("m", "1").version()).isEqualTo("1");
            assertThat(fx.audit.records.subList(events, fx.audit.records.size()))
                    .extracting(neural.mlops.audit.AuditRecord::outcome)
                    .containsExactly(neural.mlops.audit.Outcome.SUCCESS, neural.mlops.audit.Outcome.FAILURE);
        }
    }

    /**
     * A file even root cannot remove: the immutable attribute (chattr +i), cleared on close. Skips
     * the test where the file system has no such attribute.
     */
    private static final class Immutable implements AutoCloseable {
        private final Path file;

        private Immutable(Path file) {
            this.file = file;
        }

        static Immutable mark(Path file) throws Exception {
            org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", file) == 0,
                    "chattr +i is not supported here");
            return new Immutable(file);
        }

        private static int chattr(String flag, Path file) throws Exception {
            try {
                return new ProcessBuilder("chattr", flag, file.toString()).inheritIO().start().waitFor();
            } catch (java.io.IOException e) {
                return -1;
            }
        }

        @Override
        public void close() throws Exception {
            // The file may have moved with its folder: clear the attribute wherever it is now.
            try (var found = Files.find(file.getParent().getParent().getParent(), 4,
                    (path, attributes) -> path.getFileName().equals(file.getFileName()))) {
                for (Path path : found.toList()) {
                    chattr("-i", path);
                }
            }
        }
    }
}
