package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.OutputGuard;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.ForwardingStorage;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.TestStorages;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An export reads a busy day's index in windows of lines ({@link DayInPieces}, issue 23), on every
 * backend: the file is byte for byte what reading the day whole writes, the index is streamed and
 * never read whole, a stale, disordered or tampered index is rewritten first, and an index that
 * changes between the check and the read fails the export. Small days and windows stand for busy
 * ones here; {@link ExportBusyDayMemoryTest} exports a real busy day in a small heap.
 */
abstract class DayInPiecesContract {

    static final int BUSY = 40;
    static final LocalDate BUSY_DAY = LocalDate.parse("2024-03-01");
    /** In pieces from 10 events, in windows of 2 KB: a few lines each, and a line longer than some. */
    static final DayInPieces.Settings SMALL = new DayInPieces.Settings(10, 2048);
    static final DayInPieces.Settings NEVER = new DayInPieces.Settings(Integer.MAX_VALUE, DayInPieces.WINDOW_BYTES);

    protected abstract TestStorages.Backend backend();

    @TempDir
    Path folder;

    @TempDir
    Path outputs;

    private Storage workspace;
    private Recording trail;

    @BeforeEach
    void busyDayBetweenTwoQuietOnes() {
        workspace = TestStorages.create(backend(), folder.resolve("workspace"));
        trail = new Recording(workspace.under("audit_logs"));
        TestClock clock = TestClock.at("2024-02-29T12:00:00Z");
        AuditLogger audit = new AuditLogger(trail, clock, Optional.empty(), OutputGuard.outside(List.of(folder)));
        audit.logModelRegistration("fraud_detector", "1.0.0", "alice", "sklearn", Map.of("accuracy", 0.9));
        clock.advance(Duration.ofDays(1));
        List<AuditRecord> busy = new ArrayList<>();
        for (int i = 0; i < BUSY; i++) {
            // One event with long details: a line longer than a 2 KB window.
            Map<String, Object> details = i == 7 ? Map.of("n", i, "note", "note 7", "long", "x".repeat(3000),
                    "longer", "y".repeat(3000)) : Map.of("n", i, "note", "note " + i);
            busy.add(AuditRecord.of(EventType.MODEL_ACCESSED, i % 3 == 0 ? "alice" : "bob", "model",
                    "fraud_detector:" + i, "read", details));
        }
        audit.logEvents(busy);
        clock.advance(Duration.ofDays(1));
        audit.logModelDeployment("fraud_detector", "1.0.0", "bob", "production");
        trail.reset();
    }

    @AfterEach
    void close() {
        workspace.close();
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void aBusyDayIsExportedInPiecesExactlyAsReadWhole(ExportFormat format) throws IOException {
        byte[] whole = export(NEVER, format, ExportShape.PRODUCT, AuditFilter.all());
        trail.reset();

        byte[] inPieces = export(SMALL, format, ExportShape.PRODUCT, AuditFilter.all());

        assertThat(new String(inPieces, StandardCharsets.UTF_8)).isEqualTo(new String(whole, StandardCharsets.UTF_8));
        assertThat(trail.streamed).contains(indexKey()).hasSize(2); // the check, then the windows
        assertThat(trail.readWhole).doesNotContain(indexKey());
        assertThat(trail.uploaded).isEmpty(); // fresh and in order: not rewritten
    }

    @Test
    void aFilterIsAppliedToEachWindow() throws IOException {
        AuditFilter alice = new AuditFilter(null, null, "alice", null, null, null, null, null);
        AuditFilter text = new AuditFilter(null, null, null, null, null, "note 1", null, null);

        assertThat(export(SMALL, ExportFormat.CSV, ExportShape.PRODUCT, alice))
                .isEqualTo(export(NEVER, ExportFormat.CSV, ExportShape.PRODUCT, alice));
        assertThat(export(SMALL, ExportFormat.JSONL, ExportShape.PRODUCT, text))
                .isEqualTo(export(NEVER, ExportFormat.JSONL, ExportShape.PRODUCT, text));
    }

    @ParameterizedTest
    @EnumSource(value = ExportFormat.class, names = {"JSON", "YAML"})
    void theOriginalShapeReadsTheBusyDaysWindowsNewestFirst(ExportFormat format) throws IOException {
        byte[] whole = export(NEVER, format, ExportShape.ORIGINAL, AuditFilter.all());
        trail.reset();

        assertThat(new String(export(SMALL, format, ExportShape.ORIGINAL, AuditFilter.all()), StandardCharsets.UTF_8))
                .isEqualTo(new String(whole, StandardCharsets.UTF_8));
        assertThat(trail.streamed).contains(indexKey()).hasSizeGreaterThan(2); // the check, then each window from its start
        assertThat(trail.readWhole).doesNotContain(indexKey());
    }

    @Test
    void aQueryReadsTheBusyDaysWindowsNewestFirstAndStopsAtItsLimit() {
        AuditLogger whole = audit(NEVER);
        AuditLogger inPieces = audit(SMALL);
        AuditFilter bob = new AuditFilter(null, null, "bob", null, null, null, null, null);
        AuditFilter text = new AuditFilter(null, null, null, null, null, "note 1", null, null);
        AuditFilter busyDay = AuditFilter.all().withPeriod(Instant.parse("2024-03-01T00:00:00Z"),
                Instant.parse("2024-03-01T23:59:59Z"));

        for (AuditFilter filter : List.of(AuditFilter.all(), bob, text, busyDay)) {
            for (int limit : List.of(0, 1, 5, 39, 41)) {
                assertThat(inPieces.query(filter, limit).events()).as("%s, limit %d", filter, limit)
                        .isEqualTo(whole.query(filter, limit).events());
            }
        }
        trail.reset();
        assertThat(inPieces.query(AuditFilter.all(), 0).events()).hasSize(BUSY + 2)
                .extracting(AuditEvent::seq).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(trail.streamed).contains(indexKey());
        assertThat(trail.readWhole).doesNotContain(indexKey());
    }

    enum Damage {
        MISSING(lines -> List.of()),
        LACKS_ITS_LAST_EVENTS(lines -> lines.subList(0, lines.size() - 3)),
        OUT_OF_ORDER(lines -> {
            List<String> shuffled = new ArrayList<>(lines);
            Collections.swap(shuffled, 3, 30);
            return shuffled;
        }),
        A_LINE_EDITED(lines -> {
            List<String> edited = new ArrayList<>(lines);
            edited.set(5, edited.get(5).replace("\"bob\"", "\"eve\""));
            return edited;
        });

        final UnaryOperator<List<String>> change;

        Damage(UnaryOperator<List<String>> change) {
            this.change = change;
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aBusyDayWhoseIndexDoesNotHoldIsRewrittenOldestFirstThenReadInPieces(Damage damage) throws IOException {
        byte[] whole = export(NEVER, ExportFormat.JSONL, ExportShape.PRODUCT, AuditFilter.all());
        String sound = indexText();
        List<String> lines = changedLines(sound, damage.change);
        assertThat(lines).isNotEqualTo(sound.lines().toList());
        if (lines.isEmpty()) {
            workspace.under("audit_logs").delete(indexKey(), Condition.none());
        } else {
            workspace.under("audit_logs").write(indexKey(), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8),
                    Condition.none());
        }
        trail.reset();
        TrailIndex index = new TrailIndex(new TrailLayout(trail));

        byte[] inPieces = export(index, SMALL, ExportFormat.JSONL, ExportShape.PRODUCT, AuditFilter.all());

        assertThat(inPieces).isEqualTo(whole);
        assertThat(trail.uploaded).containsExactly(indexKey());
        assertThat(indexText()).isEqualTo(sound); // every line as a rebuild writes it, oldest first
        // An index that lacks only the last appends is extended by them; any other is written again from every file, twice read.
        assertThat(trail.readWhole).filteredOn(key -> key.value().startsWith("events/"))
                .hasSize(damage == Damage.LACKS_ITS_LAST_EVENTS ? 3 : 2 * BUSY);
        assertThat(index.drainProblems()).extracting(IntegrityProblem::kind)
                .containsExactlyElementsOf(damage == Damage.A_LINE_EDITED ? List.of(ProblemKind.DERIVED) : List.of());
    }

    @Test
    void anIndexReplacedBetweenTheCheckAndTheReadFailsTheExport() throws IOException {
        String sound = indexText();
        trail.replaceSecondStream = changedLines(sound, lines -> lines.subList(0, lines.size() - 1));

        assertThatThrownBy(() -> export(SMALL, ExportFormat.JSONL, ExportShape.PRODUCT, AuditFilter.all()))
                .isInstanceOf(MlopsException.class)
                .hasMessage("The index of the audit day 2024-03-01 changed while it was being read; run it again");
        assertThat(indexText()).isEqualTo(sound);
    }

    @Test
    void linesAppendedBetweenTheCheckAndTheReadAreLeftForTheNextReader() throws IOException {
        byte[] whole = export(NEVER, ExportFormat.JSONL, ExportShape.PRODUCT, AuditFilter.all());
        String sound = indexText();
        // What an append to the day looks like to the second read: more lines after those checked.
        trail.replaceSecondStream = changedLines(sound, lines -> {
            List<String> longer = new ArrayList<>(lines);
            longer.add(lines.get(lines.size() - 1));
            return longer;
        });

        assertThat(export(SMALL, ExportFormat.JSONL, ExportShape.PRODUCT, AuditFilter.all())).isEqualTo(whole);
        assertThat(indexText()).isEqualTo(sound);
    }

    @Test
    void aFileOfTheBusyDayThatIsNotAnEventIsReportedOnceAndTheRestExported() throws IOException {
        byte[] whole = export(NEVER, ExportFormat.CSV, ExportShape.PRODUCT, AuditFilter.all());
        Key stray = Key.of("events/2024/03/01/event_20240301_235959_0000999.json");
        workspace.under("audit_logs").write(stray, "{not json".getBytes(StandardCharsets.UTF_8), Condition.none());
        List<IntegrityProblem> reported = new CopyOnWriteArrayList<>();

        byte[] inPieces = export(new TrailIndex(new TrailLayout(trail)), SMALL, ExportFormat.CSV, ExportShape.PRODUCT,
                AuditFilter.all(), reported::add);

        assertThat(inPieces).isEqualTo(whole);
        assertThat(reported).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.MALFORMED);
            assertThat(problem.file().getFileName().toString()).isEqualTo(stray.fileName());
        });
    }

    // Verification from the files (BusyDayCheck)

    /** What a verification can meet on the busy day: each is verified in pieces and whole, from the same trail. */
    enum Found {
        NOTHING,
        AN_EVENT_EDITED,
        AN_EVENT_DELETED,
        A_FILE_THAT_IS_NOT_AN_EVENT,
        AN_INDEX_LINE_EDITED,
        AN_INDEX_LINE_EDITED_AND_RESEALED,
        AN_INDEX_LACKING_ITS_LAST_EVENTS,
        NO_INDEX,
        A_SUMMARY_EDITED,
        A_SUMMARY_EDITED_AND_RESEALED
    }

    @ParameterizedTest
    @EnumSource(Found.class)
    void aBusyDayIsVerifiedInPiecesWithTheProblemsAndDroppedFilesOfAWholeRead(Found found) throws IOException {
        audit(NEVER).generateComplianceReport(Instant.parse("2024-02-29T00:00:00Z"), Instant.parse("2024-03-02T23:59:59Z"));
        assertThat(stored(summaryKey())).isPresent();
        damage(found);
        Optional<byte[]> index = stored(indexKey());
        Optional<byte[]> summary = stored(summaryKey());
        trail.reset();

        IntegrityReport inPieces = audit(SMALL).verifyIntegrity();
        boolean indexKept = stored(indexKey()).isPresent();
        boolean summaryKept = stored(summaryKey()).isPresent();
        assertThat(trail.readWhole).doesNotContain(indexKey());
        restore(indexKey(), index);
        restore(summaryKey(), summary);
        IntegrityReport whole = audit(NEVER).verifyIntegrity();

        assertThat(inPieces.problems()).isEqualTo(whole.problems());
        assertThat(inPieces.eventsChecked()).isEqualTo(whole.eventsChecked());
        assertThat(indexKept).as("index kept").isEqualTo(stored(indexKey()).isPresent());
        assertThat(summaryKept).as("summary kept").isEqualTo(stored(summaryKey()).isPresent());
        assertThat(inPieces.intact()).isEqualTo(found == Found.NOTHING || found == Found.AN_INDEX_LACKING_ITS_LAST_EVENTS
                || found == Found.NO_INDEX);
        assertThat(indexKept).isEqualTo(found == Found.NOTHING || found == Found.A_SUMMARY_EDITED
                || found == Found.A_SUMMARY_EDITED_AND_RESEALED);
    }

    @Test
    void anIndexOutOfOrderIsDroppedWhereAWholeReadKeepsItButNothingIsReported() throws IOException {
        String sound = indexText();
        List<String> lines = changedLines(sound, Damage.OUT_OF_ORDER.change);
        workspace.under("audit_logs").write(indexKey(), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8),
                Condition.none());

        IntegrityReport inPieces = audit(SMALL).verifyIntegrity();

        assertThat(inPieces.problems()).isEmpty();
        assertThat(inPieces.eventsChecked()).isEqualTo(BUSY + 2);
        assertThat(stored(indexKey())).isEmpty(); // the next reader writes it again, oldest first
    }

    private void damage(Found found) {
        Storage audit = workspace.under("audit_logs");
        TrailLayout layout = new TrailLayout(trail);
        List<Key> events = layout.eventObjects(BUSY_DAY).stream().map(object -> object.key()).sorted(
                java.util.Comparator.comparing(Key::value)).toList();
        switch (found) {
            case NOTHING -> { }
            case AN_EVENT_EDITED -> audit.write(events.get(12), new String(audit.read(events.get(12), TrailIndex.MAX_INDEX_BYTES)
                    .orElseThrow().content(), StandardCharsets.UTF_8).replace("note 12", "note 99")
                    .getBytes(StandardCharsets.UTF_8), Condition.none());
            case AN_EVENT_DELETED -> audit.delete(events.get(20), Condition.none());
            case A_FILE_THAT_IS_NOT_AN_EVENT -> audit.write(Key.of("events/2024/03/01/event_20240301_120000_0000020x.json"),
                    "{not json".getBytes(StandardCharsets.UTF_8), Condition.none());
            case AN_INDEX_LINE_EDITED -> rewriteIndex(lines -> {
                List<String> edited = new ArrayList<>(lines);
                edited.set(5, edited.get(5).replace("\"bob\"", "\"eve\""));
                return edited;
            });
            case AN_INDEX_LINE_EDITED_AND_RESEALED -> rewriteIndex(lines -> {
                List<String> edited = new ArrayList<>(lines);
                String line = edited.get(5).replace("\"bob\"", "\"eve\"");
                String unsealed = line.substring(0, line.lastIndexOf(",\"sum\":\"")) + "}";
                edited.set(5, new String(Seal.seal(unsealed.getBytes(StandardCharsets.UTF_8), null), StandardCharsets.UTF_8));
                return edited;
            });
            case AN_INDEX_LACKING_ITS_LAST_EVENTS -> rewriteIndex(lines -> lines.subList(0, lines.size() - 3));
            case NO_INDEX -> audit.delete(indexKey(), Condition.none());
            case A_SUMMARY_EDITED -> audit.write(summaryKey(), new String(stored(summaryKey()).orElseThrow(),
                    StandardCharsets.UTF_8).replace("\"bob\"", "\"eve\"").getBytes(StandardCharsets.UTF_8), Condition.none());
            case A_SUMMARY_EDITED_AND_RESEALED -> {
                String text = new String(stored(summaryKey()).orElseThrow(), StandardCharsets.UTF_8).trim()
                        .replace("\"bob\"", "\"eve\"");
                String unsealed = text.substring(0, text.lastIndexOf(",\"sum\":\"")) + "}";
                audit.write(summaryKey(), Seal.seal(unsealed.getBytes(StandardCharsets.UTF_8), null), Condition.none());
            }
            default -> throw new IllegalArgumentException(found.name());
        }
    }

    private void rewriteIndex(UnaryOperator<List<String>> change) {
        List<String> lines = changedLines(indexText(), change);
        workspace.under("audit_logs").write(indexKey(), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8),
                Condition.none());
    }

    private Optional<byte[]> stored(Key key) {
        return workspace.under("audit_logs").read(key, TrailIndex.MAX_INDEX_BYTES).map(Document::content);
    }

    /** Puts back what the first verification dropped; what it kept stays as it is, its stamp (which a summary names) with it. */
    private void restore(Key key, Optional<byte[]> content) {
        Storage audit = workspace.under("audit_logs");
        Optional<byte[]> now = stored(key);
        if (now.isPresent() == content.isPresent() && (now.isEmpty() || Arrays.equals(now.get(), content.get()))) {
            return;
        }
        if (content.isPresent()) {
            audit.write(key, content.get(), Condition.none());
        } else {
            audit.delete(key, Condition.none());
        }
    }

    private Key summaryKey() {
        return new TrailLayout(trail).indexSummaryKey(BUSY_DAY);
    }

    @Test
    void aReportWhosePeriodStartsInsideABusyDayCountsAndListsItsPartAsAWholeReadDoes() {
        Storage other = workspace.under("audit_report");
        TestClock clock = TestClock.at("2024-03-01T00:00:00Z");
        AuditLogger writer = new AuditLogger(other, clock, Optional.empty(), OutputGuard.outside(List.of(folder)));
        EventType[] types = {EventType.MODEL_ACCESSED, EventType.SECURITY_VIOLATION, EventType.ACCESS_DENIED,
                EventType.MODEL_PROMOTED, EventType.DEPLOYMENT_CREATED, EventType.MODEL_ACCESSED};
        for (int i = 0; i < BUSY; i++) {
            clock.advance(Duration.ofMinutes(30)); // 00:30 to 20:00: the period from noon holds the last 17
            AuditRecord record = AuditRecord.of(types[i % types.length], i % 3 == 0 ? "alice" : "bob", "model",
                    "fraud_detector:" + i, "act " + i, Map.of("n", i));
            writer.logEvent(i % 7 == 0 ? record.withOutcome(Outcome.FAILURE, EventSeverity.CRITICAL) : record);
        }
        clock.set(Instant.parse("2024-03-03T00:00:00Z")); // the reports' own events fall after their period
        Instant noon = Instant.parse("2024-03-01T12:00:00Z");
        Instant end = Instant.parse("2024-03-02T00:00:00Z");
        Recording recorded = new Recording(other);
        ComplianceReport whole = reporter(recorded, clock, NEVER).generateComplianceReport(noon, end, "auditor");
        recorded.reset();

        ComplianceReport inPieces = reporter(recorded, clock, SMALL).generateComplianceReport(noon, end, "auditor");

        assertThat(inPieces.totalEvents()).isEqualTo(whole.totalEvents()).isEqualTo(BUSY - 23);
        assertThat(inPieces).usingRecursiveComparison()
                .comparingOnlyFields("eventsByType", "eventsBySeverity", "eventsByUser", "eventsByDay",
                        "securityViolations", "accessDenied", "modelDeployments", "promotions", "failedOperations",
                        "criticalEvents")
                .isEqualTo(whole);
        assertThat(inPieces.securityViolations()).extracting(AuditEvent::action).containsExactly("act 25", "act 31", "act 37");
        assertThat(inPieces.integrity().intact()).isTrue();
        Key busyIndex = new TrailLayout(other).indexKey(BUSY_DAY);
        assertThat(recorded.streamed).contains(busyIndex); // the check, then the windows
        assertThat(recorded.readWhole).doesNotContain(busyIndex);
    }

    private AuditLogger reporter(Storage storage, java.time.Clock clock, DayInPieces.Settings pieces) {
        return new AuditLogger(storage, clock, Optional.empty(), OutputGuard.outside(List.of(folder)),
                java.time.ZoneId.systemDefault(), pieces);
    }

    // Helpers

    private AuditLogger audit(DayInPieces.Settings pieces) {
        return new AuditLogger(trail, java.time.Clock.systemUTC(), Optional.empty(), OutputGuard.outside(List.of(folder)),
                java.time.ZoneId.systemDefault(), pieces);
    }

    private Key indexKey() {
        return new TrailLayout(trail).indexKey(BUSY_DAY);
    }

    private String indexText() {
        return new String(workspace.under("audit_logs").read(indexKey(), TrailIndex.MAX_INDEX_BYTES).orElseThrow().content(),
                StandardCharsets.UTF_8);
    }

    private static List<String> changedLines(String index, UnaryOperator<List<String>> change) {
        return change.apply(index.lines().toList());
    }

    private byte[] export(DayInPieces.Settings pieces, ExportFormat format, ExportShape shape, AuditFilter filter)
            throws IOException {
        return export(new TrailIndex(new TrailLayout(trail)), pieces, format, shape, filter);
    }

    private byte[] export(TrailIndex index, DayInPieces.Settings pieces, ExportFormat format, ExportShape shape,
                          AuditFilter filter) throws IOException {
        return export(index, pieces, format, shape, filter, problem -> { });
    }

    private final AtomicInteger exports = new AtomicInteger();

    private byte[] export(TrailIndex index, DayInPieces.Settings pieces, ExportFormat format, ExportShape shape,
                          AuditFilter filter, java.util.function.Consumer<IntegrityProblem> unreadable) throws IOException {
        Path file = outputs.resolve("export-" + exports.incrementAndGet() + "." + format.value());
        ObjectNode header = Json.mapper().createObjectNode().put("exported_by", "auditor");
        new Exporter(new TrailLayout(trail), index, pieces).write(file, file, format, shape, filter, header, unreadable,
                ExportListener.NONE);
        return Files.readAllBytes(file);
    }

    /** The trail's storage, noting which objects are read whole, streamed or uploaded, and able to swap a second stream. */
    static final class Recording extends ForwardingStorage {
        final List<Key> readWhole = new CopyOnWriteArrayList<>();
        final List<Key> streamed = new CopyOnWriteArrayList<>();
        final List<Key> uploaded = new CopyOnWriteArrayList<>();
        /** When set, the second stream of an index hands these lines instead of the stored ones. */
        volatile List<String> replaceSecondStream;

        Recording(Storage real) {
            super(real);
        }

        void reset() {
            readWhole.clear();
            streamed.clear();
            uploaded.clear();
        }

        @Override
        public Optional<Document> read(Key key, long maxBytes) {
            readWhole.add(key);
            return real.read(key, maxBytes);
        }

        @Override
        public Optional<InputStream> openStream(Key key, long offset) {
            boolean index = key.value().startsWith("index/");
            if (index) {
                streamed.add(key);
                if (replaceSecondStream != null && streamed.stream().filter(key::equals).count() == 2) {
                    byte[] replaced = (String.join("\n", replaceSecondStream) + "\n").getBytes(StandardCharsets.UTF_8);
                    return Optional.of(new ByteArrayInputStream(replaced));
                }
            }
            return real.openStream(key, offset);
        }

        @Override
        public neural.mlops.store.storage.Version upload(Key key, InputStream source, long sizeBytes, Condition condition,
                                                       neural.mlops.store.storage.TransferListener listener) {
            uploaded.add(key);
            return real.upload(key, source, sizeBytes, condition, listener);
        }
    }
}
