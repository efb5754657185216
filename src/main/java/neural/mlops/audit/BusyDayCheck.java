package neural.mlops.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import neural.mlops.store.DaemonThreads;
import neural.mlops.store.MlopsException;

/**
 * Verification of a busy day from its event files in windows, never whole: read whole, a day of
 * 150,000 events took some 400 MB as hashed events and its index, more than the 256 MB heap
 * that verification of any trail is held to (issue 23). It checks what {@link DayCheck} checks of
 * a day read whole, with the same problems and the same derived files dropped, holding a window
 * of files and of index lines at a time and, for the day, one listing.
 *
 * <p>The files are read in the order of the seq their names carry, a window at a time, parsed and
 * hashed a few windows ahead on threads of their own; each window is handed on oldest first, as a
 * whole day's events are. The index is streamed alongside, far enough to hold the lines of each
 * window's files (an index is oldest first, as the names are), and each line is compared with its
 * file while both are at hand. A line whose file is read before it, or which no file claims, makes
 * the index differ from the files, as it does when read whole; too many lines waiting for their
 * files (an index out of step with the day) stop the comparison there, with the same outcome.
 *
 * <p>Use: {@link #each} once, then {@link #finish}, then {@link #unreadable}.
 */
final class BusyDayCheck {

    /**
     * About the size of an index line, which a window of files takes as its share of a window of
     * the index: a window of 1 MB reads 1,024 files at once.
     */
    private static final int BYTES_A_FILE = 1024;
    /** The most index lines held waiting for their files: past it, the index is not compared further. */
    static final int MAX_WAITING_LINES = 50_000;

    private static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static final int WINDOWS_AHEAD = 2 * THREADS;
    /** Threads that read, parse and hash a window of files ahead of the check of the chain. */
    private static final ExecutorService WINDOW_READERS = DaemonThreads.pool("audit-verify-window", THREADS);

    private final TrailIndex index;
    private final TrailLayout layout;
    private final LocalDate day;
    private final Map<String, TrailIndex.Stamp> listed;
    private final int windowBytes;
    private final int windowFiles;
    /** The stamp of the index before it was read (size and version): what a summary made from it names. */
    private final TrailIndex.Stamp indexStamp;
    private final List<IntegrityProblem> unreadable = new ArrayList<>();
    /** Edits of index lines: reported only when the whole index parses, as a whole read reports them. */
    private final List<IntegrityProblem> edits = new ArrayList<>();
    /** False once the index is found to differ from the files in any way. */
    private boolean same = true;
    private int unreadableLines;
    private DayCheck.SummaryCheck summary;
    private IndexLines lines;

    BusyDayCheck(TrailIndex index, TrailLayout layout, LocalDate day, Map<String, TrailIndex.Stamp> listed,
                 int windowBytes) {
        this.index = index;
        this.layout = layout;
        this.day = day;
        this.listed = listed;
        this.windowBytes = windowBytes;
        this.windowFiles = Math.max(1, windowBytes / BYTES_A_FILE);
        this.indexStamp = TrailIndex.Stamp.of(layout.storage.stat(layout.indexKey(day)));
    }

    /**
     * Hands {@code walk} the day's readable events a window at a time, each window oldest first
     * and each event's document dropped ({@link StoredEvent#hashed}), comparing each with its
     * index line as it goes.
     */
    void each(Consumer<List<StoredEvent>> walk) {
        summary = DayCheck.SummaryCheck.open(index, layout, day, listed, indexStamp);
        List<String> names = new ArrayList<>(listed.keySet());
        names.sort(Comparator.comparingLong((String name) -> TrailLayout.seqFromName(name)).thenComparing(Comparator.naturalOrder()));
        Deque<Future<Window>> ahead = new ArrayDeque<>();
        int requested = 0;
        try (IndexLines opened = IndexLines.open(this)) {
            lines = opened;
            while (requested < names.size() || !ahead.isEmpty()) {
                while (requested < names.size() && ahead.size() < WINDOWS_AHEAD) {
                    List<String> batch = names.subList(requested, Math.min(names.size(), requested + windowFiles));
                    requested += batch.size();
                    ahead.add(WINDOW_READERS.submit(() -> read(batch)));
                }
                Window window = TrailIndex.awaited(ahead.poll(), "the event files of the audit day " + day);
                walk.accept(compared(window));
            }
            if (opened.drain()) {
                same = false; // lines of files that are not in the folder
            }
        } catch (IOException closing) {
            // The index was read as far as it was needed: a failure to close the stream changes nothing.
        } finally {
            ahead.forEach(reading -> reading.cancel(true));
        }
    }

    /** The day folder's files that are not readable events, found as they were read. */
    List<IntegrityProblem> unreadable() {
        return unreadable;
    }

    /**
     * What the day's index and summary say that its events do not, after {@link #each}; drops any
     * that differs from them. An index that changed while it was read (an append extended it) is
     * neither judged nor dropped: the next verification checks it.
     */
    List<IntegrityProblem> finish() {
        if (!indexStamp.equals(TrailIndex.Stamp.of(layout.storage.stat(layout.indexKey(day))))) {
            return List.of();
        }
        List<IntegrityProblem> found = new ArrayList<>();
        if (lines.missing) {
            index.dropSummary(day); // a summary without its index is made again from a rebuilt one
            return found;
        }
        if (lines.failed != null && lines.failed.tampered() != null) {
            found.add(new IntegrityProblem(ProblemKind.DERIVED, 0, layout.display(layout.indexKey(day)),
                    "the index of " + day + " " + lines.failed.tampered()));
            index.invalidate(day);
            return found;
        }
        if (lines.failed == null) {
            found.addAll(edits); // every line parsed: an edit found in one is the index's, as a whole read finds it
        }
        if (!same || lines.failed != null) {
            index.invalidate(day);
            return found;
        }
        if (summary != null) {
            summary.finish(found, unreadableLines == 0);
        }
        return found;
    }

    // Windows of files

    /** One window of files as read: each readable event with its compact document, and the names that were not readable events. */
    private record Window(List<Read> reads, List<IntegrityProblem> unreadable, long throughSeq) {
    }

    /** A readable event, its document dropped, and its compact document (what its index line holds a copy of). */
    private record Read(StoredEvent stored, byte[] compact) {
    }

    /** Runs on the window threads: reads, parses and hashes the files {@code names}, in their order. */
    private Window read(List<String> names) {
        List<IntegrityProblem> bad = new ArrayList<>();
        List<Read> reads = StoredEvent.eachOf(layout, day, layout.eventKeys(day, names), bad::add,
                stored -> new Read(stored.hashed(), IndexedEvent.compact(stored.raw())));
        return new Window(reads, bad, TrailLayout.seqFromName(names.get(names.size() - 1)));
    }

    /** Runs on the walk's thread: compares a window with its index lines and returns its events, oldest first. */
    private List<StoredEvent> compared(Window window) {
        lines.readThrough(window.throughSeq());
        for (Read read : window.reads()) {
            compare(read);
        }
        for (IntegrityProblem problem : window.unreadable()) {
            unreadable.add(problem);
            String name = problem.file().getFileName().toString();
            Line line = lines.take(name);
            if (line == null || line.copy() != null || !line.stamp().matches(listed.get(name))) {
                same = false; // not indexed, or indexed as a readable event, or changed since
            }
        }
        if (lines.dropBefore(window.throughSeq())) {
            same = false; // lines whose files were not read where their seq puts them
        }
        List<Read> reads = new ArrayList<>(window.reads());
        reads.sort(Comparator.comparing(Read::stored, StoredEvent.OLDEST_FIRST));
        List<StoredEvent> events = new ArrayList<>(reads.size());
        for (Read read : reads) {
            if (summary != null) {
                summary.count(read.stored(), read.compact(), 0, read.compact().length);
            }
            events.add(read.stored());
        }
        return events;
    }

    /** One readable event against its index line. */
    private void compare(Read read) {
        String name = read.stored().fileName();
        Line line = lines.take(name);
        if (line == null) {
            same = false; // a readable event the index lacks (or holds out of order)
            return;
        }
        if (!line.stamp().matches(listed.get(name))) {
            same = false;
        }
        if (line.copy() == null) {
            same = false;
            if (unchangedSinceIndexed(name, line)) {
                edits.add(new IntegrityProblem(ProblemKind.DERIVED, read.stored().event().seq(), indexFile(), "the index calls "
                        + name + " unreadable, but it is a readable event that has not changed since it was indexed: "
                        + "the index was edited"));
            }
        } else if (!Arrays.equals(read.compact(), 0, read.compact().length, line.copy(), line.start(), line.end())) {
            same = false;
            if (unchangedSinceIndexed(name, line)) {
                edits.add(new IntegrityProblem(ProblemKind.DERIVED, read.stored().event().seq(), indexFile(), "the index's copy of "
                        + name + " differs from the file, which has not changed since it was indexed: the index was edited"));
            }
        }
    }

    /** Asked only of a line that differs from its file, after the file was read: a file changed meanwhile is not an edit of the index. */
    private boolean unchangedSinceIndexed(String name, Line line) {
        return line.stamp().matches(TrailIndex.Stamp.of(layout.storage.stat(layout.eventKey(day, name))));
    }

    private Path indexFile() {
        return layout.display(layout.indexKey(day));
    }

    // The index, streamed alongside

    /** One index line: its file's stamp, and where the copy of its event lies (null copy: the line calls the file unreadable). */
    private record Line(TrailIndex.Stamp stamp, byte[] copy, int start, int end) {
    }

    /** The index read in windows as far as the files need, its lines kept by name until their file claims them. */
    private static final class IndexLines implements AutoCloseable {
        private final BusyDayCheck check;
        private final DayInPieces.Forwards windows;
        private final Map<String, Line> waiting = new HashMap<>();
        /** The highest seq a line read so far names. */
        private long namedThrough = Long.MIN_VALUE;
        private boolean ended;
        /** Whether a line was read after the last file: a line no file claims. */
        private boolean unclaimed;
        private final boolean missing;
        /** Why the index is stale or was tampered with (null while every line read holds). */
        private TrailIndex.Parsed failed;

        private IndexLines(BusyDayCheck check, DayInPieces.Forwards windows) {
            this.check = check;
            this.windows = windows;
            this.missing = windows == null;
            this.ended = windows == null;
        }

        /** The stored index, ready to be read; with none (or none readable), one that holds no lines. */
        static IndexLines open(BusyDayCheck check) {
            Optional<InputStream> stream;
            try {
                stream = check.layout.storage.openStream(check.layout.indexKey(check.day));
            } catch (MlopsException unreadable) {
                stream = Optional.empty();
            }
            return new IndexLines(check, stream.map(in -> new DayInPieces.Forwards(in, null, check.windowBytes)).orElse(null));
        }

        /** Reads windows until a line names a seq past {@code seq}, the index ends or it fails. */
        void readThrough(long seq) {
            while (!ended && failed == null && namedThrough <= seq) {
                if (waiting.size() > MAX_WAITING_LINES) {
                    failed = TrailIndex.Parsed.STALE; // out of step with the files: compared no further
                    return;
                }
                readWindow(true);
            }
        }

        /** Reads the rest of the index, each line's seal checked; true when it holds lines no file claimed. */
        boolean drain() {
            while (!ended && failed == null) {
                readWindow(false);
            }
            return !waiting.isEmpty() || unclaimed;
        }

        private void readWindow(boolean claimable) {
            byte[] bytes;
            try {
                bytes = windows.next();
            } catch (IOException | MlopsException unreadable) {
                ended = true;
                failed = TrailIndex.Parsed.STALE; // not read to its end: not compared further, and dropped
                return;
            }
            if (bytes == null) {
                ended = true;
                if (!windows.whole()) {
                    failed = TrailIndex.Parsed.STALE; // cut short by a crash while appending
                }
                return;
            }
            TrailIndex.Lines read = new TrailIndex.Lines(TrailIndex.Reading.COPIES, 1024, event -> true, null);
            TrailIndex.Parsed why = check.index.parseWindow(check.day, bytes, read);
            if (why != null) {
                failed = why;
                return;
            }
            for (IntegrityProblem malformed : read.unreadable) {
                check.unreadableLines++;
                String name = malformed.file().getFileName().toString();
                hold(name, new Line(read.stamps.get(name), null, 0, 0), claimable);
            }
            for (Map.Entry<String, TrailIndex.Slice> copy : read.copies.entrySet()) {
                TrailIndex.Slice at = copy.getValue();
                hold(copy.getKey(), new Line(read.stamps.get(copy.getKey()), bytes, at.start(), at.end()), claimable);
            }
        }

        /** Keeps a line until its file claims it; past the files, only that there is one counts. */
        private void hold(String name, Line line, boolean claimable) {
            if (!claimable) {
                unclaimed = true;
                return;
            }
            namedThrough = Math.max(namedThrough, TrailLayout.seqFromName(name));
            if (waiting.put(name, line) != null) {
                failed = TrailIndex.Parsed.STALE; // a file indexed twice
            }
        }

        /** The line of file {@code name}, let go here; null when none is waiting. */
        Line take(String name) {
            return waiting.remove(name);
        }

        /** Lets go the lines of seqs before {@code seq}, whose files have all been read; true when there were any. */
        boolean dropBefore(long seq) {
            boolean dropped = false;
            for (Iterator<String> names = waiting.keySet().iterator(); names.hasNext(); ) {
                if (TrailLayout.seqFromName(names.next()) < seq) {
                    names.remove();
                    dropped = true;
                }
            }
            return dropped;
        }

        @Override
        public void close() throws IOException {
            if (windows != null) {
                windows.close();
            }
        }
    }
}
