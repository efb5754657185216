package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.StoredObject;
import neural.mlops.store.storage.TestStorages;
import org.junit.jupiter.api.Test;

/**
 * Adoption and archive on a folder, plus what is too slow to repeat on S3: many files, and the
 * property that adopt and archive never change what verify says about events they did not touch.
 */
class LocalRetentionTest extends RetentionContract {

    @Override
    protected TestStorages.Backend backend() {
        return TestStorages.Backend.LOCAL;
    }

    @Test
    void theLedgerRecordIsWrittenByAPeriodsCheckAndRebuiltFromTheIndexWhenMissingOrDamaged() throws java.io.IOException {
        AuditLogger audit = audit();
        legacyThenChained(audit);
        audit.adopt(null, "carol", "migrated");
        Instant from = Instant.parse("2024-01-10T00:00:00Z");
        Path record = workspaceFolder.resolve("audit_logs/index/" + TrailLedger.FILE);

        assertThat(audit.verifyIntegrity(from, clock.instant()).adoptedEvents()).isEqualTo(3);
        assertThat(record).exists();
        assertThat(java.nio.file.Files.readString(record)).contains("\"through_seq\":" + audit.head().seq());

        java.nio.file.Files.delete(record);
        assertThat(audit.verifyIntegrity(from, clock.instant()).adoptedEvents()).isEqualTo(3);
        assertThat(record).exists();

        // Edited without resealing: not trusted, rebuilt from the index (which still says what the events say).
        java.nio.file.Files.writeString(record, java.nio.file.Files.readString(record).replace("\"adopted\":[", "\"adopted\":[ "));
        IntegrityReport damaged = audit.verifyIntegrity(from, clock.instant());
        assertThat(damaged.problems()).isEmpty();
        assertThat(damaged.adoptedEvents()).isEqualTo(3);
        assertThat(java.nio.file.Files.readString(record)).doesNotContain("[ ");
    }

    @Test
    void anAdoptionAppendedAfterTheLedgerRecordIsFoundByItsStalenessCheck() throws java.io.IOException {
        AuditLogger audit = audit();
        chained(audit, 3);
        Instant from = Instant.parse("2024-01-12T00:00:00Z");
        Path record = workspaceFolder.resolve("audit_logs/index/" + TrailLedger.FILE);
        assertThat(audit.verifyIntegrity(from, clock.instant()).intact()).isTrue();
        assertThat(java.nio.file.Files.readString(record)).contains("\"adopted\":[]");

        legacyEvent(clock.instant().minus(Duration.ofHours(1)).toString(), 1, "alice");
        assertThat(audit.verifyIntegrity(from, clock.instant()).unchainedEvents()).isEqualTo(1);
        audit.adopt(null, "carol", "checked by hand");

        IntegrityReport after = audit.verifyIntegrity(from, clock.instant());
        assertThat(after.problems()).isEmpty();
        assertThat(after.adoptedEvents()).isEqualTo(1);
        assertThat(java.nio.file.Files.readString(record)).contains("\"through_seq\":" + audit.head().seq())
                .contains("\"by_seq\":" + audit.head().seq());
    }

    @Test
    void manyUnchainedFilesAreAdoptedInSeveralEventsEachWithinTheDetailsLimit() {
        AuditLogger audit = audit();
        for (int i = 1; i <= 700; i++) {
            legacyEvent(Instant.parse("2024-01-10T00:00:00Z").plusSeconds(60L * i).toString(), i, "alice");
        }
        chained(audit, 1);

        AdoptionResult adoption = audit.adopt(null, "carol", "migrated");

        assertThat(adoption.adopted()).isEqualTo(700);
        assertThat(adoption.recorded()).hasSizeGreaterThan(1);
        assertThat(adoption.recorded()).allSatisfy(event -> assertThat(event.details()).containsKey("part"));
        IntegrityReport report = audit.verifyIntegrity();
        assertThat(report.problems()).isEmpty();
        assertThat(report.adoptedEvents()).isEqualTo(700);
    }

    /** A problem as verify names it: kind, seq and file name. */
    record Named(ProblemKind kind, long seq, String file) {
        static List<Named> of(IntegrityReport report) {
            return report.problems().stream()
                    .map(problem -> new Named(problem.kind(), problem.seq(),
                            problem.file() == null ? null : problem.file().getFileName().toString()))
                    .sorted(Comparator.comparing(Named::toString)).toList();
        }
    }

    /** An edit or a deletion of one event object, and its undoing. */
    final class Tamper {
        final Key key;
        final boolean delete;
        byte[] original;

        Tamper(Key key, boolean delete) {
            this.key = key;
            this.delete = delete;
        }

        void apply() {
            original = trail.read(key, 1 << 20).orElseThrow().content();
            if (delete) {
                trail.delete(key, Condition.none());
            } else {
                String edited = new String(original, StandardCharsets.UTF_8).replace("\"devops\"", "\"someone_else\"");
                trail.write(key, edited.getBytes(StandardCharsets.UTF_8), Condition.none());
            }
        }

        void undo() {
            trail.write(key, original, Condition.none());
        }
    }

    List<Key> chainedEventKeys(LocalDate from) {
        List<Key> keys = new ArrayList<>();
        try (Stream<StoredObject> objects = trail.list("events")) {
            objects.map(StoredObject::key)
                    .filter(key -> key.fileName().endsWith(".json") && TrailLayout.seqFromName(key.fileName()) > 0)
                    .forEach(keys::add);
        }
        return keys.stream()
                .filter(key -> !LocalDate.parse(key.segments().get(1) + "-" + key.segments().get(2) + "-"
                        + key.segments().get(3)).isBefore(from))
                .sorted(Comparator.comparing(Key::value)).toList();
    }

    @Test
    void adoptAndArchiveNeverChangeWhatVerifySaysAboutEventsTheyDidNotTouch() {
        close();
        for (long seed = 1; seed <= 6; seed++) {
            Random random = new Random(seed);
            openAt("workspace" + seed);
            try {
                AuditLogger audit = audit();
                legacyEvent("2024-01-10T10:00:00Z", 1, "alice");
                legacyEvent("2024-01-11T10:00:00Z", 1, "bob");
                chained(audit, 10 + random.nextInt(10));
                // A deployment event of a day the archive keeps, never the newest (adopt and archive append after it).
                List<Key> kept = chainedEventKeys(LocalDate.parse("2024-01-14"));
                List<Key> candidates = kept.subList(0, kept.size() - 1).stream()
                        .filter(key -> new String(trail.read(key, 1 << 20).orElseThrow().content(), StandardCharsets.UTF_8)
                                .contains("\"devops\"")).toList();
                Tamper tamper = new Tamper(candidates.get(random.nextInt(candidates.size())), random.nextBoolean());

                tamper.apply();
                List<Named> before = Named.of(audit.verifyIntegrity()).stream()
                        .filter(named -> named.kind() != ProblemKind.UNCHAINED).toList();
                tamper.undo();
                audit.adopt(null, "carol", "migrated");
                tamper.apply();
                assertThat(Named.of(audit.verifyIntegrity())).as("seed %d, after adopt", seed).isEqualTo(before);
                tamper.undo();
                audit.archive(LocalDate.parse("2024-01-14"), outputs.resolve("a" + seed + ".zip"), "carol", "retention", false);
                tamper.apply();
                assertThat(Named.of(audit.verifyIntegrity())).as("seed %d, after archive", seed).isEqualTo(before);
                assertThat(before).as("seed %d: the tamper is seen", seed).isNotEmpty();
            } finally {
                close();
            }
        }
        openAt("after"); // for the closing of every test
    }
}
