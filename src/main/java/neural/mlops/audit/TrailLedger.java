package neural.mlops.audit;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
    private final List<IntegrityProblem> derivedProblems = new ArrayList<>();

    /** True when {@code event} is an adoption or a checkpoint this ledger takes facts from. */
    static boolean concerns(AuditEvent event) {
        return event.eventType() == EventType.INTEGRITY_CHECK && event.chained() && event.outcome() == Outcome.SUCCESS
                && AuditRecords.AUDIT_TRAIL.equals(event.resourceType())
                && (AuditRecords.ADOPT.equals(event.action()) || AuditRecords.ARCHIVE.equals(event.action()));
    }

    /** The facts of every adoption and checkpoint in the trail, read from the index (rebuilt from the files where stale). */
    static TrailLedger read(TrailLayout layout, AuditKey key) {
        TrailLedger ledger = new TrailLedger();
        TrailIndex index = new TrailIndex(layout, key);
        for (LocalDate day : layout.days(null, null, false)) {
            for (IndexedEvent event : found(index.read(day))) {
                ledger.add(event.event());
            }
        }
        // Reading for a query drops (and rebuilds) a tampered index: what it found is the caller's to report.
        ledger.derivedProblems.addAll(index.drainProblems());
        return ledger;
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

    /** Takes the facts an adoption or checkpoint event states; anything else is ignored. */
    void add(AuditEvent event) {
        if (!concerns(event)) {
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
                    archivedDays.put(archived.day(), archived);
                    if (archived.firstSeq() > 0) {
                        archivedByFirstSeq.put(archived.firstSeq(), archived);
                    }
                }
            }
        } catch (IllegalArgumentException | DateTimeException | NullPointerException e) {
            unreadable.add("seq " + event.seq() + " (" + event.action() + ") has details this version cannot read: "
                    + e.getMessage());
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
