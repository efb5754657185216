package neural.mlops.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.UtcTime;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.ConditionFailedException;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Optimistic;
import neural.mlops.store.storage.StoredObject;
import neural.mlops.store.storage.Version;

/**
 * The write side of the trail: chained appends, each durable before it returns, serialised across
 * threads and processes, fail-closed. Written once against the trail's {@code Storage}: a folder
 * or a bucket.
 *
 * <p><b>Claims.</b> An append is one read-modify-write of the chain: read head.json (and adopt
 * events found beyond it), build the next events on it, create each event object create-only
 * (the claim of its seq: of two writers that computed the same key exactly one wins), then replace
 * head.json on the version read. On a folder the whole attempt runs under the trail's lock file,
 * as before; on S3 under the storage's critical section, and it is correct with conditional writes
 * alone: a writer whose head replace fails removes its events unless the head came to chain
 * through them (another appender adopted them), and redoes the attempt from fresh reads
 * ({@link Optimistic#retry}), so no two events of the chain share a seq and the chain never forks.
 * A create refused because the object already holds exactly this writer's bytes (a request the
 * client retried after its first attempt succeeded) is recognised as its own claim.
 *
 * <p><b>Group commit.</b> Threads of one process that append at the same time share the work:
 * the first becomes the leader and commits every record queued so far (its own first) as
 * consecutive events, with one hint and one head write. Each caller returns only when its own
 * events are durable, and gets an error when they are not. A batch is all or nothing; when it
 * fails, each caller's records are tried again on their own, so one caller's failure is not
 * another's. When the leader is done it hands over to the next waiting caller.
 *
 * <p><b>Order of writes</b> for a batch after seq N: the hint naming the events (advisory), the
 * event objects, the digests of days the chain has left (with a key), then head.json, then the
 * index lines (derived, best effort). A writer that dies after the events and before the head
 * leaves events that head.json does not yet count; the next append adopts them when they chain to
 * the head, so a seq is never given twice. They are found without listing the trail through the
 * hint, and the first append of each logger, which covers a hint lost with its writer, lists the
 * day folders from the head's day on.
 */
final class AppendLog {

    /** Enough to amortise the flushes; small enough that a batch's hint and index lines stay small. */
    static final int MAX_BATCH = 256;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static volatile String hostName;

    private final TrailLayout layout;
    private final Clock clock;
    private final AuditKey key;
    /** How deep the current thread is in the trail's lock through this log (a report records itself inside it). */
    private final ThreadLocal<Integer> lockDepth = ThreadLocal.withInitial(() -> 0);
    private final TrailIndex index;
    private boolean listedForStrays;
    private byte[] salt;

    private final ReentrantLock queueLock = new ReentrantLock();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** True while a leader commits or has been chosen; guarded by queueLock. */
    private boolean committing;

    AppendLog(TrailLayout layout, Clock clock, AuditKey key) {
        this.layout = layout;
        this.clock = clock;
        this.key = key;
        this.index = new TrailIndex(layout, key);
    }

    /** Appends the record as the next event of the chain, durably; throws, having written no event, when it cannot. */
    AuditEvent append(AuditRecord record) {
        return appendAll(List.of(record)).get(0);
    }

    /**
     * Appends the records as consecutive events, all durably or none; throws, having written no
     * event, when they cannot be. The records are checked against the limits before anything waits.
     */
    List<AuditEvent> appendAll(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        List<Fields> fields = new ArrayList<>(records.size());
        for (AuditRecord record : records) {
            fields.add(Fields.of(record));
        }
        Pending mine = new Pending(fields);
        if (lockDepth.get() > 0) {
            // Already inside the trail's lock (a report records itself while holding it): a leader that
            // queued before us would wait for that lock forever, so commit at once, alone.
            commit(List.of(mine));
            return mine.result();
        }
        boolean lead;
        queueLock.lock();
        try {
            queue.add(mine);
            lead = !committing;
            committing = true;
        } finally {
            queueLock.unlock();
        }
        if (!lead) {
            mine.awaitTurn();
        }
        if (!mine.done()) {
            lead();
        }
        return mine.result();
    }

    /** Commits what is queued (the leader's own records first), then hands over to the next caller waiting. */
    private void lead() {
        List<Pending> batch = new ArrayList<>();
        queueLock.lock();
        try {
            int events = 0;
            while (!queue.isEmpty() && (batch.isEmpty() || events + queue.peek().fields().size() <= MAX_BATCH)) {
                Pending next = queue.poll();
                batch.add(next);
                events += next.fields().size();
            }
        } finally {
            queueLock.unlock();
        }
        try {
            commit(batch);
        } finally {
            Pending successor;
            queueLock.lock();
            try {
                successor = queue.peek();
                committing = successor != null;
            } finally {
                queueLock.unlock();
            }
            if (successor != null) {
                successor.promote();
            }
        }
    }

    /** Commits the batch; every caller in it is told its outcome, whatever happens. */
    private void commit(List<Pending> batch) {
        try {
            commitTogether(batch);
        } catch (EventsLeftBehind e) {
            batch.forEach(pending -> pending.fail(e.getCause()));
        } catch (RuntimeException | Error e) {
            if (batch.size() == 1) {
                batch.get(0).fail(e);
                return;
            }
            // Nothing of the batch was kept: on their own, each caller gets the outcome of its own records.
            for (Pending pending : batch) {
                try {
                    commitTogether(List.of(pending));
                } catch (EventsLeftBehind left) {
                    pending.fail(left.getCause());
                } catch (RuntimeException | Error alone) {
                    pending.fail(alone);
                }
            }
        } finally {
            for (Pending pending : batch) {
                if (!pending.done()) {
                    pending.fail(new MlopsException("The audit event was not written; see the error of another append"));
                }
            }
        }
    }

    /**
     * Writes the batch's events, all or none (unless undoing fails: {@link EventsLeftBehind}), as
     * one read-modify-write of the chain under the trail's lock, redone from fresh reads when
     * another writer claimed a seq or moved the head first.
     */
    private void commitTogether(List<Pending> batch) {
        // The index lines are added inside the section too: concurrent appenders then keep the day's index whole.
        Written written = Optimistic.retry("append to the audit trail " + layout.root, () -> locked(() -> {
            Written attempted = attempt(batch);
            index.appendLines(attempted.linesByDay(), attempted.stamps(), attempted.daysBegun());
            return attempted;
        }));
        int next = 0;
        for (Pending pending : batch) {
            pending.complete(List.copyOf(written.events().subList(next, next + pending.fields().size())));
            next += pending.fields().size();
        }
    }

    /** Runs {@code body} holding the trail's lock (a folder's lock file; on S3 the storage's critical section). */
    <T> T locked(Supplier<T> body) {
        lockDepth.set(lockDepth.get() + 1);
        try {
            return layout.storage.exclusively(TrailLayout.LOCK_KEY, body);
        } finally {
            lockDepth.set(lockDepth.get() - 1);
        }
    }

    /**
     * The events of a batch as written: their keys, bytes, versions and parsed form, and the days
     * whose first events of the chain they are.
     */
    private record Written(List<Key> keys, List<byte[]> contents, List<Version> versions, List<AuditEvent> events,
                           Set<LocalDate> daysBegun) {

        /** Each day's draft index lines, from the bytes as a reader of the objects will parse them. */
        Map<LocalDate, List<byte[]>> linesByDay() {
            Map<LocalDate, List<byte[]>> lines = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                try {
                    ObjectNode asStored = (ObjectNode) Json.mapper().readTree(contents.get(i));
                    LocalDate day = TrailLayout.day(EventJson.timestamp(asStored, java.time.ZoneOffset.UTC));
                    lines.computeIfAbsent(day, d -> new ArrayList<>()).add(TrailIndex.line(keys.get(i).fileName(), asStored));
                } catch (IOException | RuntimeException e) {
                    return Map.of(); // the events are written; their days' indexes are rebuilt when read
                }
            }
            return lines;
        }

        /** What each object was written as, by file name, so that indexing them needs no stat. */
        Map<String, TrailIndex.Stamp> stamps() {
            Map<String, TrailIndex.Stamp> stamps = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                stamps.put(keys.get(i).fileName(), new TrailIndex.Stamp(contents.get(i).length, versions.get(i).token()));
            }
            return stamps;
        }
    }

    /**
     * One attempt: the head (with events found beyond it adopted), the batch's events built on it,
     * each seq claimed by creating its event object (create-only: of two writers that computed the
     * same seq in the same second exactly one wins), the digests of the days the chain leaves, then
     * head.json replaced on the version read. The head is what decides between writers: the events of
     * a writer whose replace fails are removed again unless the head has come to chain through them
     * (another appender adopted them), and the attempt is redone from fresh reads.
     */
    private Written attempt(List<Pending> batch) {
        Head.Versioned start = headForAppend();
        Head head = start.head();
        List<Key> keys = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        List<AuditEvent> events = new ArrayList<>();
        List<DayDigest> finishedDays = new ArrayList<>();
        Set<LocalDate> daysBegun = new HashSet<>();
        for (Pending pending : batch) {
            for (Fields fields : pending.fields()) {
                ObjectNode details = Sanitizer.redact(fields.details(), redactionKey());
                Instant now = UtcTime.now(clock);
                // The seq is the order; a clock set back must not make the trail run backwards in time.
                Instant timestamp = head.lastTimestamp() != null && head.lastTimestamp().isAfter(now)
                        ? head.lastTimestamp() : now;
                long seq = head.lastSeq() + 1;
                Key key = layout.eventKey(timestamp, seq);
                ObjectNode document = document(fields, details, timestamp, seq, head.lastHash(), key.fileName(), host());
                AuditEvent event = EventJson.fromJson(document);
                DayDigest finished = finishedDay(head, timestamp);
                if (finished != null) {
                    finishedDays.add(finished);
                }
                if (!head.continuesDay(timestamp)) {
                    daysBegun.add(TrailLayout.day(timestamp));
                }
                keys.add(key);
                contents.add(bytes(document));
                events.add(event);
                head = head.advance(event, TrailLayout.relative(key));
            }
        }
        writeHint(keys, events);
        List<Version> created = new ArrayList<>();
        try {
            claim(keys, contents, created);
            for (DayDigest digest : finishedDays) {
                layout.storage.write(layout.digestKey(digest.day()), bytes(digest.toSignedJson(key, UtcTime.now(clock))),
                        Condition.none());
            }
            advanceHead(start, head, keys, events, created);
        } catch (ConditionFailedException lost) {
            throw lost;
        } catch (RuntimeException failed) {
            // All or nothing for the callers: events they are told failed must not stay in the trail.
            undo(keys, created, failed);
            throw failed;
        }
        return new Written(keys, contents, created, events, daysBegun);
    }

    /**
     * Creates the batch's event objects, all together (on a folder: flushed in parallel, each day
     * folder once), adding their versions to {@code created}. When one is in the way and holds
     * another writer's bytes, none of this batch's stays and the failure is thrown; when it holds
     * exactly these bytes (a retried request whose first attempt had written it, on a bucket), they
     * are created one by one, that one counted as created.
     */
    private void claim(List<Key> keys, List<byte[]> contents, List<Version> created) {
        try {
            created.addAll(layout.storage.createEach(keys, contents));
            return;
        } catch (ConditionFailedException taken) {
            int inTheWay = keys.indexOf(taken.key());
            if (inTheWay < 0 || ownClaim(keys.get(inTheWay), contents.get(inTheWay)).isEmpty()) {
                listedForStrays = false; // the object in the way may be a stray no hint names: list next time
                throw taken;
            }
        } catch (RuntimeException failed) {
            created.addAll(leftBehind(keys, contents)); // for the caller's undo, which says when they stay
            throw failed;
        }
        for (int i = 0; i < keys.size(); i++) {
            try {
                created.add(layout.storage.create(keys.get(i), contents.get(i)));
            } catch (ConditionFailedException taken) {
                Optional<Version> mine = ownClaim(keys.get(i), contents.get(i));
                if (mine.isEmpty()) {
                    undo(keys, created, taken);
                    listedForStrays = false;
                    throw taken;
                }
                created.add(mine.get());
            }
        }
    }

    /** The versions of the first of the batch's events that a failed createEach could not remove again. */
    private List<Version> leftBehind(List<Key> keys, List<byte[]> contents) {
        List<Version> left = new ArrayList<>();
        try {
            for (int i = 0; i < keys.size(); i++) {
                Optional<Version> mine = ownClaim(keys.get(i), contents.get(i));
                if (mine.isEmpty()) {
                    break;
                }
                left.add(mine.get());
            }
        } catch (RuntimeException unreadable) {
            // What cannot be read cannot be removed either; the next append adopts what chains to its head.
        }
        return left;
    }

    /** The version of the object at {@code key} when it holds exactly {@code content}: this writer's own claim. */
    private Optional<Version> ownClaim(Key key, byte[] content) {
        return layout.read(key, Json.MAX_DOCUMENT_BYTES)
                .filter(document -> Arrays.equals(document.content(), content))
                .map(Document::version);
    }

    /**
     * Replaces head.json on the version read at the start of the attempt (creates it for a new
     * trail). When another writer moved it first: done if the head now chains through this batch's
     * last event (it adopted them), carried on from there if it adopted only some of them, else the
     * batch lost its seqs: its events are removed and the attempt is redone.
     */
    private void advanceHead(Head.Versioned start, Head head, List<Key> keys, List<AuditEvent> events,
                             List<Version> created) {
        byte[] content = bytes(head.toJson(UtcTime.now(clock), key));
        Version expected = start.version();
        while (true) {
            try {
                if (expected == null) {
                    layout.storage.create(TrailLayout.HEAD_KEY, content);
                } else {
                    layout.storage.replace(TrailLayout.HEAD_KEY, content, expected);
                }
                return;
            } catch (ConditionFailedException moved) {
                Head.Versioned now = Head.readVersioned(layout);
                int ours = now == null ? -1 : namedByHead(now.head(), keys, events);
                AuditEvent last = events.get(events.size() - 1);
                if (ours == events.size() - 1) {
                    return;
                }
                if (ours >= 0) {
                    expected = now.version();
                    continue;
                }
                if (now != null && now.head().lastSeq() > last.seq() && chainsThrough(keys.get(keys.size() - 1), last,
                        now.head())) {
                    return;
                }
                undo(keys, created, moved);
                throw moved;
            }
        }
    }

    /** The index of the batch's event head.json names (key and hash), or -1. */
    private static int namedByHead(Head head, List<Key> keys, List<AuditEvent> events) {
        for (int i = 0; i < keys.size(); i++) {
            if (TrailLayout.relative(keys.get(i)).equals(head.lastEvent()) && events.get(i).hash().equals(head.lastHash())
                    && events.get(i).seq() == head.lastSeq()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * True when an event of the seq after {@code event}'s links to it: the chain went on from this
     * writer's event (only a writer that found it at the head can have linked to it).
     */
    private boolean chainsThrough(Key key, AuditEvent event, Head head) {
        LocalDate from = TrailLayout.day(event.timestamp());
        LocalDate to = head.day() == null || head.day().isBefore(from) ? from : head.day();
        for (LocalDate day : layout.days(from, to, false)) {
            for (StoredObject object : layout.eventObjects(day)) {
                if (TrailLayout.seqFromName(object.key().fileName()) != event.seq() + 1 || object.key().equals(key)) {
                    continue;
                }
                try {
                    Optional<ObjectNode> next = layout.readObject(object.key());
                    if (next.isPresent() && event.hash().equals(EventJson.text(next.get(), "prev_hash"))) {
                        return true;
                    }
                } catch (RuntimeException unreadable) {
                    // Not a link to anything.
                }
            }
        }
        return false;
    }

    /**
     * Removes the batch's event objects this attempt created, newest first, each only as written
     * (never an object someone rewrote since); when one cannot be removed the failure says so.
     */
    private void undo(List<Key> keys, List<Version> created, RuntimeException failed) {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                layout.storage.delete(keys.get(i), Condition.matches(created.get(i)));
            } catch (RuntimeException stays) {
                failed.addSuppressed(stays); // it chains to the head, so the next append adopts it
                throw new EventsLeftBehind(failed);
            }
        }
    }

    /**
     * head.json as the next append starts from, with the events found beyond it adopted; created
     * (empty, seq 0) for a new trail.
     */
    private Head.Versioned headForAppend() {
        Head.Versioned versioned;
        try {
            versioned = Head.readVersioned(layout);
        } catch (CorruptDocumentException unreadable) {
            if (key != null) {
                throw refuse("head.json is unreadable (" + unreadable.getMessage() + ")");
            }
            // Without a key it is rebuilt from the events, replacing the damaged one as it was read.
            listedForStrays = true;
            return recoverHead(layout.storage.stat(TrailLayout.HEAD_KEY).map(StoredObject::version).orElse(null));
        }
        if (versioned == null) {
            listedForStrays = true;
            return recoverHead(null);
        }
        checkSignature(versioned.head());
        boolean listDays = !listedForStrays;
        listedForStrays = true;
        for (Key stray : listDays ? straysAfter(versioned.head()) : strayFromHint(versioned.head())) {
            versioned = adopt(versioned, stray);
        }
        return versioned;
    }

    private void checkSignature(Head head) {
        if (head.keyId() == null && !head.signed()) {
            return; // unsigned so far: with a key, signing starts at this append
        }
        if (key == null) {
            throw new MlopsException("The audit trail " + layout.root + " is signed; appending needs its key: set "
                    + AuditKey.ENVIRONMENT_VARIABLE + " or put " + AuditKey.FILE_NAME + " in your configuration folder");
        }
        if (!key.id().equals(head.keyId())) {
            throw new MlopsException("The audit trail " + layout.root + " is signed with another key (id " + head.keyId()
                    + ", yours is " + key.id() + "); use the key that signed it");
        }
        if (!Head.signatureValid(head.raw(), key)) {
            throw refuse("the signature of head.json does not match its content");
        }
    }

    /**
     * head.json is missing: a new trail, or one written by a tool that does not chain, starts at
     * seq 1; otherwise the head is rebuilt from the newest day that holds chained events, without
     * a key only, because re-signing an unknown state could launder a truncated trail. The head is
     * written over {@code damaged} (the version of an unreadable head.json), or created.
     */
    private Head.Versioned recoverHead(Version damaged) {
        for (LocalDate day : layout.days(null, null, true)) {
            List<StoredEvent> chained = StoredEvent.readDay(layout, day, problem -> { }).stream()
                    .filter(stored -> stored.event().chained()).toList();
            if (chained.isEmpty()) {
                continue;
            }
            if (key != null) {
                throw refuse("head.json is missing while the trail holds chained events");
            }
            StoredEvent last = chained.stream().max(Comparator.comparingLong(stored -> stored.event().seq())).orElseThrow();
            long firstOfDay = chained.stream().mapToLong(stored -> stored.event().seq()).min().orElseThrow();
            Head recovered = new Head(last.event().seq(), last.event().hash(), last.event().timestamp(),
                    layout.relative(last.file()), firstOfDay, 0, null, null, null);
            Head.Versioned versioned = new Head.Versioned(recovered, writeHead(recovered, damaged));
            for (Key stray : straysAfter(recovered)) {
                versioned = adopt(versioned, stray);
            }
            return versioned;
        }
        // Written before the first event, so that a crash during it is never taken for a deleted head.
        Head initial = new Head(0, null, UtcTime.now(clock), null, 0, 0, null, null, null);
        return new Head.Versioned(initial, writeHead(initial, damaged));
    }

    /** Event objects whose name says a seq after the head's, in the head's day folder and later ones. */
    private List<Key> straysAfter(Head head) {
        List<Key> strays = new ArrayList<>();
        for (LocalDate day : layout.days(head.day(), null, false)) {
            for (StoredObject object : layout.eventObjects(day)) {
                if (TrailLayout.seqFromName(object.key().fileName()) > head.lastSeq()) {
                    strays.add(object.key());
                }
            }
        }
        strays.sort(Comparator.comparingLong((Key stray) -> TrailLayout.seqFromName(stray.fileName())));
        return strays;
    }

    /** The events the last writer's hint names right after the head that exist: those it wrote before dying. */
    private List<Key> strayFromHint(Head head) {
        try {
            Optional<byte[]> read = readHint();
            if (read.isEmpty()) {
                return List.of();
            }
            JsonNode hint = Json.mapper().readTree(read.get());
            if (hint == null || !hint.isObject()) {
                return straysAfter(head); // empty or cut short, as a power cut can leave it (it is not flushed)
            }
            List<Key> strays = new ArrayList<>();
            long expected = head.lastSeq() + 1;
            for (JsonNode entry : hintEntries(hint)) {
                if (entry.path("seq").asLong() < expected) {
                    continue;
                }
                Key stray = layout.resolveRelative(entry.path("event").asText());
                if (entry.path("seq").asLong() != expected || layout.storage.stat(stray).isEmpty()) {
                    break;
                }
                strays.add(stray);
                expected++;
            }
            return strays;
        } catch (IOException | RuntimeException unreadableHint) {
            return straysAfter(head);
        }
    }

    /** The hint's entries: its batch when it names several events, else itself. */
    private static List<JsonNode> hintEntries(JsonNode hint) {
        List<JsonNode> entries = new ArrayList<>();
        JsonNode batch = hint.get("batch");
        if (batch != null && batch.isArray()) {
            batch.forEach(entries::add);
        } else {
            entries.add(hint);
        }
        return entries;
    }

    /**
     * Makes a stray event the new head when it is the next link of the chain (head.json replaced on
     * the version read, so that of two appenders adopting it one does and the other reads again);
     * refuses to go on otherwise. An unchained event (the original module's) is passed over.
     */
    private Head.Versioned adopt(Head.Versioned versioned, Key stray) {
        Head head = versioned.head();
        Path file = layout.display(stray);
        StoredEvent found;
        try {
            Optional<ObjectNode> raw = layout.readObject(stray);
            if (raw.isEmpty()) {
                throw new ConditionFailedException(stray, stray + " was removed since it was listed; read again");
            }
            found = new StoredEvent(file, raw.get(), EventJson.fromJson(raw.get(), layout.naiveZone));
        } catch (CorruptDocumentException | InvalidInputException | EventJson.MalformedEvent e) {
            throw refuse("the event file " + file + " after the head cannot be read (" + e.getMessage() + ")");
        }
        AuditEvent event = found.event();
        if (!event.chained()) {
            // The original module's event (SPEC 10), its per-process counter read as a seq: not a link of
            // ours, and not ours to refuse; verification reports it as unchained (or adopted).
            return versioned;
        }
        boolean chains = event.chained() && event.seq() == head.lastSeq() + 1
                && Objects.equals(event.prevHash(), head.lastHash())
                && event.hash().equals(Canonical.sha256HexWithout(found.raw(), EventJson.HASH))
                && (head.lastSeq() == 0 || head.lastTimestamp() == null || !event.timestamp().isBefore(head.lastTimestamp()));
        if (!chains) {
            throw refuse("the event file " + file + " claims seq " + TrailLayout.seqFromName(stray.fileName())
                    + " after the head (seq " + head.lastSeq() + ") but is not the next link of the chain");
        }
        if (key != null && !vouchedByHint(stray, event)) {
            // Only a writer holding the key leaves a signed hint: anything else must not be signed into the chain.
            throw refuse("the event file " + file + " after the signed head was not written by a holder of the key");
        }
        DayDigest finished = finishedDay(head, event.timestamp());
        if (finished != null) {
            writeDigest(finished);
        }
        Head adopted = head.advance(event, TrailLayout.relative(stray));
        return new Head.Versioned(adopted, writeHead(adopted, versioned.version()));
    }

    private boolean vouchedByHint(Key stray, AuditEvent event) {
        try {
            Optional<byte[]> read = readHint();
            if (read.isEmpty()) {
                return false;
            }
            ObjectNode hint = (ObjectNode) Json.mapper().readTree(read.get());
            if (!Head.signatureValid(hint, key)) {
                return false;
            }
            for (JsonNode entry : hintEntries(hint)) {
                if (entry.path("seq").asLong() == event.seq() && TrailLayout.relative(stray).equals(entry.path("event").asText())
                        && event.hash().equals(entry.path("hash").asText())) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /** With a key, when the chain moves on to a new day, the head's day is finished: the digest to sign, else null. */
    private DayDigest finishedDay(Head head, Instant next) {
        if (key == null || head.lastSeq() == 0 || head.day() == null || head.day().equals(TrailLayout.day(next))) {
            return null;
        }
        return new DayDigest(head.day(), Math.max(1, head.dayFirstSeq()), head.lastSeq(), head.lastHash());
    }

    private void writeDigest(DayDigest digest) {
        layout.storage.write(layout.digestKey(digest.day()), bytes(digest.toSignedJson(key, UtcTime.now(clock))),
                Condition.none());
    }

    /** Writes head.json on {@code expected} (null: it must not exist yet); returns its new version. */
    private Version writeHead(Head head, Version expected) {
        byte[] content = bytes(head.toJson(UtcTime.now(clock), key));
        return expected == null ? layout.storage.create(TrailLayout.HEAD_KEY, content)
                : layout.storage.replace(TrailLayout.HEAD_KEY, content, expected);
    }

    /**
     * The hint is advisory and rewritten on every append (unconditionally, as a derived object).
     * It names the batch's first event (as older versions read it) and, for several, all of them.
     */
    private void writeHint(List<Key> keys, List<AuditEvent> events) {
        ObjectNode hint = Json.mapper().createObjectNode();
        hint.put("seq", events.get(0).seq());
        hint.put("event", TrailLayout.relative(keys.get(0)));
        hint.put("hash", events.get(0).hash());
        if (keys.size() > 1) {
            ArrayNode batch = hint.putArray("batch");
            for (int i = 0; i < keys.size(); i++) {
                ObjectNode entry = batch.addObject();
                entry.put("seq", events.get(i).seq());
                entry.put("event", TrailLayout.relative(keys.get(i)));
                entry.put("hash", events.get(i).hash());
            }
        }
        if (key != null) {
            hint.put(Head.HMAC, key.sign(Canonical.bytes(hint)));
        }
        layout.storage.writeDerived(TrailLayout.INTENT_KEY, Canonical.bytes(hint), Condition.none());
    }

    /** The hint's bytes, empty when there is none; one that is not a regular file (a planted pipe) is never read. */
    private Optional<byte[]> readHint() {
        return layout.read(TrailLayout.INTENT_KEY, Json.MAX_DOCUMENT_BYTES).map(Document::content);
    }

    private MlopsException refuse(String problem) {
        return new CorruptDocumentException(layout.head, problem + "; appends are refused until it is resolved: run "
                + "'neural-mlops audit verify' and restore the trail from a backup");
    }

    /** The key hashing redacted secrets: the signing key when there is one, else the trail's own random salt. */
    byte[] redactionKey() {
        if (key != null) {
            return key.secretForRedaction();
        }
        if (salt == null) {
            salt = readOrCreateSalt();
        }
        return salt;
    }

    /** The trail's salt; created once, create-only, so that two first appenders end up with the same one. */
    private byte[] readOrCreateSalt() {
        Optional<ObjectNode> stored = layout.readObject(TrailLayout.SALT_KEY);
        if (stored.isPresent()) {
            String text = stored.get().path("salt").asText("");
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                decoded = new byte[0];
            }
            if (decoded.length < 16) {
                throw new CorruptDocumentException(layout.salt, "it holds no usable salt; restore it from a backup");
            }
            return decoded;
        }
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        ObjectNode document = Json.mapper().createObjectNode();
        document.put("salt", Base64.getEncoder().encodeToString(fresh));
        document.put("created_at", UtcTime.format(UtcTime.now(clock)));
        document.put("purpose", "keys the hashes of redacted secrets in audit events when no audit key is configured");
        try {
            layout.storage.create(TrailLayout.SALT_KEY, bytes(document));
        } catch (ConditionFailedException another) {
            return readOrCreateSalt(); // another writer's came first: use it
        }
        return fresh;
    }

    /** The chained document of an event stored under {@code fileName}, its hash computed over the rest. */
    static ObjectNode document(Fields fields, ObjectNode details, Instant timestamp, long seq, String prevHash,
                               String fileName, String host) {
        String name = fileName;
        AuditEvent unhashed = new AuditEvent(name.substring(0, name.length() - ".json".length()), seq, timestamp,
                fields.type(), fields.severity(), fields.user(), fields.resourceType(), fields.resourceId(), fields.action(),
                fields.outcome(), fields.reason(), Map.of(), fields.ipAddress(), host, prevHash, null, fields.tags());
        ObjectNode document = EventJson.toJson(unhashed);
        document.set("details", details);
        document.remove(EventJson.HASH);
        document.put(EventJson.HASH, Canonical.sha256Hex(document));
        return document;
    }

    /** The event file's bytes: the document pretty-printed, as every store writes its documents, and a newline. */
    static byte[] bytes(ObjectNode document) {
        try {
            return (Json.mapper().writeValueAsString(document) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new MlopsException("Could not serialise an audit event: " + e.getOriginalMessage(), e);
        }
    }

    /** This machine's name, looked up once (the lookup can be slow where DNS is). */
    static String host() {
        String known = hostName;
        if (known == null) {
            String name;
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                String fromEnvironment = System.getenv("HOSTNAME");
                name = fromEnvironment != null ? fromEnvironment : System.getenv().getOrDefault("COMPUTERNAME", "unknown");
            }
            known = Sanitizer.singleLine("host", name);
            hostName = known;
        }
        return known;
    }

    /** One caller's records waiting to be committed, and then its outcome. */
    private static final class Pending {
        private final List<Fields> fields;
        private List<AuditEvent> events;
        private Throwable failure;
        private boolean promoted;

        Pending(List<Fields> fields) {
            this.fields = fields;
        }

        List<Fields> fields() {
            return fields;
        }

        synchronized void complete(List<AuditEvent> written) {
            events = written;
            notifyAll();
        }

        synchronized void fail(Throwable error) {
            if (events == null && failure == null) {
                failure = error;
            }
            notifyAll();
        }

        /** Makes this caller the next leader. */
        synchronized void promote() {
            promoted = true;
            notifyAll();
        }

        synchronized boolean done() {
            return events != null || failure != null;
        }

        /**
         * Waits until a leader has committed these records or this caller is to lead. Not
         * interruptible: once queued, the records may be written at any moment, and the caller
         * must learn whether they were.
         */
        synchronized void awaitTurn() {
            boolean interrupted = false;
            while (events == null && failure == null && !promoted) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized List<AuditEvent> result() {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure != null) {
                throw new MlopsException("The audit event was not written: " + failure.getMessage(), failure);
            }
            return events;
        }
    }

    /** A failed batch whose events could not all be removed again: they stay, so it must not be retried. */
    private static final class EventsLeftBehind extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EventsLeftBehind(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** The record's fields, sanitised and checked against the limits before the lock is taken or anything written. */
    record Fields(EventType type, EventSeverity severity, String user, String resourceType, String resourceId,
                          String action, Outcome outcome, String reason, ObjectNode details, String ipAddress,
                          List<String> tags) {

        static Fields of(AuditRecord record) {
            String user = Sanitizer.singleLine("user", record.user());
            if (user == null || user.isBlank()) {
                throw new InvalidInputException("An audit event needs the acting user; none was given for "
                        + record.type().value());
            }
            return new Fields(record.type(), record.severity(), user,
                    Sanitizer.singleLine("resource type", record.resourceType()),
                    Sanitizer.singleLine("resource id", record.resourceId()),
                    Sanitizer.singleLine("action", record.action()),
                    record.outcome(),
                    Sanitizer.multiLine("reason", record.reason()),
                    Sanitizer.details(record.details()),
                    Sanitizer.singleLine("ip address", record.ipAddress()),
                    record.tags().stream().map(tag -> Sanitizer.singleLine("tag", tag)).toList());
        }
    }
}
