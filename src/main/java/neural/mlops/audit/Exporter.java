package neural.mlops.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.function.Function;
import java.util.function.Consumer;
import neural.mlops.store.Json;
import neural.mlops.store.SafeYaml;
import neural.mlops.store.SingleLine;
import neural.mlops.store.StoreIOException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Streams the events of a period to a file, oldest first, one day in memory at a time, read from
 * the trail's index ({@link TrailIndex}, checked against each day folder and rebuilt when stale).
 * JSON and JSON Lines carry each event exactly as stored (unknown fields included), so the chain
 * can be checked from the export itself; YAML is the JSON document in YAML; CSV has one column per
 * SPEC field and the tags. In the original module's shape ({@link ExportShape#ORIGINAL}) JSON and
 * YAML are its plain list of events, newest first.
 */
final class Exporter {

    static final List<String> CSV_COLUMNS = List.of("event_id", "seq", "timestamp", "event_type", "severity", "user",
            "resource_type", "resource_id", "action", "outcome", "reason", "details", "ip_address", "host",
            "tags", "prev_hash", "hash");

    /**
     * Writes one event into the export's generator. Without a flush after each value: the mapper's
     * flush would push every event through the buffer to the file, a write per event.
     */
    private static final ObjectWriter EVENTS = Json.mapper().writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private final TrailLayout layout;
    private final TrailIndex index;
    private final DayInPieces.Settings pieces;
    private ExportListener listener = ExportListener.NONE;
    private long written;
    private int daysDone;
    private int daysTotal;

    /** An exporter of the trail at {@code layout}, reading through {@code index} (which holds the key, when any). */
    Exporter(TrailLayout layout, TrailIndex index) {
        this(layout, index, DayInPieces.Settings.DEFAULT);
    }

    /** The same, reading a day of at least {@code pieces.fromEvents()} events in windows ({@link DayInPieces}). */
    Exporter(TrailLayout layout, TrailIndex index, DayInPieces.Settings pieces) {
        this.layout = layout;
        this.index = index;
        this.pieces = pieces;
    }

    /** Writes the export into {@code temp} (a new file) and returns its count, size and SHA-256. */
    ExportResult write(Path temp, Path target, ExportFormat format, AuditFilter filter, ObjectNode header,
                       Consumer<IntegrityProblem> unreadable) {
        return write(temp, target, format, filter, header, unreadable, ExportListener.NONE);
    }

    /**
     * The same, telling {@code listener} how far it got; throws {@link ExportCancelledException}
     * (leaving {@code temp} for the caller to delete) when the listener asks to stop.
     */
    ExportResult write(Path temp, Path target, ExportFormat format, AuditFilter filter, ObjectNode header,
                       Consumer<IntegrityProblem> unreadable, ExportListener listener) {
        return write(temp, target, format, ExportShape.PRODUCT, filter, header, unreadable, listener);
    }

    /** The same in {@code shape} (the original's only for json and yaml; the caller checks). */
    ExportResult write(Path temp, Path target, ExportFormat format, ExportShape shape, AuditFilter filter,
                       ObjectNode header, Consumer<IntegrityProblem> unreadable, ExportListener listener) {
        this.listener = listener;
        MessageDigest sha256 = Canonical.sha256();
        long[] count = {0};
        long[] bytes = {0};
        try (OutputStream file = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream counted = new Counting(new DigestOutputStream(file, sha256), bytes);
             OutputStream out = new BufferedOutputStream(counted, 64 * 1024)) {
            if (shape == ExportShape.ORIGINAL) {
                writeOriginal(out, format, filter, count, unreadable);
            } else {
                switch (format) {
                    case JSON -> writeJson(out, filter, header, count, unreadable);
                    case YAML -> writeYaml(out, filter, header, count, unreadable);
                    case JSONL -> writeJsonLines(out, filter, count, unreadable);
                    case CSV -> writeCsv(out, filter, count, unreadable);
                }
            }
        } catch (IOException e) {
            throw StoreIOException.of("write", temp, e);
        } catch (UncheckedWrite e) {
            throw StoreIOException.of("write", temp, (IOException) e.getCause());
        }
        return new ExportResult(target, format, count[0], bytes[0], HexFormat.of().formatHex(sha256.digest()));
    }

    private void writeJson(OutputStream out, AuditFilter filter, ObjectNode header, long[] count,
                           Consumer<IntegrityProblem> unreadable) throws IOException {
        try (JsonGenerator json = EVENTS.createGenerator(out, JsonEncoding.UTF8)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeFieldName("export");
            write(json, header);
            json.writeArrayFieldStart("events");
            forEach(filter, true, false, unreadable, indexed -> {
                write(json, indexed.raw());
                count[0]++;
            });
            json.writeEndArray();
            // The count follows the events because they are streamed: it is not known before the last one.
            json.writeNumberField("count", count[0]);
            json.writeEndObject();
        }
        out.write('\n');
    }

    /**
     * The JSON export's document in YAML: the header, the events as stored, then their count. A
     * block sequence may sit at its key's indentation, so each event is written as it is read.
     */
    private void writeYaml(OutputStream out, AuditFilter filter, ObjectNode header, long[] count,
                           Consumer<IntegrityProblem> unreadable) throws IOException {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("export", plain(header));
        out.write(SafeYaml.dump(head).getBytes(StandardCharsets.UTF_8));
        out.write("events:\n".getBytes(StandardCharsets.UTF_8));
        forEach(filter, true, false, unreadable, indexed -> {
            writeYamlItem(out, indexed.raw());
            count[0]++;
        });
        if (count[0] == 0) {
            out.write("[]\n".getBytes(StandardCharsets.UTF_8)); // events: [] rather than events: null
        }
        out.write(("count: " + count[0] + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The original module's export (SPEC 10): a plain list of its events, newest first, written as
     * it is read. Newest first is the trail read backwards: its days newest first, each day's
     * events last to first, which is the whole period oldest first reversed, without holding it.
     */
    private void writeOriginal(OutputStream out, ExportFormat format, AuditFilter filter, long[] count,
                               Consumer<IntegrityProblem> unreadable) throws IOException {
        if (format == ExportFormat.YAML) {
            forEach(filter, true, true, unreadable, indexed -> {
                writeYamlItem(out, original(indexed));
                count[0]++;
            });
            if (count[0] == 0) {
                out.write("[]\n".getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        // The generator the mapper would make for the whole list (its indentation, its settings), fed one event at a time.
        try (JsonGenerator json = EVENTS.createGenerator(out, JsonEncoding.UTF8)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartArray();
            forEach(filter, true, true, unreadable, indexed -> {
                write(json, original(indexed));
                count[0]++;
            });
            json.writeEndArray();
        }
        out.write('\n');
    }

    private ObjectNode original(IndexedEvent indexed) {
        return OriginalShape.event(indexed.event(), indexed.raw().get("details"), layout.naiveZone);
    }

    /** One list item: the event's block mapping, its first line after "- ", the others indented under it. */
    private static void writeYamlItem(OutputStream out, JsonNode event) {
        String[] lines = SafeYaml.dump(plain(event)).split("\n", -1);
        StringBuilder item = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isEmpty() && i == lines.length - 1) {
                break;
            }
            item.append(i == 0 ? "- " : "  ").append(lines[i]).append('\n');
        }
        try {
            out.write(item.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedWrite(e);
        }
    }

    /** A JSON object as the plain maps, lists, strings and numbers the YAML dumper writes. */
    private static Map<String, Object> plain(JsonNode node) {
        return Json.mapper().convertValue(node, PLAIN);
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>> PLAIN =
            new com.fasterxml.jackson.core.type.TypeReference<>() { };

    private void writeJsonLines(OutputStream out, AuditFilter filter, long[] count, Consumer<IntegrityProblem> unreadable)
            throws IOException {
        count[0] = writeByDay(out, filter, unreadable, Exporter::jsonLines);
    }

    /** A day's lines: the index keeps each document in exactly this compact form, so it is copied, not re-encoded. */
    private static Rendered jsonLines(List<IndexedEvent> events) {
        List<byte[]> chunks = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(RENDERED_CHUNK + RENDERED_CHUNK / 4);
        try {
            for (IndexedEvent event : events) {
                event.writeCompact(bytes);
                bytes.write('\n');
                if (bytes.size() >= RENDERED_CHUNK) {
                    chunks.add(bytes.toByteArray());
                    bytes.reset();
                }
            }
        } catch (IOException e) {
            throw new UncheckedWrite(e);
        }
        chunks.add(bytes.toByteArray());
        return new Rendered(chunks, events.size());
    }

    private void writeCsv(OutputStream out, AuditFilter filter, long[] count, Consumer<IntegrityProblem> unreadable)
            throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CSVPrinter header = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(CSV_COLUMNS.toArray(String[]::new)).get());
        header.flush();
        count[0] = writeByDay(out, filter, unreadable, Exporter::csvRows);
    }

    /**
     * A day's CSV rows, rendered on the reading thread that parsed the day: formatting a year's
     * rows is as much work as parsing them, and so runs in parallel too, while the writing thread
     * only copies bytes. The rows are what one printer over the whole file would write.
     */
    private static Rendered csvRows(List<IndexedEvent> events) {
        List<byte[]> chunks = new ArrayList<>();
        StringBuilder text = new StringBuilder(RENDERED_CHUNK + RENDERED_CHUNK / 4);
        try {
            CSVPrinter csv = new CSVPrinter(text, CSVFormat.RFC4180);
            int columns = CSV_COLUMNS.size();
            for (IndexedEvent event : events) {
                for (int column = 0; column < columns; column++) {
                    csv.print(csvCell(event.cell(column)));
                }
                csv.println();
                if (text.length() >= RENDERED_CHUNK) {
                    chunks.add(text.toString().getBytes(StandardCharsets.UTF_8));
                    text.setLength(0); // between records: the printer starts the next one afresh
                }
            }
        } catch (IOException e) {
            throw new UncheckedWrite(e);
        }
        chunks.add(text.toString().getBytes(StandardCharsets.UTF_8));
        return new Rendered(chunks, events.size());
    }

    /**
     * A day's events rendered for the file, in chunks of about {@link #RENDERED_CHUNK}, and how many
     * there are. One array for a day of 60,000 events was 40 MB, made through a buffer that doubled
     * and a copy or two: most of what took a year's export past its 256 MB heap on such a day.
     */
    private record Rendered(List<byte[]> chunks, long count) {
    }

    /** The size of one rendered chunk, in bytes (or characters, before encoding). */
    private static final int RENDERED_CHUNK = 1 << 20;

    /**
     * Each day's selected events rendered on the index's reader threads, written here in day
     * order: memory holds a few days' rendered bytes, not their parsed events. A busy day is read,
     * rendered and written here a window at a time ({@link DayInPieces}).
     */
    private long writeByDay(OutputStream out, AuditFilter filter, Consumer<IntegrityProblem> unreadable,
                            Function<List<IndexedEvent>, Rendered> render)
            throws IOException {
        boolean needsDetails = AuditLogger.needsDetails(filter);
        List<LocalDate> dayList = start(filter, false);
        try (TrailIndex.Ahead<RenderedDay> days = index.mapAheadDays(dayList, day -> {
            Read read = read(day);
            if (read.pieces() != null) {
                return new RenderedDay(null, read.pieces().unreadable(), read.pieces());
            }
            Selected selected = select(read.whole(), filter, needsDetails, false);
            return new RenderedDay(render.apply(selected.events()), selected.unreadable(), null);
        })) {
            int done = 0;
            while (days.hasNext()) {
                RenderedDay day = days.next();
                day.unreadable().forEach(unreadable);
                if (day.pieces() != null) {
                    day.pieces().each(TrailIndex.EVERY_EVENT, false, window -> {
                        writeRendered(out, render.apply(selected(window, filter, needsDetails, false)));
                        tell();
                        return true;
                    });
                } else {
                    writeRendered(out, day.rendered());
                }
                done++;
                tell(done, dayList.size());
            }
        }
        return written;
    }

    private void writeRendered(OutputStream out, Rendered rendered) {
        try {
            for (byte[] chunk : rendered.chunks()) {
                out.write(chunk);
            }
        } catch (IOException e) {
            throw new UncheckedWrite(e);
        }
        written += rendered.count();
    }

    /** A day rendered whole on a reader thread, or ready to be read in pieces here (then {@code rendered} is null). */
    private record RenderedDay(Rendered rendered, List<IntegrityProblem> unreadable, DayInPieces pieces) {
    }

    /** A day as an export reads it: whole, or (a busy day) checked to be read in pieces. */
    private record Read(TrailIndex.Day whole, DayInPieces pieces) {
    }

    /**
     * The day read whole, or, when it holds at least {@link DayInPieces.Settings#fromEvents} event
     * objects, made ready to be read in pieces (whole when it cannot be).
     */
    private Read read(LocalDate day) {
        Map<String, TrailIndex.Stamp> listed = index.listing(day);
        return DayInPieces.ifBusy(index, layout, day, listed, pieces).map(busy -> new Read(null, busy))
                .orElseGet(() -> new Read(index.read(day, listed), null));
    }

    /**
     * The events that meet the filter, oldest first (newest first when {@code newestFirst}), each
     * handed to {@code action} and then let go. The days are read, filtered (and, when
     * {@code documents}, their documents parsed) ahead on the index's reader threads, while this
     * thread writes: a year's export is bound by whichever of the two is slower, not their sum.
     * A busy day is read and written here a window at a time.
     */
    private void forEach(AuditFilter filter, boolean documents, boolean newestFirst, Consumer<IntegrityProblem> unreadable,
                         IoConsumer action) {
        boolean needsDetails = AuditLogger.needsDetails(filter);
        List<LocalDate> dayList = start(filter, newestFirst);
        try (TrailIndex.Ahead<SelectedDay> days = index.mapAheadDays(dayList, day -> {
            Read read = read(day);
            return read.pieces() != null ? new SelectedDay(null, read.pieces())
                    : new SelectedDay(select(read.whole(), filter, needsDetails, documents), null);
        })) {
            int done = 0;
            while (days.hasNext()) {
                SelectedDay day = days.next();
                if (day.pieces() != null) {
                    day.pieces().unreadable().forEach(unreadable);
                    day.pieces().each(TrailIndex.EVERY_EVENT, newestFirst, window -> {
                        each(selected(window, filter, needsDetails, documents), newestFirst, action);
                        tell();
                        return true;
                    });
                } else {
                    day.whole().unreadable().forEach(unreadable);
                    each(day.whole().events(), newestFirst, action);
                }
                done++;
                tell(done, dayList.size());
            }
        }
    }

    /** Hands each event to {@code action}, newest first when asked, telling the listener every so many. */
    private void each(List<IndexedEvent> events, boolean newestFirst, IoConsumer action) {
        for (int i = 0; i < events.size(); i++) {
            action.accept(events.get(newestFirst ? events.size() - 1 - i : i));
            written++;
            if (written % ExportListener.EVERY_EVENTS == 0) {
                tell();
            }
        }
    }

    /** A day selected whole on a reader thread, or ready to be read in pieces here. */
    private record SelectedDay(Selected whole, DayInPieces pieces) {
    }

    /** The day folders of the filter's period, oldest first, after telling the listener the export starts. */
    private List<LocalDate> start(AuditFilter filter, boolean newestFirst) {
        LocalDate from = filter.since() == null ? null : TrailLayout.day(filter.since());
        LocalDate to = filter.until() == null ? null : TrailLayout.day(filter.until());
        List<LocalDate> dayList = layout.days(from, to, newestFirst);
        written = 0;
        tell(0, dayList.size());
        return dayList;
    }

    private void tell(int daysDone, int daysTotal) {
        this.daysDone = daysDone;
        this.daysTotal = daysTotal;
        tell();
    }

    /** Tells the listener how far the export got, as days done the last time it was told; throws when it asks to stop. */
    private void tell() {
        if (!listener.onProgress(written, daysDone, daysTotal)) {
            throw new ExportCancelledException("The export was cancelled after " + written
                    + " events; no file was written");
        }
    }

    private record Selected(List<IndexedEvent> events, List<IntegrityProblem> unreadable) {
    }

    private static Selected select(TrailIndex.Day day, AuditFilter filter, boolean needsDetails, boolean documents) {
        return new Selected(selected(day.events(), filter, needsDetails, documents), day.unreadable());
    }

    /** The events that meet the filter, their documents parsed when {@code documents}. */
    private static List<IndexedEvent> selected(List<IndexedEvent> events, AuditFilter filter, boolean needsDetails,
                                               boolean documents) {
        List<IndexedEvent> selected = new ArrayList<>();
        for (IndexedEvent event : events) {
            if (needsDetails ? filter.test(event.event()) : filter.test(event.summary())) {
                if (documents) {
                    event.raw();
                }
                selected.add(event);
            }
        }
        return selected;
    }

    private static void write(JsonGenerator json, JsonNode node) {
        try {
            EVENTS.writeValue(json, node);
        } catch (IOException e) {
            throw new UncheckedWrite(e);
        }
    }

    /**
     * A cell as the CSV export writes it: control characters (ESC), line separators and invisible
     * format characters escaped as {@code \\u001b} (only the reason's line feeds and tabs stay,
     * which RFC 4180 quoting keeps inside the cell), then neutralised against formulas.
     */
    static String csvCell(String cell) {
        return neutralise(SingleLine.escapeText(cell));
    }

    /**
     * A spreadsheet runs a cell that begins with =, +, -, @, tab or carriage return as a formula
     * (OWASP "CSV injection"); a leading apostrophe makes it text again.
     */
    static String neutralise(String cell) {
        if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
            return "'" + cell;
        }
        return cell;
    }

    @FunctionalInterface
    private interface IoConsumer {
        void accept(IndexedEvent event);
    }

    /** Carries an I/O error out of a lambda; unwrapped by the caller. */
    static final class UncheckedWrite extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedWrite(IOException cause) {
            super(cause);
        }
    }

    /** Counts the bytes that reach the file. */
    private static final class Counting extends FilterOutputStream {
        private final long[] bytes;

        Counting(OutputStream out, long[] bytes) {
            super(out);
            this.bytes = bytes;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            bytes[0]++;
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            out.write(data, offset, length);
            bytes[0] += length;
        }
    }
}
