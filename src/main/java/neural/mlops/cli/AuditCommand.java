package neural.mlops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import neural.mlops.audit.AdoptionResult;
import neural.mlops.audit.ArchiveResult;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditKey;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.ComplianceReport;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.ExportFormat;
import neural.mlops.audit.ExportListener;
import neural.mlops.audit.ExportResult;
import neural.mlops.audit.ExportShape;
import neural.mlops.audit.IntegrityCheck;
import neural.mlops.audit.IntegrityProblem;
import neural.mlops.audit.IntegrityReport;
import neural.mlops.audit.Outcome;
import neural.mlops.audit.ProblemKind;
import neural.mlops.audit.ReportFormat;
import neural.mlops.audit.RetentionDue;
import neural.mlops.audit.SavedReport;
import neural.mlops.policy.SignatureAudit;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.Names;
import neural.mlops.store.UtcTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code audit}: record, query, report, export and verify the workspace's audit trail
 * ({@code <workspace>/audit_logs}, SPEC 4). The acting user is the global {@code --user}.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Record, query, report on, export and verify the audit trail.",
            "Events and reports written by the original Python module have times without a zone: they are read in "
                    + "workspace.yaml's legacy_timezone (for example Europe/Berlin), by default the system zone.",
            "workspace.yaml's retention.keep_days (whole days kept online) makes 'audit verify' say when days are due "
                    + "for the archive, and 'audit archive --due' archive exactly those."})
final class AuditCommand {

    /**
     * Its commands, in the order help lists them. {@link Cli} adds them, not the annotation, so that
     * a command line that names one builds the model of that one only.
     */
    static final List<Class<?>> COMMANDS = List.of(
            AuditCommand.Log.class,
            AuditCommand.Query.class,
            AuditCommand.Report.class,
            AuditCommand.Reports.class,
            AuditCommand.Export.class,
            AuditCommand.Verify.class,
            AuditCommand.Adopt.class,
            AuditCommand.Archive.class);

    static final String FOLDER = "audit_logs";

    private static final Pattern PLAIN_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
    private static final DateTimeFormatter TABLE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private AuditCommand() {
    }

    static AuditLogger open(CliContext context) {
        return context.stores().audit();
    }

    /** A start date: YYYY-MM-DD is the start of that day (UTC). */
    static Instant since(String text) {
        return text == null ? null : UtcTime.parseDateArgument(text, Clock.systemUTC());
    }

    /** An end date, inclusive: YYYY-MM-DD means up to the end of that day (UTC). */
    static Instant until(String text) {
        if (text == null) {
            return null;
        }
        Instant parsed = UtcTime.parseDateArgument(text, Clock.systemUTC());
        return PLAIN_DATE.matcher(text.trim()).matches() ? parsed.plusSeconds(86_400).minusNanos(1000) : parsed;
    }

    /** The criteria that query and export share. */
    static final class Filters {
        @Option(names = "--type", paramLabel = "T", description = "Event type, e.g. model_deployed.")
        String type;

        @Option(names = "--severity", paramLabel = "S", description = "info, warning, error or critical.")
        String severity;

        @Option(names = "--event-user", paramLabel = "U",
                description = "Events of this user (case ignored). In 'audit query', --user U does the same.")
        String user;

        @Option(names = "--since", paramLabel = "DATE", description = "From: YYYY-MM-DD, ISO-8601 or relative (30d).")
        String since;

        @Option(names = "--until", paramLabel = "DATE", description = "Up to (a YYYY-MM-DD date includes that day).")
        String until;

        @Option(names = "--resource", paramLabel = "ID", description = "Resource id, e.g. fraud_detector:v2.0.0.")
        String resource;

        @Option(names = "--text", paramLabel = "T", description = "Text in the user, action, resource, reason, details or tags.")
        String text;

        @Option(names = "--tag", paramLabel = "TAG", split = ",",
                description = "Events carrying any of these tags (repeat or separate with commas), as the original's query.")
        List<String> tags;

        AuditFilter toFilter() {
            AuditFilter filter = new AuditFilter(type == null ? null : EventType.parse(type),
                    severity == null ? null : EventSeverity.parse(severity), user, null, resource, text,
                    since(since), until(until), tags(tags));
            if (filter.since() != null && filter.until() != null && filter.until().isBefore(filter.since())) {
                throw new InvalidInputException("--until " + Names.quote(until) + " is before --since " + Names.quote(since));
            }
            return filter;
        }
    }

    @Command(name = "log", mixinStandardHelpOptions = true, description = {"Record an audit event as the acting user.",
        "The original module's helpers are shortcuts: --type security_violation defaults to severity critical, outcome "
                + "denied and tags security,violation; --type model_deployed to action deploy and, with --environment, "
                + "details {environment}; --type model_registered to action register; --model N --model-version V names "
                + "the model (resource_type model, resource_id N:V)."})
    static final class Log extends CliCommand {
        @Option(names = "--type", required = true, paramLabel = "T", description = "Event type, e.g. config_changed.")
        String type;

        @Option(names = "--severity", paramLabel = "S", description = "info (default), warning, error or critical.")
        String severity;

        @Option(names = "--resource-type", paramLabel = "X", description = "What the event is about, e.g. model.")
        String resourceType;

        @Option(names = "--resource-id", paramLabel = "Y", description = "Which one, e.g. fraud_detector:v2.0.0.")
        String resourceId;

        @Option(names = "--action", paramLabel = "A", description = "What was done, e.g. deploy.")
        String action;

        @Option(names = "--outcome", paramLabel = "O", description = "success (default), failure or denied.")
        String outcome;

        @Option(names = "--reason", paramLabel = "R", description = "Why, in words.")
        String reason;

        @Option(names = "--details", paramLabel = "JSON", description = "A JSON object of further details.")
        String details;

        @Option(names = "--ip", paramLabel = "IP", description = "The client's IP address.")
        String ip;

        @Option(names = "--tag", paramLabel = "TAG", split = ",", description = "Tags (repeat or separate with commas).")
        List<String> tags;

        @Option(names = "--model", paramLabel = "N", description = "The model: resource_type model, resource_id N:V.")
        String model;

        @Option(names = "--model-version", paramLabel = "V", description = "The model's version (with --model).")
        String version;

        @Option(names = "--environment", paramLabel = "E", description = "The environment, kept in details.environment.")
        String environment;

        @Override
        public Integer call() {
            CliContext context = context();
            EventType eventType = EventType.parse(type);
            OriginalHelper helper = OriginalHelper.of(eventType);
            if ((model == null) != (version == null)) {
                throw new InvalidInputException("Give --model and --model-version together, to name the model N:V");
            }
            if (model != null && resourceId != null) {
                throw new InvalidInputException("Give either --model/--model-version or --resource-id, not both");
            }
            Map<String, Object> detailMap = new java.util.LinkedHashMap<>(parseDetails(details));
            if (environment != null) {
                detailMap.put("environment", Names.require("environment", environment));
            }
            AuditRecord record = new AuditRecord(eventType,
                    severity == null ? helper.severity() : EventSeverity.parse(severity), context.user(),
                    model != null ? "model" : resourceType,
                    model != null ? Names.require("model name", model) + ":" + Names.require("version", version) : resourceId,
                    action == null ? helper.action() : action,
                    outcome == null ? helper.outcome() : Outcome.parse(outcome), reason,
                    detailMap, ip == null ? null : requireIp(ip),
                    tags == null ? helper.tags() : tags(tags));
            AuditEvent event = open(context).logEvent(record);
            if (context.json()) {
                context.printJson(event.toJson());
            } else {
                context.out().println("Recorded " + event.eventType().value() + " as seq " + event.seq() + " ("
                        + event.eventId() + ")");
                context.out().flush();
            }
            return Cli.OK;
        }
    }

    @Command(name = "query", mixinStandardHelpOptions = true,
            description = "List events, newest first: a table, or a JSON array with --json.")
    static final class Query extends CliCommand {
        static final int DEFAULT_LIMIT = 100;

        @picocli.CommandLine.Mixin
        Filters filters = new Filters();

        @Option(names = "--limit", paramLabel = "N", description = "At most N events (default " + DEFAULT_LIMIT + "; 0 for all).")
        Integer limit;

        @Override
        public Integer call() {
            CliContext context = context();
            int max = limit == null ? DEFAULT_LIMIT : limit;
            if (max < 0) {
                throw new InvalidInputException("--limit must be 0 (all) or more, not " + max);
            }
            AuditFilter filter = filters.toFilter();
            // The query records nothing, so the global --user, when given, is what SPEC 4 makes it here: a filter.
            String globalUser = ((RootCommand) spec.root().userObject()).user;
            if (filter.user() == null && globalUser != null) {
                filter = filter.withUser(globalUser);
            }
            // Each event is printed as the trail is read (newest first, the order of its day folders read
            // backwards), so a period of any size is printed in the memory of a few days.
            AuditLogger audit = open(context);
            List<IntegrityProblem> unreadable;
            if (context.json()) {
                try (JsonArrayPrinter array = context.printJsonArray()) {
                    unreadable = audit.query(filter, max, event -> array.write(event.toJson()));
                    array.finish();
                }
                warnUnreadable(context, unreadable);
            } else {
                EventTable table = new EventTable(context, audit.head().seq());
                unreadable = audit.query(filter, max, table::row);
                table.finish();
                warnUnreadable(context, unreadable);
                if (table.rows() == 0) {
                    context.message("No events match.");
                } else if (limit == null && table.rows() == max) {
                    context.message("Showing the newest " + max + " events; use --limit N, or --limit 0 for all.");
                }
            }
            return Cli.OK;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Generate the compliance report of a period (saved under audit_logs/reports/, with the "
                    + "original module's keys beside the product's).")
    static final class Report extends CliCommand {
        @Option(names = "--shape", paramLabel = "S", description = "What --json prints: product (default) or original "
                + "(exactly the original module's report keys, its event types and naive local times).")
        String shape;

        @Option(names = "--since", paramLabel = "DATE", description = "From (default: 30d, the last 30 days).")
        String since;

        @Option(names = "--until", paramLabel = "DATE", description = "Up to (default: now).")
        String until;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Also write the report's JSON to FILE (outside the workspace's stores).")
        Path out;

        @Option(names = "--force", description = "Replace FILE if it exists.")
        boolean force;

        @Override
        public Integer call() {
            CliContext context = context();
            Instant start = since(since == null ? "30d" : since);
            Instant end = until == null ? UtcTime.now(Clock.systemUTC()) : until(until);
            if (end.isBefore(start)) {
                throw new InvalidInputException("--until is before --since");
            }
            AuditLogger audit = open(context);
            if (out != null) {
                audit.checkOutput(out, force); // refused before the report is generated, saved and audited
            }
            ExportShape documentShape = shape == null ? ExportShape.PRODUCT : ExportShape.parse(shape);
            ComplianceReport report = audit.generateComplianceReport(start, end, context.user());
            ObjectNode json = documentShape == ExportShape.ORIGINAL ? report.toOriginalJson(audit.legacyZone())
                    : report.toJson(audit.legacyZone());
            if (out != null && documentShape == ExportShape.ORIGINAL) {
                Json.writeAtomically(audit.checkOutput(out, force), json);
            } else if (out != null) {
                audit.saveReport(report, out, ReportFormat.JSON, force);
            }
            if (context.json()) {
                context.printJson(json);
            } else {
                printReport(context, report);
                if (out != null) {
                    context.out().println("Written to:          " + out.toAbsolutePath());
                }
                context.out().flush();
            }
            return Cli.OK;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Export events to a file (json, jsonl, csv or yaml), streamed and atomic; the export is audited.")
    static final class Export extends CliCommand {
        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "The file to write (outside the workspace's stores).")
        Path out;

        @Option(names = "--force", description = "Replace FILE if it exists.")
        boolean force;

        @Option(names = "--format", required = true, paramLabel = "F", description = "json, jsonl, csv or yaml.")
        String format;

        @Option(names = "--shape", paramLabel = "S", description = "product (default) or original: for json and yaml, "
                + "the original module's plain list of events, newest first, with exactly its keys.")
        String shape;

        @picocli.CommandLine.Mixin
        Filters filters = new Filters();

        @Override
        public Integer call() {
            CliContext context = context();
            ExportFormat exportFormat = ExportFormat.parse(format);
            ExportShape exportShape = shape == null ? ExportShape.PRODUCT : ExportShape.parse(shape);
            AuditLogger audit = open(context);
            AuditFilter filter = filters.toFilter();
            ExportResult result = audit.exportAuditTrail(out, exportFormat, exportShape, filter, context.user(), force,
                    ExportListener.NONE);
            // An export over archived days must not pass for the whole period.
            List<String> archived = audit.archivedIn(filter.since(), filter.until());
            archived.forEach(note -> context.message("Note: " + note));
            if (context.json()) {
                ObjectNode json = Json.mapper().createObjectNode();
                json.put("path", result.path().toString());
                json.put("format", result.format().value());
                json.put("count", result.count());
                json.put("bytes", result.bytes());
                json.put("sha256", result.sha256());
                ArrayNode notes = json.putArray("archived");
                archived.forEach(notes::add);
                context.printJson(json);
            } else {
                context.out().println("Exported " + result.count() + " events to " + result.path());
                context.out().println("Format: " + result.format().value() + ", " + result.bytes() + " bytes, sha256 "
                        + result.sha256());
                context.out().flush();
            }
            return Cli.OK;
        }
    }

    @Command(name = "reports", mixinStandardHelpOptions = true,
            description = "List the saved compliance reports (this product's and the original module's), newest "
                    + "first, or print one as saved with --show.")
    static final class Reports extends CliCommand {
        @Option(names = "--show", paramLabel = "ID", description = "Print this report's document as saved.")
        String show;

        @Override
        public Integer call() {
            CliContext context = context();
            AuditLogger audit = open(context);
            if (show != null) {
                // Streamed as saved: a year's report is tens of megabytes.
                context.printJsonWith(generator -> audit.writeSavedReport(show, generator));
                return Cli.OK;
            }
            List<IntegrityProblem> unreadable = new ArrayList<>();
            List<SavedReport> reports = audit.savedReports(unreadable::add);
            warnUnreadable(context, unreadable);
            if (context.json()) {
                ArrayNode array = Json.mapper().createArrayNode();
                for (SavedReport report : reports) {
                    ObjectNode entry = array.addObject();
                    entry.put("report_id", report.reportId());
                    entry.put("file", report.file().toString());
                    entry.put("generated_at", time(report.generatedAt()));
                    entry.put("period_start", time(report.periodStart()));
                    entry.put("period_end", time(report.periodEnd()));
                    entry.put("total_events", report.totalEvents());
                    entry.put("writer", report.original() ? "original" : "product");
                }
                context.printJson(array);
                return Cli.OK;
            }
            if (reports.isEmpty()) {
                context.message("No saved reports.");
                return Cli.OK;
            }
            for (SavedReport report : reports) {
                context.out().println(Terminal.text(report.reportId(), 80) + "  " + tableTime(report.generatedAt())
                        + "  " + tableTime(report.periodStart()) + " to " + tableTime(report.periodEnd()) + "  "
                        + report.totalEvents() + " events" + (report.original() ? "  (original module)" : ""));
            }
            context.out().flush();
            return Cli.OK;
        }

        private static String time(Instant instant) {
            return instant == null ? null : UtcTime.format(instant);
        }

        private static String tableTime(Instant instant) {
            return instant == null ? "-" : TABLE_TIME.format(instant);
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walk the hash chain and check the derived index and summaries against the events; "
                    + "exit 1 when anything is wrong, 0 when intact.")
    static final class Verify extends CliCommand {
        @Option(names = "--require-signatures",
                description = "Exit 1 unless the signatures were checked: the trail is signed and the key is given.")
        boolean requireSignatures;

        @Option(names = "--archive", paramLabel = "FILE",
                description = "Verify this archive (written by 'audit archive') on its own, with the key if one was used.")
        Path archive;

        @Option(names = "--since", paramLabel = "DATE",
                description = {"Verify only the window from DATE (YYYY-MM-DD, ISO-8601 or relative: 30d) to the head: "
                        + "every event file of the window is read and re-hashed, and the window's first event is tied to "
                        + "the last earlier day's signed digest (with the key) or sealed summary (without: a checksum "
                        + "anyone who can write the workspace can recompute).",
                        "Older days are NOT read: nothing done to them is detected; run without --since for that. "
                                + "The output (and --json's period) names the window."})
        String since;

        @Override
        public Integer call() {
            CliContext context = context();
            IntegrityReport report;
            Instant from = since(since);
            if (archive != null && since != null) {
                throw new InvalidInputException("--since verifies a window of the trail, --archive an archive: give one");
            }
            List<IntegrityProblem> badSignatures = List.of();
            if (archive != null) {
                report = open(context).verifyArchive(archive);
            } else {
                // Every SSH signature stored with an event, checked against the identities of its time (issue 24)
                // as the chain's walk reads the event, listed with the chain's problems (kind signature, with the
                // event id, claimed user and why). Of the window only, with --since.
                AuditLogger audit = open(context);
                SignatureAudit.Check signatures = SignatureAudit.checking(audit, from);
                IntegrityCheck check = audit.checkIntegrity(context.user(), from, signatures);
                badSignatures = signatures.problems();
                report = check.report().withProblems(badSignatures);
                check.notRecorded().ifPresent(why -> context.message("Note: this check could not be recorded in the audit "
                        + "trail: " + why));
            }
            boolean unsignedRefused = requireSignatures && !report.signaturesChecked();
            if (context.json()) {
                context.printJson(report.toJson());
            } else {
                for (IntegrityProblem problem : report.problems()) {
                    context.out().println(Terminal.text(problem.toString(), 2000));
                }
                report.notes().forEach(note -> context.message("Note: " + note));
                context.out().println("Verified: " + report.coverage().text());
                String checked = report.eventsChecked() + " chained events checked"
                        + (report.unchainedEvents() > 0 ? ", " + report.unchainedEvents() + " unchained" : "")
                        + (report.adoptedEvents() > 0 ? ", " + report.adoptedEvents() + " adopted" : "")
                        + (report.archivedEvents() > 0 ? ", " + report.archivedEvents() + " archived" : "")
                        + (report.signed() ? ", signatures checked" : ", no key: signatures not checked");
                String what = archive != null ? "Archive" : report.periodStart() != null
                        ? "Audit trail from " + UtcTime.format(report.periodStart()) + " on (older days not read)" : "Audit trail";
                if (report.intact()) {
                    context.out().println(what + " intact: " + checked + ". Head seq " + report.headSeq() + ", hash "
                            + (report.headHash() == null ? "(none)" : report.headHash()));
                } else {
                    context.out().println(what + " NOT intact: " + report.problems().size() + " problem(s); " + checked
                            + ". First affected: " + report.firstAffected().map(IntegrityProblem::toString).map(t -> Terminal.text(t, 300))
                            .orElse("-"));
                }
                context.out().flush();
            }
            if (archive == null) {
                retentionDue(context).filter(RetentionDue::due).ifPresent(retention -> context.message("Note: "
                        + retention.describe() + "; archive them with 'audit archive --due --out FILE --reason R'"));
            }
            if (unsignedRefused) {
                context.message(report.signed()
                        ? "Signatures required, but the trail is not signed: nothing vouches for it beyond its hashes"
                        : "Signatures required, but no key was given: give it with " + AuditKey.ENVIRONMENT_VARIABLE
                                + " or the audit.key file");
            }
            if (!badSignatures.isEmpty()) {
                context.message(badSignatures.size() + " stored action signature(s) do not verify; see the problems of "
                        + "kind signature");
            }
            return report.intact() && !unsignedRefused ? Cli.OK : Cli.FAILED;
        }
    }

    /** Tags as given: each stripped, empty ones refused. */
    static List<String> tags(List<String> given) {
        if (given == null) {
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        for (String tag : given) {
            if (tag == null || tag.isBlank()) {
                throw new InvalidInputException("A tag is empty; give tags such as --tag security,violation");
            }
            tags.add(tag.strip());
        }
        return tags;
    }

    /**
     * The defaults of the original module's logging helpers (SPEC 10), by event type: what
     * {@code log_security_violation}, {@code log_model_deployment} and {@code log_model_registration}
     * set without being asked.
     */
    record OriginalHelper(EventSeverity severity, Outcome outcome, String action, List<String> tags) {
        static OriginalHelper of(EventType type) {
            return switch (type) {
                case SECURITY_VIOLATION -> new OriginalHelper(EventSeverity.CRITICAL, Outcome.DENIED, null,
                        List.of("security", "violation"));
                case MODEL_DEPLOYED -> new OriginalHelper(EventSeverity.INFO, Outcome.SUCCESS, "deploy", List.of());
                case MODEL_REGISTERED -> new OriginalHelper(EventSeverity.INFO, Outcome.SUCCESS, "register", List.of());
                default -> new OriginalHelper(EventSeverity.INFO, Outcome.SUCCESS, null, List.of());
            };
        }
    }

    @Command(name = "adopt", mixinStandardHelpOptions = true,
            description = "Record in the chain the SHA-256 of every unchained event file (written by a tool that does "
                    + "not chain, such as the original Python module) up to --until, so that 'audit verify' checks them "
                    + "instead of reporting them unchained. Run it again for unchained files that appear later.")
    static final class Adopt extends CliCommand {
        @Option(names = "--until", paramLabel = "DATE",
                description = "Adopt events up to this time (a YYYY-MM-DD date includes that day; default: now).")
        String until;

        @Option(names = "--reason", required = true, paramLabel = "R",
                description = "Why these events are vouched for (recorded with the adoption).")
        String reason;

        @Override
        public Integer call() {
            CliContext context = context();
            AdoptionResult result = open(context).adopt(until(until), context.user(), reason);
            if (context.json()) {
                ObjectNode json = Json.mapper().createObjectNode();
                json.put("until", UtcTime.format(result.until()));
                json.put("adopted", result.adopted());
                json.put("already_adopted", result.alreadyAdopted());
                ArrayNode seqs = json.putArray("recorded_seqs");
                result.recorded().forEach(event -> seqs.add(event.seq()));
                ArrayNode skipped = json.putArray("skipped");
                result.skipped().forEach(problem -> skipped.add(problem.toString()));
                context.printJson(json);
            } else {
                warnUnreadable(context, result.skipped());
                if (result.recorded().isEmpty()) {
                    context.out().println("Nothing to adopt up to " + UtcTime.format(result.until()) + " ("
                            + result.alreadyAdopted() + " unchained event file(s) already adopted)");
                } else {
                    context.out().println("Adopted " + result.adopted() + " unchained event file(s) up to "
                            + UtcTime.format(result.until()) + ", recorded as seq " + result.recorded().get(0).seq()
                            + (result.recorded().size() > 1 ? " to " + result.recorded().get(result.recorded().size() - 1).seq() : "")
                            + (result.alreadyAdopted() > 0 ? "; " + result.alreadyAdopted() + " were already adopted" : ""));
                }
                context.out().flush();
            }
            return Cli.OK;
        }
    }

    @Command(name = "archive", mixinStandardHelpOptions = true,
            description = "Move the whole days before --before (events, their index and day digests) into a zip with "
                    + "a manifest, record a chained checkpoint, then delete the days. 'audit verify' then verifies from "
                    + "the checkpoint on; 'audit verify --archive FILE' verifies the archive.")
    static final class Archive extends CliCommand {
        @Option(names = "--before", paramLabel = "DATE",
                description = "Archive the days before this date (YYYY-MM-DD, UTC; today or earlier).")
        String before;

        @Option(names = "--due", description = "Archive exactly the days workspace.yaml's retention.keep_days says are "
                + "due (whole days older than keep_days still in the trail); refused when keep_days is not set.")
        boolean due;

        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "The zip to write (outside the workspace's stores).")
        Path out;

        @Option(names = "--force", description = "Replace FILE if it exists.")
        boolean force;

        @Option(names = "--reason", required = true, paramLabel = "R", description = "Why (recorded with the checkpoint).")
        String reason;

        @Override
        public Integer call() {
            CliContext context = context();
            LocalDate day = due ? dueDate(context) : beforeDate();
            if (day == null) {
                return Cli.OK; // nothing due: said on stderr, nothing written
            }
            ArchiveResult result = open(context).archive(day, out, context.user(), reason, force);
            result.notDeleted().forEach(file -> context.message("Warning: not deleted: " + Terminal.text(file, 500)));
            if (context.json()) {
                ObjectNode json = Json.mapper().createObjectNode();
                json.put("archive", result.archive().toString());
                json.put("sha256", result.sha256());
                json.put("before", result.before().toString());
                ArrayNode days = json.putArray("days");
                result.days().forEach(archived -> days.add(archived.toString()));
                json.put("events", result.events());
                json.put("first_seq", result.firstSeq());
                json.put("last_seq", result.lastSeq());
                json.put("last_hash", result.lastHash());
                json.put("checkpoint_seq", result.checkpoint().seq());
                json.put("deleted_files", result.deletedFiles());
                ArrayNode notDeleted = json.putArray("not_deleted");
                result.notDeleted().forEach(notDeleted::add);
                context.printJson(json);
            } else {
                context.out().println("Archived " + result.days().size() + " day(s) (" + result.days().get(0) + " to "
                        + result.days().get(result.days().size() - 1) + ", " + result.events() + " events, seqs "
                        + result.firstSeq() + " to " + result.lastSeq() + ") to " + result.archive());
                context.out().println("SHA-256 " + result.sha256() + "; checkpoint seq " + result.checkpoint().seq()
                        + "; " + result.deletedFiles() + " file(s) deleted from the trail");
                context.out().flush();
            }
            return result.notDeleted().isEmpty() ? Cli.OK : Cli.FAILED;
        }

        private LocalDate beforeDate() {
            if (before == null) {
                throw new InvalidInputException("Give --before DATE, or --due to archive what retention.keep_days says is due");
            }
            if (!PLAIN_DATE.matcher(before.trim()).matches()) {
                throw new InvalidInputException("--before must be a date, YYYY-MM-DD, not " + Names.quote(before));
            }
            try {
                return LocalDate.parse(before.trim());
            } catch (DateTimeParseException e) {
                throw new InvalidInputException("--before " + Names.quote(before) + " is not a date", e);
            }
        }

        /** The --before date retention makes due; null (and a message) when nothing is. */
        private LocalDate dueDate(CliContext context) {
            if (before != null) {
                throw new InvalidInputException("Give either --before or --due, not both");
            }
            RetentionDue retention = retentionDue(context).orElseThrow(() -> new InvalidInputException(
                    "--due needs retention.keep_days in workspace.yaml (for example 'retention: {keep_days: 365}'); "
                            + "set it, or give --before DATE"));
            if (!retention.due()) {
                context.message("Nothing is due: no day of the trail is older than the " + retention.keepDays()
                        + "-day retention; nothing was archived");
                return null;
            }
            context.message(retention.describe() + ": archiving the days before " + retention.before());
            return retention.before();
        }
    }

    /** What the workspace's retention.keep_days makes due; empty when it sets none. */
    static Optional<RetentionDue> retentionDue(CliContext context) {
        OptionalInt keepDays = context.stores().settings().keepDays();
        return keepDays.isPresent() ? Optional.of(open(context).retentionDue(keepDays.getAsInt())) : Optional.empty();
    }

    static Map<String, Object> parseDetails(String json) {
        if (json == null) {
            return Map.of();
        }
        if (json.length() > 1024 * 1024) {
            throw new InvalidInputException("--details is " + json.length() + " characters; at most 64 KiB of details are recorded");
        }
        try {
            JsonNode node = Json.mapper().readTree(json);
            if (node == null || !node.isObject()) {
                throw new InvalidInputException("--details must be a JSON object, such as {\"environment\": \"production\"}");
            }
            return Json.mapper().convertValue(node, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("--details is not valid JSON: " + Json.describe(e));
        }
    }

    /**
     * An IPv4 or IPv6 literal exactly as given; never a host name (which would need a DNS lookup
     * to mean anything), never with spaces around it, and IPv4 without leading zeros (01.2.3.4 is
     * octal to some parsers and decimal to others, so it names two addresses).
     */
    static String requireIp(String text) {
        String problem = ipProblem(text);
        if (problem != null) {
            throw new InvalidInputException("Invalid IP address " + Names.quote(text) + ": " + problem);
        }
        return text;
    }

    private static String ipProblem(String value) {
        if (value.isEmpty() || !value.equals(value.strip())) {
            return "it is empty or has spaces around it; give an IPv4 or IPv6 address";
        }
        if (!value.contains(":")) {
            return ipv4Problem(value);
        }
        if (!IPV6.matcher(value).matches()) {
            return "give an IPv4 or IPv6 address";
        }
        int lastColon = value.lastIndexOf(':');
        if (value.indexOf('.') > lastColon && ipv4Problem(value.substring(lastColon + 1).replaceAll("%.*$", "")) != null) {
            return "the IPv4 part of an IPv6 address must be four numbers 0-255 without leading zeros";
        }
        try {
            InetAddress.getByName(value);
            return null;
        } catch (UnknownHostException e) {
            return "give an IPv4 or IPv6 address";
        }
    }

    private static String ipv4Problem(String value) {
        var v4 = IPV4.matcher(value);
        if (!v4.matches()) {
            return "give an IPv4 or IPv6 address";
        }
        for (int i = 1; i <= 4; i++) {
            String octet = v4.group(i);
            if (octet.length() > 1 && octet.startsWith("0")) {
                return "write IPv4 numbers without leading zeros (" + octet + " could be read as octal)";
            }
            if (Integer.parseInt(octet) > 255) {
                return "each IPv4 number is 0-255, not " + octet;
            }
        }
        return null;
    }

    static void warnUnreadable(CliContext context, List<IntegrityProblem> unreadable) {
        for (IntegrityProblem problem : unreadable) {
            context.message(problem.kind() == ProblemKind.DERIVED
                    ? "Warning: " + problem.file() + ": " + Terminal.text(problem.message(), 300)
                    : "Warning: skipped " + problem.file() + ": " + Terminal.text(problem.message(), 300));
        }
    }

    /**
     * Events as a table, printed as they come ({@link TextTable#streamed}): every column but the
     * sequence number has a longest value (a time, an event type, a severity, cells cut to 32, 40
     * and 24 characters), and the sequence numbers are no longer than the chain head's.
     */
    static final class EventTable {
        private static final String[] COLUMNS = {"TIME", "SEQ", "TYPE", "SEVERITY", "USER", "RESOURCE", "ACTION", "OUTCOME"};
        private static final int TIME_WIDTH = "2024-01-15 12:00:00Z".length();

        private final TextTable table;

        EventTable(CliContext context, long headSeq) {
            table = TextTable.streamed(context.out(), COLUMNS, TIME_WIDTH, String.valueOf(headSeq).length(),
                    longest(EventType.values()), longest(EventSeverity.values()), 32, 40, 24, TextTable.UNBOUNDED);
        }

        void row(AuditEvent event) {
            table.row(TABLE_TIME.format(event.timestamp()),
                    event.seq() > 0 ? String.valueOf(event.seq()) : "-",
                    event.eventType().value(),
                    event.severity().value(),
                    Terminal.text(event.user(), 32),
                    Terminal.text(event.resourceId(), 40),
                    Terminal.text(event.action(), 24),
                    event.outcome() == null ? "-" : event.outcome().value());
        }

        long rows() {
            return table.rows();
        }

        void finish() {
            table.finish();
        }

        private static int longest(neural.mlops.store.Valued[] values) {
            int longest = 0;
            for (neural.mlops.store.Valued value : values) {
                longest = Math.max(longest, value.value().length());
            }
            return longest;
        }
    }

    static void printReport(CliContext context, ComplianceReport report) {
        var out = context.out();
        out.println("Compliance report " + report.reportId());
        out.println("Period:              " + UtcTime.format(report.periodStart()) + " to " + UtcTime.format(report.periodEnd()));
        out.println("Total events:        " + report.totalEvents());
        out.println("By type:             " + counts(report.eventsByType().entrySet().stream()
                .map(entry -> Map.entry(entry.getKey().value(), entry.getValue())).toList()));
        out.println("By severity:         " + counts(report.eventsBySeverity().entrySet().stream()
                .map(entry -> Map.entry(entry.getKey().value(), entry.getValue())).toList()));
        out.println("By user:             " + counts(report.eventsByUser().entrySet().stream()
                .map(entry -> Map.entry(Terminal.text(entry.getKey(), 40), entry.getValue())).toList()));
        out.println("Security violations: " + report.securityViolations().size());
        out.println("Access denied:       " + report.accessDenied().size());
        out.println("Model deployments:   " + report.modelDeployments().size());
        out.println("Promotions:          " + report.promotions().size());
        out.println("Failed operations:   " + report.failedOperations().size());
        out.println("Integrity:           " + (report.integrity().intact() ? "intact"
                : "NOT intact, " + report.integrity().problems().size() + " problem(s); run 'neural-mlops audit verify'"));
        out.println("Verified:            " + report.integrity().coverage().text());
        report.integrity().notes().forEach(note -> out.println("Note:                " + Terminal.text(note, 2000)));
        out.println("Chain head:          seq " + report.headSeq() + ", hash " + (report.headHash() == null ? "(none)" : report.headHash()));
        out.println("Saved to:            " + report.file());
    }

    private static String counts(List<Map.Entry<String, Long>> entries) {
        if (entries.isEmpty()) {
            return "-";
        }
        return String.join(", ", entries.stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(entry -> entry.getKey() + " " + entry.getValue()).toList());
    }
}
