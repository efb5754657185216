package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.AuditLogger;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code registry history} and {@code registry at}: stage moves newest first, and the board at a past time. */
class HistoryAtATimeTest {

    @TempDir
    Path workspace;

    final TestClock clock = TestClock.at("2024-03-01T09:00:00Z");

    private ModelRegistry registry(AuditLogger audit) {
        return new ModelRegistry(workspace.resolve("models"), audit, "carol", clock);
    }

    private void register(ModelRegistry registry, String version) throws Exception {
        Path file = java.nio.file.Files.writeString(workspace.resolve(version + ".pt"), version);
        registry.registerModel(RegisterRequest.builder("fraud", version, file).framework("pytorch")
                .metric("accuracy", 0.9).build());
    }

    @Test
    void historyListsEveryStageMoveOfTheModelNewestFirst() throws Exception {
        ModelRegistry registry = registry(new AuditLogger(workspace.resolve("audit"), clock, Optional.empty()));
        register(registry, "v1");
        clock.advance(Duration.ofHours(1));
        register(registry, "v2");
        clock.advance(Duration.ofHours(1));
        registry.promoteModel("fraud", "v1", ModelStage.PRODUCTION, "first release");
        clock.advance(Duration.ofHours(1));
        registry.promoteModel("fraud", "v2", ModelStage.PRODUCTION, "better");

        List<StageMove> history = registry.history("fraud");

        assertThat(history).extracting(StageMove::version, StageMove::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("v2", ModelStage.PRODUCTION),
                org.assertj.core.groups.Tuple.tuple("v1", ModelStage.ARCHIVED),
                org.assertj.core.groups.Tuple.tuple("v1", ModelStage.PRODUCTION),
                org.assertj.core.groups.Tuple.tuple("v2", ModelStage.DEVELOPMENT),
                org.assertj.core.groups.Tuple.tuple("v1", ModelStage.DEVELOPMENT));
        assertThat(history.get(2).reason()).isEqualTo("first release");
        assertThat(history.get(2).by()).isEqualTo("carol");
    }

    @Test
    void atATimeTheBoardIsAsItWasAndAgreesWithTheAuditTrail() throws Exception {
        AuditLogger audit = new AuditLogger(workspace.resolve("audit"), clock, Optional.empty());
        ModelRegistry registry = registry(audit);
        Instant before = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        register(registry, "v1");
        register(registry, "v2");
        clock.advance(Duration.ofHours(1));
        registry.promoteModel("fraud", "v1", ModelStage.PRODUCTION, null);
        registry.promoteModel("fraud", "v2", ModelStage.STAGING, null);
        Instant firstRelease = clock.instant().plus(Duration.ofMinutes(30));
        clock.advance(Duration.ofHours(1));
        registry.promoteModel("fraud", "v2", ModelStage.PRODUCTION, null);
        Instant secondRelease = clock.instant().plus(Duration.ofMinutes(30));
        List<AuditEvent> events = audit.queryEvents(AuditFilter.all());

        StagesAt atFirst = registry.stagesAt(firstRelease, "fraud", Optional.of(events));
        assertThat(atFirst.models()).singleElement().satisfies(model -> {
            assertThat(model.production()).containsExactly("v1");
            assertThat(model.staging()).containsExactly("v2");
        });
        assertThat(atFirst.agreesWithAudit()).isTrue();

        StagesAt atSecond = registry.stagesAt(secondRelease, null, Optional.of(events));
        assertThat(atSecond.models()).singleElement().satisfies(model -> {
            assertThat(model.production()).containsExactly("v2");
            assertThat(model.stages()).containsEntry("v1", ModelStage.ARCHIVED);
        });
        assertThat(atSecond.agreesWithAudit()).isTrue();
        assertThat(registry.stagesAt(before, null, Optional.of(events)).models()).isEmpty();
    }

    @Test
    void whenTheStageHistoryAndTheAuditTrailDisagreeTheAnswerSaysSo() throws Exception {
        AuditLogger audit = new AuditLogger(workspace.resolve("audit"), clock, Optional.empty());
        ModelRegistry registry = registry(audit);
        register(registry, "v1");
        clock.advance(Duration.ofHours(1));
        // A promotion that bypassed the registry: the trail has it, no stage history does.
        audit.logModelPromotion("fraud", "v1", "mallory", "development", "production", "by hand");
        clock.advance(Duration.ofHours(1));

        StagesAt now = registry.stagesAt(clock.instant(), "fraud", Optional.of(audit.queryEvents(AuditFilter.all())));

        assertThat(now.agreesWithAudit()).isFalse();
        assertThat(now.models().get(0).disagreements()).singleElement().asString()
                .contains("the stage history says production none").contains("the audit trail says production v1");
        assertThat(now.toJson().at("/models/0/audit_disagreements/0").asText()).contains("audit trail says");
        assertThat(registry.stagesAt(clock.instant(), "fraud", Optional.empty()).auditChecked()).isFalse();
    }
}
