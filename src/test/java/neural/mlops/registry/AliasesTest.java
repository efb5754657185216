package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.EventType;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.MlopsException;
import neural.mlops.store.NotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Aliases of a model: set, moved, removed, resolved, kept with their history, audited, and guarded. */
class AliasesTest {

    @TempDir
    Path workspace;

    Fixtures fx;
    Aliases aliases;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(workspace);
        fx.register("fraud_detector", "v1.0.0", 0.9);
        fx.register("fraud_detector", "v2.0.0", 0.95);
        fx.register("churn", "1", 0.7);
        aliases = new Aliases(fx.registry, fx.audit, fx.clock, AliasGuard.ALLOW_ALL);
    }

    @Test
    void anAliasIsUniquePerModelSoSettingItAgainMovesItWithOneEventNamingOldAndNewVersion() {
        aliases.set("fraud_detector", "champion", "v1.0.0", "first in production");
        fx.clock.advance(Duration.ofMinutes(1));
        int before = fx.audit.records.size();

        Alias moved = aliases.set("fraud_detector", "champion", "v2.0.0", "beats v1");

        assertThat(moved.version()).isEqualTo("v2.0.0");
        assertThat(aliases.list("fraud_detector")).singleElement().isEqualTo(moved);
        List<AuditRecord> events = fx.audit.records.subList(before, fx.audit.records.size());
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(EventType.MODEL_UPDATED);
            assertThat(event.action()).isEqualTo("move_alias");
            assertThat(event.resourceId()).isEqualTo("fraud_detector:v2.0.0");
            assertThat(event.reason()).isEqualTo("beats v1");
            assertThat(event.details()).containsEntry(AuditRecords.ALIAS, "champion")
                    .containsEntry(AuditRecords.FROM_VERSION, "v1.0.0").containsEntry(AuditRecords.TO_VERSION, "v2.0.0");
        });
    }

    @Test
    void settingAnAliasWhereItAlreadyPointsWritesNothingAndRecordsNothing() {
        aliases.set("fraud_detector", "champion", "v1.0.0", null);
        int before = fx.audit.records.size();

        aliases.set("fraud_detector", "champion", "v1.0.0", "again");

        assertThat(fx.audit.records).hasSize(before);
        assertThat(aliases.history("fraud_detector")).hasSize(1);
    }

    @Test
    void twoModelsMayEachHaveAnAliasOfTheSameName() {
        aliases.set("fraud_detector", "champion", "v2.0.0", null);
        aliases.set("churn", "champion", "1", null);

        assertThat(aliases.listAll()).containsOnlyKeys("churn", "fraud_detector");
        assertThat(aliases.resolve("churn", "champion")).isEqualTo("1");
        assertThat(aliases.resolve("fraud_detector", "champion")).isEqualTo("v2.0.0");
    }

    @Test
    void removingAnAliasKeepsItsHistoryAndRecordsTheVersionItLeft() {
        aliases.set("fraud_detector", "challenger", "v2.0.0", null);
        fx.clock.advance(Duration.ofMinutes(1));

        AliasMove removed = aliases.remove("fraud_detector", "challenger", "experiment over");

        assertThat(removed.fromVersion()).isEqualTo("v2.0.0");
        assertThat(removed.toVersion()).isNull();
        assertThat(aliases.list("fraud_detector")).isEmpty();
        assertThat(aliases.history("fraud_detector")).extracting(AliasMove::action)
                .containsExactly("remove_alias", "set_alias");
        assertThat(fx.audit.records.get(fx.audit.records.size() - 1)).satisfies(event -> {
            assertThat(event.action()).isEqualTo("remove_alias");
            assertThat(event.resourceId()).isEqualTo("fraud_detector:v2.0.0");
            assertThat(event.details()).containsEntry(AuditRecords.TO_VERSION, null);
        });
        assertThatThrownBy(() -> aliases.remove("fraud_detector", "challenger", null))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("has no aliases");
    }

    @Test
    void resolvingAnUnknownAliasNamesItAndTheAliasesTheModelHas() {
        aliases.set("fraud_detector", "champion", "v2.0.0", null);
        aliases.set("fraud_detector", "challenger", "v1.0.0", null);

        assertThatThrownBy(() -> aliases.version("fraud_detector@champ", null))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("No alias 'champ' of fraud_detector; its aliases are challenger, champion");
        assertThat(aliases.version("fraud_detector@champion", null)).isEqualTo(new VersionId("fraud_detector", "v2.0.0"));
        assertThat(aliases.version("fraud_detector", "@challenger")).isEqualTo(new VersionId("fraud_detector", "v1.0.0"));
        assertThat(aliases.version("fraud_detector", "v1.0.0")).isEqualTo(new VersionId("fraud_detector", "v1.0.0"));
    }

    @Test
    void anAliasNamedLikeAStageOrLatestOrNotLikeAVersionIsRefusedBeforeAnythingIsWritten() {
        for (String bad : List.of("production", "Staging", "latest", "LATEST", "two words", "a@b", "")) {
            assertThatThrownBy(() -> aliases.set("fraud_detector", bad, "v1.0.0", null))
                    .isInstanceOf(InvalidInputException.class);
        }
        assertThat(fx.root.resolve("models/fraud_detector/aliases.json")).doesNotExist();
    }

    @Test
    void anAliasCanOnlyPointAtARegisteredVersion() {
        assertThatThrownBy(() -> aliases.set("fraud_detector", "champion", "v9", null))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("v9 of fraud_detector is not registered");
        assertThat(fx.root.resolve("models/fraud_detector/aliases.json")).doesNotExist();
    }

    @Test
    void deletingAVersionAnAliasPointsAtIsRefusedUnlessForcedAndThenTheAliasIsRemovedAndAudited() {
        aliases.set("fraud_detector", "champion", "v1.0.0", null);

        assertThatThrownBy(() -> fx.registry.deleteVersion("fraud_detector", "v1.0.0", false))
                .isInstanceOf(ConflictException.class).hasMessageContaining("alias champion");
        assertThat(fx.registry.listVersions("fraud_detector")).hasSize(2);

        int before = fx.audit.records.size();
        fx.registry.deleteVersion("fraud_detector", "v1.0.0", true, "withdrawn");

        assertThat(aliases.list("fraud_detector")).isEmpty();
        assertThat(fx.audit.records.subList(before, fx.audit.records.size()))
                .extracting(AuditRecord::type, AuditRecord::action)
                .containsExactly(tuple(EventType.MODEL_DELETED, "delete"), tuple(EventType.MODEL_UPDATED, "remove_alias"));
        assertThat(aliases.history("fraud_detector").get(0).reason()).isEqualTo("version v1.0.0 deleted: withdrawn");
    }

    @Test
    void whereEachAliasPointedAtATimeIsAnsweredFromItsHistory() {
        Instant beforeAny = fx.clock.instant();
        fx.clock.advance(Duration.ofMinutes(1));
        aliases.set("fraud_detector", "champion", "v1.0.0", null);
        fx.clock.advance(Duration.ofMinutes(1));
        Instant first = fx.clock.instant();
        fx.clock.advance(Duration.ofMinutes(1));
        aliases.set("fraud_detector", "champion", "v2.0.0", null);
        aliases.set("fraud_detector", "challenger", "v1.0.0", null);
        fx.clock.advance(Duration.ofMinutes(1));
        Instant second = fx.clock.instant();
        fx.clock.advance(Duration.ofMinutes(1));
        aliases.remove("fraud_detector", "challenger", null);

        assertThat(aliases.at("fraud_detector", beforeAny)).isEmpty();
        assertThat(aliases.at("fraud_detector", first)).isEqualTo(Map.of("champion", "v1.0.0"));
        assertThat(aliases.at("fraud_detector", second)).isEqualTo(Map.of("champion", "v2.0.0", "challenger", "v1.0.0"));
        assertThat(aliases.atAll(fx.clock.instant())).isEqualTo(Map.of("fraud_detector", Map.of("champion", "v2.0.0")));
    }

    @Test
    void aRefusalByTheGuardWritesNothingAndAnUnrecordableEventChangesNothing() {
        Aliases guarded = new Aliases(fx.registry, fx.audit, fx.clock, context -> {
            throw new ConflictException(context.user() + " may not " + context.action());
        });
        assertThatThrownBy(() -> guarded.set("fraud_detector", "champion", "v1.0.0", null))
                .hasMessage("alice may not set_alias");
        assertThat(fx.root.resolve("models/fraud_detector/aliases.json")).doesNotExist();

        fx.audit.failing = true;
        assertThatThrownBy(() -> aliases.set("fraud_detector", "champion", "v1.0.0", null))
                .isInstanceOf(MlopsException.class).hasMessageContaining("nothing was changed");
        assertThat(fx.root.resolve("models/fraud_detector/aliases.json")).doesNotExist();
    }

    @Test
    void fieldsOfOtherToolsSurviveAnAliasChange() throws Exception {
        aliases.set("fraud_detector", "champion", "v1.0.0", null);
        Path file = fx.root.resolve("models/fraud_detector/aliases.json");
        Files.writeString(file, Files.readString(file).replaceFirst("\\{", "{\"owner\": \"ml-team\","));

        aliases.set("fraud_detector", "champion", "v2.0.0", null);

        assertThat(Files.readString(file)).contains("\"owner\" : \"ml-team\"");
        assertThat(aliases.resolve("fraud_detector", "champion")).isEqualTo("v2.0.0");
    }
}
