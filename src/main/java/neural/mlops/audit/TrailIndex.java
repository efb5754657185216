package neural.mlops.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.StoreFiles;
import neural.mlops.store.StoreLock;

/**
 * A derived index of the trail, so that a query, report or export over a year reads 365 files
 * instead of a million: {@code index/YYYY/MM/DD.jsonl} holds one line per event file of that day
 * folder, {@code {"file": name, "event": {the document as stored}}}, or
 * {@code {"file": name, "malformed": why}} for a file that is not a readable event.
 *
 * <p>The events stay the record; the index is never trusted over them. Appends add their lines
 * in the same locked operation (best effort: a line that could not be written only makes the day
 * stale). Every read compares the day's index with one listing of the day folder: a missing or
 * damaged index file, a line cut short by a crash, an event the index lacks (a writer died before
 * indexing it, another tool wrote it) or one it names that is gone makes the day stale, and a stale
 * day is rebuilt from its event files under the trail's lock. Verification reads the events
 * themselves and drops the index of any day whose copy differs from them.
 */
final class TrailIndex {

    static final String SUFFIX = ".jsonl";

    /** A reader rebuilding a stale day waits this long for appends in progress, then reads the files instead. */
    private static final Duration REBUILD_WAIT = Duration.ofSeconds(2);
    /** A day's index is read whole; one larger than this is treated as damaged and rebuilt from the day folder. */
    private static final long MAX_INDEX_BYTES = 1L << 30;
    private static final ObjectWriter COMPACT = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);
    /**
     * The index is written by this class alone, from events read with the strict mapper; reading
     * it without duplicate-key detection (a map per object) makes a year's read a third cheaper.
     * A damaged index is still refused: any surprise makes the day stale.
     */
    private static final JsonFactory INDEX_FACTORY = JsonFactory.builder().build();

    /** Threads that read and parse days ahead; daemon threads that go away when idle. */
    private static final int READER_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static final int AHEAD = 2 * READER_THREADS;
    private static final ThreadPoolExecutor READERS = new ThreadPoolExecutor(READER_THREADS, READER_THREADS,
            30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "audit-index-reader");
                thread.setDaemon(true);
                return thread;
            });

    static {
        READERS.allowCoreThreadTimeOut(true);
    }

    private final TrailLayout layout;

    TrailIndex(TrailLayout layout) {
        this.layout = layout;
    }

    /**
     * One day as read: its events oldest first, the files of the day folder that are not readable
     * events, and the size of the index file they were read from (-1 when read from the files).
     */
    record Day(LocalDate day, List<IndexedEvent> events, List<IntegrityProblem> unreadable, long indexBytes) {
    }

    /** A day as a report or a check of links wants it: its summary always, its events only when asked for. */
    static final class DayView {
        private final TrailIndex index;
        private final LocalDate day;
        private DaySummary summary;
        private Day events;

        private DayView(TrailIndex index, LocalDate day) {
            this.index = index;
            this.day = day;
        }

        LocalDate day() {
            return day;
        }

        DaySummary summary() {
            if (summary == null) {
                summary = index.summary(day);
            }
            return summary;
        }

        Day events() {
            if (events == null) {
                events = index.read(day);
            }
            return events;
        }
    }

    // Reading

    /** The day from its index when that is fresh, else rebuilt from its event files (and the index rewritten). */
    Day read(LocalDate day) {
        Day fresh = readIfFresh(day);
        return fresh != null ? fresh : rebuild(day);
    }

    /** Rebuilds the day's index from its event files, under the lock so that no append is lost. */
    Day rebuild(LocalDate day) {
        try (StoreLock.Held held = new StoreLock(layout.lock, REBUILD_WAIT).acquire()) {
            Day fresh = readIfFresh(day);
            if (fresh != null) {
                return fresh; // an append in progress made it look stale; it has finished
            }
            Day built = fromFiles(day);
            try {
                long written = write(built);
                return new Day(day, built.events(), built.unreadable(), written);
            } catch (MlopsException readOnly) {
                // A trail we may read but not write: serve the files; the index stays as it was.
                return built;
            }
        } catch (MlopsException busyOrReadOnly) {
            // The lock is busy for long, or cannot be taken on a read-only trail: the files are the truth anyway.
            return fromFiles(day);
        }
    }

    /** The day read from its event files alone, as the index would hold it. */
    Day fromFiles(LocalDate day) {
        List<IntegrityProblem> unreadable = new ArrayList<>();
        List<IndexedEvent> events = new ArrayList<>();
        for (StoredEvent stored : StoredEvent.readDay(layout, day, unreadable::add)) {
            events.add(IndexedEvent.of(stored));
        }
        return new Day(day, events, unreadable, -1);
    }

    /**
     * The day's summary: the stored one when it was made from the day's index as it is and the
     * day folder as it is listed now, else one made from the index (read or rebuilt) and stored.
     */
    DaySummary summary(LocalDate day) {
        List<String> names = layout.eventFileNames(day);
        long nameHash = DaySummary.hashNames(names);
        long indexBytes;
        try {
            indexBytes = Files.size(layout.indexFile(day));
        } catch (IOException missing) {
            indexBytes = -1;
        }
        try {
            DaySummary stored = DaySummary.fromJson(StoreFiles.readRegular(layout.indexSummaryFile(day), Json.MAX_DOCUMENT_BYTES));
            if (stored.day().equals(day) && stored.describes(indexBytes, names.size(), nameHash)) {
                return stored;
            }
        } catch (IOException | RuntimeException missingOrDamaged) {
            // Made again below.
        }
        DaySummary made = DaySummary.of(read(day), names.size(), nameHash);
        if (made.indexBytes() >= 0) {
            try {
                AtomicFiles.writeUnflushed(layout.indexSummaryFileForWrite(day), withNewline(made.toJson()));
            } catch (MlopsException readOnly) {
                // Made again on the next read; nothing is wrong.
            }
        }
        return made;
    }

    /** As {@link #mapAhead}, handing each day as a {@link DayView}: its summary, and its events only if asked for. */
    <R> Ahead<R> mapAheadViews(List<LocalDate> days, Function<DayView, R> work) {
        return new Ahead<>(days, day -> work.apply(new DayView(this, day)));
    }

    /** The day from its index, or null when the index is missing, damaged or out of step with the day folder. */
    Day readIfFresh(LocalDate day) {
        byte[] data;
        try {
            // A pipe planted here is never opened (it would hang every command that reads the trail).
            data = StoreFiles.readRegular(layout.indexFile(day), MAX_INDEX_BYTES);
        } catch (MlopsException missingOrUnreadable) {
            return null;
        }
        List<String> listed = layout.eventFileNames(day);
        Parsed parsed = parse(day, data);
        if (parsed == null || !accountsFor(day, parsed.names(), listed)) {
            return null;
        }
        List<IndexedEvent> events = parsed.events();
        if (!sorted(events)) {
            events = new ArrayList<>(events);
            events.sort(OLDEST_FIRST);
        }
        return new Day(day, events, parsed.unreadable(), data.length);
    }

    /**
     * Reads the days in the order given and applies {@code work} to each, up to a few days ahead
     * of the consumer on a small pool of threads (parsing a year of index is most of a report's
     * or an export's time, and it parallelises by day), handing the results back in order. Close
     * it when stopping early (a query that has found enough) so that days read ahead are dropped.
     */
    <R> Ahead<R> mapAhead(List<LocalDate> days, Function<Day, R> work) {
        return new Ahead<>(days, day -> work.apply(read(day)));
    }

    /** Results of days read ahead, in the order of the days. */
    static final class Ahead<R> implements Iterator<R>, AutoCloseable {
        private final List<LocalDate> days;
        private final Function<LocalDate, R> work;
        private final ArrayDeque<Future<R>> pending = new ArrayDeque<>();
        private int next;

        private Ahead(List<LocalDate> days, Function<LocalDate, R> work) {
            this.days = days;
            this.work = work;
        }

        @Override
        public boolean hasNext() {
            fill();
            return !pending.isEmpty();
        }

        @Override
        public R next() {
            fill();
            Future<R> result = pending.poll();
            if (result == null) {
                throw new NoSuchElementException();
            }
            try {
                return result.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new MlopsException("Could not read the audit trail: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MlopsException("Interrupted while reading the audit trail", e);
            }
        }

        private void fill() {
            while (pending.size() < AHEAD && next < days.size()) {
                LocalDate day = days.get(next++);
                pending.add(READERS.submit(() -> work.apply(day)));
            }
        }

        @Override
        public void close() {
            pending.forEach(result -> result.cancel(true));
            pending.clear();
        }
    }

    // Writing

    /** The index line of an event document stored in {@code fileName}. */
    static byte[] line(String fileName, ObjectNode document) {
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("file", fileName);
        line.set("event", document);
        return withNewline(line);
    }

    /** The index line of a file that is not a readable event. */
    static byte[] malformedLine(String fileName, String why) {
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("file", fileName);
        line.put("malformed", why);
        return withNewline(line);
    }

    /**
     * Adds the lines of events just appended to their day. When the day has no index yet, one is
     * started only if these events are all the day holds; otherwise the next reader rebuilds it.
     * Never throws: the events are written, and an index that missed them is only stale.
     */
    void appendLines(Map<LocalDate, List<byte[]>> linesByDay) {
        for (Map.Entry<LocalDate, List<byte[]>> entry : linesByDay.entrySet()) {
            LocalDate day = entry.getKey();
            List<byte[]> lines = entry.getValue();
            try {
                Path file = layout.indexFileForWrite(day);
                boolean exists = Files.exists(file);
                if (!exists && layout.eventFileNames(day).size() != lines.size()) {
                    continue;
                }
                Files.createDirectories(file.getParent());
                StoreFiles.appendRegular(file, concat(lines));
            } catch (IOException | RuntimeException missed) {
                // Stale, not wrong: the next reader of this day rebuilds its index from the events.
            }
        }
    }

    /**
     * Writes a whole day's index (a rebuild), replacing what was there and dropping its summary;
     * returns the bytes written (-1 when the day holds nothing and its index was removed).
     */
    long write(Day day) {
        if (day.events().isEmpty() && day.unreadable().isEmpty()) {
            invalidate(day.day());
            return -1;
        }
        List<byte[]> lines = new ArrayList<>(day.events().size() + day.unreadable().size());
        for (IndexedEvent event : day.events()) {
            lines.add(line(event.fileName(), event.raw()));
        }
        for (IntegrityProblem problem : day.unreadable()) {
            if (problem.file() != null) {
                lines.add(malformedLine(problem.file().getFileName().toString(), problem.message()));
            }
        }
        byte[] content = concat(lines);
        dropSummary(day.day());
        AtomicFiles.writeUnflushed(layout.indexFileForWrite(day.day()), content);
        return content.length;
    }

    /**
     * Writes a day's index from lines already encoded, and its summary, for a day folder that will
     * hold exactly {@code names} (the bulk writer's path: its files may still be being written).
     */
    void write(LocalDate day, List<byte[]> lines, List<String> names) {
        dropSummary(day);
        byte[] content = concat(lines);
        AtomicFiles.writeUnflushed(layout.indexFileForWrite(day), content);
        Parsed parsed = parse(day, content);
        if (parsed != null) {
            List<IndexedEvent> events = new ArrayList<>(parsed.events());
            events.sort(OLDEST_FIRST);
            DaySummary summary = DaySummary.of(new Day(day, events, parsed.unreadable(), content.length), names.size(),
                    DaySummary.hashNames(names));
            AtomicFiles.writeUnflushed(layout.indexSummaryFileForWrite(day), withNewline(summary.toJson()));
        }
    }

    /** Drops a day's index and summary; the next reader rebuilds them from the events. */
    void invalidate(LocalDate day) {
        dropSummary(day);
        try {
            Files.deleteIfExists(layout.indexFile(day));
        } catch (IOException e) {
            // Left in place it is still checked against the day folder on every read.
        }
    }

    /**
     * A rewritten index may have the size of the one a summary was made from: the summary goes
     * with it. (Appends only lengthen an index, which its recorded size already tells.)
     */
    private void dropSummary(LocalDate day) {
        try {
            Files.deleteIfExists(layout.indexSummaryFile(day));
        } catch (IOException e) {
            // Still checked against the index's size and the folder's listing on every read.
        }
    }

    // Internals

    private static final java.util.Comparator<IndexedEvent> OLDEST_FIRST = java.util.Comparator
            .comparing((IndexedEvent event) -> event.summary().timestamp())
            .thenComparingLong(event -> event.summary().seq())
            .thenComparing(IndexedEvent::fileName);

    private static boolean sorted(List<IndexedEvent> events) {
        for (int i = 1; i < events.size(); i++) {
            if (OLDEST_FIRST.compare(events.get(i - 1), events.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The index lines of a day, or null when any line is damaged, cut short or names a file twice.
     * One parser reads the whole file (its lines are consecutive root values): creating a parser
     * per line cost more than parsing the line.
     */
    private Parsed parse(LocalDate day, byte[] data) {
        if (data.length > 0 && data[data.length - 1] != '\n') {
            return null; // cut short by a crash while appending
        }
        Path folder = layout.dayFolder(day);
        List<IndexedEvent> events = new ArrayList<>();
        List<IntegrityProblem> unreadable = new ArrayList<>();
        Set<String> names = new HashSet<>();
        try (JsonParser parser = INDEX_FACTORY.createParser(data)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.FIELD_NAME
                        || !"file".equals(parser.currentName()) || parser.nextToken() != JsonToken.VALUE_STRING) {
                    return null;
                }
                String name = parser.getText();
                if (!plainFileName(name) || !names.add(name) || parser.nextToken() != JsonToken.FIELD_NAME) {
                    return null;
                }
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("event".equals(field) && value == JsonToken.START_OBJECT) {
                    events.add(IndexedEvent.read(parser, folder, name, data, 0));
                } else if ("malformed".equals(field) && value == JsonToken.VALUE_STRING) {
                    Path file = folder.resolve(name);
                    unreadable.add(new IntegrityProblem(ProblemKind.MALFORMED, TrailLayout.seqFromName(file), file,
                            parser.getText()));
                } else {
                    return null;
                }
                if (parser.nextToken() != JsonToken.END_OBJECT) {
                    return null;
                }
            }
        } catch (IOException | RuntimeException damaged) {
            return null;
        }
        return new Parsed(events, unreadable, names);
    }

    /** True when the index names exactly the day folder's event files (entries that are not files aside). */
    private boolean accountsFor(LocalDate day, Set<String> indexed, List<String> listed) {
        if (listed.size() == indexed.size() && indexed.containsAll(listed)) {
            return true;
        }
        Set<String> present = new HashSet<>(listed);
        if (!present.containsAll(indexed)) {
            return false; // an indexed event is gone
        }
        Path folder = layout.dayFolder(day);
        for (String name : listed) {
            if (!indexed.contains(name) && !Files.isDirectory(folder.resolve(name))) {
                return false; // an event the index lacks
            }
        }
        return true;
    }

    private static boolean plainFileName(String name) {
        return !name.isEmpty() && name.endsWith(".json") && name.indexOf('/') < 0 && name.indexOf('\\') < 0
                && name.indexOf('\0') < 0;
    }

    static byte[] withNewline(ObjectNode line) {
        try {
            byte[] bytes = COMPACT.writeValueAsBytes(line);
            byte[] withNewline = java.util.Arrays.copyOf(bytes, bytes.length + 1);
            withNewline[bytes.length] = '\n';
            return withNewline;
        } catch (IOException e) {
            throw new MlopsException("Could not serialise an index line: " + e.getMessage(), e);
        }
    }

    private static byte[] concat(List<byte[]> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(lines.size() * 700);
        for (byte[] line : lines) {
            out.write(line, 0, line.length);
        }
        return out.toByteArray();
    }

    private record Parsed(List<IndexedEvent> events, List<IntegrityProblem> unreadable, Set<String> names) {
    }
}
