package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import neural.mlops.store.Json;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An export writes as it reads, in every format and shape: it never holds the period's events to
 * write them later, so its memory does not grow with the period (SPEC 3.3, issue 23). Checked
 * from the outside, through the file being written: each day boundary the listener hears finds
 * on disk all the days before it but the last one or two (the days read ahead and the write
 * buffers), where an exporter that collects the events first has written nothing yet.
 */
class ExportMemoryTest {

    static final int DAYS = 12;
    static final int EVENTS_PER_DAY = 8;
    /** The generator's and the file's write buffers together, with room to spare. */
    static final long BUFFERS = 128 * 1024;

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-01-01T12:00:00Z");
    AuditLogger audit;

    @BeforeEach
    void trailOfLargeEventsOverTwelveDays() {
        audit = new AuditLogger(dir.resolve("audit_logs"), clock, Optional.empty());
        for (int day = 0; day < DAYS; day++) {
            List<AuditRecord> records = new ArrayList<>();
            for (int i = 0; i < EVENTS_PER_DAY; i++) {
                Map<String, Object> details = new LinkedHashMap<>();
                for (int field = 0; field < 8; field++) {
                    details.put("note_" + field, ("day " + day + " event " + i + " ").repeat(400).substring(0, 3000));
                }
                details.put("count", day * 100 + i);
                records.add(AuditRecord.of(EventType.CONFIG_CHANGED, "ops", "config", "cfg-" + day + "-" + i, "edit", details));
            }
            audit.logEvents(records);
            clock.advance(Duration.ofDays(1));
        }
    }

    static Stream<Arguments> formatsAndShapes() {
        return Stream.of(Arguments.of(ExportFormat.JSON, ExportShape.PRODUCT), Arguments.of(ExportFormat.JSONL, ExportShape.PRODUCT),
                Arguments.of(ExportFormat.CSV, ExportShape.PRODUCT), Arguments.of(ExportFormat.YAML, ExportShape.PRODUCT),
                Arguments.of(ExportFormat.JSON, ExportShape.ORIGINAL), Arguments.of(ExportFormat.YAML, ExportShape.ORIGINAL));
    }

    record OnDisk(int daysDone, long bytes) {
    }

    @ParameterizedTest
    @MethodSource("formatsAndShapes")
    void eachDayIsWrittenBeforeTheExportReadsMuchFurther(ExportFormat format, ExportShape shape) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("exports"));
        List<OnDisk> seen = new ArrayList<>();

        ExportResult result = audit.exportAuditTrail(folder.resolve("trail." + format.value()), format, shape,
                AuditFilter.all(), "auditor", false, (written, daysDone, daysTotal) -> {
                    seen.add(new OnDisk(daysDone, bytesIn(folder)));
                    return true;
                });

        assertThat(result.count()).isEqualTo(DAYS * EVENTS_PER_DAY);
        long perDay = result.bytes() / DAYS;
        assertThat(perDay).as("a day's events must outweigh the buffers for this check to mean anything")
                .isGreaterThan(BUFFERS);
        assertThat(seen).filteredOn(call -> call.daysDone() == DAYS).isNotEmpty();
        for (OnDisk call : seen) {
            assertThat(call.bytes()).as("bytes on disk once %d of %d days were read", call.daysDone(), DAYS)
                    .isGreaterThanOrEqualTo((call.daysDone() - 1) * perDay - BUFFERS);
        }
    }

    @ParameterizedTest
    @MethodSource("formatsAndShapes")
    void aStreamedJsonExportIsTheDocumentTheMapperWritesOfIt(ExportFormat format, ExportShape shape) throws IOException {
        if (format != ExportFormat.JSON) {
            return; // the JSON documents only: the others are written by their own writers, as before
        }
        Path file = dir.resolve("trail-" + shape.name() + ".json");

        audit.exportAuditTrail(file, format, shape, AuditFilter.all(), "auditor", false, ExportListener.NONE);

        // Written whole, as the exporter did before it streamed: the same bytes.
        String written = Files.readString(file, StandardCharsets.UTF_8);
        JsonNode document = Json.mapper().readTree(written);
        assertThat(written).isEqualTo(Json.mapper().writeValueAsString(document) + "\n");
        JsonNode events = shape == ExportShape.ORIGINAL ? document : document.get("events");
        assertThat(events).hasSize(DAYS * EVENTS_PER_DAY);
        List<Long> counts = new ArrayList<>();
        events.forEach(event -> counts.add(event.get("details").get("count").asLong()));
        assertThat(counts).isSortedAccordingTo(shape == ExportShape.ORIGINAL ? (a, b) -> Long.compare(b, a) : Long::compare);
    }

    /**
     * A day whose CSV or JSON Lines is several times the exporter's rendering chunk (1 MB): every
     * event comes out once, in order, whole, across the chunks' seams.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = ExportFormat.class, names = {"CSV", "JSONL"})
    void aDayRenderedInChunksComesOutWhole(ExportFormat format) throws IOException {
        AuditLogger busy = new AuditLogger(dir.resolve("busy_logs"), TestClock.at("2024-03-01T08:00:00Z"), Optional.empty());
        int events = 150;
        List<AuditRecord> records = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            Map<String, Object> details = new LinkedHashMap<>();
            for (int field = 0; field < 8; field++) {
                details.put("note_" + field, ("event " + i + ", \"quoted\", comma; ").repeat(150).substring(0, 3000));
            }
            details.put("count", i);
            records.add(AuditRecord.of(EventType.CONFIG_CHANGED, "ops", "config", "cfg-" + i, "edit", details));
        }
        busy.logEvents(records);
        Path file = dir.resolve("busy." + format.value());

        ExportResult result = busy.exportAuditTrail(file, format, ExportShape.PRODUCT, AuditFilter.all(), "auditor", false,
                ExportListener.NONE);

        assertThat(result.bytes()).as("several rendering chunks").isGreaterThan(3L << 20);
        List<Long> counts = new ArrayList<>();
        if (format == ExportFormat.CSV) {
            try (org.apache.commons.csv.CSVParser csv = org.apache.commons.csv.CSVParser.parse(file, StandardCharsets.UTF_8,
                    org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().get())) {
                for (org.apache.commons.csv.CSVRecord row : csv) {
                    counts.add(Json.mapper().readTree(row.get("details")).get("count").asLong());
                }
            }
        } else {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                counts.add(Json.mapper().readTree(line).get("details").get("count").asLong());
            }
        }
        assertThat(counts).hasSize(events).isSorted().doesNotHaveDuplicates();
    }

    private static long bytesIn(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0; // renamed or removed between the listing and the size
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
