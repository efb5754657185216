package neural.mlops.audit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import neural.mlops.store.MlopsException;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.StoredObject;
import neural.mlops.store.storage.TransferListener;

/**
 * A busy day's index read in windows of whole lines, never whole, so that an export holds a
 * window of the day's events and not the day: a day of 100,000 events is a 70 MB index and, parsed,
 * about 250 MB, which no 256 MB heap holds.
 *
 * <p>The index is trusted no more than when it is read whole ({@link TrailIndex}). Before any window
 * is handed out, a first pass reads the whole index, a window at a time, keeping only each line's
 * stamp, and checks it against one listing of the day folder: every seal, every line's object as
 * listed, every listed object indexed once, and the events oldest first. A day that fails is
 * brought up to date under the trail's lock, its index rewritten oldest first from the lines that
 * still hold and the objects it lacks (their bytes held, not their parsed events), and checked
 * again. The second pass, which hands out the windows, checks every line the same way: an index
 * replaced between the two passes fails the export instead of feeding it.
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
     * events still oldest first, as the index holds them. Every line is checked again; throws
     * {@link MlopsException} when the index no longer matches what the first pass found (replaced
     * or edited in between). Stops when {@code window} has had enough.
     */
    void each(Predicate<AuditEvent> wanted, boolean newestFirst, Events window) {
        TrailIndex.Lines lines = new TrailIndex.Lines(TrailIndex.Reading.EVENTS, listed.size(), wanted, listed);
        boolean all = newestFirst ? backwards(lines, window) : forwards(lines, window);
        if (all && lines.stamps.size() != listed.size()) {
            throw changed();
        }
    }

    /** The windows in the index's order, read as one stream; false when the reader stopped early. */
    private boolean forwards(TrailIndex.Lines lines, Events window) {
        boolean[] all = {true};
        try (InputStream in = open(0)) {
            boolean whole = windows(in, bytes -> {
                all[0] = take(lines, bytes, window);
                return all[0];
            });
            if (all[0] && !whole) {
                throw changed();
            }
            return all[0];
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** The windows the first pass found, last first, each read from where it starts; false when the reader stopped early. */
    private boolean backwards(TrailIndex.Lines lines, Events window) {
        for (int i = spans.size() - 1; i >= 0; i--) {
            Span span = spans.get(i);
            byte[] bytes;
            try (InputStream in = open(span.offset())) {
                bytes = in.readNBytes(span.length());
            } catch (IOException e) {
                throw unreadable(e);
            }
            if (bytes.length != span.length()) {
                throw changed();
            }
            lines.newWindow();
            if (!take(lines, bytes, window)) {
                return false;
            }
        }
        return true;
    }

    private boolean take(TrailIndex.Lines lines, byte[] bytes, Events window) {
        if (index.parseWindow(day, bytes, lines) != null || !lines.oldestFirst()) {
            throw changed();
        }
        return window.take(lines.takeEvents());
    }

    private InputStream open(long offset) {
        return layout.storage.openStream(layout.indexKey(day), offset).orElseThrow(this::changed);
    }

    private MlopsException changed() {
        return new MlopsException("The index of the audit day " + day + " changed while it was being read; run it again");
    }

    private MlopsException unreadable(IOException e) {
        return new MlopsException("Could not read the index of the audit day " + day + ": " + e.getMessage(), e);
    }

    /** Where one window of the index lies: from byte {@code offset}, {@code length} bytes of whole lines. */
    private record Span(long offset, int length) {
    }

    /**
     * The first pass: null when the index names exactly the listed objects, each as listed, under
     * sound seals, its events oldest first; else the day as stale or tampered with. It notes where
     * each window lies, for reading them newest first.
     */
    private TrailIndex.Parsed check() {
        TrailIndex.Lines lines = new TrailIndex.Lines(TrailIndex.Reading.PLACES, listed.size(), event -> false, listed);
        Optional<InputStream> stream;
        try {
            stream = layout.storage.openStream(layout.indexKey(day));
        } catch (MlopsException unreadableIndex) {
            return TrailIndex.Parsed.STALE;
        }
        if (stream.isEmpty()) {
            return TrailIndex.Parsed.STALE;
        }
        TrailIndex.Parsed[] failed = {null};
        long[] at = {0};
        try (InputStream in = stream.get()) {
            boolean whole = windows(in, bytes -> {
                spans.add(new Span(at[0], bytes.length));
                at[0] += bytes.length;
                failed[0] = index.parseWindow(day, bytes, lines);
                return failed[0] == null;
            });
            if (failed[0] != null) {
                return failed[0];
            }
            if (!whole || !lines.oldestFirst() || lines.stamps.size() != listed.size()) {
                return TrailIndex.Parsed.STALE;
            }
        } catch (IOException | MlopsException unreadableIndex) {
            return TrailIndex.Parsed.STALE;
        }
        unreadable.addAll(lines.unreadable);
        return null;
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
        List<StoredObject> objects = layout.eventObjects(day);
        Map<String, TrailIndex.Stamp> now = TrailIndex.stamps(objects);
        Map<String, StoredObject> byName = new HashMap<>(objects.size() * 2);
        for (StoredObject object : objects) {
            byName.put(object.key().fileName(), object);
        }
        List<IntegrityProblem> problems = new ArrayList<>();
        List<Placed> places = StoredEvent.eachOf(layout, day, objects, problems::add,
                stored -> new Placed(TrailIndex.Place.of(IndexedEvent.of(stored, layout.naiveZone)), line(stored, now).length));
        places.sort(Comparator.comparing(Placed::place));
        List<byte[]> malformed = new ArrayList<>();
        for (IntegrityProblem problem : problems) {
            if (problem.file() != null && problem.kind() == ProblemKind.MALFORMED) {
                String name = problem.file().getFileName().toString();
                malformed.add(index.malformedLine(name, stamp(now, name), problem.message()));
            }
        }
        long size = 0;
        for (Placed placed : places) {
            size += placed.bytes();
        }
        for (byte[] line : malformed) {
            size += line.length;
        }
        if (size > TrailIndex.MAX_INDEX_BYTES) {
            throw new MlopsException("The index of " + day + " would be " + size + " bytes; at most "
                    + TrailIndex.MAX_INDEX_BYTES + " are written");
        }
        List<StoredObject> ordered = new ArrayList<>(places.size());
        for (Placed placed : places) {
            ordered.add(byName.get(placed.place().file()));
        }
        index.dropSummary(day);
        // An object changed between the two reads renders another size: the upload then fails, and writes nothing.
        layout.storage.upload(layout.indexKey(day), new Rendering(ordered, malformed, now), size, Condition.none(),
                TransferListener.NONE);
        return now;
    }

    /** The index line of a stored event, stamped as the listing had its object. */
    private byte[] line(StoredEvent stored, Map<String, TrailIndex.Stamp> now) {
        byte[] compact = IndexedEvent.compact(stored.raw());
        String name = stored.file().getFileName().toString();
        return index.eventLine(name, stamp(now, name), compact, 0, compact.length);
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
        Rendering(List<StoredObject> ordered, List<byte[]> malformed, Map<String, TrailIndex.Stamp> now) {
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
                        List<StoredObject> batch = ordered.subList(next, Math.min(ordered.size(), next + REWRITE_BATCH));
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

    /** Takes one window of whole lines; false to stop reading. */
    @FunctionalInterface
    private interface Window {
        boolean take(byte[] lines);
    }

    /**
     * Reads {@code in} in windows of about {@link #windowBytes}, each a new array of whole lines,
     * handed to {@code window}; true when the whole index was read and its last line ended (false:
     * cut short, or stopped by {@code window}). An index past {@link TrailIndex#MAX_INDEX_BYTES} is
     * refused as {@link IOException}, as a whole read refuses it.
     */
    private boolean windows(InputStream in, Window window) throws IOException {
        byte[] buffer = new byte[windowBytes];
        int filled = 0;
        long total = 0;
        while (true) {
            int read = in.readNBytes(buffer, filled, buffer.length - filled);
            total += read;
            if (total > TrailIndex.MAX_INDEX_BYTES) {
                throw new IOException("the index is larger than " + TrailIndex.MAX_INDEX_BYTES + " bytes");
            }
            filled += read;
            boolean ended = filled < buffer.length; // readNBytes stops short only at the end
            int cut = lastNewline(buffer, filled) + 1;
            if (cut > 0 && !window.take(Arrays.copyOf(buffer, cut))) {
                return false;
            }
            if (ended) {
                return cut == filled;
            }
            if (cut == 0) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2); // one line longer than a window
            } else {
                System.arraycopy(buffer, cut, buffer, 0, filled - cut);
                filled -= cut;
            }
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
