package neural.mlops.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.ConflictException;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.StoreFiles;
import neural.mlops.store.StoreLock;
import neural.mlops.store.StorePaths;
import neural.mlops.store.UtcTime;

/**
 * The write side of the trail: durable, chained appends, serialised across threads and processes
 * (the {@link StoreLock} on {@code .audit.lock}), fail-closed.
 *
 * <p><b>Group commit.</b> Threads of one process that append at the same time share the waits for
 * the disk: the first becomes the leader, takes the lock, and commits every record queued so far
 * (its own first) as consecutive events: their files are flushed together, then renamed in seq
 * order, their folder flushed once, and head.json written once. Each caller returns only when its
 * own events are durable, and gets an error when they are not. A batch is all or nothing; when it
 * fails, each caller's records are tried again on their own, so one caller's failure is not
 * another's. When the leader is done it hands over to the next waiting caller, so that no caller
 * commits for others forever.
 *
 * <p>Order of writes for a batch after seq N: the event files, then the digests of days the chain
 * has left (with a key), then head.json, then the index lines (derived, best effort). A writer
 * that dies after the events and before the head leaves events that head.json does not yet count;
 * the next append adopts them when they chain to the head, so a seq is never given twice. They are
 * found without listing the trail: each writer first leaves an unflushed hint naming the files it
 * is about to write (a process crash keeps it in the page cache), and the first append of each
 * logger, which covers a power cut, lists the day folders from the head's day on.
 */
final class AppendLog {

    /** Enough to amortise the flushes; small enough that a batch's hint and index lines stay small. */
    static final int MAX_BATCH = 256;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static volatile String hostName;

    private final TrailLayout layout;
    private final Clock clock;
    private final AuditKey key;
    private final StoreLock lock;
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
        this.lock = new StoreLock(layout.lock);
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
        if (lock.isHeldByCurrentThread()) {
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

    /** Writes the batch's events under the lock, all or none (unless undoing fails: {@link EventsLeftBehind}). */
    @SuppressWarnings("try") // the lock is held for the block and released by close(); the variable is never read
    private void commitTogether(List<Pending> batch) {
        try (StoreLock.Held held = lock.acquire()) {
            Head head = headForAppend();
            List<Path> files = new ArrayList<>();
            List<byte[]> contents = new ArrayList<>();
            List<AuditEvent> events = new ArrayList<>();
            List<DayDigest> finishedDays = new ArrayList<>();
            for (Pending pending : batch) {
                for (Fields fields : pending.fields()) {
                    ObjectNode details = Sanitizer.redact(fields.details(), redactionKey());
                    Instant now = UtcTime.now(clock);
                    // The seq is the order; a clock set back must not make the trail run backwards in time.
                    Instant timestamp = head.lastTimestamp() != null && head.lastTimestamp().isAfter(now)
                            ? head.lastTimestamp() : now;
                    long seq = head.lastSeq() + 1;
                    Path file = layout.eventFileForWrite(timestamp, seq);
                    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                        throw new ConflictException("The audit event file " + file + " already exists although head.json "
                                + "ends at seq " + head.lastSeq() + "; run 'neural-mlops audit verify' and restore the "
                                + "trail before appending");
                    }
                    ObjectNode document = document(fields, details, timestamp, seq, head.lastHash(), file);
                    AuditEvent event = EventJson.fromJson(document);
                    DayDigest finished = finishedDay(head, timestamp);
                    if (finished != null) {
                        finishedDays.add(finished);
                    }
                    files.add(file);
                    contents.add(bytes(document));
                    events.add(event);
                    head = head.advance(event, layout.relative(file));
                }
            }
            writeHint(files, events);
            try {
                // Events, then the digests of the days they finish, then the head: all flushed at once,
                // renamed in that order, so the head never names an event that is not on disk.
                AtomicFiles.Batch writes = AtomicFiles.batch().addGroup(files, contents);
                if (!finishedDays.isEmpty()) {
                    List<Path> digestFiles = new ArrayList<>();
                    List<byte[]> digestBytes = new ArrayList<>();
                    for (DayDigest digest : finishedDays) {
                        digestFiles.add(layout.digestFileForWrite(digest.day()));
                        digestBytes.add(bytes(digest.toSignedJson(key, UtcTime.now(clock))));
                    }
                    writes.addGroup(digestFiles, digestBytes);
                }
                writes.add(StorePaths.forWrite(layout.root, TrailLayout.HEAD), bytes(head.toJson(UtcTime.now(clock), key)));
                writes.commit();
            } catch (RuntimeException failed) {
                // All or nothing for the callers: events they are told failed must not stay in the trail.
                undo(files, failed);
                throw failed;
            }
            index.appendLines(indexLines(files, contents));
            int next = 0;
            for (Pending pending : batch) {
                pending.complete(List.copyOf(events.subList(next, next + pending.fields().size())));
                next += pending.fields().size();
            }
        }
    }

    /** Removes the batch's event files, newest first; when one cannot be removed the failure says so. */
    private static void undo(List<Path> files, RuntimeException failed) {
        for (int i = files.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(files.get(i));
            } catch (IOException stays) {
                failed.addSuppressed(stays); // it chains to the head, so the next append adopts it
                throw new EventsLeftBehind(failed);
            }
        }
    }

    /** The index lines of the events just written, from their bytes as a reader of the files will parse them. */
    private Map<LocalDate, List<byte[]>> indexLines(List<Path> files, List<byte[]> contents) {
        Map<LocalDate, List<byte[]>> lines = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            try {
                ObjectNode asStored = (ObjectNode) Json.mapper().readTree(contents.get(i));
                LocalDate day = TrailLayout.day(EventJson.timestamp(asStored));
                lines.computeIfAbsent(day, d -> new ArrayList<>())
                        .add(TrailIndex.line(files.get(i).getFileName().toString(), asStored));
            } catch (IOException | RuntimeException e) {
                return Map.of(); // the events are written; their days' indexes are rebuilt when read
            }
        }
        return lines;
    }

    private Head headForAppend() {
        Head head;
        try {
            head = Head.read(layout);
        } catch (CorruptDocumentException unreadable) {
            if (key != null) {
                throw refuse("head.json is unreadable (" + unreadable.getMessage() + ")");
            }
            head = null;
        }
        if (head == null) {
            listedForStrays = true;
            return recoverHead();
        }
        checkSignature(head);
        boolean listDays = !listedForStrays;
        listedForStrays = true;
        for (Path stray : listDays ? straysAfter(head) : strayFromHint(head)) {
            head = adopt(head, stray);
        }
        return head;
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
     * a key only, because re-signing an unknown state could launder a truncated trail.
     */
    private Head recoverHead() {
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
            for (Path stray : straysAfter(recovered)) {
                recovered = adopt(recovered, stray);
            }
            return recovered;
        }
        // Written before the first event, so that a crash during it is never taken for a deleted head.
        Head initial = new Head(0, null, UtcTime.now(clock), null, 0, 0, null, null, null);
        writeHead(initial);
        return initial;
    }

    /** Event files whose name says a seq after the head's, in the head's day folder and later ones. */
    private List<Path> straysAfter(Head head) {
        List<Path> strays = new ArrayList<>();
        for (LocalDate day : layout.days(head.day(), null, false)) {
            for (Path file : layout.eventFiles(day)) {
                if (TrailLayout.seqFromName(file) > head.lastSeq()) {
                    strays.add(file);
                }
            }
        }
        strays.sort(Comparator.comparingLong(TrailLayout::seqFromName));
        return strays;
    }

    /** The events the last writer's hint names right after the head that exist: those it wrote before dying. */
    private List<Path> strayFromHint(Head head) {
        try {
            JsonNode hint = Json.mapper().readTree(readHint());
            List<Path> strays = new ArrayList<>();
            long expected = head.lastSeq() + 1;
            for (JsonNode entry : hintEntries(hint)) {
                if (entry.path("seq").asLong() < expected) {
                    continue;
                }
                Path file = layout.resolveRelative(entry.path("event").asText());
                if (entry.path("seq").asLong() != expected || !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    break;
                }
                strays.add(file);
                expected++;
            }
            return strays;
        } catch (NoSuchFileException none) {
            return List.of();
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

    /** Makes a stray event the new head when it is the next link of the chain; refuses to go on otherwise. */
    private Head adopt(Head head, Path file) {
        StoredEvent stray;
        try {
            ObjectNode raw = Json.readObject(file);
            stray = new StoredEvent(file, raw, EventJson.fromJson(raw));
        } catch (CorruptDocumentException | InvalidInputException | EventJson.MalformedEvent e) {
            throw refuse("the event file " + file + " after the head cannot be read (" + e.getMessage() + ")");
        }
        AuditEvent event = stray.event();
        ObjectNode unhashed = stray.raw().deepCopy();
        unhashed.remove(EventJson.HASH);
        boolean chains = event.chained() && event.seq() == head.lastSeq() + 1
                && Objects.equals(event.prevHash(), head.lastHash())
                && event.hash().equals(Canonical.sha256Hex(unhashed))
                && (head.lastSeq() == 0 || head.lastTimestamp() == null || !event.timestamp().isBefore(head.lastTimestamp()));
        if (!chains) {
            throw refuse("the event file " + file + " claims seq " + TrailLayout.seqFromName(file)
                    + " after the head (seq " + head.lastSeq() + ") but is not the next link of the chain");
        }
        if (key != null && !vouchedByHint(file, event)) {
            // Only a writer holding the key leaves a signed hint: anything else must not be signed into the chain.
            throw refuse("the event file " + file + " after the signed head was not written by a holder of the key");
        }
        DayDigest finished = finishedDay(head, event.timestamp());
        if (finished != null) {
            writeDigest(finished);
        }
        Head adopted = head.advance(event, layout.relative(file));
        writeHead(adopted);
        return adopted;
    }

    private boolean vouchedByHint(Path file, AuditEvent event) {
        try {
            ObjectNode hint = (ObjectNode) Json.mapper().readTree(readHint());
            if (!Head.signatureValid(hint, key)) {
                return false;
            }
            for (JsonNode entry : hintEntries(hint)) {
                if (entry.path("seq").asLong() == event.seq() && layout.relative(file).equals(entry.path("event").asText())
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
        Json.writeAtomically(layout.digestFileForWrite(digest.day()), digest.toSignedJson(key, UtcTime.now(clock)));
    }

    private void writeHead(Head head) {
        Json.writeAtomically(StorePaths.forWrite(layout.root, TrailLayout.HEAD), head.toJson(UtcTime.now(clock), key));
    }

    /**
     * The hint is advisory and rewritten on every append; it is neither flushed nor atomic on purpose.
     * It names the batch's first event (as older versions read it) and, for several, all of them.
     */
    private void writeHint(List<Path> files, List<AuditEvent> events) {
        ObjectNode hint = Json.mapper().createObjectNode();
        hint.put("seq", events.get(0).seq());
        hint.put("event", layout.relative(files.get(0)));
        hint.put("hash", events.get(0).hash());
        if (files.size() > 1) {
            ArrayNode batch = hint.putArray("batch");
            for (int i = 0; i < files.size(); i++) {
                ObjectNode entry = batch.addObject();
                entry.put("seq", events.get(i).seq());
                entry.put("event", layout.relative(files.get(i)));
                entry.put("hash", events.get(i).hash());
            }
        }
        if (key != null) {
            hint.put(Head.HMAC, key.sign(Canonical.bytes(hint)));
        }
        try {
            Path intent = StorePaths.forWrite(layout.root, TrailLayout.INTENT);
            if (Files.exists(intent, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(intent, LinkOption.NOFOLLOW_LINKS)) {
                // Not ours (a planted pipe would block the write for ever): the hint is advisory, replace it.
                Files.delete(intent);
            }
            Files.write(intent, Canonical.bytes(hint));
        } catch (IOException e) {
            throw StoreIOException.of("write", layout.intent, e);
        }
    }

    /** The hint's bytes; a hint that is not a regular file (a planted pipe) is unreadable, never waited on. */
    private byte[] readHint() throws IOException {
        try {
            return StoreFiles.readRegularNoFollow(layout.intent, Json.MAX_DOCUMENT_BYTES);
        } catch (MlopsException e) {
            throw new IOException(e.getMessage(), e);
        }
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

    private byte[] readOrCreateSalt() {
        if (Files.exists(layout.salt)) {
            String text = Json.readObject(layout.salt).path("salt").asText("");
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
        Json.writeAtomically(StorePaths.forWrite(layout.root, TrailLayout.SALT), document);
        return fresh;
    }

    private ObjectNode document(Fields fields, ObjectNode details, Instant timestamp, long seq, String prevHash, Path file) {
        return document(fields, details, timestamp, seq, prevHash, file.getFileName().toString(), host());
    }

    /** The chained document of an event stored under {@code fileName}, its hash computed over the rest. */
    static ObjectNode document(Fields fields, ObjectNode details, Instant timestamp, long seq, String prevHash,
                               String fileName, String host) {
        String name = fileName;
        AuditEvent unhashed = new AuditEvent(name.substring(0, name.length() - ".json".length()), seq, timestamp,
                fields.type(), fields.severity(), fields.user(), fields.resourceType(), fields.resourceId(), fields.action(),
                fields.outcome(), fields.reason(), Map.of(), fields.ipAddress(), host, prevHash, null);
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
                          String action, Outcome outcome, String reason, ObjectNode details, String ipAddress) {

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
                    Sanitizer.singleLine("ip address", record.ipAddress()));
        }
    }
}
