package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import neural.mlops.JvmProcess;
import neural.mlops.store.storage.LocalStorage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A day of 60,000 events exported, queried, reported and verified in a heap that cannot hold it
 * parsed (issue 23): read in pieces, each finishes in 64 MB, the export whether the day's index is
 * fresh or must be rewritten from its event files first, the report with the day's summary to make
 * again, the verification from every file; read whole, the same export, query and verification run
 * out of that heap, which shows the heap is small enough to tell.
 */
class BusyDayMemoryTest {

    static final int EVENTS = 60_000;
    static final List<String> SMALL_HEAP = List.of("-Xmx64m");

    @TempDir
    static Path dir;

    static Path root;

    @BeforeAll
    static void aTrailWithOneBusyDay() {
        root = dir.resolve("audit_logs");
        Instant start = Instant.parse("2024-03-01T00:00:00Z");
        try (BulkAppender bulk = BulkAppender.open(root, Optional.empty())) {
            for (int i = 0; i < EVENTS; i++) {
                bulk.append(AuditRecord.of(EventType.MODEL_ACCESSED, "user-" + (i % 50), "model", "fraud_detector:" + i,
                        "read", Map.of("n", i, "client", "batch-scoring", "region", "eu-west-" + (i % 3))),
                        start.plusMillis(i * 1000L), "build-01");
            }
            bulk.finish();
        }
    }

    @Test
    void aBusyDayReadInPiecesIsExportedInASmallHeap() throws Exception {
        assertThat(child("export", root, DayInPieces.FROM_EVENTS, "fresh.csv")).contains("exported " + EVENTS);
    }

    @Test
    void aBusyDayWhoseIndexIsGoneIsRewrittenAndExportedInASmallHeap() throws Exception {
        Path copy = dir.resolve("copy");
        copyTree(root, copy);
        new TrailIndex(new TrailLayout(new LocalStorage(copy))).invalidate(LocalDate.parse("2024-03-01"));

        assertThat(child("export", copy, DayInPieces.FROM_EVENTS, "rewritten.csv")).contains("exported " + EVENTS);
        assertThat(copy.resolve("index/2024/03/01.jsonl")).isRegularFile();
    }

    @Test
    void aBusyDayReadInPiecesIsQueriedInASmallHeap() throws Exception {
        assertThat(child("query", root, DayInPieces.FROM_EVENTS, null)).contains("queried " + EVENTS);
    }

    @Test
    void aBusyDayWhoseSummaryIsGoneIsReportedInASmallHeap() throws Exception {
        Path copy = dir.resolve("unsummarised");
        copyTree(root, copy);
        new TrailIndex(new TrailLayout(new LocalStorage(copy))).dropSummary(LocalDate.parse("2024-03-01"));

        assertThat(child("report", copy, DayInPieces.FROM_EVENTS, null)).contains("reported " + EVENTS);
        assertThat(copy.resolve("index/2024/03/01.summary.json")).isRegularFile(); // made again, a window at a time
    }

    @Test
    void aReportWhosePeriodStartsInsideABusyDayCountsItsPartInPiecesInASmallHeap() throws Exception {
        // One event a second from midnight: 8 hours are 28,800 of them, outside the period.
        assertThat(child("report-from-eight", root, DayInPieces.FROM_EVENTS, null))
                .contains("reported " + (EVENTS - 8 * 3600) + ", 0 violations");
        assertThat(child("report-from-eight", root, Integer.MAX_VALUE, null)).contains("OutOfMemoryError");
    }

    @Test
    void aBusyDayIsVerifiedFromItsFilesInPiecesInASmallHeap() throws Exception {
        // The other tests' exports of this trail are recorded in it: a few events more than the day.
        assertThat(child("verify", root, DayInPieces.FROM_EVENTS, null)).matches("(?s)verified 600\\d\\d, intact true\\R.*");
        assertThat(root.resolve("index/2024/03/01.jsonl")).isRegularFile(); // found to say what the files say: kept
    }

    @Test
    void theSameDayReadWholeDoesNotFitThatHeap() throws Exception {
        assertThat(child("export", root, Integer.MAX_VALUE, "whole.csv")).contains("OutOfMemoryError");
        assertThat(child("query", root, Integer.MAX_VALUE, null)).contains("OutOfMemoryError");
        assertThat(child("verify", root, Integer.MAX_VALUE, null)).contains("OutOfMemoryError");
    }

    private static String child(String action, Path trail, int fromEvents, String output)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(action, trail.toString()));
        if (output != null) {
            args.add(dir.resolve(output).toString());
        }
        args.add(Integer.toString(fromEvents));
        Process child = JvmProcess.start(SMALL_HEAP, BusyDayChild.class.getName(), args.toArray(String[]::new));
        String printed = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return printed;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
