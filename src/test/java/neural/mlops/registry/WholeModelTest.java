package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.EventType;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.ForwardingStorage;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.store.storage.Storage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting and archiving a whole model. */
class WholeModelTest {

    @TempDir
    Path workspace;

    Fixtures fx;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(workspace);
        fx.register("m", "1", 0.5);
        fx.register("m", "2", 0.6);
        fx.register("m", "3", 0.7);
        fx.register("other", "1", 0.5);
    }

    @Test
    void deletingAModelRemovesEveryVersionWithOneAuditEventNamingThemAndTheReason() {
        fx.registry.promoteModel("m", "2", ModelStage.STAGING, null);
        int before = fx.audit.records.size();

        List<ModelVersion> deleted = fx.registry.deleteModel("m", "retired: replaced by fraud_v2");

        assertThat(deleted).extracting(ModelVersion::version).containsExactly("1", "2", "3");
        assertThat(fx.registry.listVersions("m")).isEmpty();
        assertThat(fx.root.resolve("models/m")).doesNotExist();
        assertThat(fx.registry.listVersions("other")).hasSize(1);
        List<AuditRecord> events = fx.audit.records.subList(before, fx.audit.records.size());
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(EventType.MODEL_DELETED);
            assertThat(event.resourceId()).isEqualTo("m");
            assertThat(event.reason()).isEqualTo("retired: replaced by fraud_v2");
            assertThat(event.details().get(AuditRecords.VERSIONS)).isEqualTo(List.of("1", "2", "3"));
            assertThat(event.details().get(AuditRecords.STAGES))
                    .isEqualTo(Map.of("1", "development", "2", "staging", "3", "development"));
        });
    }

    @Test
    void deletingAModelIsRefusedWhileAVersionIsInProductionOrDeployedAndNeedsAReason() {
        assertThatThrownBy(() -> fx.registry.deleteModel("m", " ")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("reason");
        fx.registry.promoteModel("m", "3", ModelStage.PRODUCTION, null);
        Map<String, String> before = TreeSnapshot.of(fx.root);
        int events = fx.audit.records.size();
        assertThatThrownBy(() -> fx.registry.deleteModel("m", "retired")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("3 is in production");
        assertThat(TreeSnapshot.of(fx.root)).isEqualTo(before);
        assertThat(fx.audit.records).hasSize(events);

        fx.registry.archiveModel("m", "retiring");
        ActiveDeployments deployed = new ActiveDeployments() {
            @Override
            public boolean isActive(String name, String version) {
                return version.equals("1");
            }

            @Override
            public boolean isPending(String name, String version) {
                return version.equals("2");
            }
        };
        ModelRegistry guarded = new ModelRegistry(fx.root, fx.audit, "alice", fx.clock, PromotionGuard.ALLOW_ALL, deployed);
        Map<String, String> archived = TreeSnapshot.of(fx.root);
        int afterArchive = fx.audit.records.size();
        assertThatThrownBy(() -> guarded.deleteModel("m", "retired")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("1 is actively deployed").hasMessageContaining("2 has a pending deployment");
        assertThat(TreeSnapshot.of(fx.root)).isEqualTo(archived);
        assertThat(fx.audit.records).hasSize(afterArchive);
    }

    @Test
    void archivingAModelArchivesEveryVersionRecordingEachMoveAndAgainChangesNothing() {
        fx.registry.promoteModel("m", "3", ModelStage.PRODUCTION, null);
        fx.registry.promoteModel("m", "1", ModelStage.ARCHIVED, null);
        int before = fx.audit.records.size();

        List<ModelVersion> archived = fx.registry.archiveModel("m", "end of life");

        assertThat(archived).extracting(ModelVersion::version).containsExactly("2", "3");
        assertThat(fx.registry.listVersions("m")).allSatisfy(v -> assertThat(v.stage()).isEqualTo(ModelStage.ARCHIVED));
        assertThat(fx.registry.getModel("m", "3").stageHistory()).last()
                .satisfies(t -> assertThat(t.reason()).isEqualTo("end of life"));
        assertThat(fx.audit.records.subList(before, fx.audit.records.size()))
                .extracting(AuditRecord::type, AuditRecord::resourceId)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(EventType.MODEL_PROMOTED, "m:2"),
                        org.assertj.core.groups.Tuple.tuple(EventType.MODEL_PROMOTED, "m:3"));
        Map<String, String> tree = TreeSnapshot.of(fx.root);
        assertThat(fx.registry.archiveModel("m", null)).isEmpty();
        assertThat(TreeSnapshot.of(fx.root)).isEqualTo(tree);
    }

    @Test
    void aCrashPartWayThroughDeletingAModelNeverLeavesAListedVersionWithoutItsFile() {
        for (int crashAt = 1; crashAt <= 6; crashAt++) {
            Path root = workspace.resolve("crash-" + crashAt);
            ModelRegistry healthy = new ModelRegistry(root, fx.audit, "alice", fx.clock);
            for (String version : List.of("1", "2", "3")) {
                healthy.registerModel(RegisterRequest.builder("m", version, fx.modelFile("model.pt", "w" + version))
                        .framework("pytorch").build());
            }
            CrashingStorage crashing = new CrashingStorage(new LocalStorage(root), crashAt);
            ModelRegistry dying = new ModelRegistry(crashing, fx.audit, "alice", fx.clock, PromotionGuard.ALLOW_ALL,
                    ActiveDeployments.NONE);
            assertThatThrownBy(() -> dying.deleteModel("m", "retired")).isInstanceOf(Crash.class);

            ModelRegistry after = new ModelRegistry(root, fx.audit, "alice", Clock.systemUTC());
            for (ModelVersion listed : after.listVersions("m")) {
                assertThat(after.verifyArtifact("m", listed.version()).status()).as("crash at delete " + crashAt)
                        .isEqualTo(ArtifactCheck.Status.INTACT);
            }
            after.collectGarbage(Duration.ZERO);
        }
    }

    /** The process dying: not an exception anything catches and tidies after. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;
    }

    /** A folder storage that "crashes" at its {@code crashAt}-th delete. */
    static final class CrashingStorage extends ForwardingStorage {
        private final AtomicInteger deletes = new AtomicInteger();
        private final int crashAt;

        CrashingStorage(Storage real, int crashAt) {
            super(real);
            this.crashAt = crashAt;
        }

        @Override
        public boolean delete(Key key, Condition condition) {
            if (deletes.incrementAndGet() == crashAt) {
                throw new Crash();
            }
            return real.delete(key, condition);
        }
    }
}
