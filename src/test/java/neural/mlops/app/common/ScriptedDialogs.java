package neural.mlops.app.common;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import neural.mlops.workspace.WorkspaceLocation;

/**
 * A {@link DialogService} for view-model tests: answers from a script, records what was shown.
 * With nothing scripted, confirmations are accepted with no reason and choosers are cancelled.
 * An error with no text fails the test at once: no screen may show an empty error dialog.
 */
public final class ScriptedDialogs implements DialogService {

    /** Every error shown, as "title: message"; a failure reads as the real dialog would put it. */
    public final List<String> errors = new ArrayList<>();
    /** The exceptions behind the errors shown through {@link #showError(String, Throwable)}. */
    public final List<Throwable> failures = new ArrayList<>();
    public final List<String> informations = new ArrayList<>();
    public final List<String> notifications = new ArrayList<>();
    public final List<String> confirmations = new ArrayList<>();
    /** Every confirmation asked with a reason, as asked (its verb, whether Cancel is the default). */
    public final List<Confirmation> asked = new ArrayList<>();
    private final Deque<Boolean> answers = new ArrayDeque<>();
    private final Deque<Optional<String>> reasons = new ArrayDeque<>();
    private final Deque<Optional<Path>> paths = new ArrayDeque<>();
    private final Deque<Optional<WorkspaceLocation.Bucket>> remoteWorkspaces = new ArrayDeque<>();

    public ScriptedDialogs answer(boolean confirm) {
        answers.add(confirm);
        return this;
    }

    public ScriptedDialogs reason(String reason) {
        reasons.add(Optional.ofNullable(reason));
        return this;
    }

    /** The answer to the next Open Remote Workspace dialog. */
    public ScriptedDialogs remoteWorkspace(WorkspaceLocation.Bucket bucket) {
        remoteWorkspaces.add(Optional.of(bucket));
        return this;
    }

    public ScriptedDialogs path(Path path) {
        paths.add(Optional.ofNullable(path));
        return this;
    }

    @Override
    public void showError(String title, String message) {
        if (message == null || message.isBlank()) {
            throw new AssertionError("An empty error dialog under \"" + title + "\"");
        }
        errors.add(title + ": " + message);
    }

    @Override
    public void showError(String title, Throwable error) {
        failures.add(error);
        errors.add(title + ": " + ErrorReport.describe(error));
    }

    @Override
    public void showInformation(String title, String message) {
        informations.add(title + ": " + message);
    }

    @Override
    public void notifySuccess(String message) {
        notifications.add(message);
    }

    @Override
    public boolean confirm(String title, String header, String message) {
        confirmations.add(header + "\n" + message);
        return answers.isEmpty() || answers.poll();
    }

    @Override
    public Optional<String> confirmWithReason(Confirmation confirmation) {
        confirmations.add(confirmation.header() + "\n" + confirmation.message());
        asked.add(confirmation);
        return reasons.isEmpty() ? Optional.of("") : reasons.poll();
    }

    @Override
    public Optional<Path> chooseDirectory(String title, Path initial) {
        return paths.isEmpty() ? Optional.empty() : paths.poll();
    }

    @Override
    public Optional<WorkspaceLocation.Bucket> askRemoteWorkspace(Optional<WorkspaceLocation.Bucket> initial) {
        return remoteWorkspaces.isEmpty() ? Optional.empty() : remoteWorkspaces.poll();
    }

    @Override
    public Optional<Path> chooseFileToOpen(String title, Path initial) {
        return paths.isEmpty() ? Optional.empty() : paths.poll();
    }

    @Override
    public Optional<Path> chooseFileToSave(String title, Path initialFolder, String initialName, List<String> extensions) {
        return paths.isEmpty() ? Optional.empty() : paths.poll();
    }
}
