package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import neural.mlops.JvmProcess;
import neural.mlops.bench.AppendProbe;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appends from many threads and processes at once are committed in groups: each durable, contiguous, all or none. */
class GroupCommitTest {

    @TempDir
    Path dir;

    /** One fixed time, so that every event of a test lands on the same day however long the test runs. */
    final TestClock clock = TestClock.at("2024-05-01T06:00:00.000000Z");

    Path root() {
        return dir.resolve("audit_logs");
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    AuditLogger audit() {
        return new AuditLogger(root(), clock, Optional.empty());
    }

    @Test
    void manyThreadsAppendingAtOnceGetContiguousSeqsAnIntactChainAndAFreshIndex() throws Exception {
        AuditLogger audit = audit();
        List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
        runAtOnce(16, thread -> {
            for (int i = 0; i < 10; i++) {
                seqs.add(audit.logEvent(AuditRecord.of(EventType.MODEL_ACCESSED, "t" + thread, "model", "m:v" + i,
                        "read", Map.of("i", i))).seq());
            }
        });

        assertThat(seqs).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 160).boxed().toList());
        assertThat(audit.head().seq()).isEqualTo(160);
        assertThat(audit.verifyIntegrity().problems()).isEmpty();
        TrailIndex.Day today = new TrailIndex(new TrailLayout(new LocalStorage(root()))).readIfFresh(today());
        assertThat(today).isNotNull();
        assertThat(today.events()).hasSize(160);
    }

    @Test
    void reportsRecordedUnderTheTrailsLockDoNotWaitForAppendsQueuedBehindIt() throws Exception {
        AuditLogger audit = audit();
        audit.logModelDeployment("fraud_detector", "v1.0.0", "devops", "production");
        List<ComplianceReport> reports = Collections.synchronizedList(new ArrayList<>());

        runAtOnce(8, thread -> {
            for (int i = 0; i < 5; i++) {
                if (thread == 0) {
                    reports.add(audit.generateComplianceReport(null, clock.instant(), "auditor"));
                } else {
                    audit.record(AuditRecord.of(EventType.MODEL_ACCESSED, "t" + thread, "model", "m:v1", "read", Map.of()));
                }
            }
        });

        assertThat(reports).hasSize(5);
        assertThat(audit.head().seq()).isEqualTo(1 + 35 + 5);
        assertThat(audit.verifyIntegrity().problems()).isEmpty();
    }

    @Test
    void theEventsOfOneActionAreCommittedTogether() {
        AuditLogger audit = audit();
        audit.logModelDeployment("fraud_detector", "v1.0.0", "devops", "production");

        List<AuditEvent> events = audit.logEvents(List.of(
                AuditRecord.of(EventType.MODEL_PROMOTED, "carol", "model", "fraud_detector:v2.0.0", "promote", Map.of()),
                AuditRecord.of(EventType.MODEL_PROMOTED, "carol", "model", "fraud_detector:v1.0.0", "archive", Map.of())));

        assertThat(events).extracting(AuditEvent::seq).containsExactly(2L, 3L);
        assertThat(events.get(1).prevHash()).isEqualTo(events.get(0).hash());
        assertThat(audit.verifyIntegrity().intact()).isTrue();
    }

    @Test
    void aRecordOverTheLimitsRefusesTheWholeActionBeforeAnythingIsWritten() {
        AuditLogger audit = audit();
        audit.logModelDeployment("fraud_detector", "v1.0.0", "devops", "production");

        assertThatThrownBy(() -> audit.logEvents(List.of(
                AuditRecord.of(EventType.MODEL_PROMOTED, "carol", "model", "fraud_detector:v2.0.0", "promote", Map.of()),
                AuditRecord.of(EventType.MODEL_PROMOTED, "carol", "model", "fraud_detector:v1.0.0", "archive",
                        Map.of("note", "x".repeat(5000)))))).isInstanceOf(InvalidInputException.class);

        assertThat(audit.head().seq()).isEqualTo(1);
        assertThat(audit.queryEvents(AuditFilter.all())).hasSize(1);
    }

    @Test
    void whenTheEventsCannotBeWrittenEveryCallerWaitingTogetherGetsTheErrorAndNothingIsWritten() throws Exception {
        AuditLogger today = audit();
        today.logModelDeployment("fraud_detector", "v1.0.0", "devops", "production");
        String headBefore = Files.readString(root().resolve("head.json"));
        // A file where tomorrow's day folder must go: no event of tomorrow can be created.
        LocalDate tomorrow = today().plusDays(1);
        Path month = root().resolve(String.format("events/%04d/%02d", tomorrow.getYear(), tomorrow.getMonthValue()));
        Files.createDirectories(month);
        Files.writeString(month.resolve(String.format("%02d", tomorrow.getDayOfMonth())), "in the way");
        AuditLogger audit = new AuditLogger(root(), new TestClock(tomorrow.atStartOfDay(ZoneOffset.UTC).toInstant()),
                Optional.empty());

        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        runAtOnce(8, thread -> {
            try {
                audit.record(AuditRecord.of(EventType.MODEL_ACCESSED, "t" + thread, "model", "m:v1", "read", Map.of()));
            } catch (RuntimeException e) {
                failures.add(e);
            }
        });

        assertThat(failures).hasSize(8).allSatisfy(failure -> assertThat(failure).isInstanceOf(StoreIOException.class));
        assertThat(Files.readString(root().resolve("head.json"))).isEqualTo(headBefore);
        assertThat(today.queryEvents(AuditFilter.all())).hasSize(1);
    }

    @Test
    void twoProcessesOfManyThreadsAppendingAtOnceLoseAndRepeatNothing() throws Exception {
        audit().logModelDeployment("fraud_detector", "v1.0.0", "devops", "production");
        List<Process> children = new ArrayList<>();
        try {
            for (String user : List.of("first", "second")) {
                children.add(JvmProcess.start(List.of(), AppendProbe.class.getName(), root().toString(), user, "4", "15"));
            }
            List<BufferedReader> outputs = new ArrayList<>();
            for (Process child : children) {
                BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                assertThat(output.readLine()).isEqualTo("ready");
                outputs.add(output);
            }
            for (Process child : children) {
                child.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
                child.getOutputStream().flush();
            }
            for (int i = 0; i < children.size(); i++) {
                assertThat(outputs.get(i).readLine()).startsWith("done");
                assertThat(children.get(i).waitFor(2, TimeUnit.MINUTES)).isTrue();
                assertThat(children.get(i).exitValue()).isZero();
            }
        } finally {
            children.forEach(Process::destroy);
        }

        List<AuditEvent> events = audit().queryEvents(AuditFilter.all());
        assertThat(events).extracting(AuditEvent::seq)
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 121).boxed().toList());
        assertThat(events).filteredOn(event -> "first".equals(event.user())).hasSize(60);
        assertThat(events).filteredOn(event -> "second".equals(event.user())).hasSize(60);
        assertThat(audit().verifyIntegrity().problems()).isEmpty();
    }

    /** Runs {@code body} on {@code threads} threads released at the same moment; rethrows what they throw. */
    private static void runAtOnce(int threads, ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Object>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<Object> task = () -> {
                    start.await();
                    body.run(thread);
                    return null;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Object> future : futures) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface ThreadBody {
        void run(int thread) throws IOException;
    }
}
