package neural.mlops.app.common;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import neural.mlops.workspace.WorkspaceLocation;

/**
 * Every dialog a view model needs (STYLE 4). Only {@link FxDialogService} touches JavaFX dialogs;
 * view-model tests use a mock or a scripted implementation.
 */
public interface DialogService {

    /** An error the user can act on, with no exception behind it: a refused input, a missing reason. */
    void showError(String title, String message);

    /**
     * A failure: an expected one ({@link neural.mlops.store.MlopsException}) shows its message; any
     * other shows its type and an expandable stack trace, and its trace goes to the log (see
     * {@link ErrorReport}). Never an empty dialog, whatever the exception's message.
     */
    void showError(String title, Throwable error);

    void showInformation(String title, String message);

    /**
     * A short note that a change succeeded ("v2.0.0 of fraud_detector is in production"): it shows
     * for a few seconds over the main window and asks nothing, so work goes on.
     */
    void notifySuccess(String message);

    /** Asks a yes-or-no question; true when the user confirms. */
    boolean confirm(String title, String header, String message);

    /**
     * Asks to confirm an action with a free-text reason, which has the focus: Enter starts a new
     * line, Ctrl+Enter confirms. Empty when the user cancels; the reason as typed (stripped) otherwise.
     */
    Optional<String> confirmWithReason(Confirmation confirmation);

    Optional<Path> chooseDirectory(String title, Path initial);

    /**
     * Asks where a remote workspace is: bucket, prefix, endpoint and AWS profile ({@code initial}'s
     * as the starting values); empty when cancelled. What is returned has been checked.
     */
    Optional<WorkspaceLocation.Bucket> askRemoteWorkspace(Optional<WorkspaceLocation.Bucket> initial);

    Optional<Path> chooseFileToOpen(String title, Path initial);

    /** A save dialog; {@code extensions} like {@code "*.csv"} filter what it shows. */
    Optional<Path> chooseFileToSave(String title, Path initialFolder, String initialName, List<String> extensions);
}
