package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import neural.mlops.JvmProcess;
import neural.mlops.store.OutputGuard;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.CountingStorage;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.StoredObject;
import neural.mlops.store.storage.TestStorages;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail's behaviour on every backend (issue 16): the same {@link AuditLogger} code on a
 * folder ({@link LocalAuditTrailTest}) and on S3 ({@link S3AuditTrailTest}), with the trail under
 * {@code audit_logs} of a workspace storage. Exports still go to a local file.
 */
abstract class AuditTrailContract {

    /** How many events each of two concurrent writers logs; small on S3, where every request costs. */
    protected abstract int eventsPerWriter();

    protected abstract TestStorages.Backend backend();

    @TempDir
    Path folder;

    @TempDir
    Path outputs;

    private Storage workspace;
    private Storage trail;

    @BeforeEach
    void open() {
        workspace = TestStorages.create(backend(), folder.resolve("workspace"));
        trail = workspace.under("audit_logs");
    }

    @AfterEach
    void close() {
        workspace.close();
    }

    private AuditLogger audit(Clock clock) {
        return new AuditLogger(trail, clock, Optional.empty(), OutputGuard.outside(List.of(folder)));
    }

    @Test
    void eventsAreChainedQueriedReportedExportedAndVerified() throws IOException {
        TestClock clock = TestClock.at("2024-03-01T10:00:00Z");
        AuditLogger audit = audit(clock);
        audit.logModelRegistration("fraud_detector", "1.0.0", "alice", "sklearn", Map.of("accuracy", 0.9));
        clock.advance(Duration.ofHours(1));
        audit.logModelDeployment("fraud_detector", "1.0.0", "bob", "production");
        clock.advance(Duration.ofDays(1));
        audit.logSecurityViolation("mallory", "model", "fraud_detector:1.0.0", "delete", Map.of());

        List<AuditEvent> all = audit.queryEvents(AuditFilter.all());
        assertThat(all).extracting(AuditEvent::seq).containsExactly(3L, 2L, 1L);
        assertThat(all.get(1).prevHash()).isEqualTo(all.get(2).hash());
        assertThat(audit.queryEvents(new AuditFilter(null, null, "bob", null, null, null, null, null)))
                .extracting(AuditEvent::user).containsExactly("bob");
        assertThat(stored("events/2024/03/01")).hasSize(2);
        assertThat(stored("events/2024/03/02")).hasSize(1);
        assertThat(audit.head().seq()).isEqualTo(3);

        ComplianceReport report = audit.generateComplianceReport(Instant.parse("2024-03-01T00:00:00Z"),
                Instant.parse("2024-03-03T00:00:00Z"), "auditor");
        assertThat(report.totalEvents()).isEqualTo(3);
        assertThat(report.securityViolations()).hasSize(1);
        assertThat(report.integrity().intact()).isTrue();
        assertThat(stored("reports")).singleElement()
                .satisfies(object -> assertThat(object.key().value()).isEqualTo("reports/" + report.reportId() + ".json"));

        Path export = outputs.resolve("trail.jsonl");
        ExportResult exported = audit.exportAuditTrail(export, ExportFormat.JSONL, AuditFilter.all(), "auditor", false,
                ExportListener.NONE);
        assertThat(exported.count()).isEqualTo(4); // the three, and the report_generated event
        assertThat(Files.readAllLines(export)).hasSize(4);

        IntegrityReport integrity = audit.verifyIntegrity();
        assertThat(integrity.problems()).isEmpty();
        assertThat(integrity.headSeq()).isEqualTo(5); // and the audit_exported event
    }

    @Test
    void aMonthsQueryListsEachMonthOnceAndReadsOneIndexPerDayWithNoRequestPerEvent() {
        TestClock clock = TestClock.at("2024-02-25T10:00:00Z");
        AuditLogger writer = audit(clock);
        for (int day = 0; day < 8; day++) { // 25 February to 3 March: two months, eight days
            for (int i = 0; i < 3; i++) {
                writer.logModelDeployment("fraud_detector", "1.0." + i, "devops", "production");
                clock.advance(Duration.ofHours(1));
            }
            clock.advance(Duration.ofHours(21));
        }
        AuditFilter month = AuditFilter.all().withPeriod(Instant.parse("2024-02-10T00:00:00Z"),
                Instant.parse("2024-03-10T00:00:00Z"));
        assertThat(writer.query(month, 0).events()).hasSize(24); // the first query of a day builds its index
        CountingStorage counting = new CountingStorage(trail);
        AuditLogger reader = new AuditLogger(counting, clock, Optional.empty(), OutputGuard.outside(List.of(folder)));

        QueryResult result = reader.query(month, 0);

        assertThat(result.events()).hasSize(24);
        assertThat(result.unreadable()).isEmpty();
        assertThat(counting.lists).as("one listing per month").hasValue(2);
        assertThat(counting.reads).as("one index per day with events").hasValue(8);
        assertThat(counting.stats).as("no request per event").hasValue(0);

        // An event changed since it was indexed is served as it is now: the listing shows its new version.
        Key first = eventKeyOfSeq(1);
        Document original = trail.read(first, 1 << 20).orElseThrow();
        trail.replace(first, new String(original.content(), StandardCharsets.UTF_8)
                .replace("\"devops\"", "\"someone_else\"").getBytes(StandardCharsets.UTF_8), original.version());
        assertThat(reader.query(month, 0).events()).extracting(AuditEvent::user).contains("someone_else");
    }

    @Test
    void anAppendToADayUnderWayWhoseIndexWasDroppedListsNoFolderAndTheIndexIsRebuiltByItsReader() {
        TestClock clock = TestClock.at("2024-06-01T10:00:00Z");
        CountingStorage counting = new CountingStorage(trail);
        AuditLogger writer = new AuditLogger(counting, clock, Optional.empty(), OutputGuard.outside(List.of(folder)));
        for (int i = 0; i < 5; i++) {
            writer.logModelDeployment("fraud_detector", "1.0." + i, "devops", "production");
            clock.advance(Duration.ofMinutes(5));
        }
        Key index = Key.of("index/2024/06/01.jsonl");
        assertThat(trail.stat(index)).as("the day's first append starts its index").isPresent();
        // A verification drops an index it finds stale; the day goes on without one until it is read.
        assertThat(trail.delete(index, Condition.none())).isTrue();
        counting.reset();

        writer.logModelDeployment("fraud_detector", "1.0.5", "devops", "production");

        assertThat(counting.lists).as("no listing of the day folder, however many events it holds").hasValue(0);
        assertThat(trail.stat(index)).as("left to its next reader").isEmpty();
        assertThat(writer.queryEvents(AuditFilter.all())).hasSize(6);
        assertThat(trail.stat(index)).as("rebuilt by the reader").isPresent();

        // The first event of the next day starts that day's index again.
        clock.advance(Duration.ofDays(1));
        writer.logModelDeployment("fraud_detector", "1.0.6", "devops", "production");
        assertThat(trail.stat(Key.of("index/2024/06/02.jsonl"))).isPresent();
        assertThat(writer.verifyIntegrity().problems()).isEmpty();
    }

    @Test
    void theTrailsDaysAreFoundThroughItsFoldersReadingOneObjectPerDayHoweverManyEventsADayHolds() {
        TestClock clock = TestClock.at("2024-12-30T10:00:00Z");
        AuditLogger writer = audit(clock);
        for (int day = 0; day < 4; day++) { // 30 December to 2 January: two years, two months, four days
            for (int i = 0; i < 6; i++) {
                writer.logModelDeployment("fraud_detector", "1.0." + i, "devops", "production");
                clock.advance(Duration.ofMinutes(10));
            }
            clock.advance(Duration.ofMinutes(1440 - 60));
        }
        trail.create(Key.of("events/2025/01/02/notes/readme.txt"), "not an event".getBytes(StandardCharsets.UTF_8));
        trail.create(Key.of("events/2025/01/05/readme.txt"), "a day folder without events".getBytes(StandardCharsets.UTF_8));
        trail.create(Key.of("events/2025/02/31/x.json"), "nobody's day".getBytes(StandardCharsets.UTF_8));
        trail.create(Key.of("events/draft/01/01/x.json"), "nobody's year".getBytes(StandardCharsets.UTF_8));
        CountingStorage counting = new CountingStorage(trail);
        TrailLayout layout = new TrailLayout(counting);

        List<LocalDate> all = layout.days(null, null, false);

        assertThat(all).containsExactly(LocalDate.of(2024, 12, 30), LocalDate.of(2024, 12, 31),
                LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 2));
        assertThat(counting.listedObjects).as("the first event of each day, none of the others").hasValue(4 + 1);
        assertThat(layout.days(LocalDate.of(2024, 12, 31), null, true))
                .containsExactly(LocalDate.of(2025, 1, 2), LocalDate.of(2025, 1, 1), LocalDate.of(2024, 12, 31));
        assertThat(layout.days(null, LocalDate.of(2024, 12, 30), false)).containsExactly(LocalDate.of(2024, 12, 30));
        counting.reset();
        assertThat(layout.days(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31), false))
                .containsExactly(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 2));
        assertThat(counting.lists).as("only the day folders of the period's months are probed").hasValue(3);
        assertThat(counting.folderListings).as("events/, 2025/, 2025/01/ and 2025/02/").hasValue(4);
    }

    @Test
    void aSettingsChangesAreFoundThroughTheLedgerReadingOnlyTheDaysThatHoldOne() {
        TestClock clock = TestClock.at("2024-05-01T10:00:00Z");
        AuditLogger writer = audit(clock);
        for (int day = 0; day < 6; day++) { // 1 to 6 May; identities changed on the 2nd, another setting on the 4th
            writer.logModelDeployment("fraud_detector", "1.0." + day, "devops", "production");
            if (day == 1) {
                writer.logEvent(AuditRecords.configChanged("alice", "identities", Map.of("sha256", "first"), true));
            }
            if (day == 3) {
                writer.logEvent(AuditRecords.configChanged("alice", "policy.roles", 2, true));
            }
            clock.advance(Duration.ofDays(1));
        }
        assertThat(writer.settingChanges("identities")).singleElement()
                .satisfies(event -> assertThat(event.timestamp()).isEqualTo(Instant.parse("2024-05-02T10:00:00Z")));
        CountingStorage counting = new CountingStorage(trail);
        AuditLogger reader = new AuditLogger(counting, clock, Optional.empty(), OutputGuard.outside(List.of(folder)));

        List<AuditEvent> changes = reader.settingChanges("identities");

        assertThat(changes).extracting(event -> event.details().get("value")).containsExactly(Map.of("sha256", "first"));
        assertThat(counting.reads).as("the head, index/ledger.json and the one day's index").hasValue(3);
        assertThat(reader.settingChanges("nothing.changed.this")).isEmpty();

        // A later change is found: the ledger is brought up to date from the days since it was written.
        writer.logEvent(AuditRecords.configChanged("bob", "identities", Map.of("sha256", "second"), true));
        assertThat(reader.settingChanges("identities")).extracting(event -> event.details().get("value"))
                .containsExactly(Map.of("sha256", "first"), Map.of("sha256", "second"));
        // Without the record (deleted, damaged, or of an older version) it is rebuilt from the index.
        assertThat(trail.delete(Key.of("index/ledger.json"), Condition.none())).isTrue();
        assertThat(reader.settingChanges("policy.roles")).extracting(AuditEvent::user).containsExactly("alice");
    }

    @Test
    void anEditedEventObjectIsReportedAsModifiedAtItsSeq() {
        AuditLogger audit = audit(Clock.systemUTC());
        for (int i = 0; i < 3; i++) {
            audit.logModelDeployment("fraud_detector", "1.0." + i, "devops", "production");
        }
        Key second = eventKeyOfSeq(2);
        Document original = trail.read(second, 1 << 20).orElseThrow();
        String edited = new String(original.content(), StandardCharsets.UTF_8).replace("\"devops\"", "\"someone_else\"");
        trail.replace(second, edited.getBytes(StandardCharsets.UTF_8), original.version());

        IntegrityReport integrity = audit.verifyIntegrity();

        assertThat(integrity.intact()).isFalse();
        assertThat(integrity.problems()).first().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.MODIFIED);
            assertThat(problem.seq()).isEqualTo(2);
        });
        // A query never serves the old copy from the index: it reads what is stored now.
        assertThat(audit.queryEvents(AuditFilter.all())).extracting(AuditEvent::user).contains("someone_else");
    }

    @Test
    void aCorruptEventObjectIsReportedAndTheRestIsStillReadAndAppendedTo() {
        AuditLogger audit = audit(Clock.systemUTC());
        audit.logModelDeployment("fraud_detector", "1.0.0", "devops", "production");
        audit.logModelDeployment("fraud_detector", "1.0.1", "devops", "production");
        Key first = eventKeyOfSeq(1);
        trail.write(first, "{ not json".getBytes(StandardCharsets.UTF_8), Condition.none());

        QueryResult result = audit.query(AuditFilter.all(), 0);
        assertThat(result.events()).extracting(AuditEvent::seq).containsExactly(2L);
        assertThat(result.unreadable()).singleElement().satisfies(problem ->
                assertThat(problem.kind()).isEqualTo(ProblemKind.MALFORMED));
        assertThat(audit.verifyIntegrity().problems()).extracting(IntegrityProblem::kind).contains(ProblemKind.MALFORMED);
        assertThat(audit.logModelDeployment("fraud_detector", "1.0.2", "devops", "production").seq()).isEqualTo(3);
    }

    @Test
    void aDamagedHeadIsRebuiltFromTheEventsByTheNextAppendWithoutAKey() {
        AuditLogger audit = audit(Clock.systemUTC());
        audit.logModelDeployment("fraud_detector", "1.0.0", "devops", "production");
        audit.logModelDeployment("fraud_detector", "1.0.1", "devops", "production");
        trail.write(Key.of("head.json"), "{ damaged".getBytes(StandardCharsets.UTF_8), Condition.none());

        AuditEvent next = audit.logModelDeployment("fraud_detector", "1.0.2", "devops", "production");

        assertThat(next.seq()).isEqualTo(3);
        assertThat(audit.head().seq()).isEqualTo(3);
        assertThat(audit.verifyIntegrity().problems()).isEmpty();
    }

    @Test
    void twoThreadsAppendingAtOnceGiveEachSeqOnceWithoutGapsAndAnIntactChain() throws Exception {
        AuditLogger one = audit(Clock.systemUTC());
        AuditLogger other = audit(Clock.systemUTC()); // two loggers: no shared queue, only the storage decides
        int each = eventsPerWriter();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Long>>> writers = new ArrayList<>();
            for (AuditLogger audit : List.of(one, other)) {
                writers.add(pool.submit(() -> {
                    start.await();
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        seqs.add(audit.logEvent(AuditRecord.of(EventType.MODEL_ACCESSED, "reader", "model",
                                "fraud_detector:v" + i, "read", Map.of())).seq());
                    }
                    return seqs;
                }));
            }
            start.countDown();
            List<Long> seqs = new ArrayList<>();
            for (Future<List<Long>> writer : writers) {
                seqs.addAll(writer.get(5, TimeUnit.MINUTES));
            }
            assertThat(seqs).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 2L * each).boxed().toList());
        } finally {
            pool.shutdownNow();
        }
        assertContiguousAndIntact(2 * each);
    }

    @Test
    void twoProcessesAppendingAtOnceGiveEachSeqOnceWithoutGapsAndAnIntactChain() throws Exception {
        int each = eventsPerWriter();
        List<Process> children = new ArrayList<>();
        try {
            for (String user : List.of("first", "second")) {
                List<String> arguments = new ArrayList<>(TestStorages.arguments(workspace));
                arguments.add(user);
                arguments.add(Integer.toString(each));
                children.add(JvmProcess.start(List.of(), AuditTrailChild.class.getName(), arguments.toArray(String[]::new)));
            }
            for (Process child : children) {
                JvmProcess.awaitLine(child, AuditTrailChild.READY);
            }
            for (Process child : children) {
                Writer go = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
                go.write("go\n");
                go.flush();
            }
            for (Process child : children) {
                String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String errors = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
                assertThat(output).as(errors).contains(AuditTrailChild.DONE);
                assertThat(child.exitValue()).isZero();
            }
        } finally {
            children.forEach(Process::destroyForcibly);
        }
        List<AuditEvent> events = assertContiguousAndIntact(2 * each);
        assertThat(events).filteredOn(event -> event.user().equals("first")).hasSize(each);
        assertThat(events).filteredOn(event -> event.user().equals("second")).hasSize(each);
    }

    @Test
    void withoutTheLockTheConditionalWritesAloneKeepTwoWritersToOneChain() throws Exception {
        // As under a lease that expired under a stalled holder: nothing but the conditional writes decides.
        Storage unlocked = new WithoutLockStorage(trail, key -> false);
        int each = Math.max(5, eventsPerWriter() / 5);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int writer = 0; writer < 2; writer++) {
                AuditLogger audit = new AuditLogger(unlocked, Clock.systemUTC(), Optional.empty(),
                        OutputGuard.outside(List.of(folder)));
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        audit.logEvent(AuditRecord.of(EventType.MODEL_ACCESSED, "reader", "model", "fraud_detector:v" + i,
                                "read", Map.of()));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertContiguousAndIntact(2 * each);
    }

    @Test
    void aCreateReportedLostAfterItSucceededIsRecognisedAsTheWritersOwnClaim() {
        // The client retried the event's create after its first attempt had in fact written it.
        Storage retrying = new WithoutLockStorage(trail, key -> key.value().startsWith("events/"));
        AuditLogger audit = new AuditLogger(retrying, Clock.systemUTC(), Optional.empty(),
                OutputGuard.outside(List.of(folder)));

        AuditEvent first = audit.logModelDeployment("fraud_detector", "1.0.0", "devops", "production");
        AuditEvent second = audit.logModelDeployment("fraud_detector", "1.0.1", "devops", "production");

        assertThat(List.of(first.seq(), second.seq())).containsExactly(1L, 2L);
        assertContiguousAndIntact(2);
    }

    @Test
    void aGroupWhoseSecondCreateIsReportedLostAfterItSucceededIsWrittenWhole() {
        // The events of a group are created together; the client retried the second one's create.
        Storage retrying = new WithoutLockStorage(trail, key -> key.value().matches("events/.*_0*2\\.json"));
        AuditLogger audit = new AuditLogger(retrying, Clock.systemUTC(), Optional.empty(),
                OutputGuard.outside(List.of(folder)));

        audit.recordAll(List.of(
                AuditRecord.of(EventType.MODEL_ACCESSED, "reader", "model", "fraud_detector:v1", "read", Map.of()),
                AuditRecord.of(EventType.MODEL_ACCESSED, "reader", "model", "fraud_detector:v2", "read", Map.of()),
                AuditRecord.of(EventType.MODEL_ACCESSED, "reader", "model", "fraud_detector:v3", "read", Map.of())));

        assertThat(assertContiguousAndIntact(3)).extracting(AuditEvent::resourceId) // newest first
                .containsExactly("fraud_detector:v3", "fraud_detector:v2", "fraud_detector:v1");
    }

    /** Seqs 1..count, each once, in as many event objects, linked, and head.json at count. */
    private List<AuditEvent> assertContiguousAndIntact(int count) {
        AuditLogger audit = audit(Clock.systemUTC());
        List<AuditEvent> events = audit.queryEvents(AuditFilter.all());
        assertThat(events.stream().mapToLong(AuditEvent::seq).sorted().toArray())
                .containsExactly(LongStream.rangeClosed(1, count).toArray());
        assertThat(stored("events")).hasSize(count);
        assertThat(audit.verifyIntegrity().problems()).isEmpty();
        assertThat(audit.head().seq()).isEqualTo(count);
        return events;
    }

    private List<StoredObject> stored(String folder) {
        try (Stream<StoredObject> objects = trail.list(folder)) {
            return objects.toList();
        }
    }

    private Key eventKeyOfSeq(long seq) {
        return stored("events").stream().map(StoredObject::key)
                .filter(key -> TrailLayout.seqFromName(key.fileName()) == seq)
                .findFirst().orElseThrow();
    }
}
