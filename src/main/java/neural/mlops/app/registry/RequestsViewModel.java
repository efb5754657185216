package neural.mlops.app.registry;

import neural.mlops.app.common.Confirmation;
import neural.mlops.app.common.Formats;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.identity.Identities;
import neural.mlops.identity.SignatureVerdict;
import neural.mlops.policy.Governance;
import neural.mlops.policy.Policy;
import neural.mlops.policy.PromotionRequest;
import neural.mlops.policy.RequestListing;
import neural.mlops.policy.RequestStatus;
import neural.mlops.registry.RegistryProblem;

/**
 * The Requests window of the Registry tab: the promotion requests of the workspace (SPEC 8), and
 * Approve and Reject (Withdraw, for one's own) on the selected one. Whether the acting user may do
 * either is worked out with the list, off the FX thread, so the buttons say it before the click;
 * the core decides at the click.
 */
public final class RequestsViewModel {

    /**
     * One request as the window shows it.
     *
     * @param approvalBlocker  why the acting user cannot approve it, or null when they can
     * @param rejectionBlocker why they can neither reject nor withdraw it, or null
     * @param approvalsRequired the approvals its stage needs under the policy now
     * @param completes         true when the acting user's approval would be the last one needed
     * @param requestSignature  the requester's signature, verified against workspace.yaml's identities
     * @param approvalSignatures each approval's signature, verified likewise, in the order of the approvals
     */
    public record Row(PromotionRequest request, String approvalBlocker, String rejectionBlocker, int approvalsRequired,
                      boolean completes, SignatureVerdict requestSignature, List<SignatureVerdict> approvalSignatures) {

        public Row {
            approvalSignatures = List.copyOf(approvalSignatures);
        }

        /** "1 of 2: alice". */
        public String approvals() {
            return request.agreed().size() + " of " + approvalsRequired + ": " + String.join(", ", request.agreed());
        }

        /**
         * Who signed the request and each approval, one line each: "request: signed by alice
         * (ed25519 SHA256:...)", "carol: unsigned", "bob: signature invalid".
         */
        public String signatures() {
            List<String> lines = new ArrayList<>();
            lines.add("request: " + requestSignature.describe());
            approvalSignatures.forEach(verdict -> lines.add(verdict.user() + ": " + verdict.describe()));
            return String.join("\n", lines);
        }
    }

    // Properties: input
    private final ObjectProperty<Row> selected = new SimpleObjectProperty<>();
    private final BooleanProperty showClosed = new SimpleBooleanProperty(false);

    // Properties: output
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ObservableList<RegistryProblem> problems = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper canApprove = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canReject = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper rejectText = new ReadOnlyStringWrapper("Reject");
    private final ReadOnlyStringWrapper hint = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(false);

    private final TaskExecutor executor;
    private final DialogService dialogs;
    private final Governance governance;
    private final Runnable onChanged;

    /** {@code onChanged} runs after an approval or rejection changed something (the registry reloads). */
    public RequestsViewModel(TaskExecutor executor, DialogService dialogs, Governance governance, Runnable onChanged) {
        this.executor = executor;
        this.dialogs = dialogs;
        this.governance = governance;
        this.onChanged = onChanged;
        selected.addListener((observable, old, current) -> updateCommands());
        showClosed.addListener((observable, old, current) -> refresh());
    }

    // Inputs

    public ObjectProperty<Row> selectedProperty() {
        return selected;
    }

    /** Also list approved, rejected and withdrawn requests. */
    public BooleanProperty showClosedProperty() {
        return showClosed;
    }

    // Outputs

    public ObservableList<Row> rows() {
        return rows;
    }

    /** Request documents that could not be read. */
    public ObservableList<RegistryProblem> problems() {
        return problems;
    }

    public ReadOnlyBooleanProperty canApproveProperty() {
        return canApprove.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRejectProperty() {
        return canReject.getReadOnlyProperty();
    }

    /** "Withdraw" for the acting user's own request, else "Reject". */
    public ReadOnlyStringProperty rejectTextProperty() {
        return rejectText.getReadOnlyProperty();
    }

    /** What approving the selected request would do, or why it cannot be approved. */
    public ReadOnlyStringProperty hintProperty() {
        return hint.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** The acting user, for the window's title. */
    public String user() {
        return governance.user();
    }

    // Commands

    /** Reloads the requests in the background, keeping the selection where it still exists. */
    public void refresh() {
        boolean closedToo = showClosed.get();
        loading.set(true);
        BackgroundTask.wrap("Loading promotion requests", () -> load(closedToo))
                .onSuccess(loaded -> {
                    loading.set(false);
                    String keep = selected.get() == null ? null : selected.get().request().requestId();
                    rows.setAll(loaded.rows());
                    problems.setAll(loaded.problems());
                    selected.set(rows.stream().filter(row -> row.request().requestId().equals(keep)).findFirst()
                            .orElse(rows.isEmpty() ? null : rows.get(0)));
                    updateCommands();
                })
                .onFailure(error -> {
                    loading.set(false);
                    dialogs.showError("Cannot load the promotion requests", error);
                })
                .executeWith(executor);
    }

    /** Approves the selected request after a confirmation that says whether it carries the move out. */
    public void approve() {
        Row row = selected.get();
        if (row == null || !canApprove.get()) {
            return;
        }
        PromotionRequest request = row.request();
        String what = request.name() + " " + request.version();
        String message = "Requested by " + request.requestedBy() + " on " + Formats.localMinute(request.requestedAt())
                + ": \u201c" + request.reason() + "\u201d\n"
                + "Approvals so far: " + row.approvals() + ".\n"
                + (row.completes()
                ? "Yours is the last approval needed: " + what + " moves to " + request.toStage().value()
                        + " at once (every other rule of the policy is checked again)."
                : "Your approval is recorded; more are needed before " + what + " moves.")
                + "\nThe approval is recorded in the audit trail as " + governance.user() + ".";
        if (!dialogs.confirm("Approve promotion", what + ": \u2192 " + request.toStage().value(), message)) {
            return;
        }
        BackgroundTask.wrap("Approving " + what, () -> governance.approve(request.name(), request.version(), request.toStage()))
                .onSuccess(outcome -> {
                    if (outcome.promoted()) {
                        dialogs.showInformation("Promoted", what + " is now in " + request.toStage().value()
                                + " (approved by " + String.join(", ", outcome.request().agreed()) + ").");
                    }
                    changed();
                })
                .onFailure(error -> {
                    dialogs.showError("Cannot approve " + what, error);
                    changed();
                })
                .executeWith(executor);
    }

    /** Rejects the selected request (withdraws it, when it is the acting user's own), with an optional reason. */
    public void reject() {
        Row row = selected.get();
        if (row == null || !canReject.get()) {
            return;
        }
        PromotionRequest request = row.request();
        String what = request.name() + " " + request.version();
        boolean own = request.requestedBy().equals(governance.user());
        Optional<String> reason = dialogs.confirmWithReason(Confirmation.destructive(
                (own ? "Withdraw the request for " : "Reject the request for ") + what,
                what + ": \u2192 " + request.toStage().value(),
                (own ? "Your request is withdrawn" : "The request by " + request.requestedBy() + " is rejected")
                        + "; the version stays in " + (request.fromStage() == null ? "its stage" : request.fromStage().value())
                        + ". A new request can be made later.", own ? "Withdraw" : "Reject"));
        if (reason.isEmpty()) {
            return;
        }
        BackgroundTask.wrap((own ? "Withdrawing " : "Rejecting ") + what,
                        () -> governance.reject(request.name(), request.version(), request.toStage(), reason.get()))
                .onSuccess(closed -> changed())
                .onFailure(error -> {
                    dialogs.showError("Cannot " + (own ? "withdraw" : "reject") + " the request for " + what, error);
                    changed();
                })
                .executeWith(executor);
    }

    // Internals

    private record Loaded(List<Row> rows, List<RegistryProblem> problems) {
    }

    private Loaded load(boolean closedToo) {
        RequestListing listing = governance.requests(null, closedToo);
        Policy policy = governance.policy();
        Identities identities = policy.identities();
        String user = governance.user();
        List<Row> loaded = listing.requests().stream().map(request -> {
            int required = policy.rule(request.toStage()).approvals();
            long counted = request.agreed().stream().distinct().filter(p -> policy.permits(p, request.toStage())).count();
            boolean completes = !request.hasAgreed(user) && policy.permits(user, request.toStage()) && counted + 1 >= required;
            return new Row(request, governance.approvalBlocker(request).orElse(null),
                    governance.rejectionBlocker(request).orElse(null), required, completes,
                    request.requestVerdict(identities),
                    request.approvals().stream().map(approval -> request.approvalVerdict(approval, identities)).toList());
        }).toList();
        return new Loaded(loaded, listing.problems());
    }

    private void changed() {
        refresh();
        onChanged.run();
    }

    private void updateCommands() {
        Row row = selected.get();
        canApprove.set(row != null && row.approvalBlocker() == null);
        canReject.set(row != null && row.rejectionBlocker() == null);
        rejectText.set(row != null && row.request().requestedBy().equals(governance.user()) ? "Withdraw" : "Reject");
        if (row == null) {
            hint.set(rows.isEmpty() ? (showClosed.get() ? "No promotion requests." : "No open promotion requests.") : "");
        } else if (row.request().status() != RequestStatus.OPEN) {
            hint.set("This request is " + row.request().status().value()
                    + (row.request().closedBy() == null ? "" : " (by " + row.request().closedBy() + ")") + ".");
        } else if (row.approvalBlocker() != null) {
            hint.set(row.approvalBlocker());
        } else if (row.completes()) {
            hint.set("Your approval is the last one needed: the version moves to "
                    + row.request().toStage().value() + " when you approve.");
        } else {
            hint.set("Your approval makes it " + (row.request().agreed().size() + 1) + " of " + row.approvalsRequired() + ".");
        }
    }
}
