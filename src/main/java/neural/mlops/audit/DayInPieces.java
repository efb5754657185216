package neural.mlops.audit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;
import neural.mlops.store.DaemonThreads;
import neural.mlops.store.MlopsException;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.TransferListener;

/**
 * A busy day's index read in windows of whole lines, never whole, so that a query or an export
 * holds a window of the day's events and not the day: a day of 100,000 events is a 70 MB index
 * and, parsed, about 250 MB, which no 256 MB heap holds.
 *
 * <p>The index is trusted no more than when it is read whole ({@link TrailIndex}). Before any window
 * is handed out, a first pass reads the whole index, keeping only each line's stamp and its
 * event's place, and checks it against one listing of the day folder: every seal, every line's
 * object as listed, every listed object indexed once, and the events oldest first. A day that
 * fails has its index written again under the trail's lock, oldest first, from its event objects
 * in two reads that hold neither its events nor its index, and is checked again. The second
 * pass, which hands out the windows (oldest first, or newest first), checks every line the same
 * way: an index replaced between the two passes fails the read instead of feeding it. In both
 * passes the windows are parsed a few ahead on threads of their own.
 */
final class DayInPieces {

    /** A query or export reads a day of at least this many event objects in pieces (an index of about 14 MB). */
    static final int FROM_EVENTS = 20_000;
    /** How much of the index one window holds: whole lines, more when one line is longer. */
    static final int WINDOW_BYTES = 1 << 20;

    /** How a query or export reads days: in pieces from {@code fromEvents} event objects, in windows of {@code windowBytes}. */
    record Settings(int fromEvents, int windowBytes) {
        static final Settings DEFAULT = new Settings(FROM_EVENTS, WINDOW_BYTES);
    }

    private final TrailIndex index;
    private final TrailLayout layout;
    private final LocalDate day;
    private final Map<String, TrailIndex.Stamp> listed;
    private final List<IntegrityProblem> unreadable = new ArrayList<>();
    private final int windowBytes;
    /** Where each window the first pass read lies in the index. */
    private final List<Span> spans = new ArrayList<>();

    private DayInPieces(TrailIndex index, TrailLayout layout, LocalDate day, Map<String, TrailIndex.Stamp> listed,
                        int windowBytes) {
        this.index = index;
        this.layout = layout;
        this.day = day;
        this.listed = listed;
        this.windowBytes = windowBytes;
    }

    /**
     * The day ready to be read in pieces when {@code listed} (its objects, name to stamp) holds at
     * least {@code settings.fromEvents()} of them and it can be ({@link #open}); else empty, and the
     * caller reads it whole.
     */
    static Optional<DayInPieces> ifBusy(TrailIndex index, TrailLayout layout, LocalDate day,
                                        Map<String, TrailIndex.Stamp> listed, Settings settings) {
        return listed.size() >= settings.fromEvents() ? open(index, layout, day, listed, settings.windowBytes())
                : Optional.empty();
    }

    /**
     * The day ready to be read in pieces, its index checked against {@code listed} (the day folder's
     * objects, name to stamp) and, when it does not hold, rewritten and checked again; empty when it
     * cannot be (a trail this process may not write, a lock held for long, an index that changed
     * again): the caller then reads the day whole. A broken seal is reported to the index's problems.
     */
    private static Optional<DayInPieces> open(TrailIndex index, TrailLayout layout, LocalDate day,
                                              Map<String, TrailIndex.Stamp> listed, int windowBytes) {
        DayInPieces pieces = new DayInPieces(index, layout, day, listed, windowBytes);
        TrailIndex.Parsed first = pieces.check();
        if (first == null) {
            return Optional.of(pieces);
        }
        if (first.tampered() != null) {
            index.reportTampered(new IntegrityProblem(ProblemKind.DERIVED, 0, layout.display(layout.indexKey(day)),
                    "the index of " + day + " " + first.tampered() + "; written again from the event files"));
        }
        Map<String, TrailIndex.Stamp> relisted;
        try {
            relisted = layout.storage.exclusively(TrailLayout.LOCK_KEY, TrailIndex.REBUILD_WAIT, pieces::rewrite);
        } catch (MlopsException busyOrReadOnly) {
            return Optional.empty();
        }
        DayInPieces rewritten = new DayInPieces(index, layout, day, relisted, windowBytes);
        return rewritten.check() == null ? Optional.of(rewritten) : Optional.empty();
    }

    /** The day folder's files that are not readable events, as its index records them. */
    List<IntegrityProblem> unreadable() {
        return unreadable;
    }

    /** Takes one window's events; false when the reader has had enough. */
    @FunctionalInterface
    interface Events {
        boolean take(List<IndexedEvent> events);
    }

    /**
     * Hands the events that {@code wanted} accepts (by their summary) to {@code window}, a window
     * at a time: oldest first, or when {@code newestFirst} the windows newest first, each window's
     * events still oldest first, as the index holds them. Every line is checked again, as the
     * first pass checked it; throws {@link MlopsException} when the index no longer matches what
     * that pass found (replaced or edited in between). Stops when {@code window} has had enough.
     */
    void each(Predicate<AuditEvent> wanted, boolean newestFirst, Events window) {
        // Forwards, only as far as the first pass checked: lines appended since (a busy day is one
        // being written to) name files that pass did not list, and are left for the next reader.
        try (Source source = newestFirst ? new Backwards() : new Forwards(open(0), windowBytes, checkedBytes())) {
            Outcome read = read(source, TrailIndex.Reading.EVENTS, wanted, newestFirst, problem -> { }, window);
            if (read.failed() != null || !read.stopped() && read.names().size() != listed.size()) {
                throw changed();
            }
        } catch (IOException e) {
            throw new MlopsException("Could not read the index of the audit day " + day + ": " + e.getMessage(), e);
        }
    }

    /**
     * The first pass: null when the index names exactly the listed objects, each as listed, under
     * sound seals, its events oldest first; else the day as stale or tampered with. It notes where
     * each window lies, for reading them newest first, and the files that are not readable events.
     */
    private TrailIndex.Parsed check() {
        Outcome read = readStored();
        if (read == null) {
            return TrailIndex.Parsed.STALE;
        }
        if (read.failed() != null) {
            return read.failed();
        }
        return read.names().size() == listed.size() ? null : TrailIndex.Parsed.STALE;
    }

    /**
     * Reads the windows of {@code source} in turn, each parsed on the window threads a few ahead
     * of this one and checked on its own (every seal, every line against the listing, its events
     * in order), then here against the windows before it (no file indexed twice, each window
     * continuing the last) and, at the end, against the listing (every listed file indexed).
     * Hands each window's wanted events to {@code window} and its malformed files to {@code
     * malformed}. Says what it read, or why the day is stale or was tampered with; whether every
     * listed file was indexed is the caller's to judge, from the names read.
     */
    private Outcome read(Source source, TrailIndex.Reading reading, Predicate<AuditEvent> wanted,
                                   boolean newestFirst, Consumer<IntegrityProblem> malformed, Events window)
            throws IOException {
        Set<String> seen = new HashSet<>(listed.size() * 2);
        Deque<Future<ParsedWindow>> ahead = new ArrayDeque<>();
        long read = 0;
        try {
            TrailIndex.Place previous = null;
            while (true) {
                for (byte[] bytes; ahead.size() < WINDOWS_AHEAD && (bytes = source.next()) != null; ) {
                    byte[] taken = bytes;
                    read += bytes.length;
                    ahead.add(WINDOW_READERS.submit(() -> parsed(taken, reading, wanted)));
                }
                if (ahead.isEmpty()) {
                    break;
                }
                ParsedWindow parsed = TrailIndex.awaited(ahead.poll(), "the index of the audit day " + day);
                TrailIndex.Lines lines = parsed.lines();
                if (parsed.failed() != null) {
                    return Outcome.failed(parsed.failed());
                }
                for (String name : lines.stamps.keySet()) {
                    if (!seen.add(name)) {
                        return Outcome.failed(TrailIndex.Parsed.STALE);
                    }
                }
                if (lines.first() != null) {
                    // Each window continues the one before: oldest first, or newest first read backwards.
                    if (previous != null && (newestFirst ? lines.last().compareTo(previous) > 0
                            : previous.compareTo(lines.first()) > 0)) {
                        return Outcome.failed(TrailIndex.Parsed.STALE);
                    }
                    previous = newestFirst ? lines.first() : lines.last();
                }
                lines.unreadable.forEach(malformed);
                if (!window.take(lines.events)) {
                    return new Outcome(null, seen, previous, read, true);
                }
            }
            return source.whole() ? new Outcome(null, seen, previous, read, false) : Outcome.failed(TrailIndex.Parsed.STALE);
        } finally {
            ahead.forEach(parsing -> parsing.cancel(true));
        }
    }

    /**
     * What a pass read: why the day is stale or was tampered with (null when every line held), the
     * files its lines name, the place of the last event read, its bytes, and whether its reader
     * stopped before the end.
     */
    private record Outcome(TrailIndex.Parsed failed, Set<String> names, TrailIndex.Place last, long bytes,
                           boolean stopped) {
        static Outcome failed(TrailIndex.Parsed why) {
            return new Outcome(why, Set.of(), null, 0, false);
        }
    }

    /** Threads that parse a busy day's windows ahead of its reader; daemon threads that go away when idle. */
    private static final int WINDOW_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static final int WINDOWS_AHEAD = 2 * WINDOW_THREADS;
    private static final ExecutorService WINDOW_READERS = DaemonThreads.pool("audit-index-window", WINDOW_THREADS);

    /** One window as parsed on its own: its lines, or (null lines) why it does not hold. */
    private record ParsedWindow(TrailIndex.Lines lines, TrailIndex.Parsed failed) {
    }

    private ParsedWindow parsed(byte[] bytes, TrailIndex.Reading reading, Predicate<AuditEvent> wanted) {
        TrailIndex.Lines lines = new TrailIndex.Lines(reading, 1024, wanted, listed);
        TrailIndex.Parsed failed = index.parseWindow(day, bytes, lines);
        if (failed == null && !lines.oldestFirst()) {
            failed = TrailIndex.Parsed.STALE;
        }
        return new ParsedWindow(failed == null ? lines : null, failed);
    }

    /** How many bytes of the index the first pass read: its windows, end to end. */
    private long checkedBytes() {
        if (spans.isEmpty()) {
            return 0;
        }
        Span last = spans.get(spans.size() - 1);
        return last.offset() + last.length();
    }

    private InputStream open(long offset) {
        return layout.storage.openStream(layout.indexKey(day), offset).orElseThrow(this::changed);
    }

    private MlopsException changed() {
        return new MlopsException("The index of the audit day " + day + " changed while it was being read; run it again");
    }

    /** Where one window of the index lies: from byte {@code offset}, {@code length} bytes of whole lines. */
    record Span(long offset, int length) {
    }

    // Rewriting

    /** How many event objects a rewrite reads at once while it writes the index. */
    private static final int REWRITE_BATCH = 1000;

    /**
     * Under the trail's lock: the day's index written again from its event objects, oldest first,
     * in two reads of the day folder so that neither holds the day: the first learns each event's
     * place (its time, sequence number and file) and its line's size, the second renders the lines
     * in that order, a batch at a time, as the upload takes them. Returns the listing it was made from.
     */
    private Map<String, TrailIndex.Stamp> rewrite() {
        Map<String, TrailIndex.Stamp> now = index.listing(day);
        if (extend(now)) {
            return now;
        }
        List<IntegrityProblem> problems = new ArrayList<>();
        Order order = order(now, problems);
        List<byte[]> malformed = new ArrayList<>();
        long size = order.eventBytes();
        for (IntegrityProblem problem : problems) {
            if (problem.file() != null && problem.kind() == ProblemKind.MALFORMED) {
                String name = problem.file().getFileName().toString();
                byte[] line = index.malformedLine(name, stamp(now, name), problem.message());
                malformed.add(line);
                size += line.length;
            }
        }
        if (size > TrailIndex.MAX_INDEX_BYTES) {
            throw new MlopsException("The index of " + day + " would be " + size + " bytes; at most "
                    + TrailIndex.MAX_INDEX_BYTES + " are written");
        }
        index.dropSummary(day);
        // An object changed between the two reads renders another size: the upload then fails, and writes nothing.
        layout.storage.upload(layout.indexKey(day), new Rendering(layout.eventKeys(day, order.names()), malformed, now), size,
                Condition.none(), TransferListener.NONE);
        return now;
    }

    /** How many files an extension reads at most; a day lacking more is written again from all its files. */
    private static final int EXTEND_AT_MOST = 20_000;

    /**
     * The stored index extended by the lines of the files it lacks (the appends since it was
     * written, which an index this large does not take itself): when every line it holds is sound
     * and its file as listed {@code now}, oldest first, and the files it lacks, at most {@value
     * #EXTEND_AT_MOST} and all readable events, go after its last event. The stored index is
     * streamed into the upload; only the new lines are held. False when that does not apply.
     */
    private boolean extend(Map<String, TrailIndex.Stamp> now) {
        Outcome stored = new DayInPieces(index, layout, day, now, windowBytes).readStored();
        if (stored == null || stored.failed() != null) {
            return false;
        }
        List<String> lacking = new ArrayList<>();
        for (String name : now.keySet()) {
            if (!stored.names().contains(name)) {
                lacking.add(name);
            }
        }
        if (lacking.isEmpty() || lacking.size() > EXTEND_AT_MOST) {
            return false;
        }
        List<IntegrityProblem> problems = new ArrayList<>();
        List<Added> added = StoredEvent.eachOf(layout, day, layout.eventKeys(day, lacking), problems::add, event -> new Added(
                TrailIndex.Place.of(event), line(event, now)));
        if (!problems.isEmpty() || added.size() != lacking.size()) {
            return false; // a file that is not an event, or gone: written again from all the files
        }
        added.sort(Comparator.comparing(Added::place));
        if (stored.last() != null && stored.last().compareTo(added.get(0).place()) > 0) {
            return false;
        }
        List<byte[]> lines = new ArrayList<>(added.size());
        long size = stored.bytes();
        for (Added line : added) {
            lines.add(line.bytes());
            size += line.bytes().length;
        }
        Optional<InputStream> again = layout.storage.openStream(layout.indexKey(day));
        if (again.isEmpty()) {
            return false;
        }
        index.dropSummary(day);
        // Under the lock nothing else writes the index; were it to change, the upload would read another size and fail.
        layout.storage.upload(layout.indexKey(day), new SequenceInputStream(again.get(),
                new ByteArrayInputStream(TrailIndex.concat(lines))), size, Condition.none(), TransferListener.NONE);
        return true;
    }

    /** An event the stored index lacks: where it goes, and its line. */
    private record Added(TrailIndex.Place place, byte[] bytes) {
    }

    /** The stored index read through as the first pass reads it, against this instance's listing; null when there is none. */
    private Outcome readStored() {
        Optional<InputStream> stream;
        try {
            stream = layout.storage.openStream(layout.indexKey(day));
        } catch (MlopsException unreadableIndex) {
            return null;
        }
        if (stream.isEmpty()) {
            return null;
        }
        try (Source source = new Forwards(stream.get(), spans, windowBytes)) {
            return read(source, TrailIndex.Reading.PLACES, event -> false, false, unreadable::add, events -> true);
        } catch (IOException | MlopsException unreadableIndex) {
            return null;
        }
    }

    /** The day's readable events' files in the order their lines go, and the size of those lines. */
    private record Order(List<String> names, long eventBytes) {
    }

    /** The first read of a rewrite: each event's place and line size, nothing else kept; unreadable files to {@code problems}. */
    private Order order(Map<String, TrailIndex.Stamp> now, List<IntegrityProblem> problems) {
        List<Placed> places = StoredEvent.eachOf(layout, day, layout.eventKeys(day, new ArrayList<>(now.keySet())), problems::add,
                stored -> new Placed(TrailIndex.Place.of(stored), line(stored, now).length));
        places.sort(Comparator.comparing(Placed::place));
        List<String> names = new ArrayList<>(places.size());
        long bytes = 0;
        for (Placed placed : places) {
            names.add(placed.place().file());
            bytes += placed.bytes();
        }
        return new Order(names, bytes);
    }


    /** The index line of a stored event, stamped as the listing had its object. */
    private byte[] line(StoredEvent stored, Map<String, TrailIndex.Stamp> now) {
        byte[] compact = IndexedEvent.compact(stored.raw());
        return index.eventLine(stored.fileName(), stamp(now, stored.fileName()), compact, 0, compact.length);
    }

    private static TrailIndex.Stamp stamp(Map<String, TrailIndex.Stamp> now, String name) {
        return now.getOrDefault(name, TrailIndex.Stamp.NONE);
    }

    /** Where an event goes in its day's index, and the size of its line. */
    private record Placed(TrailIndex.Place place, int bytes) {
    }

    /**
     * The rewritten index as the upload reads it: the events' lines rendered a batch at a time,
     * in order, then the malformed files' lines; a batch is let go once read.
     */
    private final class Rendering extends SequenceInputStream {
        Rendering(List<Key> ordered, List<byte[]> malformed, Map<String, TrailIndex.Stamp> now) {
            super(new Enumeration<InputStream>() {
                private int next;
                private boolean malformedDone;

                @Override
                public boolean hasMoreElements() {
                    return next < ordered.size() || !malformedDone;
                }

                @Override
                public InputStream nextElement() {
                    if (next < ordered.size()) {
                        List<Key> batch = ordered.subList(next, Math.min(ordered.size(), next + REWRITE_BATCH));
                        next += batch.size();
                        List<byte[]> lines = StoredEvent.eachOf(layout, day, batch, problem -> { },
                                stored -> line(stored, now));
                        return new ByteArrayInputStream(TrailIndex.concat(lines));
                    }
                    if (malformedDone) {
                        throw new NoSuchElementException();
                    }
                    malformedDone = true;
                    return new ByteArrayInputStream(TrailIndex.concat(malformed));
                }
            });
        }
    }

    // Windows

    /** The windows of the index, in the order a pass takes them. */
    interface Source extends AutoCloseable {
        /** The next window of whole lines, or null after the last. */
        byte[] next() throws IOException;

        /** True, once every window is taken, when the index ended with a whole line. */
        boolean whole();

        @Override
        void close() throws IOException;
    }

    /** The windows where the first pass found them, last first, each read from where it starts. */
    private final class Backwards implements Source {
        private int next = spans.size() - 1;

        @Override
        public byte[] next() throws IOException {
            if (next < 0) {
                return null;
            }
            Span span = spans.get(next--);
            byte[] bytes;
            try (InputStream in = open(span.offset())) {
                bytes = in.readNBytes(span.length());
            }
            if (bytes.length != span.length()) {
                throw changed();
            }
            return bytes;
        }

        @Override
        public boolean whole() {
            return true; // each window was read whole, and the first pass found the last one ending
        }

        @Override
        public void close() {
            // Each window's stream is closed once read.
        }
    }

    /**
     * The windows of one stream, in order: about {@code windowBytes} of whole lines each, a new
     * array each (more when one line is longer), up to the stream's end or a limit. An index past
     * {@link TrailIndex#MAX_INDEX_BYTES} is refused as {@link IOException}, as a whole read refuses it.
     */
    static final class Forwards implements Source {
        private final InputStream in;
        /** Where each window lies, noted as it is read; null: not noted. */
        private final List<Span> spans;
        /** How many bytes of the stream are read at most. */
        private final long limit;
        private byte[] buffer;
        private int filled;
        private long total;
        private long at;
        private boolean ended;
        private boolean whole;

        /** The whole stream, each window's place noted in {@code spans} unless null. */
        Forwards(InputStream in, List<Span> spans, int windowBytes) {
            this(in, spans, windowBytes, Long.MAX_VALUE);
        }

        /** The stream's first {@code limit} bytes (fewer when it is shorter). */
        Forwards(InputStream in, int windowBytes, long limit) {
            this(in, null, windowBytes, limit);
        }

        private Forwards(InputStream in, List<Span> spans, int windowBytes, long limit) {
            this.in = in;
            this.spans = spans;
            this.buffer = new byte[windowBytes];
            this.limit = limit;
        }

        @Override
        public byte[] next() throws IOException {
            while (!ended) {
                int room = (int) Math.min(buffer.length - filled, limit - total);
                int read = in.readNBytes(buffer, filled, room);
                total += read;
                if (total > TrailIndex.MAX_INDEX_BYTES) {
                    throw new IOException("the index is larger than " + TrailIndex.MAX_INDEX_BYTES + " bytes");
                }
                filled += read;
                ended = read < room || total == limit; // readNBytes stops short only at the end
                int cut = lastNewline(buffer, filled) + 1;
                if (ended) {
                    whole = cut == filled;
                }
                if (cut > 0) {
                    byte[] window = Arrays.copyOf(buffer, cut);
                    System.arraycopy(buffer, cut, buffer, 0, filled - cut);
                    filled -= cut;
                    if (spans != null) {
                        spans.add(new Span(at, cut));
                    }
                    at += cut;
                    return window;
                }
                if (!ended) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2); // one line longer than a window
                }
            }
            return null;
        }

        @Override
        public boolean whole() {
            return whole;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static int lastNewline(byte[] buffer, int length) {
        for (int i = length - 1; i >= 0; i--) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

}
