package neural.mlops.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import neural.mlops.store.ConflictException;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.StoreLock;
import neural.mlops.store.StorePaths;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.store.UtcTime;

/**
 * Starts a new trail with many events at once, for synthetic workspaces ({@code bench generate})
 * and imports: the same checks, redaction, documents, hash chain, index and signed day digests
 * as {@link AuditLogger}, and the trail's ledger ({@link TrailLedger}), at explicit times, but without
 * flushing each file. The trail's lock is
 * held from {@link #open} to {@link #finish}; head.json is written last, flushed, so a trail whose
 * writing was interrupted has no head and is not mistaken for a finished one. It writes a local
 * folder directly (unflushed files, several at once: a million events in seconds); a trail in a
 * bucket is filled by copying a folder written this way key by key.
 *
 * <p>Not for recording actions: an event is durable only once {@link #finish} has returned.
 *
 * <pre>{@code
 * try (BulkAppender bulk = BulkAppender.open(Path.of("audit_logs"), Optional.empty())) {
 *     bulk.append(record, Instant.parse("2024-01-15T12:00:00Z"), "build-01");
 *     bulk.finish();
 * }
 * }</pre>
 */
public final class BulkAppender implements AutoCloseable {

    /** Events waiting to be written; bounds the memory while the writer thread catches up. */
    private static final int WRITE_AHEAD = 4096;

    private final TrailLayout layout;
    private final AuditKey key;
    private final Clock clock;
    private final StoreLock.Held held;
    private final AppendLog log;
    private final TrailIndex index;
    /** Creating files mostly waits on the file system, so several writers keep it busy; order does not matter before the head. */
    private static final int WRITERS = 4;

    private final ExecutorService writer = Executors.newFixedThreadPool(WRITERS, runnable -> {
        Thread thread = new Thread(runnable, "bulk-audit-writer");
        thread.setDaemon(true);
        return thread;
    });
    private final Semaphore ahead = new Semaphore(WRITE_AHEAD);
    private volatile RuntimeException writeFailure;

    private Head head = Head.EMPTY;
    /** The adoptions and checkpoints among the events, written as index/ledger.json so that no reader rebuilds it. */
    private final TrailLedger ledger = new TrailLedger();
    private LocalDate day;
    private Path dayFolder;
    private List<byte[]> dayLines = new ArrayList<>();
    private List<String> dayNames = new ArrayList<>();
    private boolean finished;

    private BulkAppender(TrailLayout layout, AuditKey key, Clock clock, StoreLock.Held held) {
        this.layout = layout;
        this.key = key;
        this.clock = clock;
        this.held = held;
        this.log = new AppendLog(layout, clock, key);
        this.index = new TrailIndex(layout, key);
    }

    /**
     * Opens the trail at {@code root} (created when missing) for bulk writing, signed with {@code key}
     * when given. The trail must hold no event yet: a bulk writer starts trails, it does not extend them.
     */
    public static BulkAppender open(Path root, Optional<AuditKey> key) {
        TrailLayout layout = new TrailLayout(new LocalStorage(root));
        StoreLock.Held held = new StoreLock(layout.root, layout.root.resolve(TrailLayout.LOCK), StoreLock.DEFAULT_TIMEOUT)
                .acquire();
        try {
            Head existing;
            try {
                existing = Head.read(layout);
            } catch (CorruptDocumentException e) {
                existing = null;
            }
            if ((existing != null && existing.lastSeq() > 0) || !layout.days(null, null, false).isEmpty()) {
                throw new ConflictException("The audit trail " + layout.root + " already holds events; bulk writing "
                        + "starts new trails only: choose an empty folder");
            }
            return new BulkAppender(layout, key.orElse(null), Clock.systemUTC(), held);
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /**
     * Appends the record as the next event at {@code timestamp} (kept no earlier than the previous
     * event's), recorded as written on {@code host}. The record is checked and its secrets redacted
     * exactly as {@link AuditLogger#logEvent(AuditRecord)} does.
     */
    public AuditEvent append(AuditRecord record, Instant timestamp, String host) {
        if (finished) {
            throw new IllegalStateException("The bulk writer has finished");
        }
        rethrowWriteFailure();
        AppendLog.Fields fields = AppendLog.Fields.of(record);
        String machine = Sanitizer.singleLine("host", host);
        ObjectNode details = Sanitizer.redact(fields.details(), log.redactionKey());
        Instant micros = timestamp.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Instant at = head.lastTimestamp() != null && head.lastTimestamp().isAfter(micros) ? head.lastTimestamp() : micros;
        LocalDate eventDay = TrailLayout.day(at);
        if (!eventDay.equals(day)) {
            finishDay(false);
            startDay(eventDay);
        }
        long seq = head.lastSeq() + 1;
        String fileName = TrailLayout.eventFileName(at, seq);
        ObjectNode document = AppendLog.document(fields, details, at, seq, head.lastHash(), fileName, machine);
        byte[] bytes = AppendLog.bytes(document);
        AuditEvent event = EventJson.fromJson(document);
        try {
            // The index holds the document as a reader of the file parses it (numbers as read back).
            dayLines.add(TrailIndex.line(fileName, (ObjectNode) Json.mapper().readTree(bytes)));
            dayNames.add(fileName);
        } catch (IOException e) {
            throw new MlopsException("Could not re-read the event just built: " + e.getMessage(), e);
        }
        Path file = dayFolder.resolve(fileName);
        submit(() -> {
            try {
                Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw StoreIOException.of("write", file, e);
            }
        });
        head = head.advance(event, layout.relative(file));
        ledger.add(event);
        return event;
    }

    /**
     * Writes what remains (the last day's index and digest), waits for every file, then writes
     * head.json, flushed, and releases the lock. Returns the head of the new chain.
     */
    public ChainHead finish() {
        if (finished) {
            throw new IllegalStateException("The bulk writer has finished");
        }
        finishDay(true);
        drain();
        rethrowWriteFailure();
        if (head.lastSeq() > 0) {
            // Without it the first report or period check would read every day's index to rebuild it.
            TrailLedger.Stored.write(layout, key, ledger, head.lastSeq(), day);
            Head last = key == null ? head : new Head(head.lastSeq(), head.lastHash(), head.lastTimestamp(),
                    head.lastEvent(), head.dayFirstSeq(), 1, null, null, null);
            Json.writeAtomically(StorePaths.forWrite(layout.root, TrailLayout.HEAD), last.toJson(UtcTime.now(clock), key));
        }
        finished = true;
        held.close();
        return new ChainHead(head.lastSeq(), head.lastHash(), head.lastTimestamp());
    }

    /** Releases the lock; without {@link #finish} the trail has no head and must be discarded. */
    @Override
    public void close() {
        writer.shutdownNow();
        if (!finished) {
            finished = true;
            held.close();
        }
    }

    private void startDay(LocalDate newDay) {
        Path folder = StorePaths.forWrite(layout.root, TrailLayout.EVENTS, String.format("%04d", newDay.getYear()),
                String.format("%02d", newDay.getMonthValue()), String.format("%02d", newDay.getDayOfMonth()));
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw StoreIOException.of("create", folder, e);
        }
        day = newDay;
        dayFolder = folder;
        dayLines = new ArrayList<>();
        dayNames = new ArrayList<>();
    }

    /**
     * The finished day's index and summary, once the day's files are written (the index records
     * each file's size and time), and with a key its signed
     * digest, unless it is the head's day, which head.json's signature covers until the chain moves on.
     */
    private void finishDay(boolean headsDay) {
        if (day == null || dayLines.isEmpty()) {
            return;
        }
        LocalDate finishedDay = day;
        List<byte[]> lines = dayLines;
        List<String> names = dayNames;
        Head atEnd = head;
        // The index records each file's size and time: wait for the day's files to be on disk first.
        ahead.acquireUninterruptibly(WRITE_AHEAD);
        ahead.release(WRITE_AHEAD);
        submit(() -> index.write(finishedDay, lines, names));
        if (key != null && !headsDay) {
            DayDigest digest = new DayDigest(finishedDay, Math.max(1, atEnd.dayFirstSeq()), atEnd.lastSeq(), atEnd.lastHash());
            ObjectNode signed = digest.toSignedJson(key, UtcTime.now(clock));
            submit(() -> layout.storage.write(layout.digestKey(finishedDay), AppendLog.bytes(signed), Condition.none()));
        }
        dayLines = new ArrayList<>();
        dayNames = new ArrayList<>();
    }

    private void submit(Runnable write) {
        ahead.acquireUninterruptibly();
        writer.execute(() -> {
            try {
                if (writeFailure == null) {
                    write.run();
                }
            } catch (RuntimeException e) {
                writeFailure = e;
            } finally {
                ahead.release();
            }
        });
    }

    private void drain() {
        ahead.acquireUninterruptibly(WRITE_AHEAD);
        ahead.release(WRITE_AHEAD);
        writer.shutdown();
        try {
            writer.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void rethrowWriteFailure() {
        RuntimeException failure = writeFailure;
        if (failure != null) {
            throw failure;
        }
    }
}
