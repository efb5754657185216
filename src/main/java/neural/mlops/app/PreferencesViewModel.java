package neural.mlops.app;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.ErrorReport;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.app.common.Theme;
import neural.mlops.policy.Governance;
import neural.mlops.policy.Policy;
import java.util.Optional;
import neural.mlops.app.common.ActingUser;
import neural.mlops.store.UserConfig;
import neural.mlops.store.Users;

/**
 * The Preferences dialog: the acting user recorded in the audit trail (the OS user unless changed)
 * and the theme. {@link #apply()} saves both. Also shows, read-only, the governance policy of the
 * open workspace (SPEC 8): it is changed by editing workspace.yaml, never from here.
 */
public final class PreferencesViewModel {

    // Properties
    private final StringProperty user = new SimpleStringProperty();
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper userProblem = new ReadOnlyStringWrapper();
    private final ObservableList<String> policyLines = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper policySource = new ReadOnlyStringWrapper("No workspace is open.");
    private final BooleanBinding canApply;

    private final AppPreferences preferences;
    private final ActingUser acting;

    public PreferencesViewModel(AppPreferences preferences) {
        this(preferences, TaskExecutor.CURRENT_THREAD, null, ActingUser.resolve(null, preferences));
    }

    /**
     * With the open workspace's governance (null when none is open), whose policy is loaded in the
     * background, and the session's acting user.
     */
    public PreferencesViewModel(AppPreferences preferences, TaskExecutor executor, Governance governance, ActingUser acting) {
        this.preferences = preferences;
        this.acting = acting;
        user.set(acting.name());
        theme.set(preferences.theme());
        userProblem.bind(Bindings.createStringBinding(() -> problemOf(user.get()), user));
        canApply = userProblem.isNull();
        if (governance != null) {
            policySource.set("Reading " + governance.settingsFile() + "...");
            BackgroundTask.wrap("Reading the workspace policy", governance::policy)
                    .onSuccess(this::showPolicy)
                    .onFailure(error -> {
                        policySource.set(governance.settingsFile().toString());
                        policyLines.setAll("The policy cannot be read; stage changes are refused until it is fixed:",
                                ErrorReport.describe(error));
                    })
                    .executeWith(executor);
        }
    }

    /** The policy of the open workspace, one line per role and per stage (read-only). */
    public ObservableList<String> policyLines() {
        return policyLines;
    }

    /** Where the policy comes from, and its SHA-256 as the audit trail records it. */
    public ReadOnlyStringProperty policySourceProperty() {
        return policySource.getReadOnlyProperty();
    }

    public StringProperty userProperty() {
        return user;
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    /** Why the user name cannot be used, or null when it can. */
    public ReadOnlyStringProperty userProblemProperty() {
        return userProblem.getReadOnlyProperty();
    }

    public BooleanBinding canApplyProperty() {
        return canApply;
    }

    /** "Now: alice (OS user)" */
    public String userSource() {
        return "Now: " + acting.describe();
    }

    /** False when the session's user was given with --user: it is not changed from here. */
    public boolean userEditable() {
        return acting.source() != ActingUser.Source.COMMAND_LINE;
    }

    /**
     * The user typed, when it differs from the acting one. Saving the preferences does not change
     * the acting user: that is an explicit, audited act the caller performs with this name.
     */
    public Optional<String> requestedUser() {
        String name = user.get() == null ? "" : user.get().strip();
        return !userEditable() || !canApply.get() || name.equals(acting.name()) ? Optional.empty() : Optional.of(name);
    }

    public String osUser() {
        return UserConfig.osUser();
    }

    // Commands

    public void resetUser() {
        user.set(UserConfig.osUser());
    }

    public void apply() {
        if (!canApply.get()) {
            return;
        }
        preferences.setTheme(theme.get());
    }

    private void showPolicy(Policy policy) {
        policySource.set(policy.source().map(file -> file + policy.sha256().map(hash -> " (SHA-256 "
                + hash.substring(0, 12) + "\u2026)").orElse("")).orElse("No workspace.yaml: no policy."));
        policyLines.setAll(policy.describe());
    }

    static String problemOf(String name) {
        String problem = Users.problem(name);
        return problem == null ? null : "Invalid user name: " + problem + ". It is recorded with every action in the audit trail.";
    }
}
