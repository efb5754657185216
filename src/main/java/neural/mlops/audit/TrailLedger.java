package neural.mlops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;

/**
 * What the trail's own chained events say about files outside the chain: the unchained event
 * files an {@code audit adopt} vouched for (path and SHA-256), and the days an {@code audit
 * archive} moved out (each day's seqs and last hash). Verification learns it from the index before
 * its walk, or, checking the whole trail from the files, as it walks; then an adopted file is
 * checked against its recorded hash instead of being "unchained", and a run of seqs that a
 * checkpoint accounts for is "archived" instead of "missing".
 *
 * <p>Both are {@code integrity_check} events on the {@code audit_trail} resource (the closest
 * existing type: they are statements about the trail's integrity), told apart by their action,
 * {@code adopt} or {@code archive}; their details follow {@link AuditRecords#adopted} and
 * {@link AuditRecords#archived}.
 *
 * <p>It also says on which days each setting was changed (a chained {@code config_changed} event,
 * {@link AuditRecords#configChanged}): the identities that signatures are checked against are such
 * a setting, and finding them must not read every day of a three-year trail.
 */
final class TrailLedger {

    /** One adopted event file: its path relative to the trail, its SHA-256, and the seq of the event that adopted it. */
    record Adopted(String file, String sha256, long bySeq) {
    }

    /**
     * One archived day: its chained seqs (0 and 0 when it held only unchained events), the hash of
     * its last chained event, its event count, the checkpoint's seq and the archive's file name.
     */
    record ArchivedDay(LocalDate day, long firstSeq, long lastSeq, String lastHash, long events, long checkpointSeq,
                       String archive) {
    }

    private final Map<String, Adopted> adopted = new LinkedHashMap<>();
    private final Map<LocalDate, ArchivedDay> archivedDays = new TreeMap<>();
    private final TreeMap<Long, ArchivedDay> archivedByFirstSeq = new TreeMap<>();
    private final List<String> unreadable = new ArrayList<>();
    /** By setting name, the days that hold a chained change of it. */
    private final Map<String, TreeSet<LocalDate>> settingDays = new TreeMap<>();
    private final List<IntegrityProblem> derivedProblems = new ArrayList<>();

    /** True when {@code event} is an adoption, a checkpoint or a setting change this ledger takes facts from. */
    static boolean concerns(AuditEvent event) {
        return isSettingChange(event) || event.eventType() == EventType.INTEGRITY_CHECK && event.chained()
                && event.outcome() == Outcome.SUCCESS && AuditRecords.AUDIT_TRAIL.equals(event.resourceType())
                && (AuditRecords.ADOPT.equals(event.action()) || AuditRecords.ARCHIVE.equals(event.action()));
    }

    private static boolean isSettingChange(AuditEvent event) {
        return event.eventType() == EventType.CONFIG_CHANGED && event.chained();
    }

    /** Where the derived record of the ledger is kept, beside the index (deleting index/ drops it too). */
    static final String FILE = "ledger.json";

    /**
     * The facts of every adoption and checkpoint in the trail. They are kept in {@code
     * index/ledger.json}, a sealed derived record that says up to which seq (and its day) it has
     * read the trail: only the days from that day on are read from the index for later events, so
     * the cost follows what was appended since, not the trail. A record that is missing, damaged,
     * not sealed (with the key, by its mac) or from another version is rebuilt from the whole
     * index. Each read that found the trail moved on writes the record again (atomically, best
     * effort): its facts only ever grow, so a writer that loses a race leaves a record that is
     * merely older, which the next reader brings up to date. A busy day is read in pieces as
     * {@code pieces} says, as its caller reads the trail.
     */
    static TrailLedger read(TrailLayout layout, AuditKey key, DayInPieces.Settings pieces) {
        TrailIndex index = new TrailIndex(layout, key);
        Head head;
        try {
            head = Head.read(layout);
        } catch (RuntimeException unreadable) {
            head = null; // verification reports the head; the ledger is then read whole
        }
        Optional<Stored> stored = head == null ? Optional.empty() : Stored.read(layout, key);
        TrailLedger ledger;
        long throughSeq;
        if (stored.isPresent() && stored.get().throughSeq() <= head.lastSeq()) {
            ledger = stored.get().ledger();
            throughSeq = stored.get().throughSeq();
            if (head.lastSeq() > throughSeq && stored.get().throughDay() != null && head.day() != null) {
                for (LocalDate day : layout.days(stored.get().throughDay(), head.day(), false)) {
                    for (IndexedEvent event : found(index, layout, day, pieces)) {
                        if (event.event().seq() > throughSeq) {
                            ledger.add(event.event());
                        }
                    }
                }
            }
        } else {
            ledger = new TrailLedger();
            throughSeq = -1;
            for (LocalDate day : layout.days(null, null, false)) {
                for (IndexedEvent event : found(index, layout, day, pieces)) {
                    ledger.add(event.event());
                }
            }
        }
        if (head != null && head.day() != null && head.lastSeq() != throughSeq) {
            Stored.write(layout, key, ledger, head.lastSeq(), head.day());
        }
        // Reading for a query drops (and rebuilds) a tampered index: what it found is the caller's to report.
        ledger.derivedProblems.addAll(index.drainProblems());
        return ledger;
    }

    /** The derived record as stored: the facts, and the seq and day up to which the trail was read for them. */
    record Stored(TrailLedger ledger, long throughSeq, LocalDate throughDay) {

        /** 2: with the days of each setting's changes; a record of version 1 is rebuilt once. */
        private static final int VERSION = 2;

        static Key key() {
            return Key.of(TrailLayout.INDEX, FILE);
        }

        /** The record when it is present, sealed (with the key's mac when a key is given) and of this version. */
        static Optional<Stored> read(TrailLayout layout, AuditKey key) {
            try {
                Optional<Document> document = layout.read(key(), Json.MAX_DOCUMENT_BYTES);
                if (document.isEmpty()) {
                    return Optional.empty();
                }
                byte[] bytes = document.get().content();
                if (Seal.check(bytes, 0, TrailIndex.withoutNewline(bytes), key, Seal.digest()) != Seal.Status.VALID) {
                    return Optional.empty();
                }
                JsonNode node = Json.mapper().readTree(bytes);
                if (node.path("version").asInt() != VERSION) {
                    return Optional.empty();
                }
                TrailLedger ledger = new TrailLedger();
                for (JsonNode file : node.path("adopted")) {
                    String path = file.get("file").asText();
                    ledger.adopted.put(path, new Adopted(path, file.get("sha256").asText(), file.get("by_seq").asLong()));
                }
                for (JsonNode day : node.path("archived")) {
                    ArchivedDay archived = new ArchivedDay(LocalDate.parse(day.get("day").asText()),
                            day.get("first_seq").asLong(), day.get("last_seq").asLong(),
                            day.get("last_hash").isNull() ? null : day.get("last_hash").asText(), day.get("events").asLong(),
                            day.get("checkpoint_seq").asLong(), day.get("archive").asText());
                    ledger.archive(archived);
                }
                for (JsonNode why : node.path("unreadable")) {
                    ledger.unreadable.add(why.asText());
                }
                for (Map.Entry<String, JsonNode> setting : node.path("setting_days").properties()) {
                    TreeSet<LocalDate> days = new TreeSet<>();
                    for (JsonNode day : setting.getValue()) {
                        days.add(LocalDate.parse(day.asText()));
                    }
                    ledger.settingDays.put(setting.getKey(), days);
                }
                return Optional.of(new Stored(ledger, node.get("through_seq").asLong(),
                        LocalDate.parse(node.get("through_day").asText())));
            } catch (IOException | RuntimeException damaged) {
                return Optional.empty(); // rebuilt from the index
            }
        }

        /** Writes the record, sealed, atomically; best effort: a record that cannot be written is rebuilt later. */
        static void write(TrailLayout layout, AuditKey key, TrailLedger ledger, long throughSeq, LocalDate throughDay) {
            ObjectNode node = Json.mapper().createObjectNode();
            node.put("version", VERSION);
            node.put("through_seq", throughSeq);
            node.put("through_day", throughDay.toString());
            ArrayNode adopted = node.putArray("adopted");
            for (Adopted file : ledger.adopted.values()) {
                adopted.addObject().put("file", file.file()).put("sha256", file.sha256()).put("by_seq", file.bySeq());
            }
            ArrayNode archived = node.putArray("archived");
            for (ArchivedDay day : ledger.archivedDays.values()) {
                archived.addObject().put("day", day.day().toString()).put("first_seq", day.firstSeq())
                        .put("last_seq", day.lastSeq()).put("last_hash", day.lastHash()).put("events", day.events())
                        .put("checkpoint_seq", day.checkpointSeq()).put("archive", day.archive());
            }
            ArrayNode unreadable = node.putArray("unreadable");
            ledger.unreadable.forEach(unreadable::add);
            ObjectNode settings = node.putObject("setting_days");
            ledger.settingDays.forEach((setting, days) -> {
                ArrayNode list = settings.putArray(setting);
                days.forEach(day -> list.add(day.toString()));
            });
            try {
                layout.storage.write(key(), TrailIndex.withNewline(node, key), Condition.none());
            } catch (MlopsException unwritable) {
                // A read-only workspace: the next reader reads the days since the older record (or the index) again.
            }
        }
    }

    /**
     * The events of {@code day} that concern the ledger, the others let go as their lines are
     * parsed, and a busy day read a window at a time ({@link DayInPieces}): the ledger brought up to
     * date after appends to a day of 100,000 events holds its few adoptions, not the day.
     */
    private static List<IndexedEvent> found(TrailIndex index, TrailLayout layout, LocalDate day,
                                            DayInPieces.Settings pieces) {
        Map<String, TrailIndex.Stamp> listed = index.listing(day);
        Optional<DayInPieces> busy = DayInPieces.ifBusy(index, layout, day, listed, pieces);
        if (busy.isEmpty()) {
            return found(index.read(day, listed, TrailLedger::concerns));
        }
        List<IndexedEvent> found = new ArrayList<>();
        busy.get().each(TrailLedger::concerns, false, window -> {
            found.addAll(window);
            return true;
        });
        return found;
    }

    private static List<IndexedEvent> found(TrailIndex.Day day) {
        List<IndexedEvent> found = new ArrayList<>();
        for (IndexedEvent event : day.events()) {
            if (concerns(event.summary())) {
                found.add(event);
            }
        }
        return found;
    }

    /** Takes the facts an adoption, checkpoint or setting change states; anything else is ignored. */
    void add(AuditEvent event) {
        if (!concerns(event)) {
            return;
        }
        if (isSettingChange(event)) {
            if (event.details().get(AuditRecords.SETTING) instanceof String setting) {
                settingDays.computeIfAbsent(setting, name -> new TreeSet<>()).add(TrailLayout.day(event.timestamp()));
            }
            return;
        }
        try {
            if (AuditRecords.ADOPT.equals(event.action())) {
                for (Object entry : list(event.details().get(AuditRecords.FILES))) {
                    Map<?, ?> file = map(entry);
                    String path = text(file.get(AuditRecords.FILE));
                    adopted.putIfAbsent(path, new Adopted(path, text(file.get(AuditRecords.SHA256)), event.seq()));
                }
            } else {
                String archive = text(event.details().get(AuditRecords.ARCHIVE_FILE));
                for (Object entry : list(event.details().get(AuditRecords.DAYS))) {
                    Map<?, ?> day = map(entry);
                    ArchivedDay archived = new ArchivedDay(LocalDate.parse(text(day.get(AuditRecords.DAY))),
                            number(day.get(AuditRecords.FIRST_SEQ)), number(day.get(AuditRecords.LAST_SEQ)),
                            day.get(AuditRecords.LAST_HASH) == null ? null : text(day.get(AuditRecords.LAST_HASH)),
                            number(day.get(AuditRecords.EVENTS)), event.seq(), archive);
                    archive(archived);
                }
            }
        } catch (IllegalArgumentException | DateTimeException | NullPointerException e) {
            unreadable.add("seq " + event.seq() + " (" + event.action() + ") has details this version cannot read: "
                    + e.getMessage());
        }
    }

    private void archive(ArchivedDay archived) {
        archivedDays.put(archived.day(), archived);
        if (archived.firstSeq() > 0) {
            archivedByFirstSeq.put(archived.firstSeq(), archived);
        }
    }

    /** The adopted file at {@code relative} (a path relative to the trail, with '/'), or null. */
    Adopted adopted(String relative) {
        return adopted.get(relative);
    }

    Collection<Adopted> adopted() {
        return adopted.values();
    }

    /** The archived day, or null when {@code day} was never archived. */
    ArchivedDay archived(LocalDate day) {
        return archivedDays.get(day);
    }

    Collection<ArchivedDay> archivedDays() {
        return archivedDays.values();
    }

    /** The days that hold a chained change of {@code setting}, oldest first; empty when it was never changed. */
    SortedSet<LocalDate> daysChanging(String setting) {
        TreeSet<LocalDate> days = settingDays.get(setting);
        return days == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(days);
    }

    boolean isEmpty() {
        return adopted.isEmpty() && archivedDays.isEmpty();
    }

    /** What reading the index found wrong with the derived files (they were dropped and rebuilt from the events). */
    List<IntegrityProblem> derivedProblems() {
        return derivedProblems;
    }

    /** Adoption or checkpoint events whose details could not be read (a newer format, or an edit the chain reports). */
    List<String> unreadable() {
        return unreadable;
    }

    /**
     * The last archived day of the archived days that together hold exactly seqs {@code first} to
     * {@code last}, or null when they do not (a gap in the chain that no checkpoint accounts for).
     * An archive that a crash interrupted while deleting may leave the newest part of a day: the
     * seqs are then covered up to the day's end, so {@code first} may fall inside an archived day.
     */
    ArchivedDay covering(long first, long last) {
        Map.Entry<Long, ArchivedDay> start = archivedByFirstSeq.floorEntry(first);
        if (start == null || start.getValue().lastSeq() < first) {
            return null;
        }
        ArchivedDay day = start.getValue();
        while (day.lastSeq() < last) {
            ArchivedDay next = archivedByFirstSeq.get(day.lastSeq() + 1);
            if (next == null) {
                return null;
            }
            day = next;
        }
        return day.lastSeq() == last ? day : null;
    }

    /** True when seqs {@code first} to {@code last} all lie in archived days (the link after them may not be checkable). */
    boolean inArchivedDays(long first, long last) {
        Map.Entry<Long, ArchivedDay> start = archivedByFirstSeq.floorEntry(first);
        if (start == null || start.getValue().lastSeq() < first) {
            return false;
        }
        ArchivedDay day = start.getValue();
        while (day.lastSeq() < last) {
            day = archivedByFirstSeq.get(day.lastSeq() + 1);
            if (day == null) {
                return false;
            }
        }
        return true;
    }

    private static List<?> list(Object value) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException("expected a list, found " + Objects.toString(value));
    }

    private static Map<?, ?> map(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new IllegalArgumentException("expected an object, found " + Objects.toString(value));
    }

    private static String text(Object value) {
        if (value instanceof String text) {
            return text;
        }
        throw new IllegalArgumentException("expected text, found " + Objects.toString(value));
    }

    private static long number(Object value) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        throw new IllegalArgumentException("expected a number, found " + Objects.toString(value));
    }
}
