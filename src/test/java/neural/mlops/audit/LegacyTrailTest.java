package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import neural.mlops.store.OutputGuard;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trail written by the original Python module (SPEC 10), read through the core. */
class LegacyTrailTest {

    @TempDir
    Path root;

    private AuditLogger trail(ZoneId zone) throws IOException {
        Files.createDirectories(root.resolve("events/2024/01/16"));
        Files.writeString(root.resolve("events/2024/01/16/event_20240116_093100_000002.json"), """
                {
                  "event_id": "event_20240116_093100_000002",
                  "event_type": "security_violation",
                  "timestamp": "2024-01-16T09:31:00",
                  "user": "mallory",
                  "severity": "critical",
                  "resource_type": "model",
                  "resource_id": "fraud_detector:v2.0.0",
                  "action": "download",
                  "details": {"metrics": {"auc": NaN}},
                  "ip_address": null,
                  "tags": ["security", "violation"]
                }
                """);
        Files.writeString(root.resolve("events/2024/01/16/event_20240116_110000_000003.json"), """
                {"event_id": "event_20240116_110000_000003", "event_type": "access_revoked",
                 "timestamp": "2024-01-16T11:00:00.300000", "user": "admin", "severity": "warning",
                 "resource_type": "model", "resource_id": "m:1", "action": "revoke", "details": {},
                 "ip_address": null, "tags": ["access"]}
                """);
        return new AuditLogger(new LocalStorage(root), Clock.systemUTC(), Optional.empty(),
                OutputGuard.outside(List.of(root)), zone);
    }

    @Test
    void naiveTimesAreReadInTheStatedZone() throws IOException {
        AuditLogger audit = trail(ZoneId.of("Europe/Berlin"));

        List<AuditEvent> events = audit.queryEvents(AuditFilter.all().withType(EventType.SECURITY_VIOLATION));

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.timestamp()).isEqualTo(Instant.parse("2024-01-16T08:31:00Z"));
            assertThat(event.tags()).containsExactly("security", "violation");
            assertThat(event.chained()).isFalse();
        });
        assertThat(OriginalShape.time(events.get(0).timestamp(), audit.legacyZone())).isEqualTo("2024-01-16T09:31:00");
    }

    @Test
    void theOriginalsTypesAndTagsAreFilteredOn() throws IOException {
        AuditLogger audit = trail(ZoneId.of("UTC"));

        assertThat(audit.queryEvents(AuditFilter.all().withTags(List.of("access", "nothing"))))
                .extracting(AuditEvent::eventType).containsExactly(EventType.ACCESS_REVOKED);
        assertThat(audit.queryEvents(AuditFilter.all().withTags(List.of("nothing")))).isEmpty();
        assertThat(audit.queryEvents(AuditFilter.all().withText("violation"))).hasSize(1);
        assertThat(audit.queryEvents(AuditFilter.all())).hasSize(2);
    }

    @Test
    void aTaggedRecordIsWrittenWithItsTagsAndStillVerifies() throws IOException {
        AuditLogger audit = new AuditLogger(root);
        AuditEvent event = audit.logEvent(new AuditRecord(EventType.SECURITY_VIOLATION, EventSeverity.CRITICAL, "alice",
                "model", "m:1", "download", Outcome.DENIED, null, null, null, List.of("security", "violation")));

        assertThat(event.tags()).containsExactly("security", "violation");
        assertThat(audit.queryEvents(AuditFilter.all().withTags(List.of("violation")))).hasSize(1);
        assertThat(audit.verifyIntegrity().intact()).isTrue();
    }

    @Test
    void theProductsOwnEventsHaveNoTagsKeySoTheirHashesAreAsBefore() {
        AuditEvent event = new AuditLogger(root).logModelDeployment("m", "1", "alice", "production");

        assertThat(event.toJson().has("tags")).isFalse();
    }

    // SPEC 10: a Python process may still be writing its events into the day folders the product appends to.

    private final TestClock clock = TestClock.at("2024-01-15T12:00:00Z");

    /** A new logger, as a new process of the product opens the trail: it lists the day folders for strays. */
    private AuditLogger product() {
        return new AuditLogger(new LocalStorage(root), clock, Optional.empty(), OutputGuard.outside(List.of(root)),
                ZoneId.of("UTC"));
    }

    private Path legacyEvent(String stamp, String counter, String naiveTime) throws IOException {
        Path day = root.resolve("events/" + stamp.substring(0, 4) + "/" + stamp.substring(4, 6) + "/" + stamp.substring(6, 8));
        Files.createDirectories(day);
        String id = "event_" + stamp + "_" + counter;
        return Files.writeString(day.resolve(id + ".json"), """
                {"event_id": "%s", "event_type": "data_access", "timestamp": "%s", "user": "etl",
                 "severity": "info", "resource_type": "dataset", "resource_id": "train", "action": "read",
                 "details": {}, "ip_address": null, "tags": []}
                """.formatted(id, naiveTime));
    }

    @Test
    void anAppendGoesOnBesideTheOriginalsFilesWrittenAfterTheHeadAndNeverOverwritesThem() throws IOException {
        product().logModelDeployment("m", "1", "alice", "production");
        // The original's per-process counter names what looks like seqs 2 and 3, in the same second.
        Path second = legacyEvent("20240115_120000", "000002", "2024-01-15T12:00:00");
        Path third = legacyEvent("20240115_120000", "000003", "2024-01-15T12:00:00");
        String secondBefore = Files.readString(second);

        AuditEvent appended = product().logModelDeployment("m", "2", "alice", "production");

        assertThat(appended.seq()).isEqualTo(2);
        assertThat(Files.readString(second)).isEqualTo(secondBefore);
        assertThat(third).exists();
        IntegrityReport report = product().verifyIntegrity();
        assertThat(report.eventsChecked()).isEqualTo(2);
        assertThat(report.unchainedEvents()).isEqualTo(2);
        assertThat(report.problems()).extracting(IntegrityProblem::kind).containsOnly(ProblemKind.UNCHAINED);
        assertThat(report.problems()).extracting(IntegrityProblem::file).containsExactlyInAnyOrder(second, third);
    }

    @Test
    void ourEventsInterleavedWithTheOriginalsStillChainAndAGapAmongOursIsStillFound() throws IOException {
        product().logModelDeployment("m", "1", "alice", "production");
        clock.set(Instant.parse("2024-01-15T12:00:30Z"));
        Path legacy = legacyEvent("20240115_120030", "000002", "2024-01-15T12:00:30");
        clock.set(Instant.parse("2024-01-15T12:01:00Z"));
        product().logModelDeployment("m", "2", "alice", "production");
        clock.set(Instant.parse("2024-01-15T12:02:00Z"));
        legacyEvent("20240115_120200", "000004", "2024-01-15T12:02:00");
        AuditEvent third = product().logModelDeployment("m", "3", "alice", "production");

        assertThat(third.seq()).isEqualTo(3);
        IntegrityReport report = product().verifyIntegrity();
        assertThat(report.eventsChecked()).isEqualTo(3);
        assertThat(report.problems()).extracting(IntegrityProblem::kind).containsOnly(ProblemKind.UNCHAINED);
        assertThat(legacy).exists();

        Path ourSecond;
        try (Stream<Path> files = Files.list(legacy.getParent())) {
            ourSecond = files.filter(file -> file.getFileName().toString().startsWith("event_20240115_120100_"))
                    .findFirst().orElseThrow();
        }
        Files.delete(ourSecond);

        assertThat(product().verifyIntegrity().problems()).extracting(IntegrityProblem::kind)
                .contains(ProblemKind.MISSING);
    }
}
