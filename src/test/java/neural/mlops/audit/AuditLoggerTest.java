package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.NotFoundException;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail's append, query and report, starting with the examples of the original documentation. */
class AuditLoggerTest {

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-01-15T12:00:00.123456Z");

    AuditLogger audit() {
        return new AuditLogger(dir.resolve("audit_logs"), clock, Optional.empty());
    }

    // The original's examples, in Java (docs/api.md shows the same code).

    @Test
    void logModelDeploymentRecordsAChainedEventForTheModelVersion() {
        AuditLogger audit = audit();
        AuditEvent event = audit.logModelDeployment("fraud_detector", "v2.0.0", "devops@company.com", "production");

        assertThat(event.eventType()).isEqualTo(EventType.MODEL_DEPLOYED);
        assertThat(event.resourceType()).isEqualTo("model");
        assertThat(event.resourceId()).isEqualTo("fraud_detector:v2.0.0");
        assertThat(event.user()).isEqualTo("devops@company.com");
        assertThat(event.details()).containsEntry("environment", "production");
        assertThat(event.seq()).isEqualTo(1);
        assertThat(event.prevHash()).isNull();
        assertThat(event.hash()).hasSize(64);
        assertThat(event.eventId()).isEqualTo("event_20240115_120000_0000001");
        Path file = dir.resolve("audit_logs/events/2024/01/15/event_20240115_120000_0000001.json");
        assertThat(file).exists();
        ObjectNode stored = Json.readObject(file);
        assertThat(stored.get("timestamp").asText()).isEqualTo("2024-01-15T12:00:00.123456Z");
        assertThat(fieldNames(stored)).containsExactly("event_id", "seq", "timestamp", "event_type", "severity", "user",
                "resource_type", "resource_id", "action", "outcome", "reason", "details", "ip_address", "host",
                "prev_hash", "hash");
        assertThat(Json.readObject(dir.resolve("audit_logs/head.json")).get("last_hash").asText()).isEqualTo(event.hash());
    }

    @Test
    void logSecurityViolationIsCriticalAndDenied() {
        AuditEvent event = audit().logSecurityViolation("unknown@external.com", "model", "fraud_detector:v2.0.0",
                "unauthorized_access", Map.of("ip_address", "192.168.1.1"), "192.168.1.1");

        assertThat(event.eventType()).isEqualTo(EventType.SECURITY_VIOLATION);
        assertThat(event.severity()).isEqualTo(EventSeverity.CRITICAL);
        assertThat(event.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(event.ipAddress()).isEqualTo("192.168.1.1");
        assertThat(event.details()).containsEntry("ip_address", "192.168.1.1");
    }

    @Test
    void queryEventsByTypeStartDateAndSeverityReturnsTheMatchesNewestFirst() {
        AuditLogger audit = audit();
        audit.logModelDeployment("fraud_detector", "v1.0.0", "devops", "staging");
        clock.advance(Duration.ofDays(10));
        audit.logModelDeployment("fraud_detector", "v2.0.0", "devops", "production");
        clock.advance(Duration.ofHours(1));
        audit.logSecurityViolation("mallory", "model", "fraud_detector:v2.0.0", "unauthorized_access", Map.of());
        clock.advance(Duration.ofHours(1));
        audit.logModelDeployment("churn", "v1.0.0", "devops", "production");

        List<AuditEvent> deployments = audit.queryEvents(AuditFilter.all()
                .withType(EventType.MODEL_DEPLOYED)
                .withSince(clock.instant().minus(Duration.ofDays(7)))
                .withSeverity(EventSeverity.INFO));

        assertThat(deployments).extracting(AuditEvent::resourceId).containsExactly("churn:v1.0.0", "fraud_detector:v2.0.0");
        assertThat(audit.queryEvents(EventType.MODEL_DEPLOYED, clock.instant().minus(Duration.ofDays(7)), null,
                EventSeverity.INFO, null, null, null, 1)).extracting(AuditEvent::resourceId).containsExactly("churn:v1.0.0");
    }

    @Test
    void generateComplianceReportCountsTheEventsAndViolationsOfThePeriod() {
        AuditLogger audit = audit();
        audit.logModelRegistration("fraud_detector", "v2.0.0", "alice", "pytorch", Map.of("accuracy", 0.95));
        audit.logModelPromotion("fraud_detector", "v2.0.0", "alice", "staging", "production", "beats v1 on recall");
        audit.logModelDeployment("fraud_detector", "v2.0.0", "devops", "production");
        audit.logSecurityViolation("unknown@external.com", "model", "fraud_detector:v2.0.0", "unauthorized_access",
                Map.of("ip_address", "192.168.1.1"));
        audit.logAccessDenied("bob", "model", "fraud_detector:v2.0.0", "promote", "bob may not promote to production");
        audit.logEvent(new AuditRecord(EventType.DEPLOYMENT_ACTIVATED, EventSeverity.ERROR, "devops", "deployment",
                "deploy_1", "activate", Outcome.FAILURE, "endpoint unreachable", Map.of(), null));

        ComplianceReport report = audit.generateComplianceReport(clock.instant().minus(Duration.ofDays(90)), clock.instant());

        assertThat(report.totalEvents()).isEqualTo(6);
        assertThat(report.securityViolations()).hasSize(1);
        assertThat(report.securityViolations().get(0).user()).isEqualTo("unknown@external.com");
        assertThat(report.accessDenied()).extracting(AuditEvent::reason).containsExactly("bob may not promote to production");
        assertThat(report.promotions()).hasSize(1);
        assertThat(report.modelDeployments()).hasSize(2);
        assertThat(report.failedOperations()).extracting(AuditEvent::eventType).containsExactly(EventType.DEPLOYMENT_ACTIVATED);
        assertThat(report.eventsByType()).containsEntry(EventType.MODEL_DEPLOYED, 1L).containsEntry(EventType.SECURITY_VIOLATION, 1L);
        assertThat(report.eventsBySeverity()).containsEntry(EventSeverity.CRITICAL, 1L);
        assertThat(report.eventsByUser()).containsEntry("alice", 2L);
        assertThat(report.eventsByDay()).containsOnlyKeys(java.time.LocalDate.of(2024, 1, 15));
        assertThat(report.integrity().intact()).isTrue();
        assertThat(report.headSeq()).isEqualTo(6);

        assertThat(report.file()).exists().hasFileName("report_20240115_120000.json");
        JsonNode saved = Json.readObject(report.file());
        assertThat(saved.get("total_events").asLong()).isEqualTo(6);
        assertThat(saved.get("security_violations")).hasSize(1);
        assertThat(saved.at("/chain_head/hash").asText()).isEqualTo(report.headHash());
        assertThat(saved.at("/integrity/intact").asBoolean()).isTrue();
        assertThat(saved.at("/events_by_day/2024-01-15").asLong()).isEqualTo(6);
        // Generating the report is itself audited.
        assertThat(audit.queryEvents(AuditFilter.all().withType(EventType.REPORT_GENERATED)))
                .singleElement().satisfies(event -> assertThat(event.resourceId()).isEqualTo(report.reportId()));
    }

    @Test
    void twoReportsInTheSameSecondAreBothKept() {
        AuditLogger audit = audit();
        audit.logModelDeployment("fraud_detector", "v2.0.0", "devops", "production");
        ComplianceReport first = audit.generateComplianceReport(null, clock.instant());
        ComplianceReport second = audit.generateComplianceReport(null, clock.instant());
        assertThat(first.file()).isNotEqualTo(second.file());
        assertThat(first.file()).exists();
        assertThat(second.file()).exists();
    }

    // The chain

    @Test
    void seqsFollowEachOtherAndEachEventLinksToThePrevious() {
        AuditLogger audit = audit();
        AuditEvent first = audit.logModelDeployment("a", "v1", "devops", "production");
        AuditEvent second = audit.logModelDeployment("b", "v1", "devops", "production");
        AuditEvent third = audit.logModelDeployment("c", "v1", "devops", "production");
        assertThat(List.of(first.seq(), second.seq(), third.seq())).containsExactly(1L, 2L, 3L);
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(third.prevHash()).isEqualTo(second.hash());
        assertThat(audit.head()).isEqualTo(new ChainHead(3, third.hash(), third.timestamp()));
        assertThat(audit.verifyIntegrity().intact()).isTrue();
    }

    @Test
    void aClockSetBackKeepsTimestampsMonotonicAndTheOrderBySeq() {
        AuditLogger audit = audit();
        AuditEvent before = audit.logModelDeployment("a", "v1", "devops", "production");
        clock.set(Instant.parse("2024-01-14T08:00:00Z")); // a day and more back
        AuditEvent after = audit.logModelDeployment("b", "v1", "devops", "production");
        clock.set(Instant.parse("2024-01-16T08:00:00Z"));
        AuditEvent later = audit.logModelDeployment("c", "v1", "devops", "production");

        assertThat(after.seq()).isEqualTo(2);
        assertThat(after.timestamp()).isEqualTo(before.timestamp());
        assertThat(after.eventId()).isEqualTo("event_20240115_120000_0000002");
        assertThat(dir.resolve("audit_logs/events/2024/01/14")).doesNotExist();
        assertThat(later.timestamp()).isAfter(after.timestamp());
        assertThat(audit.queryEvents(AuditFilter.all())).extracting(AuditEvent::seq).containsExactly(3L, 2L, 1L);
        assertThat(audit.verifyIntegrity().problems()).isEmpty();
    }

    @Test
    void eventsAreStoredInTheFolderOfTheirUtcDay() {
        AuditLogger audit = audit();
        audit.logModelDeployment("a", "v1", "devops", "production");
        clock.advance(Duration.ofDays(1));
        audit.logModelDeployment("a", "v2", "devops", "production");
        assertThat(dir.resolve("audit_logs/events/2024/01/15/event_20240115_120000_0000001.json")).exists();
        assertThat(dir.resolve("audit_logs/events/2024/01/16/event_20240116_120000_0000002.json")).exists();
    }

    @Test
    void aLimitedQueryGivesTheNewestEventsAcrossDaysWhateverTheSizeOfEachDay() {
        AuditLogger audit = audit();
        for (int i = 1; i <= 5; i++) {
            audit.logModelDeployment("a", "v1." + i, "devops", "staging");
        }
        clock.advance(Duration.ofDays(1));
        for (int i = 1; i <= 3; i++) {
            audit.logModelDeployment("a", "v2." + i, "devops", "staging");
        }

        assertThat(audit.query(AuditFilter.all(), 2).events()).extracting(AuditEvent::resourceId)
                .containsExactly("a:v2.3", "a:v2.2");
        assertThat(audit.query(AuditFilter.all(), 5).events()).extracting(AuditEvent::resourceId)
                .containsExactly("a:v2.3", "a:v2.2", "a:v2.1", "a:v1.5", "a:v1.4");
        assertThat(audit.query(AuditFilter.all().withType(EventType.MODEL_DEPLOYED), 0).events()).hasSize(8);
    }

    @Test
    void aQueryReadsOnlyTheDayFoldersOfItsPeriod() throws IOException {
        AuditLogger audit = audit();
        audit.logModelDeployment("a", "v1", "devops", "production");
        clock.advance(Duration.ofDays(40));
        audit.logModelDeployment("a", "v2", "devops", "production");
        // An unreadable file in an old day is not touched by a query of the last 30 days...
        Path old = dir.resolve("audit_logs/events/2024/01/15/event_20240115_130000_000009.json");
        Files.writeString(old, "not json");
        QueryResult recent = audit.query(AuditFilter.all().withSince(clock.instant().minus(Duration.ofDays(30))), 0);
        assertThat(recent.events()).extracting(AuditEvent::resourceId).containsExactly("a:v2");
        assertThat(recent.unreadable()).isEmpty();
        // ... while a query over it reports the file and still returns the rest.
        QueryResult all = audit.query(AuditFilter.all(), 0);
        assertThat(all.events()).hasSize(2);
        assertThat(all.unreadable()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.MALFORMED);
            assertThat(problem.file()).isEqualTo(old);
        });
    }

    @Test
    void queriesFilterByUserResourceAndTextIgnoringCaseWhereItHelps() {
        AuditLogger audit = audit();
        audit.logModelDeployment("fraud_detector", "v2.0.0", "Devops@Company.com", "production");
        audit.logAccessDenied("bob", "model", "churn:v1", "promote", "Needs two approvals");
        assertThat(audit.queryEvents(AuditFilter.all().withUser("devops@company.com"))).hasSize(1);
        assertThat(audit.queryEvents(AuditFilter.all().withResourceId("churn:v1"))).hasSize(1);
        assertThat(audit.queryEvents(AuditFilter.all().withText("two APPROVALS"))).extracting(AuditEvent::user).containsExactly("bob");
        assertThat(audit.queryEvents(AuditFilter.all().withText("production"))).extracting(AuditEvent::user)
                .containsExactly("Devops@Company.com");
        assertThat(audit.queryEvents(AuditFilter.all().withText("nothing like it"))).isEmpty();
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsWritten() {
        AuditLogger audit = audit();
        assertThatThrownBy(() -> audit.logModelDeployment("fraud detector", "v1", "devops", "production"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("model name");
        assertThatThrownBy(() -> audit.logEvent(AuditRecord.of(EventType.MODEL_ACCESSED, " ", "model", "a:v1", "read", Map.of())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("user");
        assertThat(dir.resolve("audit_logs")).doesNotExist();
    }

    @Test
    void anEmptyTrailHasNoEventsAndVerifiesIntact() {
        AuditLogger audit = audit();
        assertThat(audit.queryEvents(AuditFilter.all())).isEmpty();
        assertThat(audit.head()).isEqualTo(new ChainHead(0, null, null));
        assertThat(audit.verifyIntegrity().intact()).isTrue();
        assertThat(dir.resolve("audit_logs")).doesNotExist();
    }

    static List<String> fieldNames(ObjectNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static List<Path> eventFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("events"))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void aCorruptSavedReportIsNamedAndTheOthersAreStillListed() throws IOException {
        AuditLogger audit = audit();
        audit.logModelDeployment("churn", "v1", "devops", "production");
        ComplianceReport saved = audit.generateComplianceReport(Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2024-01-16T00:00:00Z"), "auditor");
        Path corrupt = dir.resolve("audit_logs/reports/report_20240115_000000.json");
        Files.write(corrupt, new byte[Math.toIntExact(Json.MAX_DOCUMENT_BYTES) + 1]);
        List<IntegrityProblem> problems = new java.util.ArrayList<>();

        List<SavedReport> listed = audit.savedReports(problems::add);

        assertThat(listed).extracting(SavedReport::reportId).containsExactly(saved.reportId());
        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.file().toString()).endsWith("report_20240115_000000.json");
            assertThat(problem.message()).startsWith("not a readable report");
        });
    }

    @Test
    void aSavedReportLargerThanADocumentIsListedAndWrittenAsSaved() throws IOException {
        // A year of a million events is saved as some 47 MB, mostly its listed events: over the 16 MB
        // read at once, with its summary after them.
        AuditLogger audit = audit();
        ObjectNode report = Json.mapper().createObjectNode();
        report.put("report_id", "year");
        report.put("generated_at", "2025-01-01T00:00:00Z");
        report.putObject("period").put("start", "2024-01-01T00:00:00Z").put("end", "2025-01-01T00:00:00Z");
        report.put("total_events", 1_000_000);
        var events = report.putArray("security_violations");
        String padding = "x".repeat(1000);
        for (int i = 0; events.size() * 1000L <= Json.MAX_DOCUMENT_BYTES; i++) {
            events.addObject().put("seq", i).put("details", padding).put("score", i / 3.0);
        }
        report.putObject("summary").put("total_security_violations", events.size()).put("most_active_user", "alice");
        Path file = dir.resolve("audit_logs/reports/report_20250101_000000.json");
        Files.createDirectories(file.getParent());
        Json.mapper().writeValue(file.toFile(), report);
        assertThat(Files.size(file)).isGreaterThan(Json.MAX_DOCUMENT_BYTES);
        List<IntegrityProblem> problems = new java.util.ArrayList<>();

        List<SavedReport> listed = audit.savedReports(problems::add);

        assertThat(problems).isEmpty();
        assertThat(listed).singleElement().satisfies(saved -> {
            assertThat(saved.reportId()).isEqualTo("year");
            assertThat(saved.periodStart()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
            assertThat(saved.periodEnd()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
            assertThat(saved.totalEvents()).isEqualTo(1_000_000);
            assertThat(saved.original()).isFalse();
            assertThat(saved.summary().get("most_active_user").asText()).isEqualTo("alice");
        });
        StringWriter written = new StringWriter();
        try (JsonGenerator generator = Json.mapper().createGenerator(written)) {
            audit.writeSavedReport("year", generator);
        }
        assertThat(Json.mapper().readTree(written.toString()).equals(Json.mapper().readTree(file.toFile())))
                .as("the document written is the one saved").isTrue();
        assertThatThrownBy(() -> audit.writeSavedReport("no_such_report", Json.mapper().createGenerator(
                new StringWriter()))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no_such_report");
    }
}
