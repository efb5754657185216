package neural.mlops.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.UtcTime;
import neural.mlops.store.storage.StoredObject;

/**
 * Walks the chain day by day, oldest first, and reports every problem it finds with its kind and
 * the first event affected (SPEC 3.3). From the files, a few reading threads read, compare with
 * their index and hash the next days ahead while this thread checks the chain strictly in order;
 * memory holds that window of days (their parsed events, not their documents), never the trail.
 *
 * <p>From {@link Source#FILES} (audit verify) it reads the event files themselves and recomputes
 * every hash; it also drops the index of any day whose copy differs from the files, so the index
 * is never trusted over them. From {@link Source#INDEX} (the compliance report, which must not
 * open a million files) it checks the links, seqs, times, head and signed digests of the index's
 * copy of the period, which is itself checked against each day folder's listing. Takes no lock:
 * head.json is read before the walk (what must exist) and after it (what an append that ran
 * meanwhile has covered), so a concurrent append is never reported as a problem.
 */
final class Verifier {

    /** Where the events are read from. */
    enum Source { FILES, INDEX }

    private final TrailLayout layout;
    private final AuditKey key;
    private final Clock clock;
    private final Source source;
    private final TrailIndex index;
    /** From how many event files a day is verified in pieces ({@link BusyDayCheck}), and its index read in windows of how many bytes. */
    private final DayInPieces.Settings pieces;

    private final List<IntegrityProblem> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Gaps in the seqs seen so far: first missing seq to last missing seq, with the file after the gap. */
    private final TreeMap<Long, Gap> gaps = new TreeMap<>();
    private long headSeqOfInterest = -1;
    private long lastSeq;
    private String lastHash;
    /** Where the last event linked is: its path is made only for a problem that names it. */
    private Path lastFolder;
    private String lastName;
    private Instant lastTimestamp;
    private long checked;
    private long unchained;
    private long maxSeq;
    private String hashAtHeadSeq;
    /** What adoptions and checkpoints say (read before the walk); see {@link TrailLedger}. */
    private TrailLedger ledger = new TrailLedger();
    private long adopted;
    /** Adopted files found in the walked days (relative paths). */
    private final java.util.Set<String> adoptedSeen = new java.util.HashSet<>();
    private boolean collectLedger;
    /** Shown every event the walk reads, in the order it checks them (see {@link #showingEachEvent}). */
    private Consumer<AuditEvent> eachEvent = event -> { };
    /** Unchained events found, judged against the adoptions once the walk has seen them all. */
    private final List<Map.Entry<LocalDate, StoredEvent>> unchainedFound = new ArrayList<>();
    /** Signature problems of day digests, kept apart: an archived day's digest is in its archive. */
    private final Map<LocalDate, List<IntegrityProblem>> digestProblems = new TreeMap<>();
    /** Seq runs found archived instead of missing, per archive file: first seq to last seq. */
    private final Map<String, TreeMap<Long, Long>> archivedRuns = new TreeMap<>();

    Verifier(TrailLayout layout, AuditKey key, Clock clock, Source source) {
        this(layout, key, clock, source, DayInPieces.Settings.DEFAULT);
    }

    Verifier(TrailLayout layout, AuditKey key, Clock clock, Source source, DayInPieces.Settings pieces) {
        this.layout = layout;
        this.key = key;
        this.clock = clock;
        this.source = source;
        this.index = new TrailIndex(layout, key);
        this.pieces = pieces;
    }

    /** How far back a window's check looks for the last day with events before it (one small read per day). */
    static final int ANCHOR_DAYS = 366;

    /**
     * A window's check ({@link #verifyWindow}): where its first event is tied to the chain before
     * it, in words, once known; null for any other check.
     */
    private String anchor;
    /** A window whose first event could not be tied: the walk takes the chain from that event as it stands. */
    private boolean untied;

    /**
     * Verifies the days from {@code start} to the head from their files, as the whole trail's check
     * does, without reading any older day's events: the window's first event is tied to the chain
     * before it by the last earlier day's signed digest (with the key, on a signed trail) or its
     * sealed summary (else), whose last seq and hash it must follow. What lies before the window is
     * not checked; the report says so.
     */
    /**
     * Hands {@code each} every event the walk reads (chained or not), on the checking thread, day by
     * day in order: a caller that checks something more of each event reads the trail only once.
     */
    Verifier showingEachEvent(Consumer<AuditEvent> each) {
        this.eachEvent = each;
        return this;
    }

    IntegrityReport verifyWindow(Instant start) {
        anchor = "";
        return verify(start, null);
    }

    /**
     * Verifies the whole trail (both bounds null) or the days of a period, with the period's links
     * to the nearest chained events before and after it.
     */
    IntegrityReport verify(Instant start, Instant end) {
        return verify(start, end, day -> null, result -> { });
    }

    /**
     * As {@link #verify(Instant, Instant)}; from the index, it also applies {@code perDay} to each
     * day of the period as it is read (on the reading threads, so the caller's work on a day runs
     * in parallel too) and hands the results to {@code inOrder}, day by day, oldest first. A
     * compliance report counts its period this way in the same pass that checks its links. A
     * clean day (see {@link DaySummary}) is checked from its summary, without its events.
     */
    <R> IntegrityReport verify(Instant start, Instant end, Function<TrailIndex.DayView, R> perDay, Consumer<R> inOrder) {
        HeadState headBefore = readHead();
        // A whole-trail check from the files learns the adoptions and checkpoints as it walks (and decides
        // what depends on them at the end), so it never reads, nor rebuilds, the index it is to check.
        collectLedger = source == Source.FILES && start == null && end == null;
        if (!collectLedger) {
            ledger = TrailLedger.read(layout, key, pieces);
            problems.addAll(ledger.derivedProblems());
        }
        periodStart = start;
        periodEnd = end;
        List<LocalDate> allDays = anchor != null ? windowDays(start, headBefore) : layout.days(null, null, false);
        int from = start == null || anchor != null ? 0 : firstIndexAtOrAfter(allDays, TrailLayout.day(start));
        int to = end == null ? allDays.size() - 1 : firstIndexAtOrAfter(allDays, TrailLayout.day(end).plusDays(1)) - 1;
        StoredEvent before = from > 0 ? nearestChained(allDays, from - 1, -1) : null;
        if (anchor != null) {
            anchorWindow(TrailLayout.day(start), headBefore);
        } else if (before != null) {
            // The chain before the period is taken as it stands; only the period's link to it is checked.
            lastSeq = before.event().seq();
            lastHash = before.event().hash();
            lastFolder = before.file().getParent();
            lastName = before.fileName();
            lastTimestamp = before.event().timestamp();
            maxSeq = lastSeq;
            if (lastSeq == headSeqOfInterest) {
                hashAtHeadSeq = lastHash;
            }
        }
        List<LocalDate> period = from <= to ? allDays.subList(from, to + 1) : List.of();
        if (source == Source.FILES) {
            // Days are read, compared with their index and hashed ahead on the reading threads; the chain
            // is checked here, day by day in order, so memory holds the few days of that window.
            try (TrailIndex.Ahead<ReadDay> days = index.mapAheadDays(period, this::readAndHash)) {
                while (days.hasNext()) {
                    ReadDay day = days.next();
                    if (day.busy() != null) {
                        walkInPieces(day.day(), day.busy(), headBefore);
                        continue;
                    }
                    problems.addAll(day.unreadable());
                    problems.addAll(day.derived());
                    walkDay(day.day(), day.events(), headBefore);
                }
            }
        } else {
            try (TrailIndex.Ahead<Walked<R>> days = index.mapAheadViews(period, view -> walked(view, perDay))) {
                while (days.hasNext()) {
                    Walked<R> day = days.next();
                    DaySummary summary = day.summary();
                    if (day.events() == null && canWalk(summary)) {
                        walkSummary(summary, headBefore);
                    } else {
                        TrailIndex.Day events = day.events() != null ? day.events() : index.read(day.day());
                        problems.addAll(events.unreadable());
                        walkDay(day.day(), fromIndex(events), headBefore);
                    }
                    inOrder.accept(day.result());
                }
            }
        }
        StoredEvent after = to < allDays.size() - 1 ? nearestChained(allDays, to + 1, +1) : null;
        if (after != null) {
            linkToFollowing(after);
        }
        reconcileLedger(start == null && end == null, period);
        closeGaps();
        HeadState headAfter = readHead();
        if (after == null) {
            checkHead(headBefore, headAfter);
        }
        if (source == Source.INDEX) {
            problems.addAll(index.drainProblems());
            notes.add("Checked from the index: the seqs, links, times, head and signed digests of the period's "
                    + checked + " chained events; 'audit verify' also recomputes each event's hash from its file.");
        }
        Head head = headBefore.head() != null ? headBefore.head() : Head.EMPTY;
        boolean trailSigned = head.signed();
        if (key == null && trailSigned) {
            notes.add("head.json is signed (key id " + head.keyId() + ") but no key was given: the signatures were not "
                    + "checked; give the key (" + AuditKey.ENVIRONMENT_VARIABLE + ") to check them");
        }
        // The earliest event first, and at one seq the plainest kind first: a deleted event is reported
        // as missing before what it makes a signature or a link say.
        problems.sort(Comparator.comparingLong((IntegrityProblem problem) -> problem.seq() == 0 ? Long.MAX_VALUE : problem.seq())
                .thenComparing(IntegrityProblem::kind));
        return new IntegrityReport(UtcTime.now(clock), start, end, checked, unchained, adopted, archivedCount(),
                head.lastSeq() > 0 ? head.lastSeq() : maxSeq, head.lastSeq() > 0 ? head.lastHash() : lastHash,
                key != null, trailSigned, coverage(head), problems, notes);
    }

    /** The days of a window that hold events: from its start to the later of today and the head's day. */
    private List<LocalDate> windowDays(Instant start, HeadState head) {
        LocalDate today = TrailLayout.day(clock.instant());
        LocalDate last = head.head() != null && head.head().day() != null && head.head().day().isAfter(today)
                ? head.head().day() : today;
        LocalDate first = TrailLayout.day(start);
        return first.isAfter(last) ? List.of() : layout.days(first, last, false);
    }

    /**
     * Ties a window to the chain before it, without reading older events: the last day before the
     * window that has a signed digest (with the key, on a signed trail) or a sealed summary gives
     * the seq and hash the window's first event must follow. A day whose digest is missing or
     * forged is a {@code signature} problem; then, as when no earlier day is found, the window is
     * taken from its first event as it stands (and the report says it is untied).
     */
    private void anchorWindow(LocalDate start, HeadState head) {
        boolean signed = key != null && head.head() != null && head.head().signed();
        for (int back = 1; back <= ANCHOR_DAYS; back++) {
            LocalDate day = start.minusDays(back);
            Optional<DaySummary> summary = index.sealedSummary(day);
            if (signed) {
                Path file = layout.display(layout.digestKey(day));
                Optional<ObjectNode> stored;
                try {
                    stored = layout.readObject(layout.digestKey(day));
                } catch (CorruptDocumentException | InvalidInputException e) {
                    problems.add(new IntegrityProblem(ProblemKind.SIGNATURE, 0, file, "the digest of " + day
                            + ", the last day before the window, is unreadable: the window is not tied to the chain before it"));
                    untie("not tied: the digest of " + day + " is unreadable");
                    return;
                }
                if (stored.isPresent()) {
                    tieToDigest(day, file, stored.get(), head.head());
                    return;
                }
                if (summary.isPresent() && summary.get().lastSeq() >= head.head().signedSinceSeq()) {
                    problems.add(new IntegrityProblem(ProblemKind.SIGNATURE, summary.get().lastSeq(), file, "the day " + day
                            + ", the last day before the window, has no signed digest: the window is not tied to the chain "
                            + "before it"));
                    untie("not tied: " + day + " has no signed digest");
                    return;
                }
            }
            if (summary.isPresent() && summary.get().lastSeq() > 0) {
                DaySummary found = summary.get();
                tie(found.lastSeq(), found.lastHash(), layout.dayFolderPath(day), found.lastFile(), found.lastChainTime());
                anchor = "tied to the sealed summary of " + day + " (its last seq " + found.lastSeq() + " and hash "
                        + abbreviate(found.lastHash()) + ", " + (key != null ? "sealed with the key's HMAC"
                                : "sealed with a SHA-256 checksum that whoever can write the workspace can recompute") + ")";
                return;
            }
        }
        untie("not tied: no signed digest or sealed summary of the " + ANCHOR_DAYS + " days before it");
    }

    private void tieToDigest(LocalDate day, Path file, ObjectNode document, Head head) {
        DayDigest digest;
        try {
            digest = DayDigest.fromJson(document);
        } catch (EventJson.MalformedEvent e) {
            problems.add(new IntegrityProblem(ProblemKind.SIGNATURE, 0, file, "the digest of " + day
                    + ", the last day before the window, is unreadable: the window is not tied to the chain before it"));
            untie("not tied: the digest of " + day + " is unreadable");
            return;
        }
        if (!key.id().equals(document.path("key_id").asText()) || !Head.signatureValid(document, key)
                || !digest.day().equals(day)) {
            problems.add(new IntegrityProblem(ProblemKind.SIGNATURE, digest.lastSeq() + 1, file, "the digest of " + day
                    + ", the last day before the window, is not signed by this key: the window's tie to the chain before "
                    + "it is forged or damaged"));
            untie("not tied: the digest of " + day + " is not signed by this key");
            return;
        }
        tie(digest.lastSeq(), digest.lastHash(), layout.dayFolderPath(day), null, null);
        anchor = "tied to the signed digest of " + day + " (its last seq " + digest.lastSeq() + " and hash "
                + abbreviate(digest.lastHash()) + ", HMAC checked with key id " + key.id() + ")";
    }

    /** The chain before the window as the anchor states it: the window's first event must follow it. */
    private void tie(long seq, String hash, Path folder, String name, Instant timestamp) {
        lastSeq = seq;
        lastHash = hash;
        lastFolder = folder;
        lastName = name;
        lastTimestamp = timestamp;
        maxSeq = seq;
        if (seq == headSeqOfInterest) {
            hashAtHeadSeq = hash;
        }
    }

    private void untie(String why) {
        untied = true;
        anchor = why;
    }

    /** What this walk checked, in words: the chain, the signatures, the derived files. */
    private IntegrityReport.Coverage coverage(Head head) {
        String signatures;
        if (key != null) {
            signatures = "head.json and the signed day digests checked with key id " + key.id();
        } else if (head.signed()) {
            signatures = "not checked: no key (the trail is signed with key id " + head.keyId() + ")";
        } else {
            signatures = "none: the trail is not signed and no key was given";
        }
        if (anchor != null) {
            return new IntegrityReport.Coverage("the window from " + TrailLayout.day(periodStart) + " on: every event "
                    + "file of the window read and its hash recomputed; its seqs, links, times and head.json checked; its "
                    + "first event " + anchor + "; the days before the window not read, so nothing done to them is detected "
                    + "(the whole trail's 'audit verify' does that)",
                    signatures,
                    "the index and summary of each day of the window compared with the day's events");
        }
        if (source == Source.FILES) {
            return new IntegrityReport.Coverage(
                    "every event file read and its hash recomputed; seqs, links, times and head.json checked",
                    signatures,
                    "each day's index and summary compared with the day's events");
        }
        return new IntegrityReport.Coverage(
                "from the index: the period's seqs, links and times, its links to the events before and after it, "
                        + "and head.json; event files not re-read or re-hashed (audit verify does that)",
                signatures,
                "index lines and day summaries used only when their seals hold ("
                        + (key != null ? "HMAC with the key" : "SHA-256 checksums, which whoever can write the workspace "
                                + "can recompute: audit verify compares the derived files with the events")
                        + "), index lines only while their event files keep the size and version they were indexed with, "
                        + "summaries only while the index and the day folder are as they were made from");
    }

    /** The period's last event must be the one the first event after the period links to. */
    private void linkToFollowing(StoredEvent after) {
        long seq = after.event().seq();
        if (seq == lastSeq + 1 && !Objects.equals(after.event().prevHash(), lastHash)) {
            problems.add(new IntegrityProblem(ProblemKind.MODIFIED, lastSeq, lastFile(), "the hash of seq " + lastSeq
                    + " is not the prev_hash of seq " + seq + ", the first event after the period: seq " + lastSeq
                    + " was replaced (hash recomputed)"));
        } else if (seq > lastSeq + 1) {
            gaps.put(lastSeq + 1, new Gap(seq - 1, after.file(), after.event().prevHash()));
        }
    }

    /**
     * A day read ahead from its files: the files that are not readable events, what its index and
     * summary say that the events do not, and its events hashed (their documents dropped); or, for
     * a busy day, only its listing (name to stamp), the day left for the walk to read in pieces.
     */
    private record ReadDay(LocalDate day, List<IntegrityProblem> unreadable, List<IntegrityProblem> derived,
                           List<StoredEvent> events, Map<String, TrailIndex.Stamp> busy) {
    }

    /** Runs on the reading threads: touches nothing of the walk's state. */
    private ReadDay readAndHash(LocalDate day) {
        List<StoredObject> objects = layout.eventObjects(day);
        if (objects.size() >= pieces.fromEvents()) {
            return new ReadDay(day, List.of(), List.of(), List.of(), TrailIndex.stamps(objects));
        }
        List<IntegrityProblem> unreadable = new ArrayList<>();
        DayCheck check = index.checking(day);
        List<StoredEvent> events = StoredEvent.eachOf(layout, day, objects.stream().map(StoredObject::key).toList(),
                unreadable::add, check::compared);
        events.sort(StoredEvent.OLDEST_FIRST);
        return new ReadDay(day, unreadable, check.finish(events), events, null);
    }

    /**
     * A busy day, read from its files a window at a time and walked as it is read, compared with
     * its index as it goes: memory holds a window of it, not the day.
     */
    private void walkInPieces(LocalDate day, Map<String, TrailIndex.Stamp> listed, HeadState head) {
        BusyDayCheck check = new BusyDayCheck(index, layout, day, listed, pieces.windowBytes());
        DayChain chain = new DayChain();
        check.each(window -> walkEvents(day, window, chain));
        problems.addAll(check.finish());
        problems.addAll(check.unreadable());
        checkDigest(day, chain, head);
    }

    /** A day read ahead from the index: its summary, its events when it is not clean (else null), and the caller's result. */
    private record Walked<R>(LocalDate day, DaySummary summary, TrailIndex.Day events, R result) {
    }

    /** Runs on the reading threads: a clean day needs only its summary; any other, its events. */
    private static <R> Walked<R> walked(TrailIndex.DayView view, Function<TrailIndex.DayView, R> perDay) {
        DaySummary summary = view.summary();
        R result = perDay.apply(view);
        return new Walked<>(view.day(), summary, summary.clean() ? null : view.events(), result);
    }

    /** A clean day can be taken whole unless it overlaps the seqs walked so far or holds the head's seq in its middle. */
    private boolean canWalk(DaySummary summary) {
        return summary.clean() && summary.firstSeq() > lastSeq
                && (headSeqOfInterest < summary.firstSeq() || headSeqOfInterest >= summary.lastSeq());
    }

    /** The day's part of the chain, from its ends: its inside was found linked when its summary was made. */
    private void walkSummary(DaySummary summary, HeadState head) {
        Path folder = layout.dayFolderPath(summary.day());
        checked += summary.chained();
        long seq = summary.firstSeq();
        maxSeq = Math.max(maxSeq, summary.lastSeq());
        if (seq == lastSeq + 1) {
            if (!Objects.equals(summary.firstPrevHash(), lastHash)) {
                problems.add(lastSeq == 0
                        ? new IntegrityProblem(ProblemKind.MODIFIED, seq, folder.resolve(summary.firstFile()),
                                "the first event of the chain has a prev_hash")
                        : new IntegrityProblem(ProblemKind.MODIFIED, lastSeq, lastFile(), "the hash of seq " + lastSeq
                                + " is not the prev_hash of seq " + seq + ": seq " + lastSeq + " was replaced (hash recomputed) or "
                                + "seq " + seq + "'s link was rewritten"));
            }
            if (lastTimestamp != null && summary.firstChainTime().isBefore(lastTimestamp)) {
                problems.add(new IntegrityProblem(ProblemKind.REORDERED, seq, folder.resolve(summary.firstFile()),
                        "the event's time is earlier than that of seq " + lastSeq));
            }
        } else if (seq > lastSeq + 1) {
            gaps.put(lastSeq + 1, new Gap(seq - 1, folder.resolve(summary.firstFile()), summary.firstPrevHash()));
        }
        if (summary.lastSeq() == headSeqOfInterest) {
            hashAtHeadSeq = summary.lastHash();
        }
        lastSeq = summary.lastSeq();
        lastHash = summary.lastHash();
        lastFolder = folder;
        lastName = summary.lastFile();
        lastTimestamp = summary.lastChainTime();
        if (key != null && head.head() != null) {
            checkDigest(summary.day(), summary.firstSeq(), summary.lastSeq(), summary.chained(), summary.lastHash(),
                    head.head());
        }
    }

    private static List<StoredEvent> fromIndex(TrailIndex.Day day) {
        List<StoredEvent> events = new ArrayList<>(day.events().size());
        for (IndexedEvent event : day.events()) {
            events.add(StoredEvent.fromIndex(event));
        }
        return events;
    }

    private void walkDay(LocalDate day, List<StoredEvent> events, HeadState head) {
        DayChain chain = new DayChain();
        walkEvents(day, events, chain);
        checkDigest(day, chain, head);
    }

    /**
     * The chained events of a day as its walk found them, for the check of its signed digest: how
     * many, the lowest seq, and the highest with its hash.
     */
    private static final class DayChain {
        private long count;
        private long firstSeq;
        private long lastSeq;
        private String lastHash;

        /** Takes the chained events in the order of their seq, as each part of the day is linked. */
        void add(AuditEvent event) {
            if (count++ == 0 || event.seq() < firstSeq) {
                firstSeq = event.seq();
            }
            if (count == 1 || event.seq() >= lastSeq) {
                lastSeq = event.seq();
                lastHash = event.hash();
            }
        }
    }

    /** Walks some of a day's events (all of them, or a window of a busy day), oldest first: their content, then their links in seq order. */
    private void walkEvents(LocalDate day, List<StoredEvent> events, DayChain chain) {
        List<StoredEvent> chained = new ArrayList<>(events.size());
        for (StoredEvent stored : events) {
            AuditEvent event = stored.event();
            eachEvent.accept(event);
            if (!event.chained()) {
                unchainedFound.add(Map.entry(day, stored));
                continue;
            }
            if (collectLedger) {
                ledger.add(event);
            }
            checked++;
            chained.add(stored);
            checkContent(stored, day);
        }
        chained.sort(Comparator.comparingLong(stored -> stored.event().seq()));
        for (StoredEvent stored : chained) {
            link(stored);
            chain.add(stored.event());
        }
    }

    /** The day's events oldest first: from the files, or from the index (where raw is null: not re-hashed). */
    private List<StoredEvent> eventsOf(LocalDate day, Consumer<IntegrityProblem> unreadable) {
        if (source == Source.FILES) {
            return StoredEvent.readDay(layout, day, unreadable);
        }
        TrailIndex.Day indexed = index.read(day);
        indexed.unreadable().forEach(unreadable);
        return fromIndex(indexed);
    }

    private void checkContent(StoredEvent stored, LocalDate day) {
        AuditEvent event = stored.event();
        if (Boolean.FALSE.equals(stored.contentMatches())) {
            problems.add(new IntegrityProblem(ProblemKind.MODIFIED, event.seq(), stored.file(),
                    "the content no longer matches its hash: the event was edited after it was written"));
        }
        long named = TrailLayout.seqFromName(stored.fileName());
        if (named != event.seq()) {
            problems.add(new IntegrityProblem(ProblemKind.REORDERED, event.seq(), stored.file(),
                    "the event is stored under the file name of seq " + named));
        }
        if (!TrailLayout.day(event.timestamp()).equals(day)) {
            problems.add(new IntegrityProblem(ProblemKind.REORDERED, event.seq(), stored.file(),
                    "the event's time is on " + TrailLayout.day(event.timestamp()) + " but it is stored in the folder of " + day));
        }
    }

    private void link(StoredEvent stored) {
        AuditEvent event = stored.event();
        long seq = event.seq();
        if (seq == 0) {
            problems.add(new IntegrityProblem(ProblemKind.MALFORMED, 0, stored.file(), "the event has a hash but no seq"));
            return;
        }
        if (untied && lastSeq == 0) {
            untied = false; // nothing to tie the window to: the chain is checked from its first event on
            if (seq == 1) {
                anchor = "is seq 1, where the chain starts";
            } else {
                notes.add("The window's first event, seq " + seq + ", is " + anchor + ": the window's own chain is checked "
                        + "from it on, but not that it follows the events before it");
            }
            lastSeq = seq - 1;
            lastHash = event.prevHash();
        }
        maxSeq = Math.max(maxSeq, seq);
        if (seq == lastSeq + 1) {
            if (!Objects.equals(event.prevHash(), lastHash)) {
                problems.add(lastSeq == 0
                        ? new IntegrityProblem(ProblemKind.MODIFIED, seq, stored.file(), "the first event of the chain has a prev_hash")
                        : new IntegrityProblem(ProblemKind.MODIFIED, lastSeq, lastFile(), "the hash of seq " + lastSeq
                                + " is not the prev_hash of seq " + seq + ": seq " + lastSeq + " was replaced (hash recomputed) or "
                                + "seq " + seq + "'s link was rewritten"));
            }
            if (lastTimestamp != null && event.timestamp().isBefore(lastTimestamp)) {
                problems.add(new IntegrityProblem(ProblemKind.REORDERED, seq, stored.file(),
                        "the event's time is earlier than that of seq " + lastSeq));
            }
        } else if (seq > lastSeq + 1) {
            gaps.put(lastSeq + 1, new Gap(seq - 1, stored.file(), event.prevHash()));
        } else {
            Map.Entry<Long, Gap> gap = gaps.floorEntry(seq);
            if (gap != null && seq <= gap.getValue().last()) {
                fill(gap, seq);
                problems.add(new IntegrityProblem(ProblemKind.REORDERED, seq, stored.file(),
                        "the event is stored out of order, after seq " + lastSeq));
            } else {
                problems.add(new IntegrityProblem(ProblemKind.REORDERED, seq, stored.file(),
                        "seq " + seq + " appears more than once"));
            }
            return;
        }
        if (seq == headSeqOfInterest) {
            hashAtHeadSeq = event.hash();
        }
        lastSeq = seq;
        lastHash = event.hash();
        lastFolder = stored.folder();
        lastName = stored.fileName();
        lastTimestamp = event.timestamp();
    }

    /**
     * An event without a hash: vouched for when an adoption recorded its file and the file still
     * has the recorded SHA-256 (from the index, where the file is not re-read, its path suffices),
     * else a problem.
     */
    private void checkUnchained(LocalDate day, StoredEvent stored) {
        String relative = TrailLayout.dayFolder(day) + "/" + stored.fileName();
        TrailLedger.Adopted vouched = ledger.adopted(relative);
        if (vouched == null) {
            unchained++;
            problems.add(new IntegrityProblem(ProblemKind.UNCHAINED, stored.event().seq(), stored.file(),
                    ledger.adopted().isEmpty()
                            ? "the event has no hash (written by a tool that does not chain): it is read, but nothing "
                                    + "vouches for it; 'audit adopt' records its hash in the chain"
                            : "the event has no hash and no adoption names it: it was written or inserted after the "
                                    + "last adoption; if it is genuine, 'audit adopt' again"));
            return;
        }
        adoptedSeen.add(relative);
        if (stored.sha256() != null && !Canonical.sameDigest(vouched.sha256(), stored.sha256())) {
            problems.add(new IntegrityProblem(ProblemKind.MODIFIED, stored.event().seq(), stored.file(),
                    "the adopted event file was changed after seq " + vouched.bySeq() + " recorded its SHA-256 "
                            + abbreviate(vouched.sha256()) + " (it is now " + abbreviate(stored.sha256()) + ")"));
            return;
        }
        adopted++;
    }

    /**
     * After the walk: a gap that archived days account for is archived, not missing (and the
     * first event after it must link to the last archived one); an unchained file is adopted or a
     * problem; an adopted file that is gone, and not archived, is missing; and a day digest's
     * problem stands unless the day was archived.
     */
    private void reconcileLedger(boolean wholeTrail, List<LocalDate> period) {
        for (Map.Entry<LocalDate, StoredEvent> found : unchainedFound) {
            checkUnchained(found.getKey(), found.getValue());
        }
        digestProblems.forEach((day, found) -> {
            if (ledger.archived(day) == null) {
                problems.addAll(found); // an archived day's digest is in its archive; what is left is a deletion cut short
            }
        });
        for (String problem : ledger.unreadable()) {
            problems.add(new IntegrityProblem(ProblemKind.MALFORMED, 0, null, problem));
        }
        for (Map.Entry<Long, Gap> entry : new ArrayList<>(gaps.entrySet())) {
            long first = entry.getKey();
            Gap gap = entry.getValue();
            TrailLedger.ArchivedDay last = ledger.covering(first, gap.last());
            if (last == null) {
                continue;
            }
            gaps.remove(first);
            archivedRuns.computeIfAbsent(last.archive(), archive -> new TreeMap<>()).put(first, gap.last());
            if (gap.after() != null && !Objects.equals(gap.afterPrevHash(), last.lastHash())) {
                problems.add(new IntegrityProblem(ProblemKind.MODIFIED, gap.last() + 1, gap.after(), "the event's "
                        + "prev_hash is not the hash of seq " + gap.last() + ", the last archived event of " + last.day()
                        + " (checkpoint seq " + last.checkpointSeq() + "): the archived range and the trail do not join"));
            }
        }
        java.util.Set<LocalDate> walked = new java.util.HashSet<>(period);
        for (TrailLedger.Adopted file : ledger.adopted()) {
            LocalDate day = dayOfRelative(file.file());
            if (adoptedSeen.contains(file.file()) || (day != null && ledger.archived(day) != null)
                    || (!wholeTrail && (day == null || !walked.contains(day)))) {
                continue;
            }
            if (day != null && walked.contains(day) || wholeTrail) {
                problems.add(new IntegrityProblem(ProblemKind.MISSING, 0, layout.display(file.file()),
                        "the adopted event file is gone (seq " + file.bySeq() + " recorded its SHA-256 "
                                + abbreviate(file.sha256()) + ")"));
            }
        }
        if (adopted > 0) {
            notes.add(adopted + " unchained event file(s) adopted: checked against the SHA-256 an adoption recorded in the chain"
                    + (source == Source.INDEX ? " (from the index: named, not re-hashed)" : ""));
        }
        for (Map.Entry<String, TreeMap<Long, Long>> archive : archivedRuns.entrySet()) {
            List<String> runs = new ArrayList<>();
            archive.getValue().forEach((first, last) -> runs.add(first.equals(last) ? "seq " + first : "seqs " + first + " to " + last));
            notes.add(String.join(", ", runs) + " archived in " + archive.getKey() + " (not missing); check it with "
                    + "'audit verify --archive FILE'");
        }
        List<TrailLedger.ArchivedDay> inPeriod = ledger.archivedDays().stream()
                .filter(day -> wholeTrail || periodHolds(day.day())).toList();
        if (!inPeriod.isEmpty()) {
            long events = inPeriod.stream().mapToLong(TrailLedger.ArchivedDay::events).sum();
            notes.add(inPeriod.size() + " day(s) from " + inPeriod.get(0).day() + " to " + inPeriod.get(inPeriod.size() - 1).day()
                    + " (" + events + " events) are archived and not in the trail: what is read here leaves them out");
        }
    }

    private Instant periodStart;
    private Instant periodEnd;

    private boolean periodHolds(LocalDate day) {
        return (periodStart == null || !day.isBefore(TrailLayout.day(periodStart)))
                && (periodEnd == null || !day.isAfter(TrailLayout.day(periodEnd)));
    }

    private long archivedCount() {
        long count = 0;
        for (TreeMap<Long, Long> runs : archivedRuns.values()) {
            for (Map.Entry<Long, Long> run : runs.entrySet()) {
                count += run.getValue() - run.getKey() + 1;
            }
        }
        return count;
    }

    /** The day of an event file's path relative to the trail ({@code events/YYYY/MM/DD/name}), or null. */
    private static LocalDate dayOfRelative(String relative) {
        String[] parts = relative.split("/");
        if (parts.length != 5) {
            return null;
        }
        try {
            return LocalDate.of(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Integer.parseInt(parts[3]));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
    }

    private Path lastFile() {
        return lastName == null ? null : lastFolder.resolve(lastName);
    }

    private void fill(Map.Entry<Long, Gap> gap, long seq) {
        long first = gap.getKey();
        Gap rest = gap.getValue();
        gaps.remove(first);
        if (first < seq) {
            gaps.put(first, new Gap(seq - 1, rest.after(), rest.afterPrevHash()));
        }
        if (seq < rest.last()) {
            gaps.put(seq + 1, rest);
        }
    }

    private void closeGaps() {
        for (Map.Entry<Long, Gap> gap : gaps.entrySet()) {
            long first = gap.getKey();
            long last = gap.getValue().last();
            problems.add(new IntegrityProblem(ProblemKind.MISSING, first, gap.getValue().after(),
                    (first == last ? "seq " + first + " is" : "seqs " + first + " to " + last + " are")
                            + " missing: the chain goes on at " + gap.getValue().after().getFileName()));
        }
    }

    private void checkDigest(LocalDate day, DayChain chain, HeadState head) {
        if (chain.count > 0 && key != null && head.head() != null) {
            checkDigest(day, chain.firstSeq, chain.lastSeq, chain.count, chain.lastHash, head.head());
        }
    }

    private void checkDigest(LocalDate day, long first, long last, long count, String lastHash, Head head) {
        if (head.day() == null || !day.isBefore(head.day())) {
            return; // the head's own signature covers its day
        }
        if (head.signedSinceSeq() == 0 || last < head.signedSinceSeq()) {
            return; // written before the trail was signed
        }
        Path file = layout.display(layout.digestKey(day));
        try {
            Optional<ObjectNode> stored = layout.readObject(layout.digestKey(day));
            if (stored.isEmpty()) {
                digestProblem(day, new IntegrityProblem(ProblemKind.SIGNATURE, first, file, "the day " + day + " has no signed digest"));
                return;
            }
            ObjectNode document = stored.get();
            DayDigest digest = DayDigest.fromJson(document);
            if (!key.id().equals(document.path("key_id").asText()) || !Head.signatureValid(document, key)) {
                digestProblem(day, new IntegrityProblem(ProblemKind.SIGNATURE, first, file,
                        "the digest of " + day + " is not signed by this key"));
            } else if (digest.firstSeq() != first || digest.lastSeq() != last
                    || !Objects.equals(digest.lastHash(), lastHash)) {
                // Named at the first seq where the day and its digest part; when only the count differs,
                // events inside the day are missing, which the gaps already report, seq by seq.
                long parted = digest.firstSeq() != first ? Math.min(first, digest.firstSeq())
                        : digest.lastSeq() != last ? Math.min(last, digest.lastSeq()) + 1 : last;
                digestProblem(day, new IntegrityProblem(ProblemKind.SIGNATURE, parted, file,
                        "the signed digest of " + day + " records seqs " + digest.firstSeq() + " to " + digest.lastSeq()
                                + " ending in hash " + abbreviate(digest.lastHash()) + ", but the day holds seqs " + first
                                + " to " + last + " (" + count + " events) ending in " + abbreviate(lastHash)));
            }
        } catch (CorruptDocumentException | InvalidInputException | EventJson.MalformedEvent e) {
            digestProblem(day, new IntegrityProblem(ProblemKind.SIGNATURE, first, file, "the digest of " + day + " is unreadable"));
        }
    }

    private void digestProblem(LocalDate day, IntegrityProblem problem) {
        digestProblems.computeIfAbsent(day, d -> new ArrayList<>()).add(problem);
    }

    private void checkHead(HeadState before, HeadState after) {
        if (before.problem() != null) {
            if (checked > 0 || before.problem().kind() == ProblemKind.MALFORMED) {
                problems.add(before.problem());
            }
            return;
        }
        Head head = before.head();
        if (head.lastSeq() > maxSeq) {
            problems.add(new IntegrityProblem(ProblemKind.TRUNCATED, maxSeq + 1, layout.head, "head.json records "
                    + head.lastSeq() + " events but the trail ends at seq " + maxSeq + ": the newest events were removed"));
        } else if (head.lastSeq() > 0 && hashAtHeadSeq != null && !Objects.equals(hashAtHeadSeq, head.lastHash())) {
            problems.add(new IntegrityProblem(ProblemKind.MODIFIED, head.lastSeq(), layout.head, "the hash of seq "
                    + head.lastSeq() + " differs from the one head.json records: the chain was rewritten up to there"));
        }
        long covered = after.head() != null ? Math.max(head.lastSeq(), after.head().lastSeq()) : head.lastSeq();
        if (maxSeq > covered) {
            if (key != null) {
                problems.add(new IntegrityProblem(ProblemKind.SIGNATURE, covered + 1, null, (maxSeq - covered)
                        + " event(s) after head.json are not covered by its signature"));
            } else {
                notes.add((maxSeq - covered) + " event(s) after head.json: an append was interrupted; the next append adopts them");
            }
        }
        if (key != null && (checked > 0 || head.signed())) {
            if (!head.signed()) {
                problems.add(new IntegrityProblem(ProblemKind.SIGNATURE, 0, layout.head,
                        "head.json is not signed (it will be at the next append made with the key)"));
            } else if (!key.id().equals(head.keyId())) {
                problems.add(new IntegrityProblem(ProblemKind.SIGNATURE, 0, layout.head,
                        "head.json is signed with another key (id " + head.keyId() + ", this key is " + key.id() + ")"));
            } else if (!Head.signatureValid(head.raw(), key)) {
                problems.add(new IntegrityProblem(ProblemKind.SIGNATURE, 0, layout.head,
                        "the signature of head.json does not match its content: it was rewritten without the key"));
            }
        }
    }

    private HeadState readHead() {
        try {
            Head head = Head.read(layout);
            if (head == null) {
                return new HeadState(null, new IntegrityProblem(ProblemKind.MISSING, 0, layout.head,
                        "head.json is missing: removal of the newest events cannot be ruled out"));
            }
            if (headSeqOfInterest < 0) {
                headSeqOfInterest = head.lastSeq();
            }
            return new HeadState(head, null);
        } catch (CorruptDocumentException | InvalidInputException e) {
            return new HeadState(null, new IntegrityProblem(ProblemKind.MALFORMED, 0, layout.head, e.getMessage()));
        }
    }

    /** The chained event nearest to the period, looking from day {@code index} in {@code direction} (-1 back, +1 on). */
    private StoredEvent nearestChained(List<LocalDate> days, int index, int direction) {
        for (int i = index; i >= 0 && i < days.size(); i += direction) {
            List<StoredEvent> chained = eventsOf(days.get(i), problem -> { }).stream()
                    .filter(stored -> stored.event().chained() && stored.event().seq() > 0).toList();
            if (!chained.isEmpty()) {
                Comparator<StoredEvent> bySeq = Comparator.comparingLong(stored -> stored.event().seq());
                return direction < 0 ? chained.stream().max(bySeq).orElseThrow() : chained.stream().min(bySeq).orElseThrow();
            }
        }
        return null;
    }

    private static int firstIndexAtOrAfter(List<LocalDate> days, LocalDate day) {
        int i = 0;
        while (i < days.size() && days.get(i).isBefore(day)) {
            i++;
        }
        return i;
    }

    private static String abbreviate(String hash) {
        return hash == null ? "(none)" : hash.substring(0, Math.min(12, hash.length())) + "...";
    }

    private record Gap(long last, Path after, String afterPrevHash) {
    }

    private record HeadState(Head head, IntegrityProblem problem) {
    }
}
