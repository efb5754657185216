package neural.mlops.audit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import neural.mlops.store.AtomicFiles;

/**
 * A compliance report as one printable, self-contained HTML page: inline CSS, no scripts, no
 * external resources (so it opens the same offline, in an archive, or attached to a ticket), and
 * every value from the trail HTML-escaped, since event fields are written by whoever acted.
 * Times are UTC, as stored. The GUI saves it; the CLI can too.
 *
 * <pre>{@code
 * ComplianceReport report = audit.generateComplianceReport(start, end, "carol");
 * audit.saveReport(report, Path.of("report.html"), ReportFormat.HTML, false);
 * }</pre>
 */
public final class ComplianceReportHtml {

    /** Rows shown per event table; the JSON report holds them all. */
    public static final int MAX_ROWS = 1000;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final String CSS = """
            body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328;
                   margin: 2em auto; max-width: 1100px; padding: 0 1.5em; font-size: 14px; }
            h1 { font-size: 1.8em; margin-bottom: 0.2em; }
            h2 { font-size: 1.3em; border-bottom: 1px solid #d0d7de; padding-bottom: 0.3em; margin-top: 1.8em; }
            .meta { color: #59636e; }
            .figures { display: flex; flex-wrap: wrap; gap: 0.8em; margin: 1.2em 0; }
            .figure { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.6em 1em; min-width: 9em; }
            .figure .value { font-size: 1.7em; font-weight: bold; }
            .figure .label { color: #59636e; }
            .figure.alert .value { color: #cf222e; }
            table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em 0; }
            th, td { border: 1px solid #d0d7de; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
            th { background: #f6f8fa; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .bar { background: #0969da; height: 0.8em; display: inline-block; }
            .ok { color: #1a7f37; font-weight: bold; }
            .bad { color: #cf222e; font-weight: bold; }
            .mono { font-family: "DejaVu Sans Mono", Consolas, Menlo, monospace; word-break: break-all; }
            .note { color: #59636e; font-style: italic; }
            @media print {
              body { margin: 0; max-width: none; font-size: 11px; }
              h2 { break-after: avoid; }
              tr { break-inside: avoid; }
              .bar { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            }
            """;

    private ComplianceReportHtml() {
    }

    /** The page for {@code report}. */
    public static String render(ComplianceReport report) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<title>Compliance report ").append(escape(period(report))).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");

        html.append("<h1>Audit compliance report</h1>\n<p class=\"meta\">Period ").append(escape(period(report)))
                .append("<br>Generated ").append(escape(time(report.generatedAt())))
                .append(" by ").append(escape(report.generatedBy()))
                .append(" &middot; report ").append(escape(report.reportId())).append("</p>\n");

        html.append("<div class=\"figures\">\n");
        figure(html, "Total events", report.totalEvents(), false);
        figure(html, "Security violations", report.securityViolations().size(), !report.securityViolations().isEmpty());
        figure(html, "Access denials", report.accessDenied().size(), !report.accessDenied().isEmpty());
        figure(html, "Deployments", report.modelDeployments().size(), false);
        figure(html, "Promotions", report.promotions().size(), false);
        figure(html, "Failed operations", report.failedOperations().size(), !report.failedOperations().isEmpty());
        html.append("</div>\n");

        integrity(html, report);

        html.append("<h2>Events by type</h2>\n");
        counts(html, "Event type", report.eventsByType().entrySet().stream()
                .sorted(Map.Entry.<EventType, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(entry -> Map.entry(entry.getKey().value(), entry.getValue())).toList(), report.totalEvents());
        html.append("<h2>Events by severity</h2>\n");
        counts(html, "Severity", report.eventsBySeverity().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> Map.entry(entry.getKey().value(), entry.getValue())).toList(), report.totalEvents());
        html.append("<h2>Events by user</h2>\n");
        counts(html, "User", report.eventsByUser().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .toList(), report.totalEvents());
        html.append("<h2>Events per day</h2>\n");
        long busiest = report.eventsByDay().values().stream().mapToLong(Long::longValue).max().orElse(1);
        counts(html, "Day (UTC)", report.eventsByDay().entrySet().stream()
                .map(entry -> Map.entry(entry.getKey().toString(), entry.getValue())).toList(), busiest);

        events(html, "Security violations", report.securityViolations());
        events(html, "Access denials", report.accessDenied());
        events(html, "Deployments", report.modelDeployments());
        events(html, "Promotions", report.promotions());
        events(html, "Failed operations", report.failedOperations());

        html.append("<p class=\"meta\">Chain head at generation: seq ").append(report.headSeq())
                .append(", hash <span class=\"mono\">").append(escape(report.headHash() == null ? "(none)" : report.headHash()))
                .append("</span></p>\n</body>\n</html>\n");
        return html.toString();
    }

    /**
     * Writes the page to {@code file} atomically (creating missing folders) and returns the file;
     * callers outside go through {@link AuditLogger#saveReport}, which keeps it out of the stores.
     */
    static Path save(ComplianceReport report, Path file) {
        AtomicFiles.write(file, render(report).getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /** {@code text} safe in HTML content and in quoted attribute values; null becomes empty. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            switch (cp) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (Character.isISOControl(cp) && cp != '\n' && cp != '\t') {
                        out.append(' ');
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        });
        return out.toString();
    }

    private static void figure(StringBuilder html, String label, long value, boolean alert) {
        html.append("<div class=\"figure").append(alert ? " alert" : "").append("\"><div class=\"value\">")
                .append(value).append("</div><div class=\"label\">").append(escape(label)).append("</div></div>\n");
    }

    private static void integrity(StringBuilder html, ComplianceReport report) {
        IntegrityReport integrity = report.integrity();
        html.append("<h2>Integrity of the period</h2>\n<p>");
        if (integrity.intact()) {
            html.append("<span class=\"ok\">Intact</span>: ");
        } else {
            html.append("<span class=\"bad\">NOT intact</span>: ").append(integrity.problems().size())
                    .append(" problem(s); ");
        }
        html.append(integrity.eventsChecked()).append(" chained events checked");
        if (integrity.unchainedEvents() > 0) {
            html.append(", ").append(integrity.unchainedEvents()).append(" unchained");
        }
        html.append(integrity.signed() ? ", signatures checked" : ", no key: signatures not checked").append(".</p>\n");
        html.append("<p class=\"note\">Verified. ").append(escape(integrity.coverage().text())).append("</p>\n");
        if (!integrity.intact()) {
            html.append("<table>\n<tr><th>Kind</th><th>First event (seq)</th><th>File</th><th>What was found</th></tr>\n");
            integrity.problems().stream().limit(MAX_ROWS).forEach(problem -> html.append("<tr><td>")
                    .append(escape(problem.kind().value())).append("</td><td class=\"num\">")
                    .append(problem.seq() > 0 ? String.valueOf(problem.seq()) : "")
                    .append("</td><td class=\"mono\">").append(escape(problem.file() == null ? "" : problem.file().toString()))
                    .append("</td><td>").append(escape(problem.message())).append("</td></tr>\n"));
            html.append("</table>\n");
            more(html, integrity.problems().size());
        }
        integrity.notes().forEach(note -> html.append("<p class=\"note\">").append(escape(note)).append("</p>\n"));
    }

    private static void counts(StringBuilder html, String heading, List<Map.Entry<String, Long>> rows, long scale) {
        if (rows.isEmpty()) {
            html.append("<p class=\"note\">None in this period.</p>\n");
            return;
        }
        html.append("<table>\n<tr><th>").append(escape(heading)).append("</th><th>Events</th><th style=\"width:45%\"></th></tr>\n");
        for (Map.Entry<String, Long> row : rows) {
            double share = scale <= 0 ? 0 : Math.min(100.0, 100.0 * row.getValue() / scale);
            html.append("<tr><td>").append(escape(row.getKey())).append("</td><td class=\"num\">").append(row.getValue())
                    .append("</td><td><span class=\"bar\" style=\"width:")
                    .append(String.format(Locale.ROOT, "%.1f", share)).append("%\"></span></td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void events(StringBuilder html, String title, List<AuditEvent> events) {
        html.append("<h2>").append(escape(title)).append(" (").append(events.size()).append(")</h2>\n");
        if (events.isEmpty()) {
            html.append("<p class=\"note\">None in this period.</p>\n");
            return;
        }
        html.append("<table>\n<tr><th>Time</th><th>Seq</th><th>Type</th><th>Severity</th><th>User</th><th>Resource</th>")
                .append("<th>Action</th><th>Outcome</th><th>Reason</th></tr>\n");
        events.stream().sorted(Comparator.comparing(AuditEvent::timestamp)).limit(MAX_ROWS).forEach(event -> html
                .append("<tr><td>").append(escape(time(event.timestamp())))
                .append("</td><td class=\"num\">").append(event.seq() > 0 ? String.valueOf(event.seq()) : "")
                .append("</td><td>").append(escape(event.eventType().value()))
                .append("</td><td>").append(escape(event.severity().value()))
                .append("</td><td>").append(escape(event.user()))
                .append("</td><td>").append(escape(resource(event)))
                .append("</td><td>").append(escape(event.action()))
                .append("</td><td>").append(escape(event.outcome() == null ? "" : event.outcome().value()))
                .append("</td><td>").append(escape(event.reason()))
                .append("</td></tr>\n"));
        html.append("</table>\n");
        more(html, events.size());
    }

    private static void more(StringBuilder html, int size) {
        if (size > MAX_ROWS) {
            html.append("<p class=\"note\">The first ").append(MAX_ROWS).append(" of ").append(size)
                    .append(" are shown; the JSON report lists them all.</p>\n");
        }
    }

    private static String resource(AuditEvent event) {
        String type = event.resourceType() == null ? "" : event.resourceType();
        String id = event.resourceId() == null ? "" : event.resourceId();
        return type.isEmpty() ? id : id.isEmpty() ? type : type + " " + id;
    }

    private static String period(ComplianceReport report) {
        return (report.periodStart() == null ? "the beginning" : time(report.periodStart())) + " to "
                + (report.periodEnd() == null ? "now" : time(report.periodEnd()));
    }

    private static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }
}
