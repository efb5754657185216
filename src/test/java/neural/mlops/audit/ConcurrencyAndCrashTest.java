package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import neural.mlops.JvmProcess;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.StoreIOException;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Appends are serialised across threads and processes, survive a killed writer, and fail closed. */
class ConcurrencyAndCrashTest {

    @TempDir
    Path dir;

    Path root() {
        return dir.resolve("audit_logs");
    }

    AuditLogger audit() {
        return new AuditLogger(root(), java.time.Clock.systemUTC(), Optional.empty());
    }

    @Test
    void twoProcessesAppendingAtOnceGiveContiguousSeqsAndAnIntactChain() throws Exception {
        Process first = JvmProcess.start(AuditChild.class, "append", root().toString(), "first", "200");
        Process second = JvmProcess.start(AuditChild.class, "append", root().toString(), "second", "200");
        for (Process process : List.of(first, second)) {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(output).contains("done");
            assertThat(process.exitValue()).isZero();
        }

        List<AuditEvent> events = audit().queryEvents(AuditFilter.all());
        assertThat(events).hasSize(400);
        assertThat(events.stream().mapToLong(AuditEvent::seq).sorted().toArray())
                .containsExactly(LongStream.rangeClosed(1, 400).toArray());
        assertThat(events).filteredOn(event -> event.user().equals("first")).hasSize(200);
        assertThat(events).filteredOn(event -> event.user().equals("second")).hasSize(200);
        assertThat(audit().verifyIntegrity().problems()).isEmpty();
        assertThat(audit().head().seq()).isEqualTo(400);
    }

    @Test
    void threadsAppendingAtOnceGiveContiguousSeqs() throws Exception {
        AuditLogger audit = audit();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<AuditEvent>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                futures.add(pool.submit(() -> audit.logEvent(AuditRecord.of(EventType.MODEL_ACCESSED, "t" + (n % 4),
                        "model", "m:v" + n, "read", Map.of()))));
            }
            List<Long> seqs = new ArrayList<>();
            for (Future<AuditEvent> future : futures) {
                seqs.add(future.get(2, TimeUnit.MINUTES).seq());
            }
            Collections.sort(seqs);
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
        } finally {
            pool.shutdownNow();
        }
        assertThat(audit.verifyIntegrity().intact()).isTrue();
    }

    @Test
    void aWriterKilledBeforeTheEventIsRenamedLeavesNoPartialEventAndNoSeqIsReused() throws Exception {
        AuditLogger audit = audit();
        audit.logModelDeployment("fraud_detector", "v1.0.0", "devops", "production");

        runCrashingChild(RENAME_OF_EVENT);

        assertThat(audit.queryEvents(AuditFilter.all())).hasSize(1);
        // The event's flushed temporary file, invisible to readers.
        assertThat(temporaries()).isNotEmpty().allSatisfy(temp -> assertThat(temp.getFileName().toString()).startsWith("."));
        AuditEvent next = audit().logModelDeployment("fraud_detector", "v2.0.0", "devops", "production");
        assertThat(next.seq()).isEqualTo(2);
        assertThat(audit().verifyIntegrity().problems()).isEmpty();
    }

    @Test
    void aWriterKilledBeforeTheHeadIsRenamedLeavesAnEventThatTheNextAppendAdopts() throws Exception {
        AuditLogger audit = audit();
        audit.logModelDeployment("fraud_detector", "v1.0.0", "devops", "production");

        runCrashingChild(RENAME_OF_HEAD);

        assertThat(audit.head().seq()).isEqualTo(1);
        assertThat(audit.queryEvents(AuditFilter.all())).extracting(AuditEvent::seq).containsExactly(2L, 1L);
        assertThat(audit.verifyIntegrity().notes()).singleElement().satisfies(note -> assertThat(note).contains("after head.json"));
        // The same long-lived logger (it has appended before, so it relies on the writer's hint) ...
        AuditEvent next = audit.logModelDeployment("fraud_detector", "v2.0.0", "devops", "production");
        assertThat(next.seq()).isEqualTo(3);
        assertThat(next.prevHash()).isEqualTo(audit.queryEvents(AuditFilter.all()).get(1).hash());

        // ... and a fresh logger after another crash (it lists the newest day folders once).
        runCrashingChild(RENAME_OF_HEAD);
        AuditEvent after = audit().logModelDeployment("fraud_detector", "v3.0.0", "devops", "production");
        assertThat(after.seq()).isEqualTo(5);
        List<AuditEvent> events = audit().queryEvents(AuditFilter.all());
        assertThat(events).extracting(AuditEvent::seq).containsExactly(5L, 4L, 3L, 2L, 1L);
        IntegrityReport report = audit().verifyIntegrity();
        assertThat(report.problems()).isEmpty();
        assertThat(report.notes()).isEmpty();
    }

    @Test
    void aHintLeftEmptyByAPowerCutStillLetsTheNextAppendAdoptTheEventBeyondTheHead() throws Exception {
        AuditLogger audit = audit();
        audit.logModelDeployment("fraud_detector", "v1.0.0", "devops", "production");
        runCrashingChild(RENAME_OF_HEAD);
        // The hint is written without a flush (derived): after a power cut it may be there but empty.
        Files.write(root().resolve(".append-intent"), new byte[0]);

        AuditEvent next = audit.logModelDeployment("fraud_detector", "v2.0.0", "devops", "production");

        assertThat(next.seq()).as("the long-lived logger, which had appended before, lists for the stray").isEqualTo(3);
        assertThat(audit().queryEvents(AuditFilter.all())).extracting(AuditEvent::seq).containsExactly(3L, 2L, 1L);
        IntegrityReport report = audit().verifyIntegrity();
        assertThat(report.problems()).isEmpty();
        assertThat(report.notes()).isEmpty();
    }

    @Test
    void anEventThatCannotBeWrittenMakesRecordThrowAndNothingIsWritten() throws IOException {
        // One clock moved by hand: today and tomorrow are the test's, not the wall clock's.
        TestClock clock = TestClock.at("2024-05-01T06:00:00.000000Z");
        AuditLogger audit = new AuditLogger(root(), clock, Optional.empty());
        audit.logModelDeployment("fraud_detector", "v1.0.0", "devops", "production");
        String headBefore = Files.readString(root().resolve("head.json"));
        // A file where today's next day folder must go: the event file cannot be created.
        java.time.LocalDate tomorrow = java.time.LocalDate.of(2024, 5, 2);
        clock.set(tomorrow.atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
        Path dayFolder = root().resolve(String.format("events/%04d/%02d", tomorrow.getYear(), tomorrow.getMonthValue()));
        Files.createDirectories(dayFolder);
        Files.writeString(dayFolder.resolve(String.format("%02d", tomorrow.getDayOfMonth())), "in the way");
        AuditLogger tomorrowsAudit = new AuditLogger(root(), clock, Optional.empty());

        assertThatThrownBy(() -> tomorrowsAudit.record(AuditRecord.of(EventType.MODEL_PROMOTED, "alice", "model",
                "fraud_detector:v1.0.0", "promote", Map.of()))).isInstanceOf(StoreIOException.class);

        assertThat(Files.readString(root().resolve("head.json"))).isEqualTo(headBefore);
        assertThat(audit.queryEvents(AuditFilter.all())).hasSize(1);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void anUnwritableAuditFolderMakesRecordThrow() throws IOException {
        AuditLogger audit = audit();
        audit.logModelDeployment("fraud_detector", "v1.0.0", "devops", "production");
        List<Path> folders;
        try (Stream<Path> walk = Files.walk(root())) {
            folders = walk.filter(Files::isDirectory).toList();
        }
        folders.forEach(folder -> folder.toFile().setWritable(false));
        try {
            Assumptions.assumeFalse(Files.isWritable(root()), "running as a user who ignores permissions");
            assertThatThrownBy(() -> audit.logModelDeployment("fraud_detector", "v2.0.0", "devops", "production"))
                    .isInstanceOf(StoreIOException.class);
        } finally {
            folders.forEach(folder -> folder.toFile().setWritable(true));
        }
        assertThat(audit.queryEvents(AuditFilter.all())).hasSize(1);
    }

    /** An append's atomic renames, in order: the hint naming the event, the event, head.json. */
    private static final int RENAME_OF_EVENT = 2;
    private static final int RENAME_OF_HEAD = 3;

    private void runCrashingChild(int haltAtRename) throws Exception {
        Process child = JvmProcess.start(AuditChild.class, "crash", root().toString(), String.valueOf(haltAtRename));
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isEqualTo(AuditChild.HALT_STATUS);
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> files = Files.walk(root())) {
            return files.filter(AtomicFiles::isTemporary).toList();
        }
    }
}
