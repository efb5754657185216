package neural.mlops.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.ConflictException;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.StoreLock;
import neural.mlops.store.StorePaths;
import neural.mlops.store.UtcTime;

/**
 * The write side of the trail: one durable, chained append at a time across threads and
 * processes (the {@link StoreLock} on {@code .audit.lock}), fail-closed.
 *
 * <p>Order of writes for seq N+1: the day digest of the head's day when the day changes (with a
 * key), the event file, then head.json. A writer that dies after the event and before the head
 * leaves an event that head.json does not yet count; the next append adopts it when it chains
 * to the head, so a seq is never given twice. Such an event is found without listing the trail:
 * each writer first leaves an unflushed hint naming the file it is about to write (a process
 * crash keeps it in the page cache), and the first append of each logger, which covers a power
 * cut, lists the day folders from the head's day on.
 */
final class AppendLog {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static volatile String hostName;

    private final TrailLayout layout;
    private final Clock clock;
    private final AuditKey key;
    private final StoreLock lock;
    private boolean listedForStrays;
    private byte[] salt;

    AppendLog(TrailLayout layout, Clock clock, AuditKey key) {
        this.layout = layout;
        this.clock = clock;
        this.key = key;
        this.lock = new StoreLock(layout.lock);
    }

    /** Appends the record as the next event of the chain, durably; throws, having written no event, when it cannot. */
    AuditEvent append(AuditRecord record) {
        Fields fields = Fields.of(record);
        try (StoreLock.Held held = lock.acquire()) {
            Head head = headForAppend();
            ObjectNode details = Sanitizer.redact(fields.details(), redactionKey());
            Instant now = UtcTime.now(clock);
            // The seq is the order; a clock set back must not make the trail run backwards in time.
            Instant timestamp = head.lastTimestamp() != null && head.lastTimestamp().isAfter(now) ? head.lastTimestamp() : now;
            long seq = head.lastSeq() + 1;
            Path file = layout.eventFileForWrite(timestamp, seq);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new ConflictException("The audit event file " + file + " already exists although head.json ends at seq "
                        + head.lastSeq() + "; run 'neural-mlops audit verify' and restore the trail before appending");
            }
            ObjectNode document = document(fields, details, timestamp, seq, head.lastHash(), file);
            AuditEvent event = EventJson.fromJson(document);
            writeHint(seq, file, document.get(EventJson.HASH).textValue());
            signFinishedDay(head, timestamp);
            AtomicFiles.write(file, bytes(document));
            try {
                writeHead(head.advance(event, layout.relative(file)));
            } catch (RuntimeException headFailed) {
                // All or nothing for the caller: the event it is told failed must not stay in the trail.
                try {
                    Files.deleteIfExists(file);
                } catch (IOException stays) {
                    headFailed.addSuppressed(stays); // it chains to the head, so the next append adopts it
                }
                throw headFailed;
            }
            return event;
        }
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

    private List<Path> strayFromHint(Head head) {
        try {
            JsonNode hint = Json.mapper().readTree(readHint());
            if (hint.path("seq").asLong() != head.lastSeq() + 1) {
                return List.of();
            }
            Path file = layout.resolveRelative(hint.path("event").asText());
            return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? List.of(file) : List.of();
        } catch (NoSuchFileException none) {
            return List.of();
        } catch (IOException | RuntimeException unreadableHint) {
            return straysAfter(head);
        }
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
        signFinishedDay(head, event.timestamp());
        Head adopted = head.advance(event, layout.relative(file));
        writeHead(adopted);
        return adopted;
    }

    private boolean vouchedByHint(Path file, AuditEvent event) {
        try {
            ObjectNode hint = (ObjectNode) Json.mapper().readTree(readHint());
            return hint.path("seq").asLong() == event.seq()
                    && layout.relative(file).equals(hint.path("event").asText())
                    && event.hash().equals(hint.path("hash").asText())
                    && Head.signatureValid(hint, key);
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /** With a key, when the chain moves on to a new day, the head's day is finished: sign its digest. */
    private void signFinishedDay(Head head, Instant next) {
        if (key == null || head.lastSeq() == 0 || head.day() == null || head.day().equals(TrailLayout.day(next))) {
            return;
        }
        DayDigest digest = new DayDigest(head.day(), Math.max(1, head.dayFirstSeq()), head.lastSeq(), head.lastHash());
        Json.writeAtomically(layout.digestFileForWrite(head.day()), digest.toSignedJson(key, UtcTime.now(clock)));
    }

    private void writeHead(Head head) {
        Json.writeAtomically(StorePaths.forWrite(layout.root, TrailLayout.HEAD), head.toJson(UtcTime.now(clock), key));
    }

    /** The hint is advisory and rewritten on every append; it is neither flushed nor atomic on purpose. */
    private void writeHint(long seq, Path file, String hash) {
        ObjectNode hint = Json.mapper().createObjectNode();
        hint.put("seq", seq);
        hint.put("event", layout.relative(file));
        hint.put("hash", hash);
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
        if (Files.exists(layout.intent, LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(layout.intent, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(layout.intent + " is not a regular file");
        }
        return Files.readAllBytes(layout.intent);
    }

    private MlopsException refuse(String problem) {
        return new CorruptDocumentException(layout.head, problem + "; appends are refused until it is resolved: run "
                + "'neural-mlops audit verify' and restore the trail from a backup");
    }

    /** The key hashing redacted secrets: the signing key when there is one, else the trail's own random salt. */
    private byte[] redactionKey() {
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
        String name = file.getFileName().toString();
        AuditEvent unhashed = new AuditEvent(name.substring(0, name.length() - ".json".length()), seq, timestamp,
                fields.type(), fields.severity(), fields.user(), fields.resourceType(), fields.resourceId(), fields.action(),
                fields.outcome(), fields.reason(), Map.of(), fields.ipAddress(), host(), prevHash, null);
        ObjectNode document = EventJson.toJson(unhashed);
        document.set("details", details);
        document.remove(EventJson.HASH);
        document.put(EventJson.HASH, Canonical.sha256Hex(document));
        return document;
    }

    private static byte[] bytes(ObjectNode document) {
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

    /** The record's fields, sanitised and checked against the limits before the lock is taken or anything written. */
    private record Fields(EventType type, EventSeverity severity, String user, String resourceType, String resourceId,
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
