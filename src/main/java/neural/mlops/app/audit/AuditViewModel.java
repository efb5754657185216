package neural.mlops.app.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.Confirmation;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.Formats;
import neural.mlops.app.common.LoadGate;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.ChainHead;
import neural.mlops.app.common.ErrorReport;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.IntegrityCheck;
import neural.mlops.audit.IntegrityReport;
import neural.mlops.audit.QueryResult;
import neural.mlops.audit.RetentionDue;
import neural.mlops.identity.SignatureVerdict;
import neural.mlops.policy.Governance;
import neural.mlops.policy.SignatureAudit;
import neural.mlops.store.Json;
import neural.mlops.workspace.Workspace;

/**
 * The Audit tab: the events that meet the filters, newest first, loaded a page at a time in the
 * background (never the whole trail: a workspace may hold a million events); the selected
 * event's full document; and the commands that verify the chain, and open the compliance report
 * and the export.
 */
public final class AuditViewModel {

    /** Events loaded at once; "Load more" adds another page. */
    public static final int PAGE = 5000;

    // Properties: input
    private final ObjectProperty<EventType> typeFilter = new SimpleObjectProperty<>();
    private final ObjectProperty<EventSeverity> severityFilter = new SimpleObjectProperty<>();
    private final StringProperty userFilter = new SimpleStringProperty("");
    private final ObjectProperty<LocalDate> fromDate = new SimpleObjectProperty<>();
    private final ObjectProperty<LocalDate> toDate = new SimpleObjectProperty<>();
    private final StringProperty textFilter = new SimpleStringProperty("");
    private final ObjectProperty<AuditEvent> selectedEvent = new SimpleObjectProperty<>();

    // Properties: output
    private final ObservableList<AuditEvent> events = FXCollections.observableArrayList();
    private final ObservableList<String> users = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper detailText = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<SignatureVerdict> signature = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper filterProblem = new ReadOnlyStringWrapper();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper hasMore = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper verifying = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper integrityStatus = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper retentionNotice = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper archiveDue = new ReadOnlyBooleanWrapper(false);
    private final LoadGate gate = new LoadGate();
    private final ReadOnlyObjectWrapper<IntegrityReport> lastIntegrity = new ReadOnlyObjectWrapper<>();
    /** True intact, false problems, null not known (not verified yet, or verifying). */
    private final ReadOnlyObjectWrapper<Boolean> intact = new ReadOnlyObjectWrapper<>();
    /** Where the last verified heads are kept between runs; null: no verification on open. */
    private VerifiedHeads verifiedHeads;
    /** While true, a shown workspace's verification waits (null: it never waits). */
    private ObservableBooleanValue checkWaitsFor;
    private final ReadOnlyObjectWrapper<IntegrityViewModel> verification = new ReadOnlyObjectWrapper<>();

    private final int pageSize;
    private final TaskExecutor executor;
    private final DialogService dialogs;
    private final Clock clock;
    private final ZoneId zone;
    private AuditLogger audit;
    private String user;
    private Governance governance;
    /** The open workspace's location, the key of its remembered verified head. */
    private String location;
    /** Bumped by every new load, so that an older load finishing late is ignored. */
    private long generation;
    private boolean reloadPending;
    private ChainHead loadedHead;
    /** workspace.yaml's retention.keep_days of the workspace shown; empty when it sets none. */
    private OptionalInt keepDays = OptionalInt.empty();
    /** What is due for the archive now; null when nothing is. */
    private RetentionDue retention;
    private int unreadable;

    public AuditViewModel(TaskExecutor executor, DialogService dialogs) {
        this(executor, dialogs, Clock.systemDefaultZone(), ZoneId.systemDefault());
    }

    /** With the clock and time zone that turn the date pickers' days into instants (tests). */
    public AuditViewModel(TaskExecutor executor, DialogService dialogs, Clock clock, ZoneId zone) {
        this(executor, dialogs, clock, zone, PAGE);
    }

    /** With another page size (tests page through a few events instead of thousands). */
    AuditViewModel(TaskExecutor executor, DialogService dialogs, Clock clock, ZoneId zone, int pageSize) {
        this.pageSize = pageSize;
        this.executor = executor;
        this.dialogs = dialogs;
        this.clock = clock;
        this.zone = zone;
        typeFilter.addListener((observable, old, current) -> reload());
        severityFilter.addListener((observable, old, current) -> reload());
        userFilter.addListener((observable, old, current) -> reload());
        fromDate.addListener((observable, old, current) -> reload());
        toDate.addListener((observable, old, current) -> reload());
        textFilter.addListener((observable, old, current) -> reload());
        selectedEvent.addListener((observable, old, current) -> {
            detailText.set(prettyJson(current));
            checkSignature(current);
        });
        integrityStatus.set("Integrity not verified");
    }

    // Inputs

    /** Null: every type. */
    public ObjectProperty<EventType> typeFilterProperty() {
        return typeFilter;
    }

    /** Null: every severity. */
    public ObjectProperty<EventSeverity> severityFilterProperty() {
        return severityFilter;
    }

    /** Blank: every user; otherwise the user's name, ignoring case. */
    public StringProperty userFilterProperty() {
        return userFilter;
    }

    /** The first day shown (local time), or null for no bound. */
    public ObjectProperty<LocalDate> fromDateProperty() {
        return fromDate;
    }

    /** The last day shown (local time, inclusive), or null for no bound. */
    public ObjectProperty<LocalDate> toDateProperty() {
        return toDate;
    }

    /** Free text looked for in the user, action, resource, reason and details. */
    public StringProperty textFilterProperty() {
        return textFilter;
    }

    public ObjectProperty<AuditEvent> selectedEventProperty() {
        return selectedEvent;
    }

    // Outputs

    /** The loaded events, newest first. */
    public ObservableList<AuditEvent> events() {
        return events;
    }

    /** Users seen in the loaded events, for the user filter's suggestions. */
    public ObservableList<String> users() {
        return users;
    }

    /**
     * The selected event's signature badge (issue 24), the verdict {@code audit verify} gives: signed
     * (valid), signature invalid, or unsigned where its stage now requires signatures; null when
     * the event is neither signed nor required to be, or is still being checked.
     */
    public ReadOnlyObjectProperty<SignatureVerdict> signatureProperty() {
        return signature.getReadOnlyProperty();
    }

    /** The selected event's whole document as indented JSON. */
    public ReadOnlyStringProperty detailTextProperty() {
        return detailText.getReadOnlyProperty();
    }

    /** "The newest 5,000 matching events" or "132 matching events". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** What is wrong with the filters (a period that ends before it starts), else null. */
    public ReadOnlyStringProperty filterProblemProperty() {
        return filterProblem.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** True when older matching events remain to be loaded. */
    public ReadOnlyBooleanProperty hasMoreProperty() {
        return hasMore.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty availableProperty() {
        return available.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty verifyingProperty() {
        return verifying.getReadOnlyProperty();
    }

    /** The last verification for the status bar: "Chain intact · 1,234 events", "Integrity: 2 problems". */
    public ReadOnlyStringProperty integrityStatusProperty() {
        return integrityStatus.getReadOnlyProperty();
    }

    /** True when the trail was last found intact, false with problems, null when not known: the status bar's colour. */
    public ReadOnlyObjectProperty<Boolean> intactProperty() {
        return intact.getReadOnlyProperty();
    }

    /**
     * From now on, each workspace shown is verified in the background at once, incrementally:
     * only the events since the head last verified intact there (kept in {@code heads}), all of
     * them the first time. Nothing is recorded: the explicit Verify Integrity records its check.
     */
    public void verifyOnOpen(VerifiedHeads heads) {
        verifyOnOpen(heads, null);
    }

    /**
     * As {@link #verifyOnOpen(VerifiedHeads)}, but a workspace's check waits while {@code busy} is
     * true (the registry's first load): on two cores the two would share the processor, and a
     * first verification of a large trail would delay the list the window shows first.
     */
    public void verifyOnOpen(VerifiedHeads heads, ObservableBooleanValue busy) {
        this.verifiedHeads = heads;
        this.checkWaitsFor = busy;
    }

    public ReadOnlyObjectProperty<IntegrityReport> lastIntegrityProperty() {
        return lastIntegrity.getReadOnlyProperty();
    }

    /** Set when a verification finished; the view shows it in a window. */
    public ReadOnlyObjectProperty<IntegrityViewModel> verificationProperty() {
        return verification.getReadOnlyProperty();
    }

    // Commands

    /** Inactive (its tab not shown yet), it takes the workspace but reads nothing until made active ({@link LoadGate}). */
    public void setActive(boolean isActive) {
        gate.setOpen(isActive, this::reload);
    }

    /**
     * Shows the audit trail of {@code workspace}, acting as its user (null: none is open). The
     * tab's view model lives as long as the window while workspaces are opened and closed, so the
     * workspace arrives through this one method rather than the constructor.
     */
    public void showWorkspace(Workspace workspace) {
        AuditLogger newAudit = workspace == null ? null : workspace.audit();
        this.audit = newAudit;
        this.user = workspace == null ? null : workspace.user();
        this.governance = workspace == null ? null : workspace.governance();
        this.location = workspace == null ? null : workspace.location().toString();
        available.set(newAudit != null);
        loadedHead = null;
        events.clear();
        users.clear();
        selectedEvent.set(null);
        hasMore.set(false);
        summary.set("");
        lastIntegrity.set(null);
        intact.set(null);
        integrityStatus.set(newAudit == null ? "" : "Integrity not verified");
        keepDays = workspace == null ? OptionalInt.empty() : workspace.settings().keepDays();
        checkRetention();
        reload();
        if (newAudit != null && verifiedHeads != null) {
            String at = workspace.location().toString();
            whenNotBusy(() -> {
                if (audit == newAudit) {
                    checkSinceLastVerified(newAudit, at);
                }
            });
        }
    }

    /** Runs {@code check} now, or once {@link #checkWaitsFor} is no longer true. */
    private void whenNotBusy(Runnable check) {
        ObservableBooleanValue busy = checkWaitsFor;
        if (busy == null || !busy.get()) {
            check.run();
            return;
        }
        busy.addListener(new ChangeListener<>() {
            @Override
            public void changed(ObservableValue<? extends Boolean> observable, Boolean was, Boolean isBusy) {
                if (!isBusy) {
                    busy.removeListener(this);
                    check.run();
                }
            }
        });
    }

    /**
     * "3 days are older than the 30-day retention": workspace.yaml's {@code retention.keep_days}
     * makes whole past days due for the archive; empty when none are (or no retention is set).
     */
    public ReadOnlyStringProperty retentionNoticeProperty() {
        return retentionNotice.getReadOnlyProperty();
    }

    /** True while days are due for the archive and no archive runs: the banner's Archive... is enabled. */
    public ReadOnlyBooleanProperty archiveDueProperty() {
        return archiveDue.getReadOnlyProperty();
    }

    /** What the opening's check found: the head it reached, and the report (null: nothing new since the last check). */
    private record OpenCheck(ChainHead head, IntegrityReport report) {
    }

    private void checkSinceLastVerified(AuditLogger source, String location) {
        Optional<ChainHead> known = verifiedHeads.get(location);
        integrityStatus.set("Verifying the audit trail\u2026");
        BackgroundTask.wrap("Verifying the new audit events", () -> {
                    ChainHead head = source.head();
                    if (known.isPresent() && known.get().seq() == head.seq()
                            && java.util.Objects.equals(known.get().hash(), head.hash())) {
                        return new OpenCheck(head, null);
                    }
                    Instant now = clock.instant();
                    boolean incremental = known.isPresent() && known.get().timestamp() != null
                            && known.get().seq() <= head.seq() && known.get().timestamp().isBefore(now);
                    // From the day of the last verified event: its day's file and the links after it are checked again.
                    return new OpenCheck(head, incremental ? source.verifyIntegrity(known.get().timestamp(), now)
                            : source.verifyIntegrity());
                })
                .onSuccess(check -> {
                    if (source != audit || verifying.get()) {
                        return;
                    }
                    if (check.report() == null) {
                        intact.set(true);
                        integrityStatus.set("Chain intact \u00b7 no new events since the last verification");
                        return;
                    }
                    lastIntegrity.set(check.report());
                    intact.set(check.report().intact());
                    integrityStatus.set(statusOf(check.report()));
                    if (check.report().intact()) {
                        verifiedHeads.put(location, check.head());
                    }
                })
                .onFailure(error -> {
                    if (source == audit) {
                        intact.set(false);
                        integrityStatus.set("Integrity: verification failed (" + ErrorReport.describe(error) + ")");
                    }
                })
                .executeWith(executor);
    }

    /** Live refresh: reloads only when the chain head moved (another process appended), else does nothing. */
    public void refresh() {
        AuditLogger source = audit;
        if (source == null) {
            return;
        }
        if (!gate.admit()) {
            return;
        }
        BackgroundTask.wrap("Checking the audit trail", source::head)
                .onSuccess(head -> {
                    if (source == audit && !Objects.equals(head, loadedHead)) {
                        reload();
                    }
                })
                .onFailure(error -> dialogs.showError("Cannot read the audit trail", error))
                .executeWith(executor);
    }

    /** Loads the newest page of events that meet the filters, replacing what is shown. */
    public void reload() {
        AuditLogger source = audit;
        if (source == null) {
            return;
        }
        if (!gate.admit()) {
            return;
        }
        AuditFilter filter;
        try {
            filter = filter();
        } catch (IllegalArgumentException e) {
            filterProblem.set(e.getMessage());
            return;
        }
        filterProblem.set(null);
        if (loading.get()) {
            // One query at a time: a user typing must not start a scan of the whole trail per key.
            reloadPending = true;
            return;
        }
        long mine = ++generation;
        loading.set(true);
        BackgroundTask.wrap("Loading audit events", () -> new Page(source.head(), source.query(filter, pageSize)))
                .onSuccess(page -> {
                    finishLoad();
                    if (mine == generation && source == audit && !reloadPending) {
                        show(page, filter);
                    }
                    runPendingReload();
                })
                .onFailure(error -> {
                    finishLoad();
                    if (!reloadPending) {
                        dialogs.showError("Cannot read the audit trail", error);
                    }
                    runPendingReload();
                })
                .executeWith(executor);
    }

    /** Adds the next page of older matching events. */
    public void loadMore() {
        AuditLogger source = audit;
        if (source == null || !hasMore.get() || loading.get() || events.isEmpty()) {
            return;
        }
        AuditFilter base;
        try {
            base = filter();
        } catch (IllegalArgumentException e) {
            return;
        }
        AuditEvent oldest = events.get(events.size() - 1);
        // Events that share the oldest loaded time are asked for again and dropped, so none is lost.
        Set<AuditEvent> sameTime = new HashSet<>();
        for (int i = events.size() - 1; i >= 0 && events.get(i).timestamp().equals(oldest.timestamp()); i--) {
            sameTime.add(events.get(i));
        }
        int limit = pageSize + sameTime.size();
        AuditFilter older = base.withUntil(oldest.timestamp());
        long mine = ++generation;
        loading.set(true);
        BackgroundTask.wrap("Loading older audit events", () -> source.query(older, limit))
                .onSuccess(result -> {
                    finishLoad();
                    if (mine == generation && source == audit && !reloadPending) {
                        List<AuditEvent> fresh = result.events().stream().filter(event -> !sameTime.contains(event)).toList();
                        events.addAll(fresh);
                        unreadable = Math.max(unreadable, result.unreadable().size());
                        hasMore.set(result.events().size() >= limit);
                        addUsers(fresh);
                        updateSummary();
                    }
                    runPendingReload();
                })
                .onFailure(error -> {
                    finishLoad();
                    dialogs.showError("Cannot read the audit trail", error);
                })
                .executeWith(executor);
    }

    /** Clears every filter. */
    public void clearFilters() {
        typeFilter.set(null);
        severityFilter.set(null);
        userFilter.set("");
        fromDate.set(null);
        toDate.set(null);
        textFilter.set("");
    }

    /**
     * Walks the chain in the background; the result goes to the status bar and to a window that
     * lists the problems (or says the chain is intact). The check is itself recorded as an
     * integrity_check event by the acting user.
     */
    public void verifyIntegrity() {
        AuditLogger source = audit;
        if (source == null || verifying.get()) {
            return;
        }
        verifying.set(true);
        integrityStatus.set("Verifying the audit trail\u2026");
        String actingUser = user;
        String verifiedLocation = location;
        BackgroundTask.wrap("Verifying the audit trail", () -> verifyAndRecord(source, actingUser))
                .onSuccess(result -> {
                    rememberVerified(source, verifiedLocation, result);
                    showVerification(result);
                })
                .onFailure(error -> {
                    verifying.set(false);
                    intact.set(false);
                    integrityStatus.set("Integrity: verification failed");
                    dialogs.showError("Cannot verify the audit trail", error);
                })
                .executeWith(executor);
    }

    /**
     * Offered by the Verify Integrity window when it found unchained events ("Adopt..."): after a
     * confirmation with a reason, runs the same adoption as {@code audit adopt} (every unchained
     * event file up to now, its SHA-256 recorded in the chain) in the background, then verifies
     * again and shows the new result.
     */
    public void adoptUnchained() {
        AuditLogger source = audit;
        if (source == null || verifying.get()) {
            return;
        }
        Optional<String> reason = dialogs.confirmWithReason(Confirmation.of("Adopt unchained events",
                "Vouch for the events that no hash chains?",
                "Records the SHA-256 of every unchained event file (written by a tool that does not chain, such as "
                        + "the original Python module) in the audit trail. From then on verification treats them as "
                        + "adopted, and any later edit, deletion or insertion among them is a problem. The adoption is "
                        + "itself recorded, with your reason.", "Adopt"));
        if (reason.isEmpty()) {
            return;
        }
        verifying.set(true);
        integrityStatus.set("Adopting unchained events\u2026");
        String actingUser = user;
        String verifiedLocation = location;
        BackgroundTask.wrap("Adopting unchained events", () -> {
                    source.adopt(null, actingUser, reason.get());
                    return verifyAndRecord(source, actingUser);
                })
                .onSuccess(result -> {
                    rememberVerified(source, verifiedLocation, result);
                    showVerification(result);
                })
                .onFailure(error -> {
                    verifying.set(false);
                    integrityStatus.set("Integrity: adoption failed");
                    dialogs.showError("Cannot adopt the unchained events", error);
                })
                .executeWith(executor);
    }

    /** Asks, in the background, what the workspace's retention makes due; the banner shows the answer. */
    private void checkRetention() {
        AuditLogger source = audit;
        retentionNotice.set("");
        archiveDue.set(false);
        retention = null;
        if (source == null || keepDays.isEmpty()) {
            return;
        }
        int days = keepDays.getAsInt();
        BackgroundTask.wrap("Checking the audit retention", () -> source.retentionDue(days))
                .onSuccess(due -> showRetention(source, due))
                .onFailure(error -> {
                    if (source == audit) {
                        retentionNotice.set("Cannot tell which days are due for the archive: " + ErrorReport.describe(error));
                    }
                })
                .executeWith(executor);
    }

    private void showRetention(AuditLogger source, RetentionDue due) {
        if (source != audit) {
            return; // another workspace was opened meanwhile
        }
        retention = due.due() ? due : null;
        retentionNotice.set(due.describe());
        archiveDue.set(due.due());
    }

    /**
     * The banner's Archive...: asks where to save the archive and why, then runs the same archive
     * as {@code audit archive --due} (the days retention makes due, into one zip, a checkpoint
     * recorded in the chain) in the background, and checks the retention again.
     */
    public void archiveDueDays() {
        AuditLogger source = audit;
        RetentionDue due = retention;
        if (source == null || due == null || !archiveDue.get()) {
            return;
        }
        Optional<Path> target = dialogs.chooseFileToSave("Archive Audit Days", Path.of(System.getProperty("user.home")),
                "audit-before-" + due.before() + ".zip", List.of("*.zip"));
        if (target.isEmpty()) {
            return;
        }
        Optional<String> reason = dialogs.confirmWithReason(Confirmation.of("Archive audit days",
                "Archive " + due.days().size() + " day(s), " + due.days().get(0) + " to " + due.days().get(due.days().size() - 1)
                        + "?",
                "Moves those days out of the trail into " + target.get() + " and records a checkpoint in the chain. "
                        + "Keep the archive where the trail's backups go: it becomes the only copy of those days.",
                "Archive"));
        if (reason.isEmpty()) {
            return;
        }
        archiveDue.set(false);
        retentionNotice.set("Archiving " + due.days().size() + " day(s) of the audit trail\u2026");
        String actingUser = user;
        BackgroundTask.wrap("Archiving " + due.days().size() + " day(s) of the audit trail",
                        () -> source.archive(due.before(), target.get(), actingUser, reason.get(), true))
                .onSuccess(result -> {
                    dialogs.showInformation("Audit days archived", "Archived " + result.days().size() + " day(s) ("
                            + result.events() + " events) to " + result.archive() + "; SHA-256 " + result.sha256()
                            + (result.notDeleted().isEmpty() ? "" : "; not deleted: " + String.join(", ", result.notDeleted())));
                    if (source == audit) {
                        checkRetention();
                        refresh();
                    }
                })
                .onFailure(error -> {
                    if (source == audit) {
                        showRetention(source, due);
                    }
                    dialogs.showError("Cannot archive the audit days", error);
                })
                .executeWith(executor);
    }

    private void showVerification(Verification result) {
        verifying.set(false);
        lastIntegrity.set(result.report());
        intact.set(result.report().intact());
        integrityStatus.set(statusOf(result.report()));
        verification.set(new IntegrityViewModel(result.report(), result.notRecorded()));
        refresh();
    }

    /** A view model for the Compliance Report window, acting as the workspace's user. */
    public ComplianceReportViewModel newComplianceReport() {
        return new ComplianceReportViewModel(audit, user, executor, dialogs, clock, zone);
    }

    /** A view model for the Export dialog, prefilled with the filters shown now. */
    public ExportAuditViewModel newExport() {
        ExportAuditViewModel export = new ExportAuditViewModel(audit, user, executor, dialogs, clock, zone);
        export.typeProperty().set(typeFilter.get());
        export.severityProperty().set(severityFilter.get());
        export.userProperty().set(userFilter.get());
        export.textProperty().set(textFilter.get());
        export.fromDateProperty().set(fromDate.get());
        export.toDateProperty().set(toDate.get());
        return export;
    }

    /** The trail attached now, or null. */
    public AuditLogger audit() {
        return audit;
    }

    // Internals

    /** The filters as the core's, the days turned into instants in the user's zone. */
    AuditFilter filter() {
        return Periods.filter(typeFilter.get(), severityFilter.get(), userFilter.get(), textFilter.get(),
                fromDate.get(), toDate.get(), zone);
    }

    private void finishLoad() {
        loading.set(false);
    }

    private void runPendingReload() {
        if (reloadPending) {
            reloadPending = false;
            reload();
        }
    }

    private void show(Page page, AuditFilter filter) {
        AuditEvent keep = selectedEvent.get();
        loadedHead = page.head();
        unreadable = page.result().unreadable().size();
        events.setAll(page.result().events());
        hasMore.set(page.result().events().size() >= pageSize);
        if (filter.user() == null) {
            users.clear();
        }
        addUsers(page.result().events());
        updateSummary();
        selectedEvent.set(keep != null && events.contains(keep) ? keep : null);
    }

    private void addUsers(List<AuditEvent> loaded) {
        Set<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        all.addAll(users);
        loaded.stream().map(AuditEvent::user).filter(Objects::nonNull).forEach(all::add);
        if (all.size() != users.size()) {
            users.setAll(all);
        }
    }

    private void updateSummary() {
        String text = hasMore.get()
                ? "The newest " + Formats.plural(events.size(), "matching event", "matching events")
                : Formats.plural(events.size(), "matching event", "matching events");
        if (unreadable > 0) {
            text += " \u00b7 " + Formats.plural(unreadable, "unreadable file", "unreadable files") + " skipped";
        }
        summary.set(text);
    }

    static String statusOf(IntegrityReport report) {
        if (report.intact()) {
            return "Chain intact \u00b7 " + Formats.plural(report.eventsChecked(), "event", "events");
        }
        return "Integrity: " + Formats.plural(report.problems().size(), "problem", "problems");
    }

    /**
     * The head is read before the walk: every event up to it is then verified, so an intact walk
     * vouches for it (the check's own event, appended after, is verified by the next opening).
     */
    private static Verification verifyAndRecord(AuditLogger source, String actingUser) {
        ChainHead before = source.head();
        IntegrityCheck check = source.checkIntegrity(actingUser);
        return new Verification(check.report(), check.notRecorded().orElse(null), before);
    }

    /** A full walk found the trail intact: the next opening verifies only what was appended after it. */
    private void rememberVerified(AuditLogger source, String verifiedLocation, Verification result) {
        if (verifiedHeads != null && verifiedLocation != null && result.report().intact()) {
            verifiedHeads.put(verifiedLocation, result.headBefore());
        }
    }

    /**
     * Works out the selected event's signature badge in the background: its stored signature
     * checked as {@code audit verify} checks it (against the identities recorded before it), or,
     * for an unsigned governed action, whether its stage requires signatures now.
     */
    private void checkSignature(AuditEvent event) {
        signature.set(null);
        AuditLogger trail = audit;
        Governance rules = governance;
        if (event == null || trail == null) {
            return;
        }
        BackgroundTask.wrap("Checking the event's signature", () -> {
                    SignatureVerdict verdict = SignatureAudit.verdict(trail, event);
                    return verdict.status() != SignatureVerdict.Status.UNSIGNED
                            || (rules != null && SignatureAudit.unsignedWhereRequired(event, rules.policy()))
                            ? Optional.of(verdict) : Optional.<SignatureVerdict>empty();
                })
                .onSuccess(verdict -> {
                    if (selectedEvent.get() == event) {
                        signature.set(verdict.orElse(null));
                    }
                })
                .onFailure(error -> {
                    if (selectedEvent.get() == event) {
                        signature.set(SignatureVerdict.invalid(event.user(), Optional.empty(),
                                "it could not be checked: " + ErrorReport.describe(error)));
                    }
                })
                .executeWith(executor);
    }

    static String prettyJson(AuditEvent event) {
        if (event == null) {
            return "";
        }
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(event.toJson());
        } catch (JsonProcessingException e) {
            return event.toString();
        }
    }

    private record Page(ChainHead head, QueryResult result) {
    }

    private record Verification(IntegrityReport report, String notRecorded, ChainHead headBefore) {
    }
}
