package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.EventType;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.NotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Editing a version's and a model's description, tags and lineage (issue 21, item 1), each edit audited with old and new values. */
class AuditedEditsTest {

    @TempDir
    Path workspace;

    Fixtures fx;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(workspace);
        fx.registry.registerModel(RegisterRequest.builder("fraud", "v1", fx.modelFile("model.pt", "one"))
                .framework("pytorch").description("first cut").tags("baseline", "team=risk")
                .lineage(new Lineage("abc123", null, "s3://data/v1", null)).build());
        fx.register("fraud", "v2", 0.9);
        fx.audit.records.clear();
    }

    @Test
    @SuppressWarnings("unchecked") // the details are maps of strings to values, as the trail stores them
    void anEditIsOneModelUpdatedEventCarryingTheOldAndNewValueOfEachChangedField() {
        fx.registry.updateModel("fraud", "v1", ModelUpdate.builder().description("second cut")
                .addTag("team=fraud").removeTag("baseline").lineage("run", "run-42").lineage("dataset", null).build());

        assertThat(fx.audit.records).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(EventType.MODEL_UPDATED);
            assertThat(event.resourceId()).isEqualTo("fraud:v1");
            assertThat(event.details().get(AuditRecords.FIELDS))
                    .isEqualTo(List.of("description", "tags", "lineage.run_id", "lineage.dataset"));
            Map<?, ?> changes = (Map<?, ?>) event.details().get(AuditRecords.CHANGES);
            assertThat(changes.get("description")).isEqualTo(Map.of("old", "first cut", "new", "second cut"));
            assertThat(changes.get("tags")).isEqualTo(Map.of("old", List.of("baseline", "team=risk"),
                    "new", List.of("team=fraud")));
            assertThat((Map<Object, Object>) changes.get("lineage.run_id")).containsEntry("old", null).containsEntry("new", "run-42");
            assertThat((Map<Object, Object>) changes.get("lineage.dataset")).containsEntry("old", "s3://data/v1")
                    .containsEntry("new", null);
        });
        ModelVersion stored = fx.registry.getModel("fraud", "v1");
        assertThat(stored.description()).isEqualTo("second cut");
        assertThat(stored.tags()).containsExactly("team=fraud");
        assertThat(stored.lineage()).isEqualTo(new Lineage("abc123", "run-42", null, null));
    }

    @Test
    void anEditThatChangesNothingWritesNothingAndRecordsNothing() throws Exception {
        byte[] before = Files.readAllBytes(fx.metadataFile("fraud", "v1"));

        ModelVersion same = fx.registry.updateModel("fraud", "v1", ModelUpdate.builder().description("first cut")
                .addTag("Team=Risk").lineage("commit", "abc123").build());

        assertThat(same.description()).isEqualTo("first cut");
        assertThat(Files.readAllBytes(fx.metadataFile("fraud", "v1"))).isEqualTo(before);
        assertThat(fx.audit.records).isEmpty();
    }

    @Test
    void unknownLineagePartsOfAnotherToolAreKeptWhenTheLineageIsEdited() throws Exception {
        Path file = fx.metadataFile("fraud", "v1");
        var document = Json.readObject(file);
        ((com.fasterxml.jackson.databind.node.ObjectNode) document.get("lineage")).put("pipeline", "nightly");
        Json.writeAtomically(file, document);

        fx.registry.updateModel("fraud", "v1", ModelUpdate.builder().lineage("parent_version", "v0").build());

        assertThat(Json.readObject(file).get("lineage").get("pipeline").asText()).isEqualTo("nightly");
        assertThat(fx.registry.getModel("fraud", "v1").lineage().parentVersion()).isEqualTo("v0");
    }

    @Test
    void aKeyValueTagReplacesTheTagWithTheSameKeyAndRemovingAPlainKeyRemovesEveryValueOfIt() {
        fx.registry.updateModel("fraud", "v2", ModelUpdate.builder().addTag("team=risk").addTag("team").build());
        assertThat(fx.registry.getModel("fraud", "v2").tags()).containsExactly("team=risk", "team");

        fx.registry.updateModel("fraud", "v2", ModelUpdate.builder().addTag(" team = fraud ").build());
        assertThat(fx.registry.getModel("fraud", "v2").tags()).containsExactly("team", "team=fraud");

        fx.registry.updateModel("fraud", "v2", ModelUpdate.builder().removeTag("team").build());
        assertThat(fx.registry.getModel("fraud", "v2").tags()).isEmpty();
    }

    @Test
    void badTagsAndLineageAreRefusedWithAClearMessageBeforeAnythingIsWritten() throws Exception {
        Map<String, String> before = TreeSnapshot.of(workspace);

        assertThatThrownBy(() -> ModelUpdate.builder().addTag("a=b=c").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("exactly one '='");
        assertThatThrownBy(() -> ModelUpdate.builder().addTag("=fraud").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs a key");
        assertThatThrownBy(() -> ModelUpdate.builder().addTag("team=").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("and a value");
        assertThatThrownBy(() -> ModelUpdate.builder().addTag("two\nlines").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("one line");
        assertThatThrownBy(() -> ModelUpdate.builder().lineage("author", "bob"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Unknown lineage key 'author'").hasMessageContaining("source_commit, run_id");
        assertThatThrownBy(() -> ModelUpdate.builder().lineage("parent", "../v1").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("parent version");
        assertThatThrownBy(() -> fx.registry.updateModel("fraud", "v1",
                ModelUpdate.builder().lineage("parent", "v1").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cannot be the version itself");
        assertThatThrownBy(() -> fx.registry.updateModel("fraud", "v9", ModelUpdate.builder().description("x").build()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> fx.registry.updateModelDocument("fraud",
                ModelUpdate.builder().lineage("run", "r").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no metrics or lineage of its own");

        assertThat(TreeSnapshot.of(workspace)).isEqualTo(before);
        assertThat(fx.audit.records).isEmpty();
    }

    @Test
    void filtersMatchAKeyValueTagExactlyAndAPlainKeyAgainstEveryValue() {
        fx.registry.updateModel("fraud", "v2", ModelUpdate.builder().addTag("team=fraud").build());
        fx.register("churn", "1", 0.5);
        fx.registry.updateModel("churn", "1", ModelUpdate.builder().addTag("team").build());

        assertThat(fx.registry.search(ModelQuery.all().withTag("team=fraud"))).extracting(ModelVersion::id)
                .containsExactly("fraud:v2");
        assertThat(fx.registry.search(ModelQuery.all().withTag("TEAM = Risk"))).extracting(ModelVersion::id)
                .containsExactly("fraud:v1");
        assertThat(fx.registry.search(ModelQuery.all().withTag("team"))).extracting(ModelVersion::id)
                .containsExactly("churn:1", "fraud:v1", "fraud:v2");
        assertThat(fx.registry.search(ModelQuery.all().withTag("fraud"))).isEmpty();
        assertThat(fx.registry.search(ModelQuery.all().withText("team=fr"))).extracting(ModelVersion::id)
                .containsExactly("fraud:v2");
    }

    @Test
    void theModelDocumentIsEditedWithOneEventOnTheModelAndReadBack() {
        assertThat(fx.registry.modelDocument("fraud")).isEqualTo(ModelDocument.empty("fraud"));

        ModelDocument written = fx.registry.updateModelDocument("fraud", ModelUpdate.builder()
                .description("Card fraud scoring").addTag("team=risk").addTag("pii").build());

        assertThat(written.updatedBy()).isEqualTo("alice");
        assertThat(fx.registry.modelDocument("fraud")).isEqualTo(written);
        assertThat(fx.root.resolve("models/fraud/model.json")).exists();
        AuditRecord event = fx.audit.records.get(0);
        assertThat(fx.audit.records).hasSize(1);
        assertThat(event.resourceId()).isEqualTo("fraud");
        assertThat(event.action()).isEqualTo("update_model");
        assertThat(((Map<?, ?>) event.details().get(AuditRecords.CHANGES)).get("description"))
                .isEqualTo(Map.of("old", "", "new", "Card fraud scoring"));

        fx.registry.updateModelDocument("fraud", ModelUpdate.builder().description("Card fraud scoring").build());
        assertThat(fx.audit.records).as("nothing changed: no event").hasSize(1);
        assertThatThrownBy(() -> fx.registry.modelDocument("ghost")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aVersionCannotBeCalledLikeTheModelDocument() {
        assertThatThrownBy(() -> fx.registry.registerModel(RegisterRequest.builder("fraud", "Model.json",
                fx.modelFile("m.pt", "x")).framework("pytorch").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cannot be called model.json");
    }

    @Test
    void aLongDescriptionIsRecordedByItsStartAndLengthSoTheEventStaysWithinTheTrailsLimits() {
        String longText = "\u00e9".repeat(5000);

        fx.registry.updateModel("fraud", "v1", ModelUpdate.builder().description(longText).build());

        Map<?, ?> change = (Map<?, ?>) ((Map<?, ?>) fx.audit.records.get(0).details().get(AuditRecords.CHANGES))
                .get("description");
        assertThat((String) change.get("new")).startsWith("\u00e9\u00e9").endsWith("(5000 characters in all)")
                .hasSizeLessThan(1000);
        assertThat(change.get("old")).isEqualTo("first cut");
        assertThat(fx.registry.getModel("fraud", "v1").description()).isEqualTo(longText);
    }

    @Test
    void theEditExampleOfTheApiDocumentRunsAsWritten() throws Exception {
        ModelRegistry registry = fx.registry;
        registry.registerModel(RegisterRequest.builder("fraud_detector", "v2.0.0", fx.modelFile("m.pt", "w"))
                .framework("pytorch").tags("baseline").build());
        // The lines below are docs/api.md's, word for word (checked at the end).
        ModelUpdate update = ModelUpdate.builder()
                .description("Second cut, retrained on March data")
                .addTag("team=fraud")          // a key=value tag replaces the tag with the same key
                .removeTag("baseline")         // a plain word also removes every baseline=... tag
                .lineage("run_id", "run-42")   // LineageField: source_commit, run_id, dataset, parent_version; null clears
                .build();
        registry.updateModel("fraud_detector", "v2.0.0", update);
        ModelDocument model = registry.updateModelDocument("fraud_detector",
                ModelUpdate.builder().description("Card fraud scoring").addTag("pii").build());

        assertThat(registry.getModel("fraud_detector", "v2.0.0").tags()).containsExactly("team=fraud");
        assertThat(registry.getModel("fraud_detector", "v2.0.0").lineage().runId()).isEqualTo("run-42");
        assertThat(model.tags()).containsExactly("pii");
        String doc = Files.readString(Path.of("docs/api.md"));
        assertThat(doc).contains(".lineage(\"run_id\", \"run-42\")   // LineageField: source_commit, run_id, dataset, "
                + "parent_version; null clears", "registry.updateModel(\"fraud_detector\", \"v2.0.0\", update);",
                "ModelUpdate.builder().description(\"Card fraud scoring\").addTag(\"pii\").build());");
    }
}
