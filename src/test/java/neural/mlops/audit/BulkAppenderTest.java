package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import neural.mlops.store.ConflictException;
import neural.mlops.store.Json;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trail written in bulk is the trail appends would have written: it verifies, queries, and goes on. */
class BulkAppenderTest {

    @TempDir
    Path dir;

    final Instant start = Instant.parse("2024-03-01T09:00:00Z");

    Path root() {
        return dir.resolve("audit_logs");
    }

    @Test
    void aTrailWrittenInBulkVerifiesQueriesAndTakesFurtherAppends() {
        ChainHead head;
        try (BulkAppender bulk = BulkAppender.open(root(), Optional.empty())) {
            for (int i = 0; i < 60; i++) {
                bulk.append(AuditRecord.of(EventType.MODEL_ACCESSED, i % 3 == 0 ? "alice" : "bob", "model",
                        "churn:v" + i % 4, "read", Map.of("n", i)), start.plus(Duration.ofHours(i)), "build-0" + i % 2);
            }
            head = bulk.finish();
        }

        TestClock clock = new TestClock(start.plus(Duration.ofDays(10)));
        AuditLogger audit = new AuditLogger(root(), clock, Optional.empty());
        assertThat(head.seq()).isEqualTo(60);
        assertThat(audit.head()).isEqualTo(head);
        IntegrityReport report = audit.verifyIntegrity();
        assertThat(report.problems()).isEmpty();
        assertThat(report.eventsChecked()).isEqualTo(60);
        assertThat(audit.queryEvents(AuditFilter.all().withUser("alice"))).hasSize(20);
        assertThat(audit.queryEvents(AuditFilter.all(), 1).get(0).host()).isEqualTo("build-01");
        assertThat(root().resolve("index/2024/03/03.jsonl")).exists();
        // Written with the trail: the first report or period check has no ledger to rebuild from every day's index.
        assertThat(TrailLedger.Stored.read(new TrailLayout(new LocalStorage(root())), null)).hasValueSatisfying(stored -> {
            assertThat(stored.throughSeq()).isEqualTo(60);
            assertThat(stored.throughDay()).isEqualTo(java.time.LocalDate.of(2024, 3, 3));
        });

        AuditEvent next = audit.logModelDeployment("churn", "v1", "devops", "production");
        assertThat(next.seq()).isEqualTo(61);
        assertThat(next.prevHash()).isEqualTo(head.hash());
        assertThat(audit.verifyIntegrity().problems()).isEmpty();
    }

    @Test
    void eventsAreKeptInTimeOrderAndSecretsAreRedactedAsInAnAppend() {
        try (BulkAppender bulk = BulkAppender.open(root(), Optional.empty())) {
            bulk.append(AuditRecord.of(EventType.SECURITY_VIOLATION, "mallory", "model", "churn:v1", "login",
                    Map.of("password", "hunter2")), start, "host");
            // Earlier than the previous event: kept at the previous time, so the trail never runs backwards.
            bulk.append(AuditRecord.of(EventType.MODEL_ACCESSED, "alice", "model", "churn:v1", "read", Map.of()),
                    start.minus(Duration.ofHours(1)), "host");
            bulk.finish();
        }

        List<AuditEvent> events = new AuditLogger(root(), java.time.Clock.systemUTC(), Optional.empty())
                .queryEvents(AuditFilter.all());
        assertThat(events.get(0).timestamp()).isEqualTo(start);
        assertThat((String) events.get(1).details().get("password")).startsWith("redacted:hmac-sha256:");
    }

    @Test
    void withAKeyTheFinishedDaysAreSignedAndTheTrailVerifiesWithIt() {
        AuditKey key = AuditKey.of("a-bulk-test-key-of-some-length");
        try (BulkAppender bulk = BulkAppender.open(root(), Optional.of(key))) {
            for (int day = 0; day < 3; day++) {
                bulk.append(AuditRecord.of(EventType.MODEL_ACCESSED, "alice", "model", "churn:v1", "read", Map.of()),
                        start.plus(Duration.ofDays(day)), "host");
            }
            bulk.finish();
        }

        assertThat(root().resolve("digests/2024/03/digest_20240301.json")).exists();
        assertThat(root().resolve("digests/2024/03/digest_20240302.json")).exists();
        assertThat(Json.readObject(root().resolve("head.json")).path("hmac").asText()).isNotEmpty();
        assertThat(new AuditLogger(root(), java.time.Clock.systemUTC(), Optional.of(key)).verifyIntegrity().problems())
                .isEmpty();
    }

    @Test
    void bulkWritingRefusesATrailThatAlreadyHoldsEvents() {
        new AuditLogger(root(), java.time.Clock.systemUTC(), Optional.empty())
                .logModelDeployment("churn", "v1", "devops", "production");

        assertThatThrownBy(() -> BulkAppender.open(root(), Optional.empty()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("already holds events");
    }

    @Test
    void aBulkWriteThatIsNotFinishedLeavesNoHead() {
        try (BulkAppender bulk = BulkAppender.open(root(), Optional.empty())) {
            bulk.append(AuditRecord.of(EventType.MODEL_ACCESSED, "alice", "model", "churn:v1", "read", Map.of()),
                    start, "host");
        }

        assertThat(root().resolve("head.json")).doesNotExist();
        assertThat(Files.exists(root().resolve("events/2024/03/01"))).isTrue();
    }
}
