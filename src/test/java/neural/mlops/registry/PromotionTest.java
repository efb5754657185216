package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.NotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class PromotionTest {

    @TempDir
    Path workspace;

    Fixtures fx;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(workspace);
        fx.register("fraud_detector", "v1.0.0", 0.95);
        fx.register("fraud_detector", "v2.0.0", 0.96);
    }

    @Test
    void promotingToProductionArchivesThePreviousProductionVersion() {
        fx.registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "first release");
        fx.clock.advance(Duration.ofHours(1));

        Promotion promotion = fx.registry.promoteModel("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "better recall");

        assertThat(promotion.fromStage()).isEqualTo(ModelStage.DEVELOPMENT);
        assertThat(promotion.promoted().stage()).isEqualTo(ModelStage.PRODUCTION);
        assertThat(promotion.archived()).extracting(ModelVersion::version).containsExactly("v1.0.0");
        ModelVersion previous = fx.registry.getModel("fraud_detector", "v1.0.0");
        assertThat(previous.stage()).isEqualTo(ModelStage.ARCHIVED);
        assertThat(previous.stageHistory()).last().satisfies(t -> {
            assertThat(t.from()).isEqualTo(ModelStage.PRODUCTION);
            assertThat(t.to()).isEqualTo(ModelStage.ARCHIVED);
            assertThat(t.reason()).isEqualTo("superseded by v2.0.0 in production");
            assertThat(t.by()).isEqualTo("alice");
        });
        assertThat(fx.registry.getProductionVersion("fraud_detector")).map(ModelVersion::version).contains("v2.0.0");
    }

    @Test
    void aPromotionKilledBeforeItArchivedShowsOneProductionVersionAndTheNextPromotionStoresItSo() throws Exception {
        fx.registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "first release");
        fx.clock.advance(Duration.ofHours(1));
        // What a writer killed between its two writes leaves: v2.0.0 stored in production, v1.0.0 not yet archived.
        Path v2 = fx.root.resolve("metadata/fraud_detector_v2.0.0.json");
        ObjectNode document = Json.readObject(v2);
        document.put("stage", "production");
        ObjectNode transition = document.withArray("stage_history").addObject();
        transition.put("from", "development");
        transition.put("to", "production");
        transition.put("at", neural.mlops.store.UtcTime.format(fx.clock.instant()));
        transition.put("by", "bob");
        transition.put("reason", "killed before archiving");
        Files.write(v2, Json.mapper().writeValueAsBytes(document));

        assertThat(fx.registry.snapshot().versions()).filteredOn(v -> v.stage() == ModelStage.PRODUCTION)
                .extracting(ModelVersion::version).containsExactly("v2.0.0");
        assertThat(fx.registry.getModel("fraud_detector", "v1.0.0").stage()).isEqualTo(ModelStage.ARCHIVED);
        assertThat(fx.registry.getProductionVersion("fraud_detector")).map(ModelVersion::version).contains("v2.0.0");
        assertThat(Json.readObject(fx.root.resolve("metadata/fraud_detector_v1.0.0.json")).get("stage").asText())
                .as("reading wrote nothing").isEqualTo("production");

        fx.clock.advance(Duration.ofMinutes(1));
        fx.registry.promoteModel("fraud_detector", "v2.0.0", ModelStage.STAGING, "back to staging");
        fx.registry.promoteModel("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "again");

        assertThat(Json.readObject(fx.root.resolve("metadata/fraud_detector_v1.0.0.json")).get("stage").asText())
                .as("the next promotion to production settles what the killed one left").isEqualTo("archived");
    }

    @Test
    void everyTransitionIsAppendedToStageHistoryWithTimeUserAndReason() {
        Instant registeredAt = fx.registry.getModel("fraud_detector", "v2.0.0").createdAt();
        fx.clock.advance(Duration.ofMinutes(5));
        fx.registry.promoteModel("fraud_detector", "v2.0.0", ModelStage.STAGING, "validation passed");
        fx.clock.advance(Duration.ofMinutes(5));
        fx.registry.promoteModel("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, null);

        ModelVersion version = fx.registry.getModel("fraud_detector", "v2.0.0");
        assertThat(version.stageHistory()).containsExactly(
                new StageTransition(null, ModelStage.DEVELOPMENT, registeredAt, "alice", "registered"),
                new StageTransition(ModelStage.DEVELOPMENT, ModelStage.STAGING, registeredAt.plusSeconds(300), "alice",
                        "validation passed"),
                new StageTransition(ModelStage.STAGING, ModelStage.PRODUCTION, registeredAt.plusSeconds(600), "alice", ""));
        assertThat(version.updatedAt()).isEqualTo(registeredAt.plusSeconds(600));
        assertThat(version.createdAt()).isEqualTo(registeredAt);
    }

    @Test
    void anArchivedVersionCanBeRestored() {
        fx.registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, null);
        fx.registry.promoteModel("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, null);

        Promotion rollback = fx.registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "v2 misbehaves");

        assertThat(rollback.fromStage()).isEqualTo(ModelStage.ARCHIVED);
        assertThat(rollback.archived()).extracting(ModelVersion::version).containsExactly("v2.0.0");
        assertThat(fx.registry.getProductionVersion("fraud_detector")).map(ModelVersion::version).contains("v1.0.0");
        fx.registry.promoteModel("fraud_detector", "v2.0.0", ModelStage.STAGING, "retry in staging");
        assertThat(fx.registry.getModel("fraud_detector", "v2.0.0").stage()).isEqualTo(ModelStage.STAGING);
    }

    @Test
    void promotingToTheCurrentStageChangesAndRecordsNothing() {
        Map<String, String> before = TreeSnapshot.of(fx.root);
        int events = fx.audit.records.size();

        Promotion promotion = fx.registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.DEVELOPMENT, null);

        assertThat(promotion.unchanged()).isTrue();
        assertThat(promotion.archived()).isEmpty();
        assertThat(TreeSnapshot.of(fx.root)).isEqualTo(before);
        assertThat(fx.audit.records).hasSize(events);
    }

    @Test
    void promotingAnUnknownVersionOrABadNameFails() {
        assertThatThrownBy(() -> fx.registry.promoteModel("fraud_detector", "v9", ModelStage.STAGING, null))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("v9 of fraud_detector is not registered");
        assertThatThrownBy(() -> fx.registry.promoteModel("../evil", "v1", ModelStage.STAGING, null))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aFieldWrittenByAnotherToolSurvivesAPromotionAndAnUpdate() throws Exception {
        Path file = fx.metadataFile("fraud_detector", "v1.0.0");
        ObjectNode doc = Json.readObject(file);
        doc.put("approval_status", "approved");
        doc.putObject("x_vendor").put("ticket", "ML-42");
        Json.writeAtomically(file, doc);

        fx.registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.STAGING, null);
        fx.registry.updateModel("fraud_detector", "v1.0.0", ModelUpdate.builder().addTag("reviewed").build());

        ObjectNode after = Json.readObject(file);
        assertThat(after.get("approval_status").asText()).isEqualTo("approved");
        assertThat(after.get("x_vendor").get("ticket").asText()).isEqualTo("ML-42");
        assertThat(after.get("stage").asText()).isEqualTo("staging");
        assertThat(after.get("tags").toString()).isEqualTo("[\"reviewed\"]");
    }

    @Test
    void aPromotionGuardRunsBeforeTheChangeAndCanRefuseIt() {
        fx.registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, null);
        PromotionContext[] seen = new PromotionContext[1];
        ModelRegistry guarded = new ModelRegistry(fx.root, fx.audit, "alice", fx.clock, context -> {
            seen[0] = context;
            throw new MlopsException("alice may not promote to production");
        }, ActiveDeployments.NONE);
        Map<String, String> before = TreeSnapshot.of(fx.root);
        int events = fx.audit.records.size();

        assertThatThrownBy(() -> guarded.promoteModel("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "go"))
                .hasMessage("alice may not promote to production");

        assertThat(TreeSnapshot.of(fx.root)).isEqualTo(before);
        assertThat(fx.audit.records).hasSize(events);
        assertThat(seen[0].candidate().version()).isEqualTo("v2.0.0");
        assertThat(seen[0].fromStage()).isEqualTo(ModelStage.DEVELOPMENT);
        assertThat(seen[0].targetStage()).isEqualTo(ModelStage.PRODUCTION);
        assertThat(seen[0].user()).isEqualTo("alice");
        assertThat(seen[0].reason()).isEqualTo("go");
        assertThat(seen[0].currentProduction()).map(ModelVersion::version).contains("v1.0.0");
    }

    @Test
    void updatingChangesDescriptionTagsAndMetricsOnly() {
        ModelVersion updated = fx.registry.updateModel("fraud_detector", "v1.0.0", ModelUpdate.builder()
                .description("Calibrated")
                .addTag("calibrated")
                .metric("f1", 0.91)
                .build());

        assertThat(updated.description()).isEqualTo("Calibrated");
        assertThat(updated.tags()).containsExactly("calibrated");
        assertThat(updated.metrics()).containsEntry("accuracy", 0.95).containsEntry("f1", 0.91);
        ModelVersion again = fx.registry.updateModel("fraud_detector", "v1.0.0",
                ModelUpdate.builder().removeTag("CALIBRATED").build());
        assertThat(again.tags()).isEmpty();
        assertThat(again.stage()).isEqualTo(ModelStage.DEVELOPMENT);
        assertThat(again.modelSha256()).isEqualTo(updated.modelSha256());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aMetadataFolderLinkedOutsideTheStoreIsReadButNeverWritten() throws Exception {
        Path outside = Files.createDirectories(workspace.resolve("elsewhere"));
        Path metadata = fx.root.resolve("metadata");
        Files.move(metadata, outside.resolve("metadata"));
        Files.createSymbolicLink(metadata, outside.resolve("metadata"));
        Map<String, String> before = TreeSnapshot.of(outside);

        assertThat(fx.registry.getModel("fraud_detector", "v1.0.0").stage()).isEqualTo(ModelStage.DEVELOPMENT);
        assertThatThrownBy(() -> fx.registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.STAGING, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("leads outside the store");
        assertThatThrownBy(() -> fx.registry.deleteVersion("fraud_detector", "v1.0.0", false))
                .isInstanceOf(InvalidInputException.class);
        assertThat(TreeSnapshot.of(outside)).isEqualTo(before);
    }

    @Test
    void theRecordReturnedByAChangeIsWhatAReaderSees() throws Exception {
        Promotion promotion = fx.registry.promoteModel("fraud_detector", "v1.0.0", ModelStage.STAGING, "ok");
        assertThat(promotion.promoted()).isEqualTo(fx.registry.getModel("fraud_detector", "v1.0.0"));
        assertThat(Files.readString(fx.metadataFile("fraud_detector", "v1.0.0"))).endsWith("}\n");
    }
}
