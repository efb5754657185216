package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's "Done when", on the legacy fixture itself: after 'audit adopt' the trail verifies and an
 * edit of one adopted file makes verification fail naming it; after 'audit archive --before' the trail
 * and the archive both verify.
 */
class LegacyMigrationTest {

    @TempDir
    Path workspace;

    @TempDir
    Path outside;

    @BeforeEach
    void copyTheFixture() throws IOException, URISyntaxException {
        LegacyWorkspaceTest.copyLegacyFixture(workspace);
    }

    private CliRun run(String... args) {
        return CliRun.in(workspace, "carol", args);
    }

    @Test
    void afterAdoptionVerifyExitsZeroAndAnEditedAdoptedFileMakesItExitOneNamingIt() throws IOException {
        assertThat(run("audit", "verify").status()).isEqualTo(Cli.FAILED); // unchained before adoption
        CliRun adopted = run("audit", "adopt", "--reason", "migrated from the Python module");
        assertThat(adopted.status()).as(adopted.err()).isZero();

        CliRun verified = run("audit", "verify");
        assertThat(verified.status()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains(LegacyWorkspaceTest.LEGACY_EVENTS + " adopted");

        Path edited = workspace.resolve("audit_logs/events/2024/01/16/event_20240116_080000_000001.json");
        Files.writeString(edited, Files.readString(edited).replaceFirst("\"user\": \"[^\"]*\"", "\"user\": \"eve\""));
        CliRun tampered = run("audit", "verify");
        assertThat(tampered.status()).isEqualTo(Cli.FAILED);
        assertThat(tampered.out()).contains("MODIFIED").contains(edited.getFileName().toString());
    }

    @Test
    void afterArchivingVerifyAndVerifyArchiveExitZero() {
        assertThat(run("audit", "adopt", "--reason", "migrated").status()).isZero();
        Path archive = outside.resolve("audit-2024-01.zip");

        CliRun archived = run("audit", "archive", "--before", "2024-01-17", "--out", archive.toString(), "--reason",
                "retention");
        assertThat(archived.status()).as(archived.err()).isZero();
        assertThat(workspace.resolve("audit_logs/events/2024/01/15")).doesNotExist();
        assertThat(workspace.resolve("audit_logs/events/2024/01/17")).isDirectory();

        CliRun verified = run("audit", "verify");
        assertThat(verified.status()).as(verified.out() + verified.err()).isZero();
        CliRun verifiedArchive = run("audit", "verify", "--archive", archive.toString());
        assertThat(verifiedArchive.status()).as(verifiedArchive.out() + verifiedArchive.err()).isZero();
        assertThat(verifiedArchive.out()).contains("Archive intact");
    }
}
