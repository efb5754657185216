package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import neural.mlops.store.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * workspace.yaml's retention.keep_days on the command line: 'audit verify' says when days are due
 * for the archive and 'audit archive --due' archives exactly those (the legacy fixture's three days
 * of January 2024, adopted first), refused when no retention is set.
 */
class AuditRetentionTest {

    @TempDir
    Path workspace;

    @TempDir
    Path outside;

    @BeforeEach
    void adoptTheLegacyTrail() throws IOException, URISyntaxException {
        LegacyWorkspaceTest.copyLegacyFixture(workspace);
        CliRun adopted = run("audit", "adopt", "--reason", "migrated");
        assertThat(adopted.status()).as(adopted.err()).isZero();
    }

    private CliRun run(String... args) {
        return CliRun.in(workspace, "carol", args);
    }

    private void keepDays(String value) throws IOException {
        Files.writeString(workspace.resolve("workspace.yaml"), "retention:\n  keep_days: " + value + "\n");
    }

    @Test
    void verifySaysWhichDaysAreDueAndArchiveDueArchivesExactlyThose() throws IOException {
        keepDays("30");
        CliRun verified = run("audit", "verify");
        assertThat(verified.status()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.err()).contains("3 days are older than the 30-day retention").contains("audit archive --due");

        Path archive = outside.resolve("old.zip");
        CliRun archived = run("--json", "audit", "archive", "--due", "--out", archive.toString(), "--reason", "retention");
        assertThat(archived.status()).as(archived.err()).isZero();
        JsonNode result = Json.mapper().readTree(archived.out());
        assertThat(result.get("days")).extracting(JsonNode::asText).containsExactly("2024-01-15", "2024-01-16", "2024-01-17");
        assertThat(result.get("before").asText()).isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                .minusDays(30).toString());

        CliRun after = run("audit", "verify");
        assertThat(after.status()).as(after.out() + after.err()).isZero();
        assertThat(after.err()).doesNotContain("retention");
        assertThat(run("audit", "verify", "--archive", archive.toString()).status()).isZero();
    }

    @Test
    void nothingDueArchivesNothing() throws IOException {
        keepDays("36500");
        Path archive = outside.resolve("none.zip");
        CliRun archived = run("audit", "archive", "--due", "--out", archive.toString(), "--reason", "retention");

        assertThat(archived.status()).as(archived.err()).isZero();
        assertThat(archived.err()).contains("Nothing is due");
        assertThat(archive).doesNotExist();
        assertThat(run("audit", "verify").err()).doesNotContain("retention");
    }

    @Test
    void archiveDueIsRefusedWhenNoRetentionIsSet() {
        Path archive = outside.resolve("old.zip");
        CliRun archived = run("audit", "archive", "--due", "--out", archive.toString(), "--reason", "retention");

        assertThat(archived.status()).isNotZero();
        assertThat(archived.err()).contains("retention.keep_days");
        assertThat(archive).doesNotExist();
        assertThat(workspace.resolve("audit_logs/events/2024/01/15")).isDirectory();
    }

    @Test
    void aKeepDaysThatIsNotAPositiveWholeNumberIsRefusedWithItsLine() throws IOException {
        for (String bad : List.of("0", "-3", "thirty", "1.5")) {
            keepDays(bad);
            CliRun verified = run("audit", "verify");
            assertThat(verified.status()).as(bad).isNotZero();
            assertThat(verified.err()).as(bad).contains("line 2").contains("retention.keep_days must be a whole number");
        }
    }

    @Test
    void archiveNeedsBeforeOrDue() {
        CliRun archived = run("audit", "archive", "--out", outside.resolve("x.zip").toString(), "--reason", "r");
        assertThat(archived.status()).isNotZero();
        assertThat(archived.err()).contains("--before").contains("--due");
    }
}
