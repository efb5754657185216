package neural.mlops.app.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.ErrorReport;
import neural.mlops.app.common.Formats;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.ExportFormat;
import neural.mlops.audit.ExportResult;

/**
 * The Export Audit Trail dialog: period, filters, format and destination (from a save dialog,
 * with a default name such as {@code audit_export_20240115.csv}); the export runs in the
 * background with progress and Cancel, and ends with a summary (events, size, SHA-256). The core
 * audits the export.
 */
public final class ExportAuditViewModel {

    // Properties: input
    private final ObjectProperty<LocalDate> fromDate = new SimpleObjectProperty<>();
    private final ObjectProperty<LocalDate> toDate = new SimpleObjectProperty<>();
    private final ObjectProperty<EventType> type = new SimpleObjectProperty<>();
    private final ObjectProperty<EventSeverity> severity = new SimpleObjectProperty<>();
    private final StringProperty user = new SimpleStringProperty("");
    private final StringProperty text = new SimpleStringProperty("");
    private final ObjectProperty<ExportFormat> format = new SimpleObjectProperty<>(ExportFormat.CSV);
    private final ObjectProperty<Path> destination = new SimpleObjectProperty<>();

    // Properties: output
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper();
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<ExportResult> result = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();
    private final BooleanBinding canExport;

    private final AuditLogger audit;
    private final String actingUser;
    private final TaskExecutor executor;
    private final DialogService dialogs;
    private final Clock clock;
    private final ZoneId zone;
    private BackgroundTask<ExportResult> task;

    public ExportAuditViewModel(AuditLogger audit, String actingUser, TaskExecutor executor, DialogService dialogs,
                                Clock clock, ZoneId zone) {
        this.audit = audit;
        this.actingUser = actingUser;
        this.executor = executor;
        this.dialogs = dialogs;
        this.clock = clock;
        this.zone = zone;
        problem.bind(Bindings.createStringBinding(this::checkInput, fromDate, toDate, destination));
        canExport = problem.isNull().and(running.not());
        format.addListener((observable, old, current) -> destination.set(withExtension(destination.get(), current)));
    }

    // Inputs

    public ObjectProperty<LocalDate> fromDateProperty() {
        return fromDate;
    }

    public ObjectProperty<LocalDate> toDateProperty() {
        return toDate;
    }

    public ObjectProperty<EventType> typeProperty() {
        return type;
    }

    public ObjectProperty<EventSeverity> severityProperty() {
        return severity;
    }

    public StringProperty userProperty() {
        return user;
    }

    public StringProperty textProperty() {
        return text;
    }

    public ObjectProperty<ExportFormat> formatProperty() {
        return format;
    }

    /** The file to write; chosen with {@link #chooseDestination()}. */
    public ObjectProperty<Path> destinationProperty() {
        return destination;
    }

    // Outputs

    /** Why the export cannot start yet, else null. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** 0 to 1 while running (share of the period's day folders read). */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** "1,234 events written" while running. */
    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** What the finished export wrote, or null. */
    public ReadOnlyObjectProperty<ExportResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** The completion summary: events written, file size, SHA-256 of the file. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The core's message when the export failed or was cancelled, else null. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public BooleanBinding canExportProperty() {
        return canExport;
    }

    // Commands

    /** The default file name: {@code audit_export_<today>.<format>}. */
    public String defaultFileName() {
        return "audit_export_" + LocalDate.now(clock.withZone(zone)).format(Periods.COMPACT) + "." + format.get().value();
    }

    /** Asks where to write, starting from the chosen folder (else the home folder) and the default name. */
    public void chooseDestination() {
        Path current = destination.get();
        Path folder = current != null && current.getParent() != null ? current.getParent()
                : Path.of(System.getProperty("user.home"));
        String name = current != null ? current.getFileName().toString() : defaultFileName();
        dialogs.chooseFileToSave("Export Audit Trail", folder, name, List.of("*." + format.get().value()))
                .ifPresent(chosen -> destination.set(withExtension(chosen, format.get())));
    }

    /** Starts the export in the background. */
    public void export() {
        if (!canExport.get()) {
            return;
        }
        AuditFilter filter;
        try {
            filter = Periods.filter(type.get(), severity.get(), user.get(), text.get(), fromDate.get(), toDate.get(), zone);
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
            return;
        }
        Path target = destination.get();
        ExportFormat chosen = format.get();
        error.set(null);
        result.set(null);
        summary.set("");
        running.set(true);
        progress.set(0);
        progressText.set("Starting\u2026");
        task = BackgroundTask.withProgress("Exporting the audit trail", work ->
                        // true: the save dialog has asked the user before naming an existing file.
                        audit.exportAuditTrail(target, chosen, filter, actingUser, true, (written, daysDone, daysTotal) -> {
                            work.report(daysDone, daysTotal, Formats.plural(written, "event", "events") + " written");
                            return !work.isCancelled();
                        }))
                .onProgress((done, total, message) -> {
                    progress.set(total > 0 ? (double) done / total : 0);
                    progressText.set(message);
                })
                .onSuccess(written -> {
                    running.set(false);
                    progress.set(1);
                    progressText.set("");
                    result.set(written);
                    summary.set(summaryOf(written));
                    dialogs.notifySuccess("Exported " + Formats.plural(written.count(), "event", "events") + " to "
                            + written.path().getFileName());
                })
                .onFailure(failure -> {
                    running.set(false);
                    progressText.set("");
                    error.set(ErrorReport.inline(failure, dialogs, "Cannot export the audit trail"));
                })
                .onCancelled(() -> {
                    running.set(false);
                    progress.set(0);
                    progressText.set("");
                    error.set("Export cancelled; no file was written.");
                });
        task.executeWith(executor);
    }

    /** Stops a running export; the core removes its partial file. */
    public void cancel() {
        if (task != null && running.get()) {
            task.cancel();
        }
    }

    // Internals

    static String summaryOf(ExportResult written) {
        return "Exported " + Formats.plural(written.count(), "event", "events") + " as " + written.format().value()
                + " to " + written.path() + " (" + Formats.size(written.bytes()) + ").\nSHA-256: " + written.sha256();
    }

    private String checkInput() {
        String period = Periods.problem(fromDate.get(), toDate.get());
        if (period != null) {
            return period;
        }
        Path target = destination.get();
        if (target == null) {
            return "Choose where to save the export.";
        }
        if (Files.isDirectory(target)) {
            return target + " is a folder; choose a file name.";
        }
        return null;
    }

    /** {@code path} with its export extension swapped for {@code format}'s; other names are kept. */
    static Path withExtension(Path path, ExportFormat format) {
        if (path == null || path.getFileName() == null) {
            return path;
        }
        String name = path.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        for (ExportFormat known : ExportFormat.values()) {
            if (lower.endsWith("." + known.value())) {
                return path.resolveSibling(name.substring(0, name.length() - known.value().length()) + format.value());
            }
        }
        return name.contains(".") ? path : path.resolveSibling(name + "." + format.value());
    }
}
