package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import neural.mlops.testing.TestClock;
import neural.mlops.store.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index and the day summaries are bound to the events they were made from: an edited one is
 * never used (the day is read from its event files), the read that finds it says so, and
 * verification reports it.
 */
class DerivedFilesTest {

    static final Instant START = Instant.parse("2024-01-15T00:00:00Z");
    static final Instant END = Instant.parse("2024-01-18T00:00:00Z");

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-01-15T08:00:00.000000Z");
    final AuditKey key = AuditKey.of("correct horse battery staple 42");

    Path root() {
        return dir.resolve("audit_logs");
    }

    AuditLogger audit(Optional<AuditKey> withKey) {
        return new AuditLogger(root(), clock, withKey);
    }

    /** Three days of ordinary events and one security violation by mallory on the first day. */
    void threeDays(Optional<AuditKey> withKey) {
        AuditLogger audit = audit(withKey);
        for (int day = 0; day < 3; day++) {
            for (int n = 0; n < 4; n++) {
                clock.advance(Duration.ofMinutes(41));
                audit.logEvent(AuditRecord.of(EventType.MODEL_ACCESSED, "alice", "model", "fraud_detector:v" + n, "read",
                        Map.of("rows", n)));
            }
            if (day == 0) {
                audit.logSecurityViolation("mallory", "model", "fraud_detector:v1", "unauthorized_access", Map.of());
            }
            clock.advance(Duration.ofDays(1));
        }
    }

    Path summaryOfFirstDay() {
        return root().resolve("index/2024/01/15" + DaySummary.SUFFIX);
    }

    Path indexOfFirstDay() {
        return root().resolve("index/2024/01/15" + TrailIndex.SUFFIX);
    }

    /** The summary of the first day without its violation, as a hand edit would leave it (its seal kept as it was). */
    void hideTheViolationInTheSummary() throws IOException {
        String text = Files.readString(summaryOfFirstDay());
        ObjectNode summary = (ObjectNode) Json.mapper().readTree(text);
        hide(summary);
        // Keep the seal fields last, as they were: only the content changed.
        String sum = summary.remove("sum").asText();
        summary.put("sum", sum);
        Files.writeString(summaryOfFirstDay(), Canonical.compact(summary) + "\n");
    }

    /** The same edit, resealed with a recomputed checksum: what someone who read the code would do. */
    void hideTheViolationAndResealTheSummary() throws IOException {
        ObjectNode summary = (ObjectNode) Json.mapper().readTree(Files.readString(summaryOfFirstDay()));
        hide(summary);
        summary.remove("sum");
        summary.remove("mac");
        byte[] resealed = Seal.seal(Canonical.compact(summary).getBytes(StandardCharsets.UTF_8), null);
        Files.write(summaryOfFirstDay(), resealed);
    }

    private static void hide(ObjectNode summary) {
        ArrayNode listed = (ArrayNode) summary.get("listed");
        for (int i = listed.size() - 1; i >= 0; i--) {
            if ("security_violation".equals(listed.get(i).path("event_type").asText())) {
                listed.remove(i);
            }
        }
        ((ObjectNode) summary.get("by_type")).remove("security_violation");
        ((ObjectNode) summary.get("by_severity")).remove("critical");
        ((ObjectNode) summary.get("by_user")).remove("mallory");
        summary.put("events", summary.get("events").asLong() - 1);
    }

    /** Rewrites the index line of mallory's violation as if trudy had done it; resealed with a checksum when asked. */
    void blameTrudyInTheIndex(boolean reseal) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(indexOfFirstDay()));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains("\"mallory\"")) {
                String edited = line.replace("\"mallory\"", "\"trudy\"");
                if (reseal) {
                    String unsealed = edited.substring(0, edited.lastIndexOf(",\"sum\":\"")) + "}";
                    edited = new String(Seal.seal(unsealed.getBytes(StandardCharsets.UTF_8), null), StandardCharsets.UTF_8);
                }
                lines.set(i, edited);
            }
        }
        Files.write(indexOfFirstDay(), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    List<String> violators(AuditLogger audit) {
        return audit.queryEvents(AuditFilter.all().withType(EventType.SECURITY_VIOLATION)).stream().map(AuditEvent::user)
                .toList();
    }

    // Summaries

    @Test
    void aSummaryEditedToHideAViolationIsNotUsedAndTheReportSaysSo() throws IOException {
        threeDays(Optional.empty());
        audit(Optional.empty()).generateComplianceReport(START, END, "auditor");
        hideTheViolationInTheSummary();

        ComplianceReport report = audit(Optional.empty()).generateComplianceReport(START, END, "auditor");

        assertThat(report.securityViolations()).extracting(AuditEvent::user).containsExactly("mallory");
        assertThat(report.eventsByUser()).containsEntry("mallory", 1L);
        assertThat(report.integrity().intact()).isFalse();
        assertThat(report.integrity().problems(ProblemKind.DERIVED)).singleElement()
                .satisfies(problem -> assertThat(problem.file()).isEqualTo(summaryOfFirstDay()));
    }

    @Test
    void aSummaryEditedByHandMakesVerificationFail() throws IOException {
        threeDays(Optional.empty());
        audit(Optional.empty()).generateComplianceReport(START, END, "auditor");
        hideTheViolationInTheSummary();

        IntegrityReport verified = audit(Optional.empty()).verifyIntegrity();

        assertThat(verified.intact()).isFalse();
        assertThat(verified.problems(ProblemKind.DERIVED)).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("summary of 2024-01-15"));
        assertThat(summaryOfFirstDay()).doesNotExist();
        assertThat(audit(Optional.empty()).verifyIntegrity().intact()).isTrue();
    }

    @Test
    void aSummaryResealedWithoutTheKeyIsCaughtByVerificationAndIgnoredByAReportWithTheKey() throws IOException {
        threeDays(Optional.of(key));
        audit(Optional.of(key)).generateComplianceReport(START, END, "auditor");
        hideTheViolationAndResealTheSummary();

        ComplianceReport report = audit(Optional.of(key)).generateComplianceReport(START, END, "auditor");
        assertThat(report.securityViolations()).extracting(AuditEvent::user).containsExactly("mallory");

        hideTheViolationAndResealTheSummary();
        IntegrityReport verified = audit(Optional.empty()).verifyIntegrity();
        assertThat(verified.problems(ProblemKind.DERIVED)).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("does not say what the day's events say"));
    }

    @Test
    void aListedEventRewrittenInTheSummaryAloneIsCaughtByVerification() throws IOException {
        threeDays(Optional.empty());
        audit(Optional.empty()).generateComplianceReport(START, END, "auditor");
        // Counts, users and chain left as they are: only the violation's own copy in the summary says otherwise.
        resealTheSummary(summary -> {
            for (JsonNode listed : summary.get("listed")) {
                if ("security_violation".equals(listed.path("event_type").asText())) {
                    ((ObjectNode) listed).put("resource_id", "nothing:v0");
                }
            }
        });

        IntegrityReport verified = audit(Optional.empty()).verifyIntegrity();

        assertThat(verified.problems(ProblemKind.DERIVED)).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("does not say what the day's events say"));
        assertThat(summaryOfFirstDay()).doesNotExist();
    }

    @Test
    void aSummaryRewrittenInAnotherLayoutThatSaysTheSameIsNoProblem() throws IOException {
        threeDays(Optional.empty());
        audit(Optional.empty()).generateComplianceReport(START, END, "auditor");
        // Every field of every listed event in reverse order: other bytes, the same documents.
        resealTheSummary(summary -> {
            for (JsonNode listed : summary.get("listed")) {
                ObjectNode event = (ObjectNode) listed;
                List<String> names = new ArrayList<>();
                event.fieldNames().forEachRemaining(names::add);
                java.util.Collections.reverse(names);
                ObjectNode reversed = event.deepCopy();
                event.removeAll();
                names.forEach(name -> event.set(name, reversed.get(name)));
            }
        });

        IntegrityReport verified = audit(Optional.empty()).verifyIntegrity();

        assertThat(verified.problems()).isEmpty();
        assertThat(summaryOfFirstDay()).exists();
    }

    /** Edits the first day's summary and reseals it with a recomputed checksum, its fields kept in their order. */
    void resealTheSummary(java.util.function.Consumer<ObjectNode> edit) throws IOException {
        ObjectNode summary = (ObjectNode) Json.mapper().readTree(Files.readString(summaryOfFirstDay()));
        summary.remove("sum");
        summary.remove("mac");
        edit.accept(summary);
        byte[] compact = Json.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(summary);
        Files.write(summaryOfFirstDay(), Seal.seal(compact, null));
    }

    // Index lines

    @Test
    void anIndexLineEditedByHandIsNotUsedByQueriesOrExports() throws IOException {
        threeDays(Optional.empty());
        assertThat(violators(audit(Optional.empty()))).containsExactly("mallory");
        blameTrudyInTheIndex(false);

        QueryResult result = audit(Optional.empty()).query(AuditFilter.all().withType(EventType.SECURITY_VIOLATION), 0);

        assertThat(result.events()).extracting(AuditEvent::user).containsExactly("mallory");
        assertThat(result.unreadable()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.DERIVED);
            assertThat(problem.file()).isEqualTo(indexOfFirstDay());
        });
        blameTrudyInTheIndex(false);
        Path export = dir.resolve("export.jsonl");
        audit(Optional.empty()).exportAuditTrail(export, ExportFormat.JSONL, START, END);
        assertThat(Files.readString(export)).contains("\"mallory\"").doesNotContain("\"trudy\"");
    }

    @Test
    void anIndexLineEditedByHandMakesVerificationFail() throws IOException {
        threeDays(Optional.empty());
        violators(audit(Optional.empty()));
        blameTrudyInTheIndex(false);

        IntegrityReport verified = audit(Optional.empty()).verifyIntegrity();

        assertThat(verified.intact()).isFalse();
        assertThat(verified.problems(ProblemKind.DERIVED)).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("does not match its seal"));
        assertThat(indexOfFirstDay()).doesNotExist();
    }

    @Test
    void anIndexLineResealedWithARecomputedChecksumIsCaughtByVerificationAndIgnoredWithTheKey() throws IOException {
        threeDays(Optional.of(key));
        violators(audit(Optional.of(key)));
        blameTrudyInTheIndex(true);

        assertThat(violators(audit(Optional.of(key)))).containsExactly("mallory");

        blameTrudyInTheIndex(true);
        IntegrityReport verified = audit(Optional.empty()).verifyIntegrity();
        assertThat(verified.problems(ProblemKind.DERIVED)).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("differs from the file"));
    }

    @Test
    void aTruncatedEventIsNotServedFromTheIndexAsIfIntact() throws IOException {
        threeDays(Optional.empty());
        AuditEvent violation = audit(Optional.empty()).queryEvents(AuditFilter.all().withType(EventType.SECURITY_VIOLATION))
                .get(0);
        Path file = root().resolve("events/2024/01/15/" + violation.eventId() + ".json");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

        QueryResult result = audit(Optional.empty()).query(AuditFilter.all(), 0);

        assertThat(result.events()).extracting(AuditEvent::eventId).doesNotContain(violation.eventId());
        assertThat(result.unreadable()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.MALFORMED);
            assertThat(problem.file()).isEqualTo(file);
        });
        assertThat(audit(Optional.empty()).verifyIntegrity().intact()).isFalse();
    }

    @Test
    void anIndexWrittenWithoutTheKeyIsRebuiltQuietlyByAReaderWithIt() throws IOException {
        threeDays(Optional.of(key));
        Files.delete(indexOfFirstDay());
        assertThat(violators(audit(Optional.empty()))).containsExactly("mallory"); // rebuilds it with a checksum only
        assertThat(Files.readString(indexOfFirstDay())).doesNotContain("\"mac\"");

        QueryResult result = audit(Optional.of(key)).query(AuditFilter.all(), 0);

        assertThat(result.unreadable()).isEmpty();
        assertThat(Files.readString(indexOfFirstDay())).contains("\"mac\"");
        assertThat(audit(Optional.of(key)).verifyIntegrity().intact()).isTrue();
    }

    // What a verification says it checked

    @Test
    void aSignedTrailVerifiedWithoutTheKeySaysTheSignaturesWereNotChecked() {
        threeDays(Optional.of(key));

        IntegrityReport withoutKey = audit(Optional.empty()).verifyIntegrity();
        IntegrityReport withKey = audit(Optional.of(key)).verifyIntegrity();

        assertThat(withoutKey.intact()).isTrue();
        assertThat(withoutKey.trailSigned()).isTrue();
        assertThat(withoutKey.signaturesChecked()).isFalse();
        assertThat(withoutKey.notes()).anySatisfy(note -> assertThat(note).contains("signatures were not checked"));
        assertThat(withoutKey.coverage().signatures()).startsWith("not checked: no key");
        assertThat(withKey.signaturesChecked()).isTrue();
        assertThat(withKey.coverage().signatures()).contains("checked with key id " + key.id());
        assertThat(withKey.coverage().derivedFiles()).contains("compared with the day's events");
    }

    @Test
    void aReportStatesWhatItsIntegrityRestsOn() {
        threeDays(Optional.empty());

        ComplianceReport report = audit(Optional.empty()).generateComplianceReport(START, END, "auditor");

        IntegrityReport.Coverage coverage = report.integrity().coverage();
        assertThat(coverage.chain()).contains("from the index").contains("not re-read");
        assertThat(coverage.signatures()).startsWith("none: the trail is not signed");
        assertThat(coverage.derivedFiles()).contains("SHA-256 checksums").contains("audit verify");
        assertThat(report.toJson().at("/integrity/verified/derived_files").asText()).isEqualTo(coverage.derivedFiles());
        assertThat(ComplianceReportHtml.render(report)).contains("Derived files: index lines");
    }

    @Test
    void anEventDeletedFromASignedTrailIsReportedAsMissingFirst() throws IOException {
        threeDays(Optional.of(key));
        Path folder = root().resolve("events/2024/01/15");
        Path second;
        try (var files = Files.list(folder)) {
            second = files.sorted().toList().get(1);
        }
        Files.delete(second);

        IntegrityReport verified = audit(Optional.of(key)).verifyIntegrity();

        assertThat(verified.firstAffected()).hasValueSatisfying(first -> {
            assertThat(first.kind()).isEqualTo(ProblemKind.MISSING);
            assertThat(first.seq()).isEqualTo(2);
        });
        assertThat(verified.problems().get(0).kind()).isEqualTo(ProblemKind.MISSING);
        assertThat(verified.problems(ProblemKind.SIGNATURE)).isEmpty();
    }
}
