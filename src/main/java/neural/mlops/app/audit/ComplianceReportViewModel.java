package neural.mlops.app.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.Formats;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.ComplianceReport;
import neural.mlops.audit.EventType;
import neural.mlops.audit.IntegrityProblem;
import neural.mlops.audit.IntegrityReport;
import neural.mlops.audit.ReportFormat;
import neural.mlops.audit.SavedReport;
import neural.mlops.store.UtcTime;

/**
 * The Compliance Report window: a period, the report the core generates for it (saved under
 * {@code reports/} and audited by the core), its figures, counts for the charts, the event
 * tables and the integrity of the period; and Save As JSON or printable HTML. Beside it the
 * reports saved under {@code reports/}, the original Python module's included (SPEC 10), as
 * {@code audit reports} lists them.
 */
public final class ComplianceReportViewModel {

    /** The period offered first: the last 30 days, as the CLI's {@code audit report} reports by default. */
    static final int DEFAULT_DAYS = 30;
    /** The presets offered beside the date pickers. */
    public static final List<Integer> PRESET_DAYS = List.of(7, 30, 90);

    // Properties: input
    private final ObjectProperty<LocalDate> fromDate = new SimpleObjectProperty<>();
    private final ObjectProperty<LocalDate> toDate = new SimpleObjectProperty<>();
    /** The preset chosen ("last 30 days"), or null once the user picks days by hand. */
    private final ReadOnlyObjectWrapper<Integer> lastDays = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper periodText = new ReadOnlyStringWrapper("");
    private boolean choosingPreset;

    // Properties: output
    private final ReadOnlyObjectWrapper<ComplianceReport> report = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ObservableList<Count> byType = FXCollections.observableArrayList();
    private final ObservableList<Count> bySeverity = FXCollections.observableArrayList();
    private final ObservableList<Count> byDay = FXCollections.observableArrayList();
    private final ObservableList<AuditEvent> violations = FXCollections.observableArrayList();
    private final ObservableList<AuditEvent> denials = FXCollections.observableArrayList();
    private final ObservableList<AuditEvent> deployments = FXCollections.observableArrayList();
    private final ObservableList<SavedReport> savedReports = FXCollections.observableArrayList();
    private final ObjectProperty<SavedReport> selectedSaved = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper savedSummary = new ReadOnlyStringWrapper("");
    private final BooleanBinding canGenerate;
    private final BooleanBinding canSave;

    private final AuditLogger audit;
    private final String user;
    private final TaskExecutor executor;
    private final DialogService dialogs;
    private final Clock clock;
    private final ZoneId zone;

    public ComplianceReportViewModel(AuditLogger audit, String user, TaskExecutor executor, DialogService dialogs,
                                     Clock clock, ZoneId zone) {
        this.audit = audit;
        this.user = user;
        this.executor = executor;
        this.dialogs = dialogs;
        this.clock = clock;
        this.zone = zone;
        fromDate.addListener((observable, old, current) -> pickedByHand());
        toDate.addListener((observable, old, current) -> pickedByHand());
        showLastDays(DEFAULT_DAYS);
        problem.bind(Bindings.createStringBinding(() -> fromDate.get() == null || toDate.get() == null
                ? "Choose the first and the last day of the period." : Periods.problem(fromDate.get(), toDate.get()),
                fromDate, toDate));
        canGenerate = problem.isNull().and(running.not());
        canSave = report.isNotNull().and(running.not());
        selectedSaved.addListener((observable, old, chosen) -> savedSummary.set(chosen == null ? "" : summaryOf(chosen)));
    }

    // Inputs

    public ObjectProperty<LocalDate> fromDateProperty() {
        return fromDate;
    }

    public ObjectProperty<LocalDate> toDateProperty() {
        return toDate;
    }

    // Outputs

    /** The preset in force (7, 30, 90), or null when the period is whole days picked by hand. */
    public ReadOnlyObjectProperty<Integer> lastDaysProperty() {
        return lastDays.getReadOnlyProperty();
    }

    /** What the period covers, in words, with times in the user's zone. */
    public ReadOnlyStringProperty periodTextProperty() {
        return periodText.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ComplianceReport> reportProperty() {
        return report.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Why the period cannot be reported on, else null. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Where the report was saved, or what went wrong. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Events by type, most frequent first. */
    public ObservableList<Count> byType() {
        return byType;
    }

    /** Events by severity, info to critical. */
    public ObservableList<Count> bySeverity() {
        return bySeverity;
    }

    /** Events per UTC day, oldest first. */
    public ObservableList<Count> byDay() {
        return byDay;
    }

    public ObservableList<AuditEvent> violations() {
        return violations;
    }

    public ObservableList<AuditEvent> denials() {
        return denials;
    }

    public ObservableList<AuditEvent> deployments() {
        return deployments;
    }

    /** The saved reports, newest first, as {@code neural-mlops audit reports} lists them. */
    public ObservableList<SavedReport> savedReports() {
        return savedReports;
    }

    /** The saved report chosen in the list; its summary shows in {@link #savedSummaryProperty()}. */
    public ObjectProperty<SavedReport> selectedSavedProperty() {
        return selectedSaved;
    }

    /** The chosen saved report's summary: its period, time, counts and every key of its {@code summary}. */
    public ReadOnlyStringProperty savedSummaryProperty() {
        return savedSummary.getReadOnlyProperty();
    }

    public BooleanBinding canGenerateProperty() {
        return canGenerate;
    }

    public BooleanBinding canSaveProperty() {
        return canSave;
    }

    /** The summary figures of the report shown, in the order the window shows them (empty before one). */
    public List<Figure> figures() {
        ComplianceReport shown = report.get();
        if (shown == null) {
            return List.of();
        }
        return List.of(
                new Figure("Total events", shown.totalEvents(), false),
                new Figure("Security violations", shown.securityViolations().size(), !shown.securityViolations().isEmpty()),
                new Figure("Access denials", shown.accessDenied().size(), !shown.accessDenied().isEmpty()),
                new Figure("Deployments", shown.modelDeployments().size(), false),
                new Figure("Promotions", shown.promotions().size(), false),
                new Figure("Failed operations", shown.failedOperations().size(), !shown.failedOperations().isEmpty()));
    }

    /** The integrity of the period in a sentence. */
    public String integrityText() {
        ComplianceReport shown = report.get();
        if (shown == null) {
            return "";
        }
        IntegrityReport integrity = shown.integrity();
        // The same qualification as the saved HTML report: what "intact" rests on.
        String checked = Formats.plural(integrity.eventsChecked(), "chained event", "chained events") + " checked"
                + (integrity.unchainedEvents() > 0 ? ", " + Formats.count(integrity.unchainedEvents()) + " unchained" : "")
                + (integrity.signed() ? ", signatures checked" : ", no key: signatures not checked");
        if (integrity.intact()) {
            return "Intact: " + checked + ". Chain head seq " + shown.headSeq() + ", hash "
                    + (shown.headHash() == null ? "(none)" : shown.headHash());
        }
        return "NOT intact: " + Formats.plural(integrity.problems().size(), "problem", "problems") + " ("
                + new IntegrityViewModel(integrity, null).byKind() + "); " + checked
                + integrity.firstAffected().map(first -> ". First affected: " + first).orElse("");
    }

    /**
     * What the integrity of the period rests on, as the core states it: how the chain was checked,
     * the signatures (or why not), the derived files, and any note of the check.
     */
    public String verifiedText() {
        ComplianceReport shown = report.get();
        if (shown == null) {
            return "";
        }
        IntegrityReport integrity = shown.integrity();
        StringBuilder text = new StringBuilder("Verified. ").append(integrity.coverage().text());
        integrity.notes().forEach(note -> text.append("\nNote: ").append(note));
        return text.toString();
    }

    // Commands

    /**
     * Chooses the last {@code days} days: from exactly {@code days} x 24 hours before the report is
     * generated until then, read by the same parser as the CLI's {@code --since 30d}, so "last 30
     * days" counts the same events here and in {@code neural-mlops audit report}. The date pickers
     * show the days the period touches.
     */
    public void showLastDays(int days) {
        Instant now = UtcTime.now(clock);
        Instant start = since(days);
        choosingPreset = true;
        try {
            fromDate.set(LocalDate.ofInstant(start, zone));
            toDate.set(LocalDate.ofInstant(now, zone));
            lastDays.set(days);
        } finally {
            choosingPreset = false;
        }
        periodText.set("Last " + days + " days: from " + Formats.localMinute(start) + " " + Formats.zone()
                + " until the report is generated (as neural-mlops audit report --since " + days + "d)");
    }

    private Instant since(int days) {
        return UtcTime.parseDateArgument(days + "d", clock);
    }

    private void pickedByHand() {
        if (choosingPreset) {
            return;
        }
        lastDays.set(null);
        periodText.set(fromDate.get() == null || toDate.get() == null ? ""
                : "Whole days in your time zone (" + Formats.zone() + "): " + Formats.date(fromDate.get()) + " through "
                        + Formats.date(toDate.get()));
    }

    /** Generates the report of the period in the background; the core saves it under reports/ and audits it. */
    public void generate() {
        if (!canGenerate.get() || audit == null) {
            return;
        }
        Integer preset = lastDays.get();
        Instant start = preset != null ? since(preset) : Periods.startOf(fromDate.get(), zone);
        Instant end = preset != null ? UtcTime.now(clock) : Periods.endOf(toDate.get(), zone);
        running.set(true);
        status.set("Generating the report\u2026");
        BackgroundTask.wrap("Generating the compliance report", () -> audit.generateComplianceReport(start, end, user))
                .onSuccess(generated -> {
                    running.set(false);
                    show(generated);
                    status.set("Saved as " + generated.file());
                    loadSavedReports();
                })
                .onFailure(error -> {
                    running.set(false);
                    status.set("");
                    dialogs.showError("Cannot generate the compliance report", error);
                })
                .executeWith(executor);
    }

    /**
     * Reads the saved reports in the background; a report that cannot be read is named in the status
     * and the rest are listed.
     */
    public void loadSavedReports() {
        if (audit == null) {
            return;
        }
        List<IntegrityProblem> unreadable = new ArrayList<>();
        BackgroundTask.wrap("Reading the saved reports", () -> audit.savedReports(unreadable::add))
                .onSuccess(reports -> {
                    savedReports.setAll(reports);
                    if (!unreadable.isEmpty()) {
                        status.set(Formats.plural(unreadable.size(), "saved report", "saved reports")
                                + " could not be read, first " + unreadable.get(0).file());
                    }
                })
                .onFailure(error -> dialogs.showError("Cannot read the saved reports", error))
                .executeWith(executor);
    }

    /** A saved report in the list: its period and when it was generated, in the user's zone. */
    public static String savedText(SavedReport saved) {
        return time(saved.periodStart()) + " to " + time(saved.periodEnd()) + "  (generated " + time(saved.generatedAt())
                + ", " + Formats.plural(saved.totalEvents(), "event", "events")
                + (saved.original() ? ", original module" : "") + ")";
    }

    private static String summaryOf(SavedReport saved) {
        StringBuilder text = new StringBuilder("Report ").append(saved.reportId()).append('\n')
                .append("File: ").append(saved.file()).append('\n')
                .append("Period: ").append(time(saved.periodStart())).append(" to ").append(time(saved.periodEnd()))
                .append('\n').append("Generated: ").append(time(saved.generatedAt())).append('\n')
                .append("Total events: ").append(saved.totalEvents());
        JsonNode summary = saved.summary();
        // Every key as saved, the original's (total_security_violations, most_active_user...) and this product's.
        summary.properties().forEach(field -> text.append('\n').append(field.getKey()).append(": ")
                .append(field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString()));
        return text.toString();
    }

    private static String time(Instant instant) {
        return instant == null ? "(unknown)" : Formats.localMinute(instant);
    }

    /** Saves the report's JSON (SPEC 3.3) to a file the user chooses. */
    public void saveJsonAs() {
        ComplianceReport shown = report.get();
        if (shown == null) {
            return;
        }
        dialogs.chooseFileToSave("Save Compliance Report as JSON", folder(), baseName(shown) + ".json", List.of("*.json"))
                .ifPresent(file -> save(file, "JSON", () -> audit.saveReport(shown, file, ReportFormat.JSON, true)));
    }

    /** Saves the report as a printable, self-contained HTML page to a file the user chooses. */
    public void saveHtmlAs() {
        ComplianceReport shown = report.get();
        if (shown == null) {
            return;
        }
        dialogs.chooseFileToSave("Save Compliance Report as HTML", folder(), baseName(shown) + ".html", List.of("*.html"))
                .ifPresent(file -> save(file, "HTML", () -> audit.saveReport(shown, file, ReportFormat.HTML, true)));
    }

    // Internals

    private void save(Path file, String kind, Runnable write) {
        BackgroundTask.wrap("Saving the report as " + kind, () -> {
                    write.run();
                    return file;
                })
                .onSuccess(saved -> status.set("Saved " + kind + " as " + saved))
                .onFailure(error -> dialogs.showError("Cannot save the report", error))
                .executeWith(executor);
    }

    private void show(ComplianceReport generated) {
        byType.setAll(generated.eventsByType().entrySet().stream()
                .sorted(Map.Entry.<EventType, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(entry -> new Count(entry.getKey().value(), entry.getValue())).toList());
        bySeverity.setAll(generated.eventsBySeverity().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> new Count(entry.getKey().value(), entry.getValue())).toList());
        byDay.setAll(generated.eventsByDay().entrySet().stream()
                .map(entry -> new Count(entry.getKey().toString(), entry.getValue())).toList());
        violations.setAll(newestFirst(generated.securityViolations()));
        denials.setAll(newestFirst(generated.accessDenied()));
        deployments.setAll(newestFirst(generated.modelDeployments()));
        report.set(generated);
    }

    private static List<AuditEvent> newestFirst(List<AuditEvent> events) {
        return events.stream().sorted(Comparator.comparing(AuditEvent::timestamp).reversed()).toList();
    }

    private static Path folder() {
        return Path.of(System.getProperty("user.home"));
    }

    /** compliance_report_20240101_20240131 */
    private String baseName(ComplianceReport shown) {
        return "compliance_report_" + LocalDate.ofInstant(shown.periodStart(), zone).format(Periods.COMPACT) + "_"
                + LocalDate.ofInstant(shown.periodEnd(), zone).format(Periods.COMPACT);
    }

    /** One bar of a chart. */
    public record Count(String label, long count) {
    }

    /** One summary figure; {@code alert} when it deserves attention (any violation, denial or failure). */
    public record Figure(String label, long value, boolean alert) {
    }
}
