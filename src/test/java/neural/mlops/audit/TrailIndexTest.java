package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-day index answers exactly as the event files would, and is rebuilt whenever it is missing, damaged or stale. */
class TrailIndexTest {

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-01-15T08:00:00.000000Z");

    Path root() {
        return dir.resolve("audit_logs");
    }

    AuditLogger audit() {
        return new AuditLogger(root(), clock, Optional.empty());
    }

    /** Three days of events of several types, users and severities, with details and a secret. */
    @BeforeEach
    void threeDaysOfEvents() {
        AuditLogger audit = audit();
        for (int day = 0; day < 3; day++) {
            for (int n = 0; n < 5; n++) {
                clock.advance(Duration.ofMinutes(37));
                audit.logEvent(AuditRecord.of(EventType.MODEL_ACCESSED, n % 2 == 0 ? "alice" : "bob", "model",
                        "fraud_detector:v" + n, "read", Map.of("purpose", "evaluation " + n, "rows", n * 1000)));
            }
            audit.logSecurityViolation("mallory", "model", "fraud_detector:v1", "unauthorized_access",
                    Map.of("api_key", "sk-live-123", "attempts", 3 + day));
            audit.logAccessDenied("bob", "model", "fraud_detector:v2", "promote", "bob may not promote to production");
            audit.logModelDeployment("fraud_detector", "v" + day, "devops", "production");
            clock.advance(Duration.ofDays(1));
        }
    }

    @Test
    void aDaysLinesAreJoinedIntoOneArrayOfTheirExactSizeAndLetGoOnceCopied() {
        List<byte[]> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            lines.add(("{\"file\":\"event_" + i + ".json\"}\n").getBytes(StandardCharsets.UTF_8));
        }
        String expected = lines.stream().map(line -> new String(line, StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining());

        byte[] joined = TrailIndex.concat(lines);

        assertThat(new String(joined, StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(joined).hasSize(expected.length());
        // A busy day's index is tens of megabytes: its lines and the index are never held twice over.
        assertThat(lines).hasSize(1000).containsOnlyNulls();
    }

    @Test
    void aDayReadForSomeOfItsEventsHoldsThoseInOrderAndLeavesItsIndexWhole() throws IOException {
        LocalDate day = LocalDate.of(2024, 1, 16);
        TrailIndex index = new TrailIndex(new TrailLayout(new LocalStorage(root())));
        List<IndexedEvent> all = index.read(day).events();
        byte[] indexed = Files.readAllBytes(root().resolve("index/2024/01/16.jsonl"));

        TrailIndex.Day bobs = new TrailIndex(new TrailLayout(new LocalStorage(root())))
                .read(day, event -> "bob".equals(event.user()));

        assertThat(bobs.events()).extracting(IndexedEvent::summary)
                .containsExactlyElementsOf(all.stream().map(IndexedEvent::summary)
                        .filter(event -> "bob".equals(event.user())).toList())
                .hasSize(3);
        assertThat(bobs.indexBytes()).isEqualTo(indexed.length);
        assertThat(Files.readAllBytes(root().resolve("index/2024/01/16.jsonl"))).isEqualTo(indexed);
        assertThat(index.read(day).events()).hasSameSizeAs(all).hasSize(8);
    }

    @Test
    void aStaleDayReadForSomeOfItsEventsIsRebuiltWhole() throws IOException {
        LocalDate day = LocalDate.of(2024, 1, 16);
        Files.delete(root().resolve("index/2024/01/16.jsonl"));

        TrailIndex.Day bobs = new TrailIndex(new TrailLayout(new LocalStorage(root())))
                .read(day, event -> "bob".equals(event.user()));

        // Read from the files, as the rebuilt index holds it: every event, for the caller to filter.
        assertThat(bobs.events()).hasSize(8);
        assertThat(new TrailIndex(new TrailLayout(new LocalStorage(root()))).readIfFresh(day).events()).hasSize(8);
    }

    @Test
    void anIndexRebuiltFromScratchAnswersLikeTheLiveOne() throws IOException {
        Answers live = answers();
        assertThat(live.all()).hasSize(24);

        deleteTree(root().resolve(TrailLayout.INDEX));
        Answers rebuilt = answers();

        assertThat(rebuilt).isEqualTo(live);
        assertThat(root().resolve("index/2024/01/15.jsonl")).exists();
        assertThat(root().resolve("index/2024/01/17.jsonl")).exists();
    }

    @Test
    void queriesReportsAndExportsFromTheIndexMatchTheEventFiles() throws IOException {
        AuditLogger audit = audit();
        TrailLayout layout = new TrailLayout(new LocalStorage(root()));
        List<AuditEvent> fromFiles = layout.days(null, null, true).stream()
                .flatMap(day -> StoredEvent.readDay(layout, day, problem -> { }).stream()
                        .sorted(StoredEvent.OLDEST_FIRST.reversed()))
                .map(StoredEvent::event).toList();

        assertThat(audit.queryEvents(AuditFilter.all())).isEqualTo(fromFiles);
        assertThat(audit.queryEvents(AuditFilter.all().withText("evaluation 4"))).hasSize(3)
                .allSatisfy(event -> assertThat(event.details()).containsEntry("purpose", "evaluation 4"));
        assertThat(audit.queryEvents(AuditFilter.all().withUser("ALICE"))).hasSize(9);
        Path jsonl = dir.resolve("all.jsonl");
        audit.exportAuditTrail(jsonl, ExportFormat.JSONL, AuditFilter.all(), "auditor");
        List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(24);
        assertThat(lines.get(0)).isEqualTo(new String(IndexedEvent.compact(layout.days(null, null, false).stream()
                .flatMap(day -> StoredEvent.readDay(layout, day, problem -> { }).stream()).findFirst().orElseThrow().raw()),
                StandardCharsets.UTF_8));
    }

    @Test
    void aDeletedDayIndexIsRebuiltOnTheNextRead() throws IOException {
        Answers before = answers();
        Path index = root().resolve("index/2024/01/16.jsonl");
        Files.delete(index);

        assertThat(answers()).isEqualTo(before);
        assertThat(index).exists();
    }

    @Test
    void anIndexCutShortByACrashIsRebuilt() throws IOException {
        Answers before = answers();
        Path index = root().resolve("index/2024/01/15.jsonl");
        byte[] bytes = Files.readAllBytes(index);
        Files.write(index, java.util.Arrays.copyOf(bytes, bytes.length - 40));

        assertThat(answers()).isEqualTo(before);
        assertThat(Files.readAllBytes(index)).isEqualTo(bytes);
    }

    @Test
    void anIndexAndSummaryLeftEmptyByAPowerCutAreRebuilt() throws IOException {
        // Both are derived and written without a flush: a power cut may leave them empty.
        Answers before = answers();
        Path index = root().resolve("index/2024/01/15.jsonl");
        Path summary = root().resolve("index/2024/01/15.summary.json");
        byte[] bytes = Files.readAllBytes(index);
        Files.write(index, new byte[0]);
        if (Files.exists(summary)) {
            Files.write(summary, new byte[0]);
        }

        assertThat(answers()).isEqualTo(before);
        assertThat(Files.readAllBytes(index)).isEqualTo(bytes);
    }

    @Test
    void anIndexMissingItsLastLinesIsExtendedFromItsOwnLinesToTheBytesItHadBefore() throws IOException {
        Answers before = answers();
        Path index = root().resolve("index/2024/01/16.jsonl");
        byte[] bytes = Files.readAllBytes(index);
        List<String> lines = Files.readAllLines(index, StandardCharsets.UTF_8);
        // The lines of appends its writers did not add (a lost conditional replace, an index past 1 MB).
        Files.write(index, lines.subList(0, lines.size() - 3), StandardCharsets.UTF_8);
        Files.deleteIfExists(root().resolve("index/2024/01/16.summary.json"));

        assertThat(answers()).isEqualTo(before);
        // The lines it kept are copied as they are, the others made from the event files: the same bytes.
        assertThat(Files.readAllBytes(index)).isEqualTo(bytes);
    }

    @Test
    void anIndexIsExtendedByAddingLinesNotByWritingItsStoredLinesAgain() throws IOException {
        Answers before = answers();
        Path index = root().resolve("index/2024/01/16.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(index, StandardCharsets.UTF_8));
        // Stored lines in an order a rebuild would not give (each line is sealed, their order is not),
        // and the last three missing, as a reader finds them after appends to an index past 1 MB.
        java.util.Collections.swap(lines, 0, 1);
        List<String> kept = lines.subList(0, lines.size() - 3);
        Files.write(index, kept, StandardCharsets.UTF_8);
        byte[] stored = Files.readAllBytes(index);

        assertThat(answers()).isEqualTo(before);
        byte[] extended = Files.readAllBytes(index);
        assertThat(java.util.Arrays.copyOf(extended, stored.length)).isEqualTo(stored);
        assertThat(new String(extended, StandardCharsets.UTF_8).lines()).hasSize(lines.size());
    }

    @Test
    void anEventWrittenByAnotherToolMakesTheDayStaleAndIsFound() throws IOException {
        Path foreign = root().resolve("events/2024/01/16/event_20240116_235900_foreign.json");
        Files.writeString(foreign, """
                {"event_id": "legacy-1", "timestamp": "2024-01-16T23:59:00", "event_type": "model_deployed",
                 "user": "python-tool", "resource_type": "model", "resource_id": "churn:v1", "details": {"tags": ["x"]}}
                """);

        List<AuditEvent> found = audit().queryEvents(AuditFilter.all().withUser("python-tool"));

        assertThat(found).singleElement().satisfies(event -> assertThat(event.chained()).isFalse());
        assertThat(Files.readString(root().resolve("index/2024/01/16.jsonl"))).contains("legacy-1");
    }

    @Test
    void anIndexedEventWhoseFileIsGoneIsNoLongerAnswered() throws IOException {
        AuditEvent removed = audit().queryEvents(AuditFilter.all().withType(EventType.SECURITY_VIOLATION)).get(0);
        try (Stream<Path> files = Files.walk(root().resolve("events"))) {
            Files.delete(files.filter(file -> file.getFileName().toString().equals(removed.eventId() + ".json"))
                    .findFirst().orElseThrow());
        }

        assertThat(audit().queryEvents(AuditFilter.all().withType(EventType.SECURITY_VIOLATION)))
                .hasSize(2).doesNotContain(removed);
        assertThat(audit().verifyIntegrity().problems(ProblemKind.MISSING)).isNotEmpty();
    }

    @Test
    void anIndexedEventRenamedLeavesAsManyFilesButMakesTheDayStale() throws IOException {
        AuditEvent moved = audit().queryEvents(AuditFilter.all().withType(EventType.SECURITY_VIOLATION)).get(0);
        Path file;
        try (Stream<Path> files = Files.walk(root().resolve("events"))) {
            file = files.filter(found -> found.getFileName().toString().equals(moved.eventId() + ".json"))
                    .findFirst().orElseThrow();
        }
        // As many files in the day folder as lines in its index, one of them under a name the index does not hold.
        String renamed = file.getFileName().toString().replace(".json", "_renamed.json");
        Files.move(file, file.resolveSibling(renamed));

        List<AuditEvent> found = audit().queryEvents(AuditFilter.all().withType(EventType.SECURITY_VIOLATION));

        assertThat(found).hasSize(3).contains(moved);
        Path dayFolder = root().resolve("events").relativize(file.getParent());
        assertThat(Files.readString(root().resolve("index").resolve(dayFolder + ".jsonl"))).contains(renamed);
    }

    @Test
    void theIndexIsFreshOnlyForExactlyTheObjectsItNamesEachAsIndexed() {
        TrailIndex.Stamp one = new TrailIndex.Stamp(10, "a");
        TrailIndex.Stamp two = new TrailIndex.Stamp(20, "b");
        Map<String, TrailIndex.Stamp> indexed = Map.of("1.json", one, "2.json", two);

        assertThat(TrailIndex.sameObjects(indexed, Map.of("1.json", one, "2.json", two))).isTrue();
        assertThat(TrailIndex.sameObjects(Map.of(), Map.of())).isTrue();
        assertThat(TrailIndex.sameObjects(indexed, Map.of("1.json", one, "2.json", two, "3.json", one)))
                .as("an object added").isFalse();
        assertThat(TrailIndex.sameObjects(indexed, Map.of("1.json", one))).as("an object gone").isFalse();
        assertThat(TrailIndex.sameObjects(indexed, Map.of("1.json", one, "3.json", two)))
                .as("as many objects, one of another name").isFalse();
        assertThat(TrailIndex.sameObjects(indexed, Map.of("1.json", one, "2.json", new TrailIndex.Stamp(20, "c"))))
                .as("an object changed").isFalse();
        assertThat(TrailIndex.sameObjects(Map.of("1.json", TrailIndex.Stamp.NONE), Map.of("1.json", TrailIndex.Stamp.NONE)))
                .as("an object stamped as missing when indexed").isFalse();
    }

    @Test
    void anUnreadableEventFileIsReportedFromTheIndexAsFromTheFiles() throws IOException {
        Files.writeString(root().resolve("events/2024/01/15/event_20240115_235959_000099.json"), "{ not json");

        QueryResult first = audit().query(AuditFilter.all(), 0);
        QueryResult second = audit().query(AuditFilter.all(), 0);

        assertThat(first.unreadable()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.MALFORMED);
            assertThat(problem.file().getFileName().toString()).isEqualTo("event_20240115_235959_000099.json");
        });
        assertThat(second.unreadable()).isEqualTo(first.unreadable());
        assertThat(second.events()).hasSize(24);
    }

    @Test
    void anEventEditedInPlaceIsReadFromItsFileAndVerificationDropsTheOldCopy() throws IOException {
        AuditEvent target = audit().queryEvents(AuditFilter.all().withType(EventType.ACCESS_DENIED)).get(0);
        Path file = root().resolve("events/2024/01/17/" + target.eventId() + ".json");
        Files.writeString(file, Files.readString(file).replace("bob may not promote", "bob may now promote"));
        // The file was edited in place: same name, but not the size and time its index line records ...
        assertThat(new TrailIndex(new TrailLayout(new LocalStorage(root()))).readIfFresh(LocalDate.of(2024, 1, 17))).isNull();

        IntegrityReport report = audit().verifyIntegrity();

        assertThat(report.problems(ProblemKind.MODIFIED)).isNotEmpty();
        // ... and verification, which reads the events, reports the edit and drops the old copy.
        assertThat(root().resolve("index/2024/01/17.jsonl")).doesNotExist();
        assertThat(audit().queryEvents(AuditFilter.all().withType(EventType.ACCESS_DENIED)).get(0).reason())
                .isEqualTo("bob may now promote to production");
    }

    @Test
    void verificationNeedsNoIndex() throws IOException {
        deleteTree(root().resolve(TrailLayout.INDEX));

        assertThat(audit().verifyIntegrity().intact()).isTrue();
    }

    @Test
    void theReportChecksItsPeriodFromTheIndexAndSaysSo() {
        ComplianceReport report = audit().generateComplianceReport(Instant.parse("2024-01-15T00:00:00Z"),
                Instant.parse("2024-01-17T23:59:59Z"), "auditor");

        assertThat(report.totalEvents()).isEqualTo(24);
        assertThat(report.integrity().intact()).isTrue();
        assertThat(report.integrity().eventsChecked()).isEqualTo(24);
        assertThat(report.integrity().notes()).anySatisfy(note -> assertThat(note).contains("index"));
    }

    /** What the trail answers: every event newest first, one user's, a report's counts, a CSV export. */
    private Answers answers() throws IOException {
        AuditLogger audit = audit();
        List<AuditEvent> all = audit.queryEvents(AuditFilter.all());
        List<AuditEvent> bob = audit.queryEvents(AuditFilter.all().withUser("bob").withSeverity(EventSeverity.WARNING));
        ComplianceReport report = audit.generateComplianceReport(Instant.parse("2024-01-15T00:00:00Z"),
                Instant.parse("2024-01-17T23:59:59Z"), "auditor");
        Path csv = dir.resolve("export.csv");
        audit.exportAuditTrail(csv, ExportFormat.CSV, AuditFilter.all().withUntil(Instant.parse("2024-01-17T23:59:59Z")),
                "auditor");
        String exported = Files.readString(csv);
        Files.delete(csv);
        return new Answers(all.stream().filter(event -> event.eventType() != EventType.REPORT_GENERATED
                        && event.eventType() != EventType.AUDIT_EXPORTED).toList(), bob, report.totalEvents(),
                report.eventsByType(), report.eventsByUser(), report.securityViolations(), report.accessDenied(),
                report.integrity().intact(), exported.lines().count());
    }

    private record Answers(List<AuditEvent> all, List<AuditEvent> bob, long total, Map<EventType, Long> byType,
                           Map<String, Long> byUser, List<AuditEvent> violations, List<AuditEvent> denied, boolean intact,
                           long csvLines) {
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
