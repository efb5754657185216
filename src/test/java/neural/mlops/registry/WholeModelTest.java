package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.EventType;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.storage.ChangeMarker;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.StoredObject;
import neural.mlops.store.storage.TransferListener;
import neural.mlops.store.storage.Version;
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
    static final class CrashingStorage implements Storage {
        private final Storage real;
        private final int crashAt;
        private final AtomicInteger deletes = new AtomicInteger();

        CrashingStorage(Storage real, int crashAt) {
            this.real = real;
            this.crashAt = crashAt;
        }

        @Override
        public boolean delete(Key key, Condition condition) {
            if (deletes.incrementAndGet() == crashAt) {
                throw new Crash();
            }
            return real.delete(key, condition);
        }

        @Override
        public String location() {
            return real.location();
        }

        @Override
        public Optional<Document> read(Key key, long maxBytes) {
            return real.read(key, maxBytes);
        }

        @Override
        public Optional<StoredObject> stat(Key key) {
            return real.stat(key);
        }

        @Override
        public Optional<InputStream> openStream(Key key) {
            return real.openStream(key);
        }

        @Override
        public Version write(Key key, byte[] content, Condition condition) {
            return real.write(key, content, condition);
        }

        @Override
        public void requireWritable(Key key) {
            real.requireWritable(key);
        }

        @Override
        public Version upload(Key key, InputStream source, long sizeBytes, Condition condition, TransferListener listener) {
            return real.upload(key, source, sizeBytes, condition, listener);
        }

        @Override
        public Stream<StoredObject> list(String folder) {
            return real.list(folder);
        }

        @Override
        public int abortUnfinishedUploads(String folder, Duration olderThan) {
            return real.abortUnfinishedUploads(folder, olderThan);
        }

        @Override
        public ChangeMarker changeMarker() {
            return real.changeMarker();
        }

        @Override
        public <T> T exclusively(Key lock, Duration wait, Supplier<T> body) {
            return real.exclusively(lock, wait, body);
        }

        @Override
        public Optional<Path> localFile(Key key) {
            return real.localFile(key);
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
