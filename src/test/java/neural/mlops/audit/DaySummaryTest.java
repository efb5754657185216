package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A day's summary says what its events say, is made again when they change, and a report from summaries finds what one from events finds. */
class DaySummaryTest {

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-05-01T06:00:00.000000Z");
    final LocalDate firstDay = LocalDate.of(2024, 5, 1);
    final Instant start = Instant.parse("2024-05-01T00:00:00Z");
    final Instant end = Instant.parse("2024-05-04T23:59:59Z");

    Path root() {
        return dir.resolve("audit_logs");
    }

    AuditLogger audit() {
        return new AuditLogger(root(), clock, Optional.empty());
    }

    TrailIndex index() {
        return new TrailIndex(new TrailLayout(new LocalStorage(root())));
    }

    @BeforeEach
    void fourDays() {
        AuditLogger audit = audit();
        for (int day = 0; day < 4; day++) {
            for (int n = 0; n < 6; n++) {
                clock.advance(Duration.ofMinutes(41));
                audit.logEvent(new AuditRecord(n == 5 ? EventType.DEPLOYMENT_ACTIVATED : EventType.MODEL_ACCESSED,
                        n == 5 ? EventSeverity.ERROR : EventSeverity.INFO, "user" + n % 3, "model", "churn:v" + n, "read",
                        n == 5 ? Outcome.FAILURE : Outcome.SUCCESS, null, Map.of("n", n, "ratio", 0.5), null));
            }
            audit.logSecurityViolation("mallory", "model", "churn:v1", "token_reuse", Map.of("attempts", day));
            audit.logModelPromotion("churn", "v" + day, "carol", "staging", "production", "release " + day);
            clock.advance(Duration.ofDays(1));
        }
    }

    @Test
    void aDaysTallyFromItsSummaryIsItsTallyFromItsEvents() {
        for (int day = 0; day < 4; day++) {
            LocalDate date = firstDay.plusDays(day);
            ReportTally fromSummary = ReportTally.ofSummary(index().summary(date));
            ReportTally fromEvents = ReportTally.ofDay(index().read(date), AuditFilter.all());

            assertThat(fromSummary.total).isEqualTo(fromEvents.total).isEqualTo(8);
            assertThat(fromSummary.byType).isEqualTo(fromEvents.byType);
            assertThat(fromSummary.bySeverity).isEqualTo(fromEvents.bySeverity);
            assertThat(fromSummary.byUser).isEqualTo(fromEvents.byUser);
            assertThat(fromSummary.byDay).isEqualTo(fromEvents.byDay);
            assertThat(fromSummary.violations).isEqualTo(fromEvents.violations).hasSize(1);
            assertThat(fromSummary.deployments).isEqualTo(fromEvents.deployments).hasSize(1);
            assertThat(fromSummary.failed).isEqualTo(fromEvents.failed).hasSize(1);
            assertThat(fromSummary.promotions).isEqualTo(fromEvents.promotions).hasSize(1);
        }
    }

    @Test
    void aReportFromSummariesCountsWhatTheEventsHold() {
        audit().generateComplianceReport(start, end, "auditor"); // makes the summaries
        assertThat(root().resolve("index/2024/05/02.summary.json")).exists();

        ComplianceReport whole = audit().generateComplianceReport(start, end, "auditor");
        // A period that starts after the first event: that day is counted event by event.
        Instant later = Instant.parse("2024-05-01T06:45:00Z");
        ComplianceReport partly = audit().generateComplianceReport(later, end, "auditor");

        for (ComplianceReport report : java.util.List.of(whole, partly)) {
            java.util.List<AuditEvent> events = audit().queryEvents(AuditFilter.all()
                    .withPeriod(report.periodStart(), report.periodEnd()));
            assertThat(report.totalEvents()).isEqualTo(events.size());
            assertThat(report.eventsByType()).isEqualTo(events.stream().collect(java.util.stream.Collectors
                    .groupingBy(AuditEvent::eventType, java.util.stream.Collectors.counting())));
            assertThat(report.securityViolations()).isEqualTo(events.stream()
                    .filter(event -> event.eventType() == EventType.SECURITY_VIOLATION)
                    .sorted(java.util.Comparator.comparingLong(AuditEvent::seq)).toList());
            assertThat(report.failedOperations()).hasSize(4);
            assertThat(report.integrity().intact()).isTrue();
            assertThat(report.integrity().eventsChecked()).isEqualTo(32); // the period's days are checked whole
        }
        assertThat(whole.totalEvents()).isEqualTo(32);
        assertThat(partly.totalEvents()).isEqualTo(31);
    }

    @Test
    void aSummaryIsMadeAgainWhenItsDayChanges() throws IOException {
        LocalDate lastDay = firstDay.plusDays(3);
        assertThat(index().summary(lastDay).events()).isEqualTo(8);

        clock.set(Instant.parse("2024-05-04T23:00:00Z"));
        audit().logAccessDenied("bob", "model", "churn:v1", "promote", "not an approver");
        assertThat(index().summary(lastDay).events()).isEqualTo(9);

        Files.writeString(root().resolve("events/2024/05/04/event_20240504_235959_legacy.json"),
                "{\"event_type\": \"config_changed\", \"timestamp\": \"2024-05-04T23:59:59Z\", \"user\": \"python\"}");
        DaySummary withForeign = index().summary(lastDay);
        assertThat(withForeign.events()).isEqualTo(10);
        assertThat(withForeign.clean()).isFalse(); // an unchained event: checked event by event
    }

    @Test
    void aDamagedSummaryIsMadeAgain() throws IOException {
        LocalDate day = firstDay.plusDays(1);
        DaySummary made = index().summary(day);
        TrailLayout layout = new TrailLayout(new LocalStorage(root()));
        Path file = layout.display(layout.indexSummaryKey(day));
        Files.writeString(file, Files.readString(file).replace("\"security_violation\"", "\"no_such_type\""));

        assertThat(index().summary(day).toJson()).isEqualTo(made.toJson());
        Files.writeString(file, "{ not json");
        assertThat(index().summary(day).toJson()).isEqualTo(made.toJson());
    }

    @Test
    void aGapInsideADayIsFoundByTheReportAsByVerification() throws IOException {
        audit().generateComplianceReport(start, end, "auditor"); // every day summarised
        try (Stream<Path> files = Files.list(root().resolve("events/2024/05/02"))) {
            Files.delete(files.sorted().skip(3).findFirst().orElseThrow());
        }

        ComplianceReport report = audit().generateComplianceReport(start, end, "auditor");

        assertThat(report.integrity().problems(ProblemKind.MISSING)).singleElement()
                .satisfies(problem -> assertThat(problem.seq()).isEqualTo(12));
        assertThat(audit().verifyIntegrity().problems(ProblemKind.MISSING)).singleElement()
                .satisfies(problem -> assertThat(problem.seq()).isEqualTo(12));
    }

    @Test
    void aBrokenLinkBetweenDaysIsFoundFromTheSummaries() throws IOException {
        audit().generateComplianceReport(start, end, "auditor");
        Path firstOfDay3;
        try (Stream<Path> files = Files.list(root().resolve("events/2024/05/03"))) {
            firstOfDay3 = files.sorted().findFirst().orElseThrow();
        }
        String text = Files.readString(firstOfDay3);
        String prevHash = text.replaceAll("(?s).*\"prev_hash\" : \"([0-9a-f]+)\".*", "$1");
        Files.writeString(firstOfDay3, text.replace(prevHash, "0".repeat(64)));
        index().invalidate(firstDay.plusDays(2)); // as verification would, having read the edited file

        ComplianceReport report = audit().generateComplianceReport(start, end, "auditor");

        assertThat(report.integrity().intact()).isFalse();
        assertThat(report.integrity().problems(ProblemKind.MODIFIED)).isNotEmpty();
    }

    @Test
    void aBulkWrittenDayComesWithTheSummaryItsIndexWouldGive() throws IOException {
        Path bulkRoot = dir.resolve("bulk");
        try (BulkAppender bulk = BulkAppender.open(bulkRoot, Optional.empty())) {
            for (int i = 0; i < 30; i++) {
                bulk.append(AuditRecord.of(i % 7 == 0 ? EventType.MODEL_PROMOTED : EventType.MODEL_ACCESSED, "u" + i % 4,
                        "model", "m:v1", "read", Map.of("i", i)), start.plus(Duration.ofHours(i * 3)), "host");
            }
            bulk.finish();
        }
        TrailLayout layout = new TrailLayout(new LocalStorage(bulkRoot));
        Path stored = layout.display(layout.indexSummaryKey(firstDay.plusDays(1)));
        DaySummary written = DaySummary.fromJson(Files.readAllBytes(stored), java.time.ZoneOffset.UTC);

        Files.delete(stored);
        DaySummary made = new TrailIndex(layout).summary(firstDay.plusDays(1));

        assertThat(written.toJson()).isEqualTo(made.toJson());
        assertThat(written.clean()).isTrue();
    }

}
