package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import neural.mlops.store.MlopsException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTest {

    @TempDir
    Path workspace;

    Fixtures fx;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(workspace);
        fx.register("fraud_detector", "v1.0.0", 0.95);
        fx.register("fraud_detector", "v2.0.0", 0.96);
        fx.registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "first");
        fx.audit.records.clear();
    }

    @Test
    void registeringRecordsAModelRegisteredEvent() {
        fx.register("fraud_detector", "v3.0.0", 0.97);
        assertThat(fx.audit.records).singleElement().satisfies(record -> {
            assertThat(record.type()).isEqualTo(EventType.MODEL_REGISTERED);
            assertThat(record.user()).isEqualTo("alice");
            assertThat(record.resourceType()).isEqualTo("model");
            assertThat(record.resourceId()).isEqualTo("fraud_detector:v3.0.0");
            assertThat(record.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(record.details()).containsEntry("framework", "pytorch").containsKey("model_sha256");
        });
    }

    @Test
    void promotingToProductionRecordsThePromotionAndTheArchiving() {
        fx.registry.promoteModel("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "better");

        assertThat(fx.audit.records).extracting(AuditRecord::type)
                .containsExactly(EventType.MODEL_PROMOTED, EventType.MODEL_PROMOTED);
        AuditRecord promoted = fx.audit.records.get(0);
        assertThat(promoted.resourceId()).isEqualTo("fraud_detector:v2.0.0");
        assertThat(promoted.reason()).isEqualTo("better");
        assertThat(promoted.details()).containsEntry("from_stage", "development").containsEntry("to_stage", "production")
                .containsEntry("reason", "better");
        AuditRecord archived = fx.audit.records.get(1);
        assertThat(archived.resourceId()).isEqualTo("fraud_detector:v1.0.0");
        assertThat(archived.details()).containsEntry("from_stage", "production").containsEntry("to_stage", "archived");
    }

    @Test
    void deletingAndUpdatingRecordTheirEvents() {
        fx.registry.updateModel("fraud_detector", "v2.0.0", ModelUpdate.builder().description("d").build());
        fx.registry.deleteVersion("fraud_detector", "v2.0.0", false);

        assertThat(fx.audit.records).extracting(AuditRecord::type)
                .containsExactly(EventType.MODEL_UPDATED, EventType.MODEL_DELETED);
        assertThat(fx.audit.records.get(0).details()).containsEntry("fields", java.util.List.of("description"));
        assertThat(fx.audit.records.get(1).details()).containsEntry("stage", "development").containsEntry("forced", false);
    }

    @Test
    void whenTheAuditTrailCannotRecordNothingIsRegisteredPromotedUpdatedOrDeleted() {
        fx.audit.failing = true;
        Path source = fx.modelFile("new.pt", "new");
        Map<String, String> before = TreeSnapshot.of(workspace);

        assertThatThrownBy(() -> fx.registry.registerModel(
                RegisterRequest.builder("fraud_detector", "v3.0.0", source).framework("pytorch").build()))
                .isInstanceOf(MlopsException.class)
                .hasMessageContaining("Did not register fraud_detector v3.0.0: the audit trail could not record it")
                .hasMessageContaining("nothing was changed");
        assertThatThrownBy(() -> fx.registry.registerModel(RegisterRequest.builder("brand_new", "1", source)
                .framework("pytorch").build()))
                .hasMessageContaining("Did not register brand_new 1");
        assertThatThrownBy(() -> fx.registry.promoteModel("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, null))
                .hasMessageContaining("Did not promote fraud_detector v2.0.0");
        assertThatThrownBy(() -> fx.registry.updateModel("fraud_detector", "v2.0.0",
                ModelUpdate.builder().description("d").build()))
                .hasMessageContaining("Did not update");
        assertThatThrownBy(() -> fx.registry.deleteVersion("fraud_detector", "v2.0.0", false))
                .hasMessageContaining("Did not delete");

        assertThat(TreeSnapshot.of(workspace)).isEqualTo(before);
        assertThat(fx.audit.records).isEmpty();
    }

    @Test
    void theDefaultConstructorAttachesNoAuditTrailAndTheOsUser() {
        ModelRegistry plain = new ModelRegistry(fx.root);
        assertThat(plain.user()).isEqualTo(System.getProperty("user.name"));
        assertThat(plain.root()).contains(fx.root);
        plain.promoteModel("fraud_detector", "v2.0.0", ModelStage.STAGING, null);
        assertThat(fx.audit.records).isEmpty();
        assertThat(plain.getModel("fraud_detector", "v2.0.0").stageHistory()).last()
                .satisfies(t -> assertThat(t.by()).isEqualTo(System.getProperty("user.name")));
    }
}
