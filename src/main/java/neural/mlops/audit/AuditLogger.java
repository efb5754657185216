package neural.mlops.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.Names;
import neural.mlops.store.NotFoundException;
import neural.mlops.store.OutputGuard;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.StorePaths;
import neural.mlops.store.UserConfig;
import neural.mlops.store.UtcTime;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.store.storage.Optimistic;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.StoredObject;
import neural.mlops.store.storage.Version;

/**
 * The audit trail of a workspace (SPEC 2.3, 3.3), opened on its {@code audit_logs} folder as in
 * the original ({@code AuditLogger("./audit_logs")}).
 *
 * <p>Every append is chained (seq, prev_hash, hash), durable before it returns, serialised across
 * threads and processes, and fail-closed: when the event cannot be written, the method throws and
 * the caller must not carry out the action it records. With a key ({@link AuditKey}) the chain
 * head and per-day digests are signed as well. Queries, reports and exports read only the day
 * folders of their period; verification walks the chain and reports every problem.
 *
 * <pre>{@code
 * AuditLogger audit = new AuditLogger(Path.of("audit_logs"));
 * audit.logModelDeployment("fraud_detector", "v2.0.0", "devops@company.com", "production");
 * IntegrityReport integrity = audit.verifyIntegrity();
 * }</pre>
 */
public final class AuditLogger implements AuditSink {

    /**
     * A query of a bounded period up to this long lists it month by month and keeps those listings
     * to check each day's index against; a longer one lists day by day as it reads (a year's
     * listings held at once would grow with the trail).
     */
    private static final long LISTED_PERIOD_DAYS = 92;

    private final TrailLayout layout;
    private final Clock clock;
    private final AuditKey key;
    private final AppendLog appendLog;
    private final OutputGuard outputs;
    private final DayInPieces.Settings pieces;

    /** The trail at {@code root}, on the system clock, signed with the configured key if there is one. */
    public AuditLogger(Path root) {
        this(root, Clock.systemUTC(), AuditKey.configured());
    }

    /** The trail at {@code root} with the given clock and key (empty: the trail is chained but not signed). */
    public AuditLogger(Path root, Clock clock, Optional<AuditKey> key) {
        this(root, clock, key, OutputGuard.outside(List.of(root)));
    }

    /**
     * The same, keeping exports and copies of reports out of {@code outputs}' stores (a
     * workspace passes all of its stores; alone, the trail keeps them out of itself).
     */
    public AuditLogger(Path root, Clock clock, Optional<AuditKey> key, OutputGuard outputs) {
        this(new LocalStorage(root), clock, key, outputs);
    }

    /**
     * The trail in {@code root}, a storage rooted at the trail ({@code audit_logs} of a workspace's
     * storage: a folder or {@code s3://bucket/prefix/audit_logs}); every read and write of the trail
     * goes through it. Exports and copies of reports go to local files the user chose, checked by
     * {@code outputs}, never into the storage.
     */
    public AuditLogger(Storage root, Clock clock, Optional<AuditKey> key, OutputGuard outputs) {
        this(root, clock, key, outputs, ZoneId.systemDefault());
    }

    /**
     * The same, reading the naive local times of the original Python module's events (SPEC 10) in
     * {@code legacyZone}: a workspace passes its {@code workspace.yaml} {@code legacy_timezone}
     * (the system zone when it states none). The original's document shapes are written in it too.
     */
    public AuditLogger(Storage root, Clock clock, Optional<AuditKey> key, OutputGuard outputs, ZoneId legacyZone) {
        this(root, clock, key, outputs, legacyZone, DayInPieces.Settings.DEFAULT);
    }

    /** The same, reading a day of at least {@code pieces.fromEvents()} events in windows when it queries or exports. */
    AuditLogger(Storage root, Clock clock, Optional<AuditKey> key, OutputGuard outputs, ZoneId legacyZone,
                DayInPieces.Settings pieces) {
        this.pieces = pieces;
        this.outputs = outputs;
        this.layout = new TrailLayout(root, legacyZone);
        this.clock = clock;
        this.key = key.orElse(null);
        this.appendLog = new AppendLog(layout, clock, this.key);
    }

    /** The zone naive (legacy) times are read and written in. */
    public ZoneId legacyZone() {
        return layout.naiveZone;
    }

    /** The trail's root folder ({@code audit_logs}); for a trail in a bucket, its location as a path. */
    public Path root() {
        return layout.root;
    }

    /** Where the trail is, for messages: its folder or {@code s3://bucket/prefix/audit_logs}. */
    public String location() {
        return layout.storage.location();
    }

    /** True when a key signs the head and the day digests. */
    public boolean signed() {
        return key != null;
    }

    // Recording

    /**
     * {@link AuditSink}: appends the records as consecutive events in one commit, all durably or
     * none and an exception; the caller must not act when it throws.
     */
    @Override
    public void recordAll(List<AuditRecord> records) {
        appendLog.appendAll(records);
    }

    /** Appends the record and returns the event as written. */
    public AuditEvent logEvent(AuditRecord record) {
        return appendLog.append(record);
    }

    /**
     * Appends records that belong to one action (a promotion and the archiving it causes) as
     * consecutive events in one commit: all durable, or none and an exception. One wait for the
     * disk instead of one per event.
     */
    public List<AuditEvent> logEvents(List<AuditRecord> records) {
        return appendLog.appendAll(records);
    }

    /** The original's {@code log_event}: any event, successful unless the record says otherwise. */
    public AuditEvent logEvent(EventType eventType, String user, String resourceType, String resourceId, String action,
                               EventSeverity severity, Map<String, Object> details, String ipAddress) {
        return logEvent(new AuditRecord(eventType, severity, user, resourceType, resourceId, action, Outcome.SUCCESS,
                null, details, ipAddress));
    }

    public AuditEvent logModelRegistration(String modelName, String version, String user, String framework,
                                           Map<String, ? extends Number> metrics) {
        return logEvent(AuditRecords.modelRegistered(user, modelId(modelName, version), framework, metrics));
    }

    public AuditEvent logModelDeployment(String modelName, String version, String user, String environment) {
        return logModelDeployment(modelName, version, user, environment, null);
    }

    /** The original's {@code log_model_deployment}, with the rollout strategy (canary, blue_green, ...) when known. */
    public AuditEvent logModelDeployment(String modelName, String version, String user, String environment, String strategy) {
        return logEvent(AuditRecords.modelDeployed(user, modelId(modelName, version),
                Names.require("environment", environment), strategy));
    }

    public AuditEvent logModelPromotion(String modelName, String version, String user, String fromStage, String toStage,
                                        String reason) {
        return logEvent(AuditRecords.stageChanged(user, modelId(modelName, version), "promote", fromStage,
                toStage, null).withReason(reason));
    }

    /** A security violation: critical, outcome denied. */
    public AuditEvent logSecurityViolation(String user, String resourceType, String resourceId, String action,
                                           Map<String, Object> details, String ipAddress) {
        return logEvent(new AuditRecord(EventType.SECURITY_VIOLATION, EventSeverity.CRITICAL, user, resourceType,
                resourceId, action, Outcome.DENIED, null, details, ipAddress));
    }

    public AuditEvent logSecurityViolation(String user, String resourceType, String resourceId, String action,
                                           Map<String, Object> details) {
        return logSecurityViolation(user, resourceType, resourceId, action, details, null);
    }

    /** An action a rule refused (SPEC 8): warning, outcome denied, with the reason the user was given. */
    public AuditEvent logAccessDenied(String user, String resourceType, String resourceId, String action, String reason) {
        return logEvent(AuditRecords.accessDenied(user, resourceType, resourceId, action, reason, null, null));
    }

    // Reading

    /** The chain head as head.json records it. */
    public ChainHead head() {
        try {
            Head head = Head.read(layout);
            return head == null ? new ChainHead(0, null, null) : new ChainHead(head.lastSeq(), head.lastHash(), head.lastTimestamp());
        } catch (CorruptDocumentException e) {
            return new ChainHead(0, null, null);
        }
    }

    /** Every event that meets the filter, newest first. */
    public List<AuditEvent> queryEvents(AuditFilter filter) {
        return query(filter, 0).events();
    }

    /** At most {@code limit} events (0: no limit) that meet the filter, newest first. */
    public List<AuditEvent> queryEvents(AuditFilter filter, int limit) {
        return query(filter, limit).events();
    }

    /** The original's {@code query_events}; every criterion may be null, {@code limit} 0 for none. */
    public List<AuditEvent> queryEvents(EventType eventType, Instant startDate, Instant endDate, EventSeverity severity,
                                        String user, String resourceId, String text, int limit) {
        return queryEvents(new AuditFilter(eventType, severity, user, null, resourceId, text, startDate, endDate), limit);
    }

    /**
     * The events that meet the filter, newest first, reading only the day folders in its period,
     * and the files it could not read, with any derived file found tampered with (it was not used:
     * the day was read from its event files).
     */
    public QueryResult query(AuditFilter filter, int limit) {
        List<AuditEvent> found = new ArrayList<>();
        List<IntegrityProblem> unreadable = query(filter, limit, found::add);
        return new QueryResult(found, unreadable);
    }

    /**
     * The same, handing each event to {@code each} as it is read, newest first, instead of
     * collecting them: a caller that prints a period's events holds a few days of them (the days
     * read ahead), not the period. Returns the files it could not read, as {@link QueryResult} has them.
     */
    public List<IntegrityProblem> query(AuditFilter filter, int limit, Consumer<? super AuditEvent> each) {
        if (limit < 0) {
            throw new InvalidInputException("The limit must be 0 (none) or more, not " + limit);
        }
        requirePeriod(filter.since(), filter.until());
        List<IntegrityProblem> unreadable = new ArrayList<>();
        boolean needsDetails = needsDetails(filter);
        LocalDate from = dayOf(filter.since());
        LocalDate to = dayOf(filter.until());
        TrailIndex index = new TrailIndex(layout, key); // its own: the tampering it finds is this query's to report
        // What can be told from an event's summary is told as its index line is parsed, and the rest let go at once.
        Predicate<AuditEvent> wanted = needsDetails ? TrailIndex.EVERY_EVENT : filter::test;
        List<LocalDate> days;
        Function<LocalDate, Map<String, TrailIndex.Stamp>> listing;
        if (from != null && to != null && ChronoUnit.DAYS.between(from, to) <= LISTED_PERIOD_DAYS) {
            // A bounded period: one listing per month says which days hold events and what each day's index must name.
            // Each day's listing is let go once read: a busy day's is tens of megabytes.
            Map<LocalDate, List<StoredObject>> listed = new ConcurrentHashMap<>(layout.eventObjectsByDay(from, to));
            days = new ArrayList<>(listed.keySet());
            days.sort(Comparator.reverseOrder()); // newest first
            listing = day -> TrailIndex.stamps(listed.remove(day));
        } else {
            days = layout.days(from, to, true);
            listing = index::listing;
        }
        Found found = new Found(each, limit);
        // Days are read and filtered ahead on the index's reader threads; closing stops them once enough is found.
        try (TrailIndex.Ahead<QueryDay> matches = index.mapAheadDays(days, day -> {
            Map<String, TrailIndex.Stamp> objects = listing.apply(day);
            return DayInPieces.ifBusy(index, layout, day, objects, pieces).map(busy -> new QueryDay(null, busy))
                    .orElseGet(() -> new QueryDay(matching(index.read(day, objects, wanted), filter, needsDetails, limit),
                            null));
        })) {
            while (matches.hasNext() && !found.enough()) {
                QueryDay day = matches.next();
                if (day.pieces() != null) {
                    unreadable.addAll(day.pieces().unreadable());
                    // A busy day a window at a time, newest first: it is never held, whatever the query finds.
                    day.pieces().each(wanted, true, window -> found.take(
                            matching(window, filter, needsDetails, found.left())));
                } else {
                    unreadable.addAll(day.whole().unreadable());
                    found.take(day.whole().events());
                }
            }
        }
        unreadable.addAll(index.drainProblems());
        return unreadable;
    }

    /** A day as a query reads it: its matches, or (a busy day) checked to be read in pieces. */
    private record QueryDay(QueryResult whole, DayInPieces pieces) {
    }

    /** The events a query has handed on, newest first, up to its limit. */
    private static final class Found {
        private final Consumer<? super AuditEvent> each;
        private final int limit;
        private long count;

        Found(Consumer<? super AuditEvent> each, int limit) {
            this.each = each;
            this.limit = limit;
        }

        /** Hands on {@code events} until the limit; false once it is reached. */
        boolean take(List<AuditEvent> events) {
            for (AuditEvent event : events) {
                if (enough()) {
                    return false;
                }
                each.accept(event);
                count++;
            }
            return !enough();
        }

        boolean enough() {
            return limit > 0 && count >= limit;
        }

        /** How many more the query may find (0: any number). */
        int left() {
            return limit == 0 ? 0 : (int) (limit - count);
        }
    }

    /**
     * A day's events that meet the filter, newest first, at most {@code limit} of them (0: all): no
     * day can give a query more than its limit, and building an event costs a full parse, so the
     * newest 5,000 of a 77,000-event day build 5,000. Every criterion but text is decided without
     * the details.
     */
    private static QueryResult matching(TrailIndex.Day day, AuditFilter filter, boolean needsDetails, int limit) {
        return new QueryResult(matching(day.events(), filter, needsDetails, limit), day.unreadable());
    }

    /** The same of {@code events}, oldest first (a day, or a window of one). */
    private static List<AuditEvent> matching(List<IndexedEvent> events, AuditFilter filter, boolean needsDetails,
                                             int limit) {
        List<AuditEvent> matched = new ArrayList<>();
        for (int i = events.size() - 1; i >= 0 && (limit == 0 || matched.size() < limit); i--) {
            if (!needsDetails && !filter.test(events.get(i).summary())) {
                continue;
            }
            AuditEvent event = events.get(i).event();
            if (filter.test(event)) {
                matched.add(event);
            }
        }
        return matched;
    }

    /**
     * The chained {@code config_changed} events that changed {@code setting}, oldest first: what the
     * trail recorded of it (workspace.yaml's {@code identities}, which signatures are checked
     * against, among them). Only the days that {@code index/ledger.json} names as holding such a
     * change are read, so the cost follows the changes, not the trail: a first signed action on a
     * three-year trail used to read every day's index to find the identities recorded last.
     */
    public List<AuditEvent> settingChanges(String setting) {
        TrailIndex index = new TrailIndex(layout, key);
        List<AuditEvent> changes = new ArrayList<>();
        for (LocalDate day : TrailLedger.read(layout, key, pieces).daysChanging(setting)) {
            for (IndexedEvent indexed : index.read(day).events()) {
                AuditEvent summary = indexed.summary();
                if (summary.eventType() == EventType.CONFIG_CHANGED && summary.chained()) {
                    AuditEvent event = indexed.event();
                    if (setting.equals(event.details().get(AuditRecords.SETTING))) {
                        changes.add(event);
                    }
                }
            }
        }
        changes.sort(Comparator.comparingLong(AuditEvent::seq));
        return changes;
    }

    // Reports

    public ComplianceReport generateComplianceReport(Instant startDate, Instant endDate) {
        return generateComplianceReport(startDate, endDate, UserConfig.osUser());
    }

    /**
     * The compliance report of [start, end], saved under {@code reports/}. Generating it is itself
     * audited (report_generated) as the report is saved; when that fails, the report is removed
     * again and the error thrown.
     */
    public ComplianceReport generateComplianceReport(Instant startDate, Instant endDate, String user) {
        requirePeriod(startDate, endDate);
        Instant generatedAt = UtcTime.now(clock);
        AuditFilter period = AuditFilter.all().withPeriod(startDate, endDate);
        // A reports folder a link was planted at is refused before the work (which refreshes derived files);
        // in a bucket there is no folder to plant one in.
        layout.storage.localFile(layout.reportKey("report.json"))
                .ifPresent(file -> StorePaths.forWrite(layout.root, TrailLayout.REPORTS, "report.json"));
        ReportTally tally = new ReportTally();
        // One pass over the index: each day is tallied as it is read (in parallel), and the period's
        // links, head and signed digests are checked on the way. A year must not open a million files;
        // recomputing every event's hash from its file is audit verify's job.
        IntegrityReport integrity = new Verifier(layout, key, clock, Verifier.Source.INDEX, pieces)
                .verify(startDate, endDate, view -> ReportTally.ofView(view, period, pieces), tally::add);
        ChainHead head = head();
        // The report's name is claimed by creating it (two reports of one second get _2, _3, never one
        // file); the report_generated event follows, and when it cannot be written the report is removed.
        return Optimistic.retry("save the compliance report", () -> appendLog.locked(() -> {
            Key file = freeReportKey(generatedAt);
            String reportId = file.fileName().replaceFirst("\\.json$", "");
            ComplianceReport report = new ComplianceReport(reportId, generatedAt, user, startDate, endDate, tally.total,
                    tally.byType, tally.bySeverity, tally.byUser, tally.byDay, tally.violations, tally.denied,
                    tally.deployments, tally.promotions, tally.failed, tally.critical, integrity, head.seq(), head.hash(),
                    layout.display(file));
            Version saved = layout.storage.create(file, Json.bytes(layout.display(file), report.toJson(layout.naiveZone)));
            try {
                logEvent(AuditRecords.reportGenerated(user, reportId, startDate, endDate, tally.total,
                        tally.violations.size(), integrity.intact()));
            } catch (RuntimeException notAudited) {
                // Fail-closed: a report whose generation is not in the trail is not kept.
                try {
                    layout.storage.delete(file, Condition.matches(saved));
                } catch (RuntimeException stays) {
                    notAudited.addSuppressed(stays);
                }
                throw notAudited;
            }
            return report;
        }));
    }

    /**
     * The reports saved under {@code reports/}, this product's and the original module's (SPEC 10),
     * newest first by when they were generated. A document that cannot be read is passed to
     * {@code unreadable} and left out. Each document is streamed for its listing fields
     * ({@link SavedReport}), whatever its size.
     */
    public List<SavedReport> savedReports(Consumer<IntegrityProblem> unreadable) {
        return savedReportsByKey(unreadable).values().stream()
                .sorted(Comparator.comparing(SavedReport::generatedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .reversed().thenComparing(SavedReport::reportId))
                .toList();
    }

    /** The saved report with that id (its file name without {@code .json}, or its {@code report_id}). */
    public SavedReport savedReport(String reportId) {
        return savedReportEntry(reportId).getValue();
    }

    /**
     * Writes the saved report {@code reportId} as saved, token by token, to {@code out}: a report
     * of any size, in the memory of one value at a time. Throws {@link CorruptDocumentException}
     * when it is no longer one JSON object.
     */
    public void writeSavedReport(String reportId, JsonGenerator out) throws IOException {
        Key key = savedReportEntry(reportId).getKey();
        Optional<InputStream> stream = layout.storage.openStream(key);
        if (stream.isEmpty()) {
            throw new NotFoundException("The saved report " + Names.quote(reportId) + " was removed meanwhile");
        }
        try (InputStream in = stream.get(); JsonParser parser = Json.storedMapper().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new CorruptDocumentException(layout.display(key), "expected a JSON object");
            }
            out.copyCurrentStructure(parser);
        } catch (JsonProcessingException e) {
            throw new CorruptDocumentException(layout.display(key), Json.describe(e));
        }
    }

    private Map.Entry<Key, SavedReport> savedReportEntry(String reportId) {
        // Asked for by its file name, the usual case, a report is read alone; by its report_id, all are.
        Optional<Key> named = reportKey(reportId);
        Optional<SavedReport> byName = named.flatMap(key -> readSavedReport(key, problem -> { }));
        if (byName.isPresent()) {
            return Map.entry(named.get(), byName.get());
        }
        return savedReportsByKey(problem -> { }).entrySet().stream()
                .filter(entry -> entry.getValue().reportId().equals(reportId))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("No saved report " + Names.quote(reportId)
                        + " under " + layout.display(TrailLayout.REPORTS) + "; list them with 'audit reports'"));
    }

    /** The key of the report file named {@code reportId}{@code .json}; empty when no single file name is that. */
    private static Optional<Key> reportKey(String reportId) {
        if (reportId.isEmpty() || reportId.contains("/")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Key.of(TrailLayout.REPORTS, reportId + ".json"));
        } catch (InvalidInputException notAFileName) {
            return Optional.empty();
        }
    }

    private Map<Key, SavedReport> savedReportsByKey(Consumer<IntegrityProblem> unreadable) {
        Map<Key, SavedReport> reports = new LinkedHashMap<>();
        List<Key> keys;
        try (var objects = layout.storage.list(TrailLayout.REPORTS)) {
            keys = objects.map(StoredObject::key).filter(key -> key.fileName().endsWith(".json")).sorted().toList();
        }
        for (Key key : keys) {
            readSavedReport(key, unreadable).ifPresent(report -> reports.put(key, report));
        }
        return reports;
    }

    /**
     * The listing fields of the report at {@code key}, streamed; empty when it is gone or, passed
     * to {@code unreadable}, when it is not one JSON object or not a file (a pipe).
     */
    private Optional<SavedReport> readSavedReport(Key key, Consumer<IntegrityProblem> unreadable) {
        Optional<InputStream> stream = layout.storage.openStream(key);
        if (stream.isEmpty()) {
            try {
                layout.read(key, Json.MAX_DOCUMENT_BYTES); // says what is there when it is not a file (a pipe)
            } catch (CorruptDocumentException | InvalidInputException e) {
                unreadable.accept(new IntegrityProblem(ProblemKind.MALFORMED, 0, layout.display(key),
                        "not a readable report: " + e.getMessage()));
            }
            return Optional.empty(); // else removed since the listing
        }
        try (InputStream in = stream.get(); JsonParser parser = Json.storedMapper().createParser(in)) {
            return Optional.of(SavedReport.read(key.fileName().replaceFirst("\\.json$", ""), layout.display(key),
                    parser, layout.naiveZone));
        } catch (JsonProcessingException e) {
            // A corrupt document: named, and the other reports still listed.
            unreadable.accept(new IntegrityProblem(ProblemKind.MALFORMED, 0, layout.display(key),
                    "not a readable report: " + Json.describe(e)));
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreIOException("Could not read " + layout.display(key) + ": " + e.getMessage(), e);
        }
    }

    // Export

    /** The original's {@code export_audit_trail} with no period: the whole trail. */
    public ExportResult exportAuditTrail(Path outputPath, ExportFormat format) {
        return exportAuditTrail(outputPath, format, AuditFilter.all(), UserConfig.osUser());
    }

    /** The original's {@code export_audit_trail}: every event of [start, end] (null: unbounded). */
    public ExportResult exportAuditTrail(Path outputPath, ExportFormat format, Instant startDate, Instant endDate) {
        return exportAuditTrail(outputPath, format, AuditFilter.all().withPeriod(startDate, endDate), UserConfig.osUser());
    }

    /**
     * Streams the events that meet the filter to {@code outputPath}, oldest first, atomically
     * (nothing appears at the path unless the whole export does). The export is audited
     * (audit_exported, with its count and SHA-256) before the file is put in place; when that
     * fails, no file is left.
     */
    public ExportResult exportAuditTrail(Path outputPath, ExportFormat format, AuditFilter filter, String user) {
        return exportAuditTrail(outputPath, format, filter, user, false, ExportListener.NONE);
    }

    /**
     * The same, telling {@code listener} how far the export got (day folders done of the
     * period's, events written). When the listener returns false the export stops, leaves no
     * file, records no event and throws {@link ExportCancelledException}. The file is never
     * inside a store ({@link #checkOutput}) and replaces an existing one only when {@code replace}
     * (the user agreed: the command line's --force, the save dialog's confirmation).
     */
    public ExportResult exportAuditTrail(Path outputPath, ExportFormat format, AuditFilter filter, String user,
                                         boolean replace, ExportListener listener) {
        return exportAuditTrail(outputPath, format, ExportShape.PRODUCT, filter, user, replace, listener);
    }

    /**
     * The same in {@code shape}: {@link ExportShape#ORIGINAL} writes the original module's plain
     * list of events, newest first (json and yaml only; refused for the others before any work).
     */
    public ExportResult exportAuditTrail(Path outputPath, ExportFormat format, ExportShape shape, AuditFilter filter,
                                         String user, boolean replace, ExportListener listener) {
        if (shape == ExportShape.ORIGINAL && format != ExportFormat.JSON && format != ExportFormat.YAML) {
            throw new InvalidInputException("The original module's shape is a list of events in json or yaml; "
                    + format.value() + " has one shape only: leave out the shape, or export json or yaml");
        }
        requirePeriod(filter.since(), filter.until());
        Path target = checkOutput(outputPath, replace);
        Path temp;
        try {
            Files.createDirectories(target.getParent());
            temp = AtomicFiles.temporaryFor(target);
        } catch (IOException e) {
            throw StoreIOException.of("create the folder of", target, e);
        }
        try {
            ExportResult result = new Exporter(layout, new TrailIndex(layout, key), pieces).write(temp, target, format, shape,
                    filter, exportHeader(format, filter, user), problem -> { },
                    listener == null ? ExportListener.NONE : listener);
            checkOutput(target, replace); // a file may have appeared there during a long export
            logEvent(AuditRecords.exported(user, layout.root.getFileName().toString(), format.value(), target.toString(),
                    result.count(), result.bytes(), result.sha256(), filter.since(), filter.until()));
            AtomicFiles.commit(temp, target);
            temp = null;
            return result;
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // A leftover temporary file is hidden from readers and cleaned later.
                }
            }
        }
    }

    // Output files

    /**
     * Where a file the user named for output ({@code outputPath}) will be written: refused with
     * {@link InvalidInputException} when it is inside one of the workspace's stores (links
     * followed) or a folder, and with {@link neural.mlops.store.ConflictException} when it exists
     * and {@code replace} is false. Check before doing work whose result would then be lost.
     */
    public Path checkOutput(Path outputPath, boolean replace) {
        return outputs.check(outputPath, replace);
    }

    /**
     * Writes a copy of {@code report} as JSON or HTML to a file the user chose, atomically, under
     * the rules of {@link #checkOutput}. (The report itself is saved under {@code reports/} when
     * generated.) Returns the absolute file written.
     */
    public Path saveReport(ComplianceReport report, Path file, ReportFormat format, boolean replace) {
        Path target = checkOutput(file, replace);
        switch (format) {
            case JSON -> Json.writeAtomically(target, report.toJson(layout.naiveZone));
            case HTML -> ComplianceReportHtml.save(report, target);
        }
        return target;
    }

    // Verification

    /** Walks the whole chain; reports every problem, with the first event affected. */
    public IntegrityReport verifyIntegrity() {
        return new Verifier(layout, key, clock, Verifier.Source.FILES, pieces).verify(null, null);
    }

    /** Checks the days of [start, end] and their links to the events just before and after. */
    public IntegrityReport verifyIntegrity(Instant startDate, Instant endDate) {
        requirePeriod(startDate, endDate);
        return new Verifier(layout, key, clock, Verifier.Source.FILES, pieces).verify(startDate, endDate);
    }

    /**
     * Checks the window from {@code since} to the head as {@link #verifyIntegrity()} checks the
     * whole trail (every event file read and re-hashed, links, times, head, the window's derived
     * files), without reading any older day's events: the window's first event is tied to the last
     * earlier day's signed digest (with the key, on a signed trail) or sealed summary. Nothing done
     * to the days before {@code since} is detected; the report's coverage says so.
     */
    public IntegrityReport verifyIntegritySince(Instant since) {
        checkWindowStart(since);
        return new Verifier(layout, key, clock, Verifier.Source.FILES, pieces).verifyWindow(since);
    }

    private void checkWindowStart(Instant since) {
        if (since == null) {
            throw new InvalidInputException("A window to verify needs its start (--since)");
        }
        if (since.isAfter(UtcTime.now(clock))) {
            throw new InvalidInputException("The window to verify starts at " + UtcTime.format(since)
                    + ", in the future: give a start in the past (--since 30d or a date)");
        }
    }

    /**
     * As {@link #checkIntegrity(String)}, for the window from {@code since} on ({@link
     * #verifyIntegritySince}); null checks the whole trail. The recorded event names the window.
     */
    public IntegrityCheck checkIntegrity(String user, Instant since) {
        return checkIntegrity(user, since, event -> { });
    }

    /**
     * As {@link #checkIntegrity(String, Instant)}, handing {@code eachEvent} every event the check
     * reads, day by day in order: {@code audit verify} checks the events' SSH signatures in the same
     * pass (a second pass read the whole trail again).
     */
    public IntegrityCheck checkIntegrity(String user, Instant since, Consumer<AuditEvent> eachEvent) {
        if (since != null) {
            checkWindowStart(since);
        }
        Verifier verifier = new Verifier(layout, key, clock, Verifier.Source.FILES, pieces).showingEachEvent(eachEvent);
        IntegrityReport report = since == null ? verifier.verify(null, null) : verifier.verifyWindow(since);
        Optional<String> notRecorded = new AuditedChange(this).recordRegardless(AuditRecords.integrityChecked(user,
                layout.root.getFileName().toString(), report.intact(), report.eventsChecked(),
                report.problems().size(), report.headSeq(), since));
        return new IntegrityCheck(report, notRecorded);
    }

    /**
     * Verifies the whole chain as {@link #verifyIntegrity()} does and records the check as an
     * {@code integrity_check} event by {@code user} (the CLI's {@code audit verify} and the
     * desktop's Verify Integrity both come here). The verification stands when a broken trail
     * refuses to record it; {@link IntegrityCheck#notRecorded()} then says why.
     */
    public IntegrityCheck checkIntegrity(String user) {
        return checkIntegrity(user, null);
    }

    // Adoption and retention

    /** The most days one archive takes: its checkpoint lists each day and must stay within the details limit. */
    public static final int MAX_ARCHIVE_DAYS = 250;
    /** The share of the details limit one adoption event fills with files. */
    private static final int ADOPTION_PART_BYTES = 48 * 1024;

    /**
     * {@code audit adopt}: records in the chain the SHA-256 of every unchained event file whose
     * time is at most {@code until} (null: now) that no adoption vouches for yet, as
     * {@code integrity_check} events with action {@code adopt} (several when the files do not fit
     * in one event's details), all in one commit or none. From then on verification checks those
     * files against their recorded hash instead of reporting them unchained. Files that cannot be
     * read as events are not adopted and are returned as skipped.
     */
    public AdoptionResult adopt(Instant until, String user, String reason) {
        String why = requireReason(reason, "Adopting vouches for events nobody chained");
        Instant limit = until == null ? UtcTime.now(clock) : until;
        return appendLog.locked(() -> {
            TrailLedger ledger = TrailLedger.read(layout, key, pieces);
            List<Map<String, Object>> files = new ArrayList<>();
            List<IntegrityProblem> skipped = new ArrayList<>();
            long already = 0;
            for (LocalDate day : layout.days(null, TrailLayout.day(limit), false)) {
                for (StoredEvent stored : StoredEvent.readDay(layout, day, skipped::add)) {
                    if (stored.event().chained() || stored.event().timestamp().isAfter(limit)) {
                        continue;
                    }
                    String relative = TrailLayout.dayFolder(day) + "/" + stored.fileName();
                    if (ledger.adopted(relative) != null) {
                        already++;
                        continue;
                    }
                    Map<String, Object> file = new LinkedHashMap<>();
                    file.put(AuditRecords.FILE, relative);
                    file.put(AuditRecords.SHA256, stored.sha256());
                    files.add(file);
                }
            }
            List<List<Map<String, Object>>> parts = new ArrayList<>();
            List<Map<String, Object>> part = new ArrayList<>();
            int bytes = 0;
            for (Map<String, Object> file : files) {
                int size = file.get(AuditRecords.FILE).toString().length() + 100;
                if (!part.isEmpty() && bytes + size > ADOPTION_PART_BYTES) {
                    parts.add(part);
                    part = new ArrayList<>();
                    bytes = 0;
                }
                part.add(file);
                bytes += size;
            }
            if (!part.isEmpty()) {
                parts.add(part);
            }
            List<AuditRecord> records = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                records.add(AuditRecords.adopted(user, layout.root.getFileName().toString(), why, limit, i + 1,
                        parts.size(), parts.get(i)));
            }
            List<AuditEvent> recorded = records.isEmpty() ? List.of() : logEvents(records);
            return new AdoptionResult(limit, files.size(), already, recorded, skipped);
        });
    }

    /**
     * {@code audit archive}: moves the whole days before {@code before} (which must be today or
     * earlier, UTC) out of the trail into a zip at {@code out} (outside the workspace's stores;
     * replaced only when {@code replace}). In this order, so that a crash leaves either the old
     * trail or the trail and an archive that verification accepts: the trail must verify intact;
     * the archive is written, put in place, re-read and verified; a checkpoint event (an
     * {@code integrity_check} with action {@code archive}: the archive's SHA-256 and each day's
     * seqs and last hash) is recorded; then the days' files are deleted, each only in the version
     * that was archived.
     */
    public ArchiveResult archive(LocalDate before, Path out, String user, String reason, boolean replace) {
        String why = requireReason(reason, "Archiving removes days from the trail");
        LocalDate today = TrailLayout.day(UtcTime.now(clock));
        if (before == null || before.isAfter(today)) {
            throw new InvalidInputException("--before " + before + " is after today (" + today + ", UTC): only whole "
                    + "past days are archived; give today or an earlier date");
        }
        Path target = checkOutput(out, replace);
        List<LocalDate> days = layout.days(null, before.minusDays(1), false);
        if (days.isEmpty()) {
            throw new InvalidInputException("The trail holds no events before " + before + ": nothing to archive");
        }
        if (days.size() > MAX_ARCHIVE_DAYS) {
            throw new InvalidInputException("The trail holds " + days.size() + " days before " + before + "; one archive "
                    + "takes at most " + MAX_ARCHIVE_DAYS + " (from " + days.get(0) + " to " + days.get(MAX_ARCHIVE_DAYS - 1)
                    + "): archive --before " + days.get(MAX_ARCHIVE_DAYS - 1).plusDays(1) + " first, then again");
        }
        IntegrityReport integrity = verifyIntegrity();
        if (!integrity.intact()) {
            throw new InvalidInputException("The audit trail is not intact (" + integrity.problems().size()
                    + " problem(s), first: " + integrity.firstAffected().map(IntegrityProblem::toString).orElse("-")
                    + "); nothing was archived: run 'audit verify', and 'audit adopt' for unchained events");
        }
        Path temp;
        try {
            Files.createDirectories(target.getParent());
            temp = AtomicFiles.temporaryFor(target);
        } catch (IOException e) {
            throw StoreIOException.of("create the folder of", target, e);
        }
        TrailArchive.Written written;
        try {
            written = TrailArchive.write(layout, days, temp, key, before, user, UtcTime.now(clock));
            checkOutput(target, replace); // a file may have appeared there meanwhile
            AtomicFiles.commit(temp, target);
            temp = null;
        } finally {
            deleteQuietly(temp);
        }
        String sha256 = TrailArchive.sha256(target);
        IntegrityReport archived = TrailArchive.verify(target, key, clock);
        if (!archived.intact()) {
            deleteQuietly(target);
            throw new StoreIOException("The archive " + target + " did not verify once written ("
                    + archived.problems().get(0) + "); it was removed and nothing was deleted from the trail", null);
        }
        List<Map<String, Object>> dayDetails = written.days().stream().map(TrailArchive.Day::toDetails).toList();
        AuditEvent checkpoint = logEvent(AuditRecords.archived(user, layout.root.getFileName().toString(), why,
                target.getFileName().toString(), sha256, before, written.events(), key == null ? null : key.id(),
                dayDetails));
        long deleted = 0;
        List<String> notDeleted = new ArrayList<>();
        for (TrailArchive.Day day : written.days()) {
            // Derived files first, then the events newest first: a crash leaves the oldest part of a day,
            // whose seqs then run up to where the checkpoint's next day starts (see TrailLedger#covering).
            for (Key derived : day.derived()) {
                deleted += deleteArchived(derived, Condition.none(), notDeleted);
            }
            List<StoredObject> events = new ArrayList<>(day.events());
            events.sort(Comparator.comparing((StoredObject object) -> object.key().value()).reversed());
            for (StoredObject event : events) {
                deleted += deleteArchived(event.key(), Condition.matches(event.version()), notDeleted);
            }
        }
        return new ArchiveResult(target, sha256, before, days, written.events(), written.firstSeq(), written.lastSeq(),
                written.lastHash(), checkpoint, deleted, notDeleted);
    }

    /**
     * What a retention of {@code keepDays} whole days makes due: the days of the trail before
     * today (UTC) minus {@code keepDays}, at most the {@link #MAX_ARCHIVE_DAYS} oldest of them, and
     * the {@link #archive} date that takes exactly those. Archived days are gone from the trail, so
     * they are never due again. Reads only the trail's folder listing.
     */
    public RetentionDue retentionDue(int keepDays) {
        if (keepDays < 1) {
            throw new InvalidInputException("The retention must be at least one day, not " + keepDays);
        }
        LocalDate limit = TrailLayout.day(UtcTime.now(clock)).minusDays(keepDays);
        List<LocalDate> older = layout.days(null, limit.minusDays(1), false);
        List<LocalDate> days = older.size() > MAX_ARCHIVE_DAYS ? older.subList(0, MAX_ARCHIVE_DAYS) : older;
        LocalDate before = days.isEmpty() ? null : days.size() < older.size() ? days.get(days.size() - 1).plusDays(1) : limit;
        return new RetentionDue(keepDays, older.size(), before, days);
    }

    /** {@code audit verify --archive}: verifies an archive on its own, with this logger's key when it has one. */
    public IntegrityReport verifyArchive(Path archive) {
        if (!Files.isRegularFile(archive)) {
            throw new InvalidInputException("No archive at " + archive + ": give the zip 'audit archive' wrote");
        }
        return TrailArchive.verify(archive, key, clock);
    }

    /**
     * What a reader of [start, end] (null: unbounded) must be told about archived days: one
     * sentence per archive whose days fall in the period, empty when none do. Reports carry it
     * among their integrity notes; exports print it.
     */
    public List<String> archivedIn(Instant start, Instant end) {
        Map<String, List<TrailLedger.ArchivedDay>> byArchive = new LinkedHashMap<>();
        for (TrailLedger.ArchivedDay day : TrailLedger.read(layout, key, pieces).archivedDays()) {
            if ((start == null || !day.day().isBefore(TrailLayout.day(start)))
                    && (end == null || !day.day().isAfter(TrailLayout.day(end)))) {
                byArchive.computeIfAbsent(day.archive(), archive -> new ArrayList<>()).add(day);
            }
        }
        List<String> notes = new ArrayList<>();
        byArchive.forEach((archive, days) -> notes.add(days.size() + " day(s) of the period, " + days.get(0).day() + " to "
                + days.get(days.size() - 1).day() + " (" + days.stream().mapToLong(TrailLedger.ArchivedDay::events).sum()
                + " events), are archived in " + archive + " (checkpoint seq " + days.get(0).checkpointSeq()
                + ") and not included"));
        return notes;
    }

    private long deleteArchived(Key key, Condition condition, List<String> notDeleted) {
        try {
            return layout.storage.delete(key, condition) ? 1 : 0;
        } catch (RuntimeException e) {
            notDeleted.add(layout.display(key) + ": " + e.getMessage());
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A leftover temporary file is hidden from readers and cleaned later.
            }
        }
    }

    private static String requireReason(String reason, String what) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException(what + ": give the reason (--reason)");
        }
        return reason.strip();
    }

    private ObjectNode exportHeader(ExportFormat format, AuditFilter filter, String user) {
        ChainHead head = head();
        ObjectNode header = Json.mapper().createObjectNode();
        header.put("format", "neural-mlops-audit-export");
        header.put("version", 1);
        header.put("generated_at", UtcTime.format(UtcTime.now(clock)));
        header.put("generated_by", user);
        header.set("period", ReportJson.period(filter.since(), filter.until()));
        ObjectNode filters = header.putObject("filters");
        putIfPresent(filters, "event_type", filter.type() == null ? null : filter.type().value());
        putIfPresent(filters, "severity", filter.severity() == null ? null : filter.severity().value());
        putIfPresent(filters, "user", filter.user());
        putIfPresent(filters, "resource_type", filter.resourceType());
        putIfPresent(filters, "resource_id", filter.resourceId());
        putIfPresent(filters, "text", filter.text());
        if (!filter.tags().isEmpty()) {
            filter.tags().forEach(filters.putArray("tags")::add);
        }
        ObjectNode chain = header.putObject("head");
        chain.put("seq", head.seq());
        chain.put("hash", head.hash());
        header.put("signed", key != null);
        header.put("event_format", format.value());
        return header;
    }

    private Key freeReportKey(Instant generatedAt) {
        Key file = layout.reportKey("report_" + UtcTime.fileStamp(generatedAt) + ".json");
        for (int n = 2; layout.storage.stat(file).isPresent(); n++) {
            file = layout.reportKey("report_" + UtcTime.fileStamp(generatedAt) + "_" + n + ".json");
        }
        return file;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void requirePeriod(Instant start, Instant end) {
        if (start != null && end != null && end.isBefore(start)) {
            throw new InvalidInputException("The period ends (" + UtcTime.format(end) + ") before it starts ("
                    + UtcTime.format(start) + ")");
        }
    }

    /** True when the filter looks in the details, which only the full event has. */
    static boolean needsDetails(AuditFilter filter) {
        return filter.text() != null && !filter.text().isEmpty();
    }

    private static LocalDate dayOf(Instant instant) {
        return instant == null ? null : TrailLayout.day(instant);
    }

    /** The original helpers take names from callers: checked here, before anything is written. */
    private static String modelId(String modelName, String version) {
        return AuditRecords.modelId(Names.require("model name", modelName), Names.require("version", version));
    }
}
