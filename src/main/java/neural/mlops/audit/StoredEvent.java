package neural.mlops.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.DaemonThreads;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.StoredObject;

/**
 * An event as read: its file, the document exactly as stored (null when it comes from the index,
 * which verification of links does not re-hash), and its parsed form. The file's path is made
 * only when asked for: a year's walk of the index would otherwise build a million paths.
 */
final class StoredEvent {

    /** Chain order within a day: by timestamp, then seq (timestamps are kept monotonic by the writer). */
    static final Comparator<StoredEvent> OLDEST_FIRST = StoredEvent::oldestFirst;

    /** Threads that read event files ahead of their parse ({@link #readDay}). */
    private static final ExecutorService FILE_READERS = DaemonThreads.pool("audit-file-reader", 8);
    /** Files one request to the file readers reads in turn: a hand-over per file cost more than a read from the page cache. */
    private static final int READ_BATCH = 8;
    /** Requests a day's reader keeps ahead of the file it parses: a read for each file reader, to keep a disk busy; a few KB a file. */
    private static final int READ_AHEAD = 8;

    private final Path folder;
    private final String fileName;
    private final ObjectNode raw;
    private final AuditEvent event;
    /** The SHA-256 of the file's bytes, for an unchained event read from its file (what an adoption records); else null. */
    private final String sha256;
    /** Whether the document matched its hash, decided before the document was dropped ({@link #hashed()}); else null. */
    private final Boolean contentMatches;
    private Path file;

    StoredEvent(Path file, ObjectNode raw, AuditEvent event) {
        this(file, raw, event, null);
    }

    private StoredEvent(Path file, ObjectNode raw, AuditEvent event, String sha256) {
        this.folder = file.getParent();
        this.fileName = file.getFileName().toString();
        this.file = file;
        this.raw = raw;
        this.event = event;
        this.sha256 = sha256;
        this.contentMatches = null;
    }

    private StoredEvent(Path folder, String fileName, AuditEvent event) {
        this(folder, fileName, event, null, null);
    }

    private StoredEvent(Path folder, String fileName, AuditEvent event, String sha256, Boolean contentMatches) {
        this.folder = folder;
        this.fileName = fileName;
        this.raw = null;
        this.event = event;
        this.sha256 = sha256;
        this.contentMatches = contentMatches;
    }

    /** As {@link #OLDEST_FIRST} orders them; written out, as a year's verify sorts a million events. */
    private static int oldestFirst(StoredEvent a, StoredEvent b) {
        int byTime = a.event().timestamp().compareTo(b.event().timestamp());
        if (byTime != 0) {
            return byTime;
        }
        int bySeq = Long.compare(a.event().seq(), b.event().seq());
        return bySeq != 0 ? bySeq : a.fileName().compareTo(b.fileName());
    }

    /** The index's copy of an event: every field but details, and no document. */
    static StoredEvent fromIndex(IndexedEvent indexed) {
        return new StoredEvent(indexed.folder(), indexed.fileName(), indexed.summary());
    }

    Path file() {
        if (file == null) {
            file = folder.resolve(fileName);
        }
        return file;
    }

    String fileName() {
        return fileName;
    }

    Path folder() {
        return folder;
    }

    /** The document as stored, or null when read from the index. */
    ObjectNode raw() {
        return raw;
    }

    AuditEvent event() {
        return event;
    }

    /**
     * This event with its content checked against its hash and its document dropped: what
     * verification keeps of a day read ahead, so that the days waiting for the chain's check hold
     * parsed events, not documents. Runs on a reading thread (the hashing is most of the work).
     */
    StoredEvent hashed() {
        if (raw == null) {
            return this;
        }
        boolean matches = true;
        if (event.chained()) {
            matches = Canonical.matchesHash(raw, event.hash());
        }
        return new StoredEvent(folder, fileName, event, sha256, matches);
    }

    /**
     * Whether the stored document matches the event's hash: decided by {@link #hashed()}, or now
     * from the document; null when neither is known (read from the index, which is not re-hashed).
     */
    Boolean contentMatches() {
        if (contentMatches != null || raw == null) {
            return contentMatches;
        }
        return hashed().contentMatches;
    }

    /** The SHA-256 of the file as read, when the event is unchained and was read from its file; else null. */
    String sha256() {
        return sha256;
    }

    /**
     * The readable events of one day, oldest first. A file that cannot be read as an event is
     * passed to {@code unreadable} as {@link ProblemKind#MALFORMED} and skipped, never fatal.
     */
    static List<StoredEvent> readDay(TrailLayout layout, LocalDate day, Consumer<IntegrityProblem> unreadable) {
        List<StoredEvent> events = eachOfDay(layout, day, unreadable, Function.identity());
        events.sort(OLDEST_FIRST);
        return events;
    }

    /**
     * What {@code keep} makes of each readable event of one day, in the order of the day folder's
     * listing, each made as its event is parsed so that no more than a few documents are held at
     * once. A file that cannot be read as an event is passed to {@code unreadable} as {@link
     * ProblemKind#MALFORMED} and skipped, never fatal.
     */
    static <T> List<T> eachOfDay(TrailLayout layout, LocalDate day, Consumer<IntegrityProblem> unreadable,
                                 Function<StoredEvent, T> keep) {
        return eachOf(layout, day, layout.eventObjects(day).stream().map(StoredObject::key).toList(), unreadable, keep);
    }

    /** As {@link #eachOfDay}, reading only the event objects of the day at {@code objects}, in their order. */
    static <T> List<T> eachOf(TrailLayout layout, LocalDate day, List<Key> objects,
                              Consumer<IntegrityProblem> unreadable, Function<StoredEvent, T> keep) {
        List<T> events = new ArrayList<>(objects.size());
        Path folder = layout.dayFolderPath(day);
        // The files are read a few dozen ahead on the file readers while this thread parses them in
        // order: a trail larger than memory is bound by the disk, which answers several reads at
        // once sooner than one at a time.
        Deque<Future<List<Fetched>>> ahead = new ArrayDeque<>();
        int requested = 0;
        try {
            for (int parsed = 0; parsed < objects.size(); ) {
                while (requested < objects.size() && ahead.size() < READ_AHEAD) {
                    List<Key> batch = objects.subList(requested, Math.min(objects.size(), requested + READ_BATCH));
                    requested += batch.size();
                    ahead.add(FILE_READERS.submit(() -> Fetched.each(layout, batch)));
                }
                for (Fetched fetched : done(ahead.remove())) {
                    Key key = objects.get(parsed++);
                    parse(layout, key, folder.resolve(key.fileName()), fetched, unreadable)
                            .ifPresent(stored -> events.add(keep.apply(stored)));
                }
            }
        } finally {
            ahead.forEach(reading -> reading.cancel(false));
        }
        return events;
    }

    /**
     * One event object, shown to the user as {@code file}; empty when it is gone or, reported to
     * {@code unreadable} as {@link ProblemKind#MALFORMED}, when it is not a readable event.
     */
    static Optional<StoredEvent> read(TrailLayout layout, Key key, Path file, Consumer<IntegrityProblem> unreadable) {
        return parse(layout, key, file, Fetched.of(layout, key), unreadable);
    }

    /** What reading one event object gave: its document (empty when gone), or what the read threw, rethrown by the parse. */
    private record Fetched(Optional<Document> document, RuntimeException failure) {

        /** Each of {@code objects} read in turn, in their order. */
        static List<Fetched> each(TrailLayout layout, List<Key> objects) {
            List<Fetched> fetched = new ArrayList<>(objects.size());
            objects.forEach(key -> fetched.add(of(layout, key)));
            return fetched;
        }

        static Fetched of(TrailLayout layout, Key key) {
            try {
                return new Fetched(layout.read(key, Json.MAX_DOCUMENT_BYTES), null);
            } catch (RuntimeException e) {
                return new Fetched(Optional.empty(), e);
            }
        }

        Optional<Document> get() {
            if (failure != null) {
                throw failure;
            }
            return document;
        }
    }

    private static Optional<StoredEvent> parse(TrailLayout layout, Key key, Path file, Fetched fetched,
                                               Consumer<IntegrityProblem> unreadable) {
        try {
            Optional<Document> document = fetched.get();
            if (document.isEmpty()) {
                return Optional.empty(); // removed since the listing: no longer part of the day
            }
            byte[] content = document.get().content();
            ObjectNode raw = layout.parseObject(key, content);
            AuditEvent event = EventJson.fromJson(raw, layout.naiveZone);
            // Only an unchained event needs the hash of its bytes: the chain vouches for the others.
            String sha256 = event.chained() ? null : HexFormat.of().formatHex(Canonical.sha256().digest(content));
            return Optional.of(new StoredEvent(file, raw, event, sha256));
        } catch (CorruptDocumentException | InvalidInputException | EventJson.MalformedEvent e) {
            String why = e instanceof CorruptDocumentException corrupt && corrupt.getMessage().startsWith(file.toString())
                    ? corrupt.getMessage().substring(file.toString().length()).replaceFirst("^ is ", "")
                    : e.getMessage();
            unreadable.accept(new IntegrityProblem(ProblemKind.MALFORMED, TrailLayout.seqFromName(file), file,
                    "not a readable audit event: " + why));
            return Optional.empty();
        }
    }

    /** The read's outcome, waiting for it; an interruption is kept for the caller and ends the read as a store error. */
    private static <T> T done(Future<T> reading) {
        try {
            return reading.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreIOException("Reading the audit trail was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("An event read failed outside its own handling", e.getCause());
        }
    }
}
