package neural.mlops.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Predicate;
import neural.mlops.store.DaemonThreads;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.StoredObject;
import neural.mlops.store.storage.Version;

/**
 * A derived index of the trail, so that a query, report or export over a year reads 365 files
 * instead of a million: {@code index/YYYY/MM/DD.jsonl} holds one line per event file of that day
 * folder, {@code {"file": name, "size": bytes, "version": its storage version, "event": {the document as stored},
 * "sum": ..., "mac": ...}}, or {@code {"file": name, "size": .., "version": .., "malformed": why, ...}}
 * for a file that is not a readable event.
 *
 * <p>The events stay the record; the index is never trusted over them. Each line is bound to its
 * event object by its size and storage version when it was indexed, and to its own bytes
 * by a {@link Seal} (a SHA-256, and with a key an HMAC). Every read compares the day's index with
 * one listing of the day folder and each line with its object's size and version in that listing, and checks each
 * line's seal: a missing or damaged index, a line cut short by a crash, an event the index lacks
 * or one it names that is gone, a file changed since it was indexed, or a broken seal makes the
 * day stale, and a stale day is rebuilt from its event files under the trail's lock. A broken
 * seal is tampering, not staleness: it is also reported ({@link #drainProblems}). Verification
 * reads the events themselves and reports and drops any index or summary that differs from them.
 */
final class TrailIndex {

    static final String SUFFIX = ".jsonl";

    /** A reader rebuilding a stale day waits this long for appends in progress, then reads the files instead. */
    static final Duration REBUILD_WAIT = Duration.ofSeconds(2);
    /** An index larger than this is not rewritten on every append (its next reader brings it up to date). */
    private static final long APPEND_LIMIT = 1L << 20;
    /** A day's index is read whole; one larger than this is treated as damaged and rebuilt from the day folder. */
    static final long MAX_INDEX_BYTES = 1L << 30;
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
    private static final ExecutorService READERS = DaemonThreads.pool("audit-index-reader", READER_THREADS);

    private final TrailLayout layout;
    /** Seals what this index writes with a mac, and requires one on what it reads; null: sums only. */
    private final AuditKey key;
    /** Derived files found tampered with (a broken seal) while reading, until a caller takes them. */
    private final Queue<IntegrityProblem> tampered = new ConcurrentLinkedQueue<>();

    /** An index read and written without a key: lines are sealed with a sum only. */
    TrailIndex(TrailLayout layout) {
        this(layout, null);
    }

    TrailIndex(TrailLayout layout, AuditKey key) {
        this.layout = layout;
        this.key = key;
    }

    /**
     * One day as read: its events oldest first (those a reader wanted, when it said which: {@link
     * #read(LocalDate, Predicate)}), the files of the day folder that are not readable
     * events, the size of the index file they were read from (-1 when read from the files), and,
     * when read from the files, each file's stamp taken before it was read (what a rebuilt index records).
     */
    record Day(LocalDate day, List<IndexedEvent> events, List<IntegrityProblem> unreadable, Stamp index,
               Map<String, Stamp> stamps) {

        Day(LocalDate day, List<IndexedEvent> events, List<IntegrityProblem> unreadable, Stamp index) {
            this(day, events, unreadable, index, Map.of());
        }

        /** The size of the index file the day was read from, -1 when read from the files. */
        long indexBytes() {
            return index.size();
        }
    }

    /**
     * What an index line records of its event object: size and version (a folder's modification
     * time and size, an S3 ETag), which a listing gives for free. An object changed since it was
     * indexed (edited, truncated, replaced) no longer matches, and its day is read again from the
     * objects. Not a defence against someone who restores both on purpose: the chain's hashes,
     * which verification recomputes, are.
     */
    record Stamp(long size, String version) {
        static final Stamp NONE = new Stamp(-1, "");

        static Stamp of(Optional<StoredObject> object) {
            return object.map(Stamp::of).orElse(NONE);
        }

        static Stamp of(StoredObject object) {
            return new Stamp(object.sizeBytes(), object.version().token());
        }

        boolean matches(Stamp current) {
            return size >= 0 && equals(current);
        }
    }

    /** The derived files found tampered with since the last call (broken seals), each once. */
    List<IntegrityProblem> drainProblems() {
        List<IntegrityProblem> found = new ArrayList<>();
        for (IntegrityProblem problem; (problem = tampered.poll()) != null; ) {
            found.add(problem);
        }
        return found;
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

        /**
         * The day ready to be read a window of its index at a time, when its summary counts at
         * least {@code settings.fromEvents()} events; else empty (and a quiet day is not listed
         * again for nothing).
         */
        Optional<DayInPieces> inPieces(DayInPieces.Settings settings) {
            if (summary().events() < settings.fromEvents()) {
                return Optional.empty();
            }
            return DayInPieces.ifBusy(index, index.layout, day, index.listing(day), settings);
        }
    }

    // Reading

    /**
     * The day from its index when that is fresh (every event file as it was indexed), else rebuilt
     * from its event files (and the index rewritten).
     */
    Day read(LocalDate day) {
        return read(day, EVERY_EVENT);
    }

    /**
     * As {@link #read(LocalDate)}, but a day read from its index holds only the events whose
     * summary {@code wanted} accepts: the rest are let go as each line is parsed, so that a query
     * holds its matches, not a busy day's events. A day read from its files holds them all.
     */
    Day read(LocalDate day, Predicate<AuditEvent> wanted) {
        return readOrRebuild(day, check(day, null, wanted));
    }

    /**
     * As {@link #read(LocalDate, Predicate)}, checking the index against {@code listed}, the day's
     * event objects as a listing of a longer period gave them ({@link TrailLayout#eventObjectsByDay}),
     * instead of listing the day again: a query's cost on a bucket is then one listing per month
     * and one read per day, with no request per event.
     */
    Day read(LocalDate day, List<StoredObject> listed, Predicate<AuditEvent> wanted) {
        return read(day, stamps(listed), wanted);
    }

    /** The objects of a listing by name, each with its stamp. */
    static Map<String, Stamp> stamps(List<StoredObject> listed) {
        Map<String, Stamp> stamps = new HashMap<>(listed.size() * 2);
        for (StoredObject object : listed) {
            stamps.put(object.key().fileName(), Stamp.of(object));
        }
        return stamps;
    }

    /**
     * As {@link #read(LocalDate)}, checking the index against {@code listed}, the day's event
     * objects as a listing taken before gave them (name to stamp).
     */
    Day read(LocalDate day, Map<String, Stamp> listed) {
        return read(day, listed, EVERY_EVENT);
    }

    /** As {@link #read(LocalDate, Map)}, holding only the events whose summary {@code wanted} accepts. */
    Day read(LocalDate day, Map<String, Stamp> listed, Predicate<AuditEvent> wanted) {
        return readOrRebuild(day, check(day, listed, wanted));
    }

    /** Keeps a derived file found tampered with, for {@link #drainProblems}. */
    void reportTampered(IntegrityProblem problem) {
        tampered.add(problem);
    }

    /** The day as {@code checked} found it in its index, else (stale, or tampered with: reported) rebuilt. */
    private Day readOrRebuild(LocalDate day, Checked checked) {
        if (checked.day() != null) {
            return checked.day();
        }
        if (checked.tampered() != null) {
            tampered.add(checked.tampered());
        }
        return rebuild(day);
    }

    /** Rebuilds the day's index from its event files, under the lock so that no append is lost. */
    Day rebuild(LocalDate day) {
        try {
            return layout.storage.exclusively(TrailLayout.LOCK_KEY, REBUILD_WAIT, () -> {
                Day fresh = check(day).day();
                if (fresh != null) {
                    return fresh; // an append in progress made it look stale; it has finished
                }
                Extended extended = extended(day);
                Day built = extended != null ? extended.day() : fromFiles(day);
                try {
                    Stamp written = extended != null
                            ? write(built, extended.indexed(), extended.added(), extended.addedUnreadable()) : write(built);
                    return new Day(day, built.events(), built.unreadable(), written, built.stamps());
                } catch (MlopsException readOnly) {
                    // A trail we may read but not write: serve the files; the index stays as it was.
                    return built;
                }
            });
        } catch (MlopsException busyOrReadOnly) {
            // The lock is busy for long, or cannot be taken on a read-only trail: the files are the truth anyway.
            return fromFiles(day);
        }
    }

    /**
     * The day's index brought up to date by reading only the event objects it lacks (appends whose
     * lines were not added: a writer that lost the index's conditional replace, or an index past
     * {@value #APPEND_LIMIT} bytes); null when anything else is off (a line tampered with, stale or
     * of an older format, an indexed object changed or gone), and the day is then read whole.
     */
    private Extended extended(LocalDate day) {
        Optional<Document> document;
        try {
            document = layout.read(layout.indexKey(day), MAX_INDEX_BYTES);
        } catch (MlopsException unreadable) {
            return null;
        }
        if (document.isEmpty()) {
            return null;
        }
        Parsed parsed = parse(day, document.get().content());
        Map<String, Stamp> listed = listing(day);
        // Unchanged means every indexed object is listed as it was: more may be listed, appends to add.
        if (parsed.tampered() != null || parsed.stale() || !unchanged(parsed.stamps(), listed)) {
            return null;
        }
        List<IndexedEvent> events = new ArrayList<>(parsed.events());
        List<IntegrityProblem> unreadable = new ArrayList<>(parsed.unreadable());
        Map<String, Stamp> stamps = new HashMap<>(parsed.stamps());
        List<IndexedEvent> added = new ArrayList<>();
        List<IntegrityProblem> addedUnreadable = new ArrayList<>();
        Path folder = layout.dayFolderPath(day);
        for (Map.Entry<String, Stamp> entry : listed.entrySet()) {
            String name = entry.getKey();
            if (!parsed.names().contains(name)) {
                // Stamped as listed, before the read: a change in between makes the day stale at its next read.
                stamps.put(name, entry.getValue());
                StoredEvent.read(layout, layout.eventKey(day, name), folder.resolve(name), addedUnreadable::add)
                        .ifPresent(stored -> added.add(IndexedEvent.of(stored, layout.naiveZone)));
            }
        }
        events.addAll(added);
        unreadable.addAll(addedUnreadable);
        events.sort(OLDEST_FIRST);
        added.sort(OLDEST_FIRST);
        return new Extended(new Day(day, events, unreadable, Stamp.NONE, stamps), document.get().content(), added,
                addedUnreadable);
    }

    /**
     * A day whose index was brought up to date by {@link #extended}: the day, the index as it was
     * stored (every line of it still true), and what was read to add to it.
     */
    private record Extended(Day day, byte[] indexed, List<IndexedEvent> added, List<IntegrityProblem> addedUnreadable) {
    }

    /** The day read from its event files alone, as the index would hold it. */
    Day fromFiles(LocalDate day) {
        // Stamped before they are read: a file changed in between then looks changed at the next read.
        Map<String, Stamp> stamps = listing(day);
        List<IntegrityProblem> unreadable = new ArrayList<>();
        // Each event in the index's form as it is parsed, its document let go: a busy day is never held as documents.
        List<IndexedEvent> events = StoredEvent.eachOfDay(layout, day, unreadable::add,
                stored -> IndexedEvent.of(stored, layout.naiveZone));
        events.sort(OLDEST_FIRST);
        return new Day(day, events, unreadable, Stamp.NONE, stamps);
    }

    /**
     * The day's summary: the stored one when its seal holds and it was made from the day's index
     * as it is (size and version) and the day folder as it is listed now, else one made from the index
     * (read, and rebuilt when stale) and stored. A summary whose seal is broken was edited: it is
     * reported ({@link #drainProblems}) and made again, never used.
     */
    DaySummary summary(LocalDate day) {
        Map<String, Stamp> listed = listing(day);
        Set<String> names = listed.keySet();
        long nameHash = DaySummary.hashNames(names);
        Stamp indexStamp = Stamp.of(layout.storage.stat(layout.indexKey(day)));
        Path file = layout.display(layout.indexSummaryKey(day));
        try {
            byte[] bytes = layout.read(layout.indexSummaryKey(day), Json.MAX_DOCUMENT_BYTES)
                    .orElseThrow(() -> new IOException("no summary")).content();
            Seal.Status seal = Seal.check(bytes, 0, withoutNewline(bytes), key, Seal.digest());
            if (DaySummary.editedAfterSealing(seal, bytes)) {
                tampered.add(new IntegrityProblem(ProblemKind.DERIVED, 0, file, "the summary of " + day
                        + " does not match its seal: it was edited; made again from the events"));
            } else if (seal == Seal.Status.VALID) {
                DaySummary stored = DaySummary.fromJson(bytes, layout.naiveZone);
                if (stored.day().equals(day) && stored.describes(indexStamp, names.size(), nameHash)) {
                    return stored;
                }
            }
        } catch (IOException | RuntimeException missingOrDamaged) {
            // Made again below.
        }
        DaySummary made = busySummary(day, listed, nameHash)
                .orElseGet(() -> DaySummary.of(read(day, listed), names.size(), nameHash));
        if (made.indexBytes() >= 0) {
            try {
                layout.storage.writeDerived(layout.indexSummaryKey(day), withNewline(made.toJson(), key), Condition.none());
            } catch (MlopsException readOnly) {
                // Made again on the next read; nothing is wrong.
            }
        }
        return made;
    }

    /**
     * The summary of a busy day made a window of its index at a time ({@link DayInPieces}), never
     * holding the day; empty when the day is not busy or cannot be read so. It records the index's
     * stamp only when the index was the same before and after (else it is not stored).
     */
    private Optional<DaySummary> busySummary(LocalDate day, Map<String, Stamp> listed, long nameHash) {
        Optional<DayInPieces> busy = DayInPieces.ifBusy(this, layout, day, listed, DayInPieces.Settings.DEFAULT);
        if (busy.isEmpty()) {
            return Optional.empty();
        }
        Stamp before = Stamp.of(layout.storage.stat(layout.indexKey(day)));
        DaySummary.Tally tally = new DaySummary.Tally(day);
        busy.get().each(EVERY_EVENT, false, window -> {
            window.forEach(tally::add);
            return true;
        });
        Stamp after = Stamp.of(layout.storage.stat(layout.indexKey(day)));
        return Optional.of(tally.summary(busy.get().unreadable().isEmpty(), before.equals(after) ? after : Stamp.NONE,
                listed.size(), nameHash));
    }

    /** As {@link #mapAheadDays}, handing each day as a {@link DayView}: its summary, and its events only if asked for. */
    <R> Ahead<R> mapAheadViews(List<LocalDate> days, Function<DayView, R> work) {
        return new Ahead<>(days, day -> work.apply(new DayView(this, day)));
    }

    /** The day from its index, or null when the index is missing, damaged, tampered with or out of step with the day folder. */
    Day readIfFresh(LocalDate day) {
        return check(day).day();
    }

    /** A day's index as checked: the day when it can be used, else why not (a tampering found, or null when merely stale). */
    private record Checked(Day day, IntegrityProblem tampered) {
        static final Checked STALE = new Checked(null, null);
    }

    /** The day's index checked against the listing, its seals and each event file's stamp. */
    private Checked check(LocalDate day) {
        return check(day, null, EVERY_EVENT);
    }

    /**
     * The check, against {@code listed} or, when null, a listing of the day taken after the index
     * was read; the day holds the events {@code wanted} accepts.
     */
    private Checked check(LocalDate day, Map<String, Stamp> given, Predicate<AuditEvent> wanted) {
        Path file = layout.display(layout.indexKey(day));
        Optional<Document> document;
        try {
            document = layout.read(layout.indexKey(day), MAX_INDEX_BYTES);
        } catch (MlopsException unreadable) {
            return Checked.STALE;
        }
        if (document.isEmpty()) {
            return Checked.STALE;
        }
        byte[] data = document.get().content();
        Map<String, Stamp> listed = given != null ? given : listing(day);
        Parsed parsed = parse(day, data, Reading.EVENTS, listed.size(), wanted);
        if (parsed.tampered() != null) {
            return new Checked(null, new IntegrityProblem(ProblemKind.DERIVED, 0, file, "the index of " + day + " "
                    + parsed.tampered() + "; read from the event files instead"));
        }
        if (parsed.stale() || !sameObjects(parsed.stamps(), listed)) {
            return Checked.STALE;
        }
        List<IndexedEvent> events = parsed.events();
        if (!sorted(events)) {
            events = new ArrayList<>(events);
            events.sort(OLDEST_FIRST);
        }
        return new Checked(new Day(day, events, parsed.unreadable(), new Stamp(data.length,
                document.get().version().token()), parsed.stamps()), null);
    }

    /**
     * True when the index names exactly the listed objects, each as it was indexed: as many names as
     * objects listed, and each name listed with its stamp ({@link #unchanged}): no name is indexed
     * twice (a key of {@code stamps}), so as many names, each listed, are every name listed.
     */
    static boolean sameObjects(Map<String, Stamp> stamps, Map<String, Stamp> listed) {
        return stamps.size() == listed.size() && unchanged(stamps, listed);
    }

    /** True when every object the index names is as it was when indexed (same size and version) in the listing. */
    static boolean unchanged(Map<String, Stamp> stamps, Map<String, Stamp> listed) {
        for (Map.Entry<String, Stamp> entry : stamps.entrySet()) {
            Stamp now = listed.get(entry.getKey());
            if (now == null || !entry.getValue().matches(now)) {
                return false;
            }
        }
        return true;
    }

    /** The day's event objects as one listing gives them: name to stamp. */
    Map<String, Stamp> listing(LocalDate day) {
        return stamps(layout.eventObjects(day));
    }

    /**
     * Applies {@code work} to the days in the order given (it reads each day itself: a query with
     * the listing it took, an export that may read a busy day in pieces), up to a few days ahead
     * of the consumer on a small pool of threads (parsing a year of index is most of a report's
     * or an export's time, and it parallelises by day), handing the results back in order. Close
     * it when stopping early (a query that has found enough) so that days read ahead are dropped.
     */
    <R> Ahead<R> mapAheadDays(List<LocalDate> days, Function<LocalDate, R> work) {
        return new Ahead<>(days, work);
    }

    /**
     * The result of work done on another thread for a reader of {@code what}: what it threw is
     * thrown here as it was (a checked exception wrapped, naming {@code what}).
     */
    static <T> T awaited(Future<T> work, String what) {
        try {
            return work.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new MlopsException("Could not read " + what + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlopsException("Interrupted while reading " + what, e);
        }
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
            return awaited(result, "the audit trail");
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

    /**
     * The draft index line of an event document stored in {@code fileName}, as the writers hand
     * it over: {@link #appendLines} and {@link #write(LocalDate, List, List)} stamp it with its
     * file and seal it before it is stored.
     */
    static byte[] line(String fileName, ObjectNode document) {
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("file", fileName);
        line.set("event", document);
        return withNewline(line);
    }

    /** The stored line of {@code fileName}: stamped with its file and sealed. */
    private byte[] storedLine(String fileName, Stamp stamp, String field, byte[] value, int from, int to) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(to - from + 200);
        byte[] head = ("{\"file\":" + jsonString(fileName) + ",\"size\":" + stamp.size() + ",\"version\":"
                + jsonString(stamp.version()) + ",\"" + field + "\":").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        line.write(head, 0, head.length);
        line.write(value, from, to - from);
        line.write('}');
        byte[] sealed = Seal.seal(line.toByteArray(), key);
        byte[] withNewline = java.util.Arrays.copyOf(sealed, sealed.length + 1);
        withNewline[sealed.length] = '\n';
        return withNewline;
    }

    /** The stored line of an event held in compact JSON in {@code document}. */
    byte[] eventLine(String fileName, Stamp stamp, byte[] document, int from, int to) {
        return storedLine(fileName, stamp, "event", document, from, to);
    }

    /** The stored line of a file that is not a readable event. */
    byte[] malformedLine(String fileName, Stamp stamp, String why) {
        byte[] value = jsonString(why).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return storedLine(fileName, stamp, "malformed", value, 0, value.length);
    }

    /** The stored line of a draft from {@link #line}, its object stamped as {@code stamps} says (missing: stale). */
    private byte[] stamped(byte[] draft, Map<String, Stamp> stamps) throws IOException {
        try (JsonParser parser = INDEX_FACTORY.createParser(draft)) {
            if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.FIELD_NAME
                    || !"file".equals(parser.currentName()) || parser.nextToken() != JsonToken.VALUE_STRING) {
                throw new IOException("not a draft index line");
            }
            String name = parser.getText();
            if (!plainFileName(name) || parser.nextToken() != JsonToken.FIELD_NAME || !"event".equals(parser.currentName())
                    || parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a draft index line");
            }
            int from = (int) parser.currentTokenLocation().getByteOffset();
            parser.skipChildren();
            int to = (int) parser.currentTokenLocation().getByteOffset() + 1;
            return eventLine(name, stamps.getOrDefault(name, Stamp.NONE), draft, from, to);
        }
    }

    /**
     * Adds the lines of events just appended to their day, stamped as they were written. When the
     * day has no index, one is started only for a day these events begin ({@code daysBegun}: the
     * chain's first events of that day) and only if they are all its folder holds; a day already
     * under way whose index is missing (a verification dropped it as stale) is left to its next
     * reader, so that an append never lists a day folder that may hold tens of thousands of events.
     * An index that has grown past {@value #APPEND_LIMIT} bytes is left to its next reader too, which
     * adds what it lacks. The index object is replaced on the version read, so a concurrent writer's
     * lines are never lost, only left out (stale). Never throws: the events are written, and an index
     * that missed them is only stale.
     */
    void appendLines(Map<LocalDate, List<byte[]>> linesByDay, Map<String, Stamp> stamps, Set<LocalDate> daysBegun) {
        for (Map.Entry<LocalDate, List<byte[]>> entry : linesByDay.entrySet()) {
            LocalDate day = entry.getKey();
            List<byte[]> drafts = entry.getValue();
            try {
                Key key = layout.indexKey(day);
                Optional<Document> current = layout.read(key, APPEND_LIMIT);
                if (current.isEmpty() && (!daysBegun.contains(day) || layout.eventObjects(day).size() != drafts.size())) {
                    continue;
                }
                List<byte[]> lines = new ArrayList<>(drafts.size() + 1);
                current.ifPresent(document -> lines.add(document.content()));
                if (current.isPresent() && current.get().content().length > 0
                        && current.get().content()[current.get().content().length - 1] != '\n') {
                    continue; // cut short: its next reader rebuilds it
                }
                for (byte[] draft : drafts) {
                    lines.add(stamped(draft, stamps));
                }
                if (current.isPresent()) {
                    layout.storage.writeDerived(key, concat(lines), Condition.matches(current.get().version()));
                } else {
                    layout.storage.writeDerived(key, concat(lines), Condition.absent());
                }
            } catch (IOException | RuntimeException missed) {
                // Stale, not wrong: the next reader of this day rebuilds its index from the events.
            }
        }
    }

    /**
     * Writes a whole day's index (a rebuild), replacing what was there and dropping its summary;
     * returns the stamp of the index written ({@link Stamp#NONE} when the day holds nothing and its
     * index was removed). Call it under the trail's lock, so that the stamp is of these very lines.
     */
    Stamp write(Day day) {
        if (day.events().isEmpty() && day.unreadable().isEmpty()) {
            invalidate(day.day());
            return Stamp.NONE;
        }
        return write(day, null, day.events(), day.unreadable());
    }

    /**
     * Writes the day's index: {@code stored} (lines kept as they are; null for none), then a line
     * for each of {@code events} and each unreadable file of {@code unreadable}. An extended index
     * keeps its stored lines as bytes, neither rebuilt nor sealed again: on a day of 60,000 events
     * that was a second copy of a 40 MB index, and 60,000 seals, at every reader after an append
     * (an index that large is not extended by the appends themselves).
     */
    private Stamp write(Day day, byte[] stored, List<IndexedEvent> events, List<IntegrityProblem> unreadable) {
        List<byte[]> lines = new ArrayList<>(1 + events.size() + unreadable.size());
        if (stored != null) {
            lines.add(stored);
        }
        for (IndexedEvent event : events) {
            byte[] compact = event.compactCopy();
            lines.add(eventLine(event.fileName(), stamp(day, event.fileName()), compact, 0, compact.length));
        }
        for (IntegrityProblem problem : unreadable) {
            if (problem.file() != null && problem.kind() == ProblemKind.MALFORMED) {
                String name = problem.file().getFileName().toString();
                lines.add(malformedLine(name, stamp(day, name), problem.message()));
            }
        }
        byte[] content = concat(lines);
        dropSummary(day.day());
        Version written = layout.storage.writeDerived(layout.indexKey(day.day()), content, Condition.none());
        return new Stamp(content.length, written.token());
    }

    /** The stamp taken when the day was read from its objects, else the object's as it is now. */
    private Stamp stamp(Day day, String name) {
        Stamp taken = day.stamps().get(name);
        return taken != null ? taken : Stamp.of(layout.storage.stat(layout.eventKey(day.day(), name)));
    }

    /**
     * Writes a day's index from draft lines ({@link #line}), and its summary, for a day folder that
     * holds exactly {@code names} (the bulk writer's path, once the day's files are written). A file
     * not on disk when this runs is stamped as missing, which makes the day stale: its first reader
     * rebuilds it.
     */
    void write(LocalDate day, List<byte[]> drafts, List<String> names) {
        dropSummary(day);
        Map<String, Stamp> stamps = listing(day);
        List<byte[]> lines = new ArrayList<>(drafts.size());
        try {
            for (byte[] draft : drafts) {
                lines.add(stamped(draft, stamps));
            }
        } catch (IOException e) {
            throw new MlopsException("Could not index the day " + day + ": " + e.getMessage(), e);
        }
        byte[] content = concat(lines);
        Version version = layout.storage.writeDerived(layout.indexKey(day), content, Condition.none());
        Parsed parsed = parse(day, content);
        if (parsed.tampered() == null && !parsed.stale()) {
            List<IndexedEvent> events = new ArrayList<>(parsed.events());
            events.sort(OLDEST_FIRST);
            Stamp written = new Stamp(content.length, version.token());
            DaySummary summary = DaySummary.of(new Day(day, events, parsed.unreadable(), written), names.size(),
                    DaySummary.hashNames(names));
            layout.storage.writeDerived(layout.indexSummaryKey(day), withNewline(summary.toJson(), key), Condition.none());
        }
    }

    /**
     * Starts verification's comparison of the day's index and summary with its event files: read
     * the index now, before the files ({@link DayCheck}).
     */
    DayCheck checking(LocalDate day) {
        return new DayCheck(this, layout, day);
    }

    /** The key that seals and checks what this index reads and writes; null: sums only. */
    AuditKey key() {
        return key;
    }

    /**
     * The stored summary of {@code day} when its seal holds (with the key, its mac; without, its
     * sum), read alone: neither its index nor the day's events are read. Empty when it is missing,
     * unsealed, not sealed with this key, or damaged.
     */
    Optional<DaySummary> sealedSummary(LocalDate day) {
        try {
            Optional<Document> document = layout.read(layout.indexSummaryKey(day), Json.MAX_DOCUMENT_BYTES);
            if (document.isEmpty()) {
                return Optional.empty();
            }
            byte[] bytes = document.get().content();
            if (Seal.check(bytes, 0, withoutNewline(bytes), key, Seal.digest()) != Seal.Status.VALID) {
                return Optional.empty();
            }
            DaySummary summary = DaySummary.fromJson(bytes, layout.naiveZone);
            return summary.day().equals(day) ? Optional.of(summary) : Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** Drops a day's index and summary; the next reader rebuilds them from the events. */
    void invalidate(LocalDate day) {
        dropSummary(day);
        try {
            layout.storage.delete(layout.indexKey(day), Condition.none());
        } catch (MlopsException e) {
            // Left in place it is still checked against the day folder on every read.
        }
    }

    /** Drops a day's summary alone (it is made again from the index when next read). */
    void dropSummary(LocalDate day) {
        try {
            layout.storage.delete(layout.indexSummaryKey(day), Condition.none());
        } catch (MlopsException e) {
            // Still checked against its seal, the index's stamp and the folder's listing on every read.
        }
    }

    // Internals

    /** What {@link #read(LocalDate, Predicate)} keeps of a day when every event is wanted. */
    static final Predicate<AuditEvent> EVERY_EVENT = event -> true;

    static final java.util.Comparator<IndexedEvent> OLDEST_FIRST = (a, b) -> order(a.summary().timestamp(),
            a.summary().seq(), a.fileName(), b.summary().timestamp(), b.summary().seq(), b.fileName());

    /** The order of a day's events, in its index as everywhere: by time, then sequence number, then file. */
    static int order(Instant time, long seq, String file, Instant otherTime, long otherSeq, String otherFile) {
        int byTime = time.compareTo(otherTime);
        if (byTime != 0) {
            return byTime;
        }
        int bySeq = Long.compare(seq, otherSeq);
        return bySeq != 0 ? bySeq : file.compareTo(otherFile);
    }

    /** Where an event goes among its day's ({@link #order}), read without the rest of it. */
    record Place(Instant time, long seq, String file) implements Comparable<Place> {
        static Place of(IndexedEvent event) {
            return new Place(event.summary().timestamp(), event.summary().seq(), event.fileName());
        }

        /** The place of an event read from its file, from the event already parsed there. */
        static Place of(StoredEvent stored) {
            return new Place(stored.event().timestamp(), stored.event().seq(), stored.fileName());
        }

        @Override
        public int compareTo(Place other) {
            return order(time, seq, file, other.time, other.seq, other.file);
        }
    }

    /** What parsing an index reads of each event: all of it, where its copy lies (verification), or its place alone (a check of order). */
    enum Reading { EVENTS, COPIES, PLACES }

    private static boolean sorted(List<IndexedEvent> events) {
        for (int i = 1; i < events.size(); i++) {
            if (OLDEST_FIRST.compare(events.get(i - 1), events.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The index lines of a day. The index is stale when its last line was cut short by a crash, a
     * line is of an older format, names a file twice or lacks a mac that the key requires; it was
     * tampered with when a line's seal is broken or a line before the last is damaged. One parser
     * reads the whole file (its lines are consecutive root values): creating a parser per line cost
     * more than parsing the line.
     */
    private Parsed parse(LocalDate day, byte[] data) {
        return parse(day, data, false);
    }

    /**
     * As {@link #parse(LocalDate, byte[])}; {@code copiesOnly} reads each line's event as where it
     * lies in {@code data} ({@link Parsed#copies}), not as an event: verification compares those
     * bytes with the event files, and a line that says what its file says is a readable event.
     */
    Parsed parse(LocalDate day, byte[] data, boolean copiesOnly) {
        return parse(day, data, copiesOnly ? Reading.COPIES : Reading.EVENTS, 16, EVERY_EVENT);
    }

    /**
     * As {@link #parse(LocalDate, byte[], boolean)}, its tables made for {@code lines} lines at
     * first (the objects listed), keeping only the events whose summary {@code wanted} accepts.
     * Every line is still parsed and its seal checked.
     */
    private Parsed parse(LocalDate day, byte[] data, Reading reading, int lines, Predicate<AuditEvent> wanted) {
        Lines read = new Lines(reading, lines, wanted, null);
        Parsed failed = parseInto(day, data, read);
        return failed != null ? failed : new Parsed(read.events, read.copies, read.unreadable, read.stamps, false, null);
    }

    /**
     * Parses one window of a day's index read in pieces ({@link DayInPieces}) into {@code lines},
     * which it shares with the day's other windows; null when every line was read, else why the day
     * is stale or was tampered with.
     */
    Parsed parseWindow(LocalDate day, byte[] window, Lines lines) {
        return parseInto(day, window, lines);
    }

    /**
     * Reads every line of {@code data} into {@code into}; null when all were read, else the day as
     * stale or tampered with. One parser reads the whole array (its lines are consecutive root values).
     */
    private Parsed parseInto(LocalDate day, byte[] data, Lines into) {
        if (data.length > 0 && data[data.length - 1] != '\n') {
            return Parsed.STALE; // cut short by a crash while appending
        }
        Path folder = layout.dayFolderPath(day);
        String name = null;
        try (JsonParser parser = INDEX_FACTORY.createParser(data)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                name = null;
                int start = (int) parser.currentTokenLocation().getByteOffset();
                if (token != JsonToken.START_OBJECT || !field(parser, "file") || parser.nextToken() != JsonToken.VALUE_STRING) {
                    return Parsed.tampered("holds a damaged line");
                }
                name = parser.getText();
                if (!plainFileName(name)) {
                    return Parsed.tampered("names a file that is not an event file");
                }
                if (!field(parser, "size")) {
                    return Parsed.STALE; // a line of an older format, without its file's stamp
                }
                long size = number(parser);
                if (parser.nextToken() != JsonToken.FIELD_NAME) {
                    return Parsed.tampered("holds a damaged line for " + name);
                }
                if ("mtime".equals(parser.currentName())) {
                    return Parsed.STALE; // a line of an older format, stamped with its file's time
                }
                if (!"version".equals(parser.currentName()) || parser.nextToken() != JsonToken.VALUE_STRING) {
                    return Parsed.tampered("holds a damaged line for " + name);
                }
                String version = parser.getText();
                if (parser.nextToken() != JsonToken.FIELD_NAME) {
                    return Parsed.tampered("holds a damaged line for " + name);
                }
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                IndexedEvent event = null;
                Place place = null;
                IntegrityProblem malformed = null;
                if ("event".equals(field) && value == JsonToken.START_OBJECT && into.reading == Reading.COPIES) {
                    int eventStart = (int) parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    into.copies.put(name, new Slice(eventStart, (int) parser.currentTokenLocation().getByteOffset() + 1));
                } else if ("event".equals(field) && value == JsonToken.START_OBJECT && into.reading == Reading.PLACES) {
                    place = IndexedEvent.place(parser, name, layout.naiveZone);
                } else if ("event".equals(field) && value == JsonToken.START_OBJECT) {
                    event = IndexedEvent.read(parser, folder, name, data, 0, layout.naiveZone);
                    place = Place.of(event);
                } else if ("malformed".equals(field) && value == JsonToken.VALUE_STRING) {
                    Path file = folder.resolve(name);
                    malformed = new IntegrityProblem(ProblemKind.MALFORMED, TrailLayout.seqFromName(file), file,
                            parser.getText());
                } else {
                    return Parsed.tampered("holds a damaged line for " + name);
                }
                while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    if (parser.nextToken() != JsonToken.VALUE_STRING) {
                        return Parsed.tampered("holds a damaged line for " + name);
                    }
                }
                if (token != JsonToken.END_OBJECT) {
                    return Parsed.tampered("holds a damaged line for " + name);
                }
                int end = (int) parser.currentTokenLocation().getByteOffset() + 1;
                switch (Seal.check(data, start, end, key, into.digest)) {
                    case VALID -> { }
                    case BROKEN -> {
                        return Parsed.tampered("holds a line for " + name + " that does not match its seal: it was edited");
                    }
                    case ABSENT -> {
                        // Lines of this format are always sealed: this one lost its seal in an edit.
                        return Parsed.tampered("holds a line for " + name + " without its seal: it was edited");
                    }
                    default -> {
                        return Parsed.STALE; // unsealed, or sealed without the key this reader holds
                    }
                }
                if (!into.add(name, new Stamp(size, version), event, place, malformed)) {
                    return Parsed.STALE;
                }
            }
        } catch (IOException | RuntimeException damaged) {
            return Parsed.tampered("holds a damaged line" + (name == null ? "" : " for " + name));
        }
        return null;
    }

    /**
     * What parsing index lines gathers: each line's stamp (a name indexed twice makes the day
     * stale), the wanted events, the malformed files and, when only copies are asked for, where
     * each event lies. A day read in pieces keeps one across its windows, taking each window's
     * events as it goes, and may require each line to stamp its object as a listing had it.
     */
    static final class Lines {
        final List<IndexedEvent> events = new ArrayList<>();
        final Map<String, Slice> copies;
        final List<IntegrityProblem> unreadable = new ArrayList<>();
        final Map<String, Stamp> stamps;
        final MessageDigest digest = Seal.digest();
        private final Reading reading;
        private final Predicate<AuditEvent> wanted;
        /** The stamps a listing gave, which each line must match; null: any (checked as a whole afterwards). */
        private final Map<String, Stamp> listed;
        private Place first;
        private Place last;
        private boolean oldestFirst = true;

        Lines(Reading reading, int lines, Predicate<AuditEvent> wanted, Map<String, Stamp> listed) {
            this.reading = reading;
            this.copies = reading == Reading.COPIES ? new HashMap<>(lines * 2) : Map.of();
            this.stamps = new HashMap<>(lines * 2);
            this.wanted = wanted;
            this.listed = listed;
        }

        /** Takes one sealed line; false when it makes the day stale (its name seen before, or its object not as listed). */
        boolean add(String name, Stamp stamp, IndexedEvent event, Place place, IntegrityProblem malformed) {
            if (listed != null && !stamp.matches(listed.getOrDefault(name, Stamp.NONE))) {
                return false;
            }
            if (stamps.put(name, stamp) != null) {
                return false;
            }
            if (place != null) {
                if (last != null && last.compareTo(place) > 0) {
                    oldestFirst = false;
                }
                if (first == null) {
                    first = place;
                }
                last = place;
            }
            if (event != null && wanted.test(event.summary())) {
                events.add(event);
            } else if (malformed != null) {
                unreadable.add(malformed);
            }
            return true;
        }

        /** The place of the first event line read, null before one. */
        Place first() {
            return first;
        }

        /** The place of the last event line read, null before one. */
        Place last() {
            return last;
        }

        /** True when every event line so far follows the one before it, oldest first. */
        boolean oldestFirst() {
            return oldestFirst;
        }

        /** The events kept since the last call, let go here. */
        List<IndexedEvent> takeEvents() {
            List<IndexedEvent> taken = new ArrayList<>(events);
            events.clear();
            return taken;
        }
    }

    private static boolean field(JsonParser parser, String name) throws IOException {
        return parser.nextToken() == JsonToken.FIELD_NAME && name.equals(parser.currentName());
    }

    private static long number(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new IOException("not a whole number");
        }
        return parser.getLongValue();
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

    /** A derived document as stored: compact, sealed (with a mac when a key is given), and a newline. */
    static byte[] withNewline(ObjectNode document, AuditKey key) {
        try {
            byte[] sealed = Seal.seal(COMPACT.writeValueAsBytes(document), key);
            byte[] withNewline = java.util.Arrays.copyOf(sealed, sealed.length + 1);
            withNewline[sealed.length] = '\n';
            return withNewline;
        } catch (IOException e) {
            throw new MlopsException("Could not serialise a derived document: " + e.getMessage(), e);
        }
    }

    /** Where a stored derived document ends, its trailing newline aside. */
    static int withoutNewline(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        return end;
    }

    private static String jsonString(String text) {
        try {
            return COMPACT.writeValueAsString(text);
        } catch (IOException e) {
            throw new MlopsException("Could not serialise a file name: " + e.getMessage(), e);
        }
    }

    /**
     * The lines as one array of their exact size, each line let go once copied: a busy day's index
     * is tens of megabytes, which a growing buffer held three times over (its doublings and the final
     * copy) and which ran a year's export out of its 256 MB heap.
     */
    static byte[] concat(List<byte[]> lines) {
        long size = 0;
        for (byte[] line : lines) {
            size += line.length;
        }
        if (size > MAX_INDEX_BYTES) {
            throw new MlopsException("A day's index would be " + size + " bytes; at most " + MAX_INDEX_BYTES + " are written");
        }
        byte[] content = new byte[(int) size];
        int at = 0;
        for (int i = 0; i < lines.size(); i++) {
            byte[] line = lines.set(i, null);
            System.arraycopy(line, 0, content, at, line.length);
            at += line.length;
        }
        return content;
    }

    /** Where something lies in a byte array: from {@code start} up to, not including, {@code end}. */
    record Slice(int start, int end) {
    }

    /**
     * A day's index as parsed: its lines (as events, or as where each event lies in the index when
     * only the copies were asked for), or stale (rebuild quietly), or what shows it was tampered with.
     */
    record Parsed(List<IndexedEvent> events, Map<String, Slice> copies, List<IntegrityProblem> unreadable,
                  Map<String, Stamp> stamps, boolean stale, String tampered) {
        static final Parsed STALE = new Parsed(List.of(), Map.of(), List.of(), Map.of(), true, null);

        static Parsed tampered(String why) {
            return new Parsed(List.of(), Map.of(), List.of(), Map.of(), false, why);
        }

        Set<String> names() {
            return stamps.keySet();
        }
    }
}
