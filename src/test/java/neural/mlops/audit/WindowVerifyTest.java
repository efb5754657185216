package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit verify --since}: the window's events are checked from their files, its first event
 * is tied to the signed digest of the day before it, and older days are not read.
 */
class WindowVerifyTest {

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-03-01T09:00:00Z");
    final AuditKey key = AuditKey.of("correct horse battery staple 42");
    /** The window: the second and third days (seqs 3 to 5); the first day (seqs 1 and 2) lies before it. */
    final Instant since = Instant.parse("2024-03-02T00:00:00Z");

    Path root() {
        return dir.resolve("audit_logs");
    }

    AuditLogger audit() {
        return new AuditLogger(root(), clock, Optional.of(key));
    }

    /** Five signed events over three days, oldest first: seqs 1-2 on March 1st, 3-4 on the 2nd, 5 on the 3rd. */
    List<Path> fiveEvents(AuditLogger audit) throws IOException {
        for (int i = 1; i <= 5; i++) {
            audit.logModelDeployment("fraud_detector", "v" + i + ".0.0", "devops", "production");
            clock.advance(Duration.ofHours(11));
        }
        List<Path> files = new ArrayList<>(AuditLoggerTest.eventFiles(root()));
        files.sort(Comparator.comparingLong(TrailLayout::seqFromName));
        assertThat(audit.verifyIntegrity().intact()).isTrue();
        return files;
    }

    @Test
    void anIntactWindowIsTiedToTheSignedDigestOfTheDayBeforeIt() throws IOException {
        AuditLogger audit = audit();
        fiveEvents(audit);

        IntegrityReport report = audit.verifyIntegritySince(since);

        assertThat(report.intact()).isTrue();
        assertThat(report.eventsChecked()).isEqualTo(3);
        assertThat(report.headSeq()).isEqualTo(5);
        assertThat(report.periodStart()).isEqualTo(since);
        assertThat(report.coverage().chain()).contains("the window from 2024-03-02 on")
                .contains("tied to the signed digest of 2024-03-01 (its last seq 2").contains("days before the window not read");
        assertThat(report.toJson().path("period").path("start").asText()).isEqualTo("2024-03-02T00:00:00.000000Z");
    }

    @Test
    void tamperingInsideTheWindowIsFound() throws IOException {
        AuditLogger audit = audit();
        List<Path> files = fiveEvents(audit);
        Files.writeString(files.get(3), Files.readString(files.get(3)).replace("\"devops\"", "\"someone_else\""));

        IntegrityReport report = audit.verifyIntegritySince(since);

        assertThat(report.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.MODIFIED);
            assertThat(problem.seq()).isEqualTo(4);
            assertThat(problem.file()).isEqualTo(files.get(3));
        });
    }

    @Test
    void tamperingBeforeTheWindowIsNotReadAndTheReportNamesTheWindow() throws IOException {
        AuditLogger audit = audit();
        List<Path> files = fiveEvents(audit);
        // Not even an event any more: a check that read it would report it as malformed.
        Files.writeString(files.get(0), "garbage");

        IntegrityReport window = audit.verifyIntegritySince(since);

        assertThat(window.intact()).isTrue();
        assertThat(window.periodStart()).isEqualTo(since);
        assertThat(window.coverage().chain()).contains("nothing done to them is detected");
        assertThat(audit.verifyIntegrity().problems()).extracting(IntegrityProblem::kind).contains(ProblemKind.MALFORMED);
    }

    @Test
    void aForgedDigestAtTheWindowsStartIsFound() throws IOException {
        AuditLogger audit = audit();
        fiveEvents(audit);
        Path digest = root().resolve("digests/2024/03/digest_20240301.json");
        assertThat(digest).exists();
        ObjectNode forged = Json.readObject(digest);
        forged.put("last_seq", 1);
        Json.writeAtomically(digest, forged);

        IntegrityReport report = audit.verifyIntegritySince(since);

        assertThat(report.intact()).isFalse();
        assertThat(report.problems()).anySatisfy(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.SIGNATURE);
            assertThat(problem.file()).isEqualTo(digest);
            assertThat(problem.message()).contains("not signed by this key");
        });
        assertThat(report.coverage().chain()).contains("not tied");
    }

    @Test
    void aWindowWhoseFirstEventNoLongerFollowsTheDigestIsFound() throws IOException {
        AuditLogger audit = audit();
        List<Path> files = fiveEvents(audit);
        ObjectNode third = Json.readObject(files.get(2));
        third.put("prev_hash", "0".repeat(64));
        IntegrityTest.rehash(third);
        Json.writeAtomically(files.get(2), third);

        IntegrityReport report = audit.verifyIntegritySince(since);

        assertThat(report.problems()).extracting(IntegrityProblem::kind).contains(ProblemKind.MODIFIED);
        assertThat(report.problems()).anySatisfy(problem -> assertThat(problem.message())
                .contains("is not the prev_hash of seq 3"));
    }

    @Test
    void aWindowThatStartsWithTheTrailNeedsNoTie() throws IOException {
        AuditLogger audit = audit();
        fiveEvents(audit);

        IntegrityReport report = audit.verifyIntegritySince(Instant.parse("2024-02-01T00:00:00Z"));

        assertThat(report.intact()).isTrue();
        assertThat(report.eventsChecked()).isEqualTo(5);
        assertThat(report.coverage().chain()).contains("is seq 1, where the chain starts");
    }

    @Test
    void aWindowInTheFutureIsRefusedWithAClearMessage() throws IOException {
        AuditLogger audit = audit();
        fiveEvents(audit);

        assertThat(catchThrowable(() -> audit.verifyIntegritySince(clock.instant().plus(Duration.ofDays(1)))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("in the future");
    }
}
