package neural.mlops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.storage.Document;

/**
 * Verification's comparison of one day's index and summary with the day's event files, made as the
 * files are read: each document is compared with the index's copy while it is at hand and then
 * dropped ({@link #compared}), the index is read as where each copy lies, not as events, and the
 * summary's listed events are compared one at a time. A day of 50,000 events is thus checked
 * without holding it as documents (which took most of a 256 MB heap). Reports each derived file that
 * says something the events do not, and drops any that differs from them, tampered with or merely
 * stale, so that the next reader rebuilds it.
 *
 * <p>Use: {@link TrailIndex#checking} before the day's files are read, {@link #compared} on each
 * event as it is parsed (on the one thread that reads the day), {@link #finish} with the day's
 * events, oldest first.
 */
final class DayCheck {

    private final TrailIndex index;
    private final TrailLayout layout;
    private final LocalDate day;
    /** The index as stored, or null when it is missing or unreadable. */
    private final byte[] data;
    /** The size and version of the index as read: what a summary made from it names. */
    private final TrailIndex.Stamp indexStamp;
    private final TrailIndex.Parsed parsed;
    /** The events whose file is not what the index holds a copy of (or that it holds no copy of). */
    private final Set<String> differing = new HashSet<>();

    DayCheck(TrailIndex index, TrailLayout layout, LocalDate day) {
        this.index = index;
        this.layout = layout;
        this.day = day;
        Optional<Document> document;
        try {
            document = layout.read(layout.indexKey(day), TrailIndex.MAX_INDEX_BYTES);
        } catch (MlopsException unreadable) {
            document = Optional.empty();
        }
        data = document.map(Document::content).orElse(null);
        indexStamp = document.map(stored -> new TrailIndex.Stamp(stored.content().length, stored.version().token()))
                .orElse(TrailIndex.Stamp.NONE);
        parsed = data == null ? null : index.parse(day, data, true);
    }

    /**
     * Compares the event's document, as read from its file, with the index's copy of it, and
     * returns the event with its document dropped and its hash checked ({@link StoredEvent#hashed}).
     */
    StoredEvent compared(StoredEvent stored) {
        if (parsed != null) {
            TrailIndex.Slice copy = parsed.copies().get(stored.fileName());
            byte[] compact = IndexedEvent.compact(stored.raw());
            if (copy == null || !Arrays.equals(compact, 0, compact.length, data, copy.start(), copy.end())) {
                differing.add(stored.fileName());
            }
        }
        return stored.hashed();
    }

    /** What the day's index and summary say that its events (all passed to {@link #compared}) do not. */
    List<IntegrityProblem> finish(List<StoredEvent> events) {
        List<IntegrityProblem> found = new ArrayList<>();
        if (data == null) {
            index.dropSummary(day); // a summary without its index is made again from a rebuilt one
            return found;
        }
        Path file = layout.display(layout.indexKey(day));
        if (parsed.tampered() != null) {
            found.add(new IntegrityProblem(ProblemKind.DERIVED, 0, file, "the index of " + day + " " + parsed.tampered()));
            index.invalidate(day);
            return found;
        }
        // Listed after the files were read: a file changed meanwhile then shows as changed, not as an edited index.
        Map<String, TrailIndex.Stamp> listed = index.listing(day);
        boolean same = !parsed.stale() && TrailIndex.sameObjects(parsed.stamps(), listed);
        // Each event read was its copy, and there are as many as copies (names are unique), and no line calls a file
        // unreadable: nothing to look up by name.
        boolean everyCopyRead = differing.isEmpty() && events.size() == parsed.copies().size();
        if (!everyCopyRead || !parsed.unreadable().isEmpty()) {
            same &= agreesByName(events, listed, file, found);
        }
        if (!same) {
            index.invalidate(day);
            return found;
        }
        checkSummary(events, listed, found);
        return found;
    }

    /**
     * Whether each copy is of a file read as that very event, and no line calls a readable event
     * unreadable; each disagreement about a file that has not changed since it was indexed is
     * reported as an edit of the index.
     */
    private boolean agreesByName(List<StoredEvent> events, Map<String, TrailIndex.Stamp> listed, Path file,
                                 List<IntegrityProblem> found) {
        boolean same = true;
        Map<String, StoredEvent> byName = new HashMap<>();
        events.forEach(stored -> byName.put(stored.fileName(), stored));
        for (String name : parsed.copies().keySet()) {
            StoredEvent stored = byName.get(name);
            if (stored == null || differing.contains(name)) {
                same = false;
                if (stored != null && unchangedSinceIndexed(name, listed)) {
                    found.add(new IntegrityProblem(ProblemKind.DERIVED, stored.event().seq(), file, "the index's copy of "
                            + name + " differs from the file, which has not changed since it was indexed: the index was edited"));
                }
            }
        }
        for (IntegrityProblem malformed : parsed.unreadable()) {
            String name = malformed.file().getFileName().toString();
            StoredEvent stored = byName.get(name);
            if (stored != null) {
                same = false;
                if (unchangedSinceIndexed(name, listed)) {
                    found.add(new IntegrityProblem(ProblemKind.DERIVED, stored.event().seq(), file, "the index calls "
                            + name + " unreadable, but it is a readable event that has not changed since it was indexed: "
                            + "the index was edited"));
                }
            }
        }
        return same;
    }

    private boolean unchangedSinceIndexed(String name, Map<String, TrailIndex.Stamp> listed) {
        return parsed.stamps().get(name).matches(listed.getOrDefault(name, TrailIndex.Stamp.NONE));
    }

    /** The stored summary of a day whose index holds exactly its events, tallied from the events oldest first. */
    private void checkSummary(List<StoredEvent> events, Map<String, TrailIndex.Stamp> listed, List<IntegrityProblem> found) {
        SummaryCheck summary = SummaryCheck.open(index, layout, day, listed, indexStamp);
        if (summary == null) {
            return;
        }
        for (StoredEvent event : events) {
            // The index's copies are these documents, byte for byte: the day was found to say what its files say.
            TrailIndex.Slice copy = parsed.copies().get(event.fileName());
            summary.count(event, data, copy.start(), copy.end());
        }
        summary.finish(found, parsed.unreadable().isEmpty());
    }

    /**
     * The stored summary of a day, checked against the day's events: sealed, made from this index
     * and listing, and saying what the events say (tallied as they pass, oldest first, the listed
     * ones compared with their copies). Judged by {@link #finish}, which drops a summary that is
     * edited, damaged, unsealed or wrong. A day read whole counts its events from a list; a busy
     * day verified in pieces ({@link BusyDayCheck}), a window at a time.
     */
    static final class SummaryCheck {
        private final TrailIndex index;
        private final TrailLayout layout;
        private final LocalDate day;
        private final TrailIndex.Stamp indexStamp;
        private final int nameCount;
        private final DaySummary stored;
        private final DaySummary.Tally tally;
        private final ListedComparison comparison;
        private final long nameHash;
        /** What the summary shows without its events (edited, damaged): judged alone. */
        private final String problem;
        private boolean drop;

        private SummaryCheck(TrailIndex index, TrailLayout layout, LocalDate day, TrailIndex.Stamp indexStamp, int nameCount,
                             DaySummary stored, List<TrailIndex.Slice> listedAt, byte[] bytes, long nameHash, String problem,
                             boolean drop) {
            this.index = index;
            this.layout = layout;
            this.day = day;
            this.indexStamp = indexStamp;
            this.nameCount = nameCount;
            this.stored = stored;
            this.tally = stored == null ? null : new DaySummary.Tally(day);
            this.comparison = stored == null ? null : new ListedComparison(bytes, listedAt);
            this.nameHash = nameHash;
            this.problem = problem;
            this.drop = drop;
        }

        /**
         * The day's stored summary, against the index of stamp {@code indexStamp} and the objects
         * {@code listed}; null when there is none (or none readable), or it was made from another
         * index or listing (then it is not the events' to judge).
         */
        static SummaryCheck open(TrailIndex index, TrailLayout layout, LocalDate day, Map<String, TrailIndex.Stamp> listed,
                                 TrailIndex.Stamp indexStamp) {
            byte[] bytes;
            try {
                Optional<Document> document = layout.read(layout.indexSummaryKey(day), Json.MAX_DOCUMENT_BYTES);
                if (document.isEmpty()) {
                    return null;
                }
                bytes = document.get().content();
            } catch (MlopsException unreadable) {
                return null;
            }
            Seal.Status seal = Seal.check(bytes, 0, TrailIndex.withoutNewline(bytes), index.key(), Seal.digest());
            if (DaySummary.editedAfterSealing(seal, bytes)) {
                return new SummaryCheck(index, layout, day, indexStamp, 0, null, null, bytes, 0,
                        "does not match its seal: it was edited", true);
            }
            if (seal != Seal.Status.VALID) {
                // Of an older version, or not vouched for by this key: made again when next read.
                return new SummaryCheck(index, layout, day, indexStamp, 0, null, null, bytes, 0, null, true);
            }
            try {
                List<TrailIndex.Slice> listedAt = new ArrayList<>();
                DaySummary stored = DaySummary.fromJson(bytes, layout.naiveZone, listedAt);
                long nameHash = DaySummary.hashNames(listed.keySet());
                if (!stored.describes(indexStamp, listed.size(), nameHash)) {
                    return null;
                }
                return new SummaryCheck(index, layout, day, indexStamp, listed.size(), stored, listedAt, bytes, nameHash,
                        null, false);
            } catch (IOException | RuntimeException damaged) {
                return new SummaryCheck(index, layout, day, indexStamp, 0, null, null, bytes, 0, "is damaged", true);
            }
        }

        /** Tallies one event, in the day's order; {@code copy} from {@code start} to {@code end} is its compact document. */
        void count(StoredEvent event, byte[] copy, int start, int end) {
            if (tally != null && tally.count(event.event(), event.fileName())) {
                comparison.next(copy, start, end);
            }
        }

        /** Adds to {@code found} what the summary says that the events do not, and drops it if so. */
        void finish(List<IntegrityProblem> found, boolean noneUnreadable) {
            Path file = layout.display(layout.indexSummaryKey(day));
            if (problem != null) {
                found.add(new IntegrityProblem(ProblemKind.DERIVED, 0, file, "the summary of " + day + " " + problem));
            } else if (stored != null) {
                DaySummary truth = tally.summary(noneUnreadable, indexStamp, nameCount, nameHash);
                if (!stored.day().equals(day) || !stored.sameContent(truth) || !comparison.allSame()) {
                    found.add(new IntegrityProblem(ProblemKind.DERIVED, 0, file, "the summary of " + day
                            + " does not say what the day's events say (counts, listed events or chain): it was edited"));
                    drop = true;
                }
            }
            if (drop) {
                index.dropSummary(day);
            }
        }
    }

    /**
     * The summary's listed events against the copies of the events a summary lists, in order: the
     * same bytes (as the summary was written from the index's copies, which are the event files'
     * compact documents), or failing that the same document. A day read whole passes the index's
     * copies; a busy day verified in pieces ({@link BusyDayCheck}), each file's compact document.
     */
    static final class ListedComparison {

        private final byte[] summary;
        private final List<TrailIndex.Slice> listedAt;
        private int next;
        private boolean same = true;

        ListedComparison(byte[] summary, List<TrailIndex.Slice> listedAt) {
            this.summary = summary;
            this.listedAt = listedAt;
        }

        /** The next listed event's copy: {@code copy} from {@code start} up to {@code end}. */
        void next(byte[] copy, int start, int end) {
            if (!same || next >= listedAt.size()) {
                same = false;
                return;
            }
            TrailIndex.Slice stored = listedAt.get(next++);
            if (!Arrays.equals(copy, start, end, summary, stored.start(), stored.end())) {
                same = sameDocument(copy, start, end, stored);
            }
        }

        boolean allSame() {
            return same && next == listedAt.size();
        }

        private boolean sameDocument(byte[] copy, int start, int end, TrailIndex.Slice stored) {
            try {
                JsonNode listed = Json.mapper().readTree(summary, stored.start(), stored.end() - stored.start());
                return listed.equals(Json.mapper().readTree(copy, start, end - start));
            } catch (IOException damaged) {
                return false;
            }
        }
    }
}
