package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import neural.mlops.JvmProcess;
import neural.mlops.store.AtomicFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers killed by SIGKILL leave their temporary files behind (one was 26 MB, a model file's
 * interrupted copy). The next command that writes to that folder, in a new process as after a
 * crash, removes those older than {@link AtomicFiles#STALE_AFTER}, and never one that a live
 * writer may still be using (younger) nor a file whose name AtomicFiles did not make.
 */
class LeftoverTemporariesTest {

    @TempDir
    Path workspace;

    @BeforeEach
    void aWorkspaceWithAVersion() throws IOException {
        Path model = Files.writeString(workspace.resolve("model.pt"), "weights");
        assertThat(CliRun.of("--workspace", workspace.toString(), "registry", "register", "--name", "fraud_detector",
                "--version", "v1.0.0", "--model-path", model.toString(), "--framework", "pytorch").status()).isZero();
    }

    @Test
    void theNextCommandInANewProcessRemovesStaleTemporariesFromTheFoldersItWrites() throws Exception {
        Path metadata = workspace.resolve("models/metadata");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Path day = workspace.resolve(String.format("audit_logs/events/%04d/%02d/%02d", today.getYear(),
                today.getMonthValue(), today.getDayOfMonth()));
        Path staleMetadata = plant(metadata.resolve("fraud_detector_v1.0.0.json"), Duration.ofHours(2), 1024);
        Path staleEvent = plant(day.resolve("event_x.json"), Duration.ofDays(3), 512);
        Path staleHead = plant(workspace.resolve("audit_logs/head.json"), Duration.ofHours(5), 256);
        Path young = plant(metadata.resolve("fraud_detector_v1.0.0.json"), Duration.ofSeconds(5), 1024);
        Path foreign = Files.writeString(metadata.resolve(".editor-backup.tmp"), "not ours");
        Files.setLastModifiedTime(foreign, FileTime.from(Instant.now().minus(Duration.ofDays(1))));

        Process promote = JvmProcess.start(List.of(), "neural.mlops.Main", "--workspace", workspace.toString(),
                "--user", "alice", "registry", "promote", "fraud_detector", "v1.0.0", "--to", "staging");
        String output = new String(promote.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promote.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(promote.exitValue()).as(output).isZero();

        assertThat(staleMetadata).doesNotExist();
        assertThat(staleEvent).doesNotExist();
        assertThat(staleHead).doesNotExist();
        assertThat(young).as("a live writer's file").exists();
        assertThat(foreign).as("a file AtomicFiles did not name").exists();
        assertThat(CliRun.of("--workspace", workspace.toString(), "audit", "verify").status()).isZero();
    }

    /** A temporary file as a writer killed {@code age} ago left it beside {@code target}. */
    private static Path plant(Path target, Duration age, int size) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = Files.write(AtomicFiles.temporaryFor(target), new byte[size]);
        Files.setLastModifiedTime(temp, FileTime.from(Instant.now().minus(age)));
        return temp;
    }
}
