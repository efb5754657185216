package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import neural.mlops.store.Json;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way of tampering with the trail is reported with its kind and the first event affected. */
class IntegrityTest {

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-03-01T09:00:00Z");
    final AuditKey key = AuditKey.of("correct horse battery staple 42");

    Path root() {
        return dir.resolve("audit_logs");
    }

    AuditLogger audit(Optional<AuditKey> withKey) {
        return new AuditLogger(root(), clock, withKey);
    }

    /** Five events over three days, returned oldest first with their files. */
    List<Path> fiveEvents(AuditLogger audit) throws IOException {
        for (int i = 1; i <= 5; i++) {
            audit.logModelDeployment("fraud_detector", "v" + i + ".0.0", "devops", "production");
            clock.advance(Duration.ofHours(11));
        }
        List<Path> files = new ArrayList<>(AuditLoggerTest.eventFiles(root()));
        files.sort(Comparator.comparingLong(TrailLayout::seqFromName));
        assertThat(files).hasSize(5);
        assertThat(audit.verifyIntegrity().intact()).isTrue();
        return files;
    }

    @Test
    void editingAFieldIsReportedAsModifiedAtThatEvent() throws IOException {
        AuditLogger audit = audit(Optional.empty());
        List<Path> files = fiveEvents(audit);
        Files.writeString(files.get(2), Files.readString(files.get(2)).replace("\"devops\"", "\"someone_else\""));

        IntegrityReport report = audit.verifyIntegrity();

        assertThat(report.intact()).isFalse();
        assertThat(report.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.MODIFIED);
            assertThat(problem.seq()).isEqualTo(3);
            assertThat(problem.file()).isEqualTo(files.get(2));
        });
    }

    @Test
    void replacingAnEventWithARecomputedHashBreaksTheLinkToTheNextOne() throws IOException {
        AuditLogger audit = audit(Optional.empty());
        List<Path> files = fiveEvents(audit);
        ObjectNode event = Json.readObject(files.get(1));
        event.put("user", "someone_else");
        rehash(event);
        Json.writeAtomically(files.get(1), event);

        IntegrityReport report = audit.verifyIntegrity();

        assertThat(report.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.MODIFIED);
            assertThat(problem.seq()).isEqualTo(2);
            assertThat(problem.file()).isEqualTo(files.get(1));
        });
    }

    @Test
    void deletingAnEventIsReportedAsMissing() throws IOException {
        AuditLogger audit = audit(Optional.empty());
        List<Path> files = fiveEvents(audit);
        Files.delete(files.get(1));

        IntegrityReport report = audit.verifyIntegrity();

        assertThat(report.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.MISSING);
            assertThat(problem.seq()).isEqualTo(2);
            assertThat(problem.message()).contains("seq 2 is missing");
        });
    }

    @Test
    void swappingTwoEventsFilesIsReportedAsReordered() throws IOException {
        AuditLogger audit = audit(Optional.empty());
        List<Path> files = fiveEvents(audit);
        // seq 2 and 3 are on different days: each now sits under the other's name and day.
        String second = Files.readString(files.get(1));
        Files.writeString(files.get(1), Files.readString(files.get(2)));
        Files.writeString(files.get(2), second);

        IntegrityReport report = audit.verifyIntegrity();

        assertThat(report.problems()).isNotEmpty().allSatisfy(problem -> assertThat(problem.kind()).isEqualTo(ProblemKind.REORDERED));
        assertThat(report.firstAffected()).hasValueSatisfying(problem -> assertThat(problem.seq()).isEqualTo(2));
        assertThat(report.problems()).extracting(IntegrityProblem::seq).contains(2L, 3L);
    }

    @Test
    void renamingEventsWithinADayIsReportedAsReordered() throws IOException {
        AuditLogger audit = audit(Optional.empty());
        clock.set(java.time.Instant.parse("2024-03-01T09:00:00Z"));
        audit.logModelDeployment("a", "v1", "devops", "production");
        audit.logModelDeployment("a", "v2", "devops", "production");
        List<Path> files = AuditLoggerTest.eventFiles(root());
        Path swap = files.get(0).resolveSibling("swap");
        Files.move(files.get(0), swap);
        Files.move(files.get(1), files.get(0));
        Files.move(swap, files.get(1));

        IntegrityReport report = audit.verifyIntegrity();

        assertThat(report.problems()).hasSize(2).allSatisfy(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.REORDERED);
            assertThat(problem.message()).contains("file name of seq");
        });
    }

    @Test
    void deletingTheNewestEventWhileHeadSaysMoreIsReportedAsTruncated() throws IOException {
        AuditLogger audit = audit(Optional.empty());
        List<Path> files = fiveEvents(audit);
        Files.delete(files.get(4));

        IntegrityReport report = audit.verifyIntegrity();

        assertThat(report.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.TRUNCATED);
            assertThat(problem.seq()).isEqualTo(5);
            assertThat(problem.message()).contains("head.json records 5 events but the trail ends at seq 4");
        });
    }

    @Test
    void aGarbageFileIsReportedAsMalformedAndTheRestIsStillChecked() throws IOException {
        AuditLogger audit = audit(Optional.empty());
        List<Path> files = fiveEvents(audit);
        Path garbage = files.get(0).resolveSibling("event_20240301_093000_000077.json");
        Files.writeString(garbage, "{\"this is\": not json");
        Files.writeString(files.get(3), Files.readString(files.get(3)).replace("production", "staging"));

        IntegrityReport report = audit.verifyIntegrity();

        assertThat(report.problems()).extracting(IntegrityProblem::kind)
                .containsExactlyInAnyOrder(ProblemKind.MALFORMED, ProblemKind.MODIFIED);
        assertThat(report.problems(ProblemKind.MALFORMED)).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo(garbage);
            assertThat(problem.seq()).isEqualTo(77);
        });
        assertThat(report.problems(ProblemKind.MODIFIED)).singleElement()
                .satisfies(problem -> assertThat(problem.seq()).isEqualTo(4));
        assertThat(report.firstAffected()).hasValueSatisfying(problem -> assertThat(problem.seq()).isEqualTo(4));
    }

    @Test
    void anEventWithoutHashIsReadableButReportedAsUnchained() throws IOException {
        AuditLogger audit = audit(Optional.empty());
        fiveEvents(audit);
        // As the original Python module writes them: no seq, no hash, a naive local time.
        Path original = root().resolve("events/2024/03/01/event_20240301_100000_000001.json");
        Files.writeString(original, """
                {"event_id": "event_20240301_100000_000001", "event_type": "model_deployed",
                 "timestamp": "2024-03-01T10:00:00.000001", "user": "python@company.com", "severity": "info",
                 "resource_type": "model", "resource_id": "churn:v1.0.0", "action": "deploy",
                 "details": {"environment": "production", "strategy": "canary"},
                 "ip_address": null, "user_agent": null, "session_id": null, "tags": []}
                """);

        IntegrityReport report = audit.verifyIntegrity();

        assertThat(report.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.UNCHAINED);
            assertThat(problem.file()).isEqualTo(original);
        });
        assertThat(report.unchainedEvents()).isEqualTo(1);
        assertThat(audit.queryEvents(AuditFilter.all().withUser("python@company.com")))
                .singleElement().satisfies(event -> {
                    assertThat(event.chained()).isFalse();
                    assertThat(event.seq()).isZero();
                    assertThat(event.details()).containsEntry("strategy", "canary");
                });
    }

    @Test
    void verificationGoesOnPastTheFirstProblem() throws IOException {
        AuditLogger audit = audit(Optional.empty());
        List<Path> files = fiveEvents(audit);
        Files.writeString(files.get(0), Files.readString(files.get(0)).replace("devops", "mallory"));
        Files.delete(files.get(2));

        IntegrityReport report = audit.verifyIntegrity();

        assertThat(report.problems()).extracting(IntegrityProblem::kind, IntegrityProblem::seq)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(ProblemKind.MODIFIED, 1L),
                        org.assertj.core.groups.Tuple.tuple(ProblemKind.MISSING, 3L));
        assertThat(report.firstAffected()).hasValueSatisfying(problem -> assertThat(problem.seq()).isEqualTo(1));
    }

    @Test
    void withoutAKeyAConsistentRewriteOfTheWholeChainAndHeadIsNotDetected() throws IOException {
        AuditLogger audit = audit(Optional.empty());
        fiveEvents(audit);

        rewriteWholeChain("mallory");

        // What docs/audit.md says: without a key, whoever can write the workspace can forge a consistent trail.
        assertThat(audit.verifyIntegrity().intact()).isTrue();
        assertThat(audit.queryEvents(AuditFilter.all())).allSatisfy(event -> assertThat(event.user()).isEqualTo("mallory"));
    }

    @Test
    void withAKeyAConsistentRewriteOfTheWholeChainAndHeadIsDetected() throws IOException {
        AuditLogger audit = audit(Optional.of(key));
        fiveEvents(audit);
        assertThat(audit.verifyIntegrity().signed()).isTrue();

        rewriteWholeChain("mallory");

        IntegrityReport report = audit.verifyIntegrity();
        assertThat(report.intact()).isFalse();
        assertThat(report.problems(ProblemKind.SIGNATURE)).isNotEmpty();
        assertThat(report.problems(ProblemKind.SIGNATURE)).extracting(IntegrityProblem::message)
                .anySatisfy(message -> assertThat(message).contains("signature of head.json does not match"))
                .anySatisfy(message -> assertThat(message).contains("signed digest of 2024-03-01"));
        // The signed trail refuses further appends rather than sign the forgery.
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> audit.logModelDeployment("a", "v1", "devops", "production"))).hasMessageContaining("signature");
    }

    @Test
    void withAKeyTruncationWithAnUnsignedHeadIsDetected() throws IOException {
        AuditLogger audit = audit(Optional.of(key));
        List<Path> files = fiveEvents(audit);
        Files.delete(files.get(4));
        ObjectNode head = Json.readObject(root().resolve("head.json"));
        ObjectNode fourth = Json.readObject(files.get(3));
        head.put("last_seq", 4);
        head.put("last_hash", fourth.get("hash").asText());
        head.remove("hmac");
        Json.writeAtomically(root().resolve("head.json"), head);

        assertThat(audit(Optional.empty()).verifyIntegrity().intact()).isTrue();
        IntegrityReport withKey = audit.verifyIntegrity();
        assertThat(withKey.problems()).extracting(IntegrityProblem::kind).containsOnly(ProblemKind.SIGNATURE);
        assertThat(withKey.problems()).extracting(IntegrityProblem::message).anySatisfy(m -> assertThat(m).contains("not signed"));
    }

    @Test
    void theWrongKeyIsReported() throws IOException {
        fiveEvents(audit(Optional.of(key)));
        IntegrityReport report = audit(Optional.of(AuditKey.of("another key of enough length"))).verifyIntegrity();
        assertThat(report.problems()).extracting(IntegrityProblem::kind).containsOnly(ProblemKind.SIGNATURE);
        assertThat(report.problems()).extracting(IntegrityProblem::message).anySatisfy(m -> assertThat(m).contains("another key"));
    }

    @Test
    void aSignedTrailRefusesAppendsWithoutItsKey() throws IOException {
        fiveEvents(audit(Optional.of(key)));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> audit(Optional.empty()).logModelDeployment("a", "v1", "devops", "production")))
                .hasMessageContaining("is signed").hasMessageContaining(AuditKey.ENVIRONMENT_VARIABLE);
        assertThat(AuditLoggerTest.eventFiles(root())).hasSize(5);
    }

    @Test
    void aPeriodIsVerifiedWithItsLinksToTheEventsAround() throws IOException {
        AuditLogger audit = audit(Optional.empty());
        List<Path> files = fiveEvents(audit);
        ObjectNode third = Json.readObject(files.get(2));
        third.put("action", "undeploy");
        rehash(third);
        Json.writeAtomically(files.get(2), third);
        java.time.Instant dayTwo = java.time.Instant.parse("2024-03-02T00:00:00Z");

        IntegrityReport period = audit.verifyIntegrity(dayTwo, dayTwo.plus(Duration.ofHours(23)));

        assertThat(period.problems()).extracting(IntegrityProblem::kind).containsExactly(ProblemKind.MODIFIED);
        assertThat(audit.verifyIntegrity(java.time.Instant.parse("2024-03-03T12:00:00Z"), null).intact()).isTrue();
    }

    @Test
    void aMissingHeadIsReportedAndRebuiltFromTheNewestDayWithoutAKeyOnly() throws IOException {
        AuditLogger audit = audit(Optional.empty());
        fiveEvents(audit);
        Files.delete(root().resolve("head.json"));

        assertThat(audit.verifyIntegrity().problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.MISSING);
            assertThat(problem.file()).isEqualTo(root().resolve("head.json"));
        });
        AuditEvent next = audit(Optional.empty()).logModelDeployment("a", "v6", "devops", "production");
        assertThat(next.seq()).isEqualTo(6);
        assertThat(audit.verifyIntegrity().intact()).isTrue();
    }

    @Test
    void aSignedTrailWithoutItsHeadRefusesAppendsRatherThanReSignAnUnknownState() throws IOException {
        AuditLogger audit = audit(Optional.of(key));
        fiveEvents(audit);
        Files.delete(root().resolve("head.json"));

        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> audit(Optional.of(key)).logModelDeployment("a", "v6", "devops", "production")))
                .isInstanceOf(neural.mlops.store.CorruptDocumentException.class)
                .hasMessageContaining("head.json is missing");
        assertThat(AuditLoggerTest.eventFiles(root())).hasSize(5);
    }

    @Test
    void aTamperedDayDigestIsReportedWithAKey() throws IOException {
        AuditLogger audit = audit(Optional.of(key));
        fiveEvents(audit);
        Path digest = root().resolve("digests/2024/03/digest_20240302.json");
        assertThat(digest).exists();
        Files.writeString(digest, Files.readString(digest).replace("\"count\" : 2", "\"count\" : 3"));

        assertThat(audit.verifyIntegrity().problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.SIGNATURE);
            assertThat(problem.seq()).isEqualTo(3);
            assertThat(problem.file()).isEqualTo(digest);
        });
    }

    /** What a forger without the key does: edits every event, recomputes every hash and link, and fixes head.json. */
    private void rewriteWholeChain(String user) throws IOException {
        List<Path> files = new ArrayList<>(AuditLoggerTest.eventFiles(root()));
        files.sort(Comparator.comparingLong(TrailLayout::seqFromName));
        String previous = null;
        for (Path file : files) {
            ObjectNode event = Json.readObject(file);
            event.put("user", user);
            event.put("prev_hash", previous);
            rehash(event);
            Json.writeAtomically(file, event);
            previous = event.get("hash").asText();
        }
        ObjectNode head = Json.readObject(root().resolve("head.json"));
        head.put("last_hash", previous);
        Json.writeAtomically(root().resolve("head.json"), head);
    }

    static void rehash(ObjectNode event) {
        event.remove("hash");
        event.put("hash", Canonical.sha256Hex(event));
    }

    @Test
    void detailsWithSecretsAtDepthAreRedactedConsistently() {
        AuditLogger audit = audit(Optional.of(key));
        AuditEvent event = audit.logEvent(AuditRecord.of(EventType.CONFIG_CHANGED, "ops", "config", "db", "update",
                Map.of("db", Map.of("password", "hunter2"))));
        Object redacted = ((Map<?, ?>) event.details().get("db")).get("password");
        assertThat(redacted.toString()).startsWith("redacted:hmac-sha256:").doesNotContain("hunter2");
    }
}
