package neural.mlops.app;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import neural.mlops.app.common.ActingSigner;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.SigningStatus;
import neural.mlops.identity.Identities;
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
 * The Preferences dialog: the acting user recorded in the audit trail (the OS user unless changed),
 * the SSH key that signs their governed actions, and the theme. {@link #apply()} saves the key and
 * the theme. Also shows, read-only, the governance policy of the
 * open workspace (SPEC 8): it is changed by editing workspace.yaml, never from here.
 */
public final class PreferencesViewModel {

    // Properties
    private final StringProperty user = new SimpleStringProperty();
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper userProblem = new ReadOnlyStringWrapper();
    private final ObjectProperty<Path> signingKey = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper signingKeyProblem = new ReadOnlyStringWrapper();
    private final ReadOnlyObjectWrapper<SigningStatus> signing = new ReadOnlyObjectWrapper<>(SigningStatus.NONE);
    private final ReadOnlyStringWrapper signingKeySource = new ReadOnlyStringWrapper("");
    private Identities identities;
    private final ObservableList<String> policyLines = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper policySource = new ReadOnlyStringWrapper("No workspace is open.");
    private final BooleanBinding canApply;

    private final AppPreferences preferences;
    private final ActingUser acting;
    private final DialogService dialogs;
    private final Map<String, String> environment;

    /** With no workspace open and no signing key variable. */
    public PreferencesViewModel(AppPreferences preferences, DialogService dialogs) {
        this(preferences, TaskExecutor.CURRENT_THREAD, null, ActingUser.resolve(null, preferences), dialogs, Map.of());
    }

    /**
     * With the open workspace's governance (null when none is open), whose policy is loaded in the
     * background, the session's acting user, the dialogs that choose a key file, and the process's
     * variables (where {@code NEURAL_MLOPS_SIGNING_KEY} applies when no key is chosen here).
     */
    public PreferencesViewModel(AppPreferences preferences, TaskExecutor executor, Governance governance, ActingUser acting,
                                DialogService dialogs, Map<String, String> environment) {
        this.preferences = preferences;
        this.acting = acting;
        this.dialogs = dialogs;
        this.environment = Map.copyOf(environment);
        user.set(acting.name());
        theme.set(preferences.theme());
        userProblem.bind(Bindings.createStringBinding(() -> problemOf(user.get()), user));
        signingKey.set(preferences.signingKey().orElse(null));
        signingKey.addListener((observable, old, key) -> updateSigning());
        updateSigning();
        canApply = userProblem.isNull().and(signingKeyProblem.isNull());
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

    /** The key file chosen here to sign governed actions; null when none is (the variable's key then applies). */
    public ObjectProperty<Path> signingKeyProperty() {
        return signingKey;
    }

    /** Why the chosen key cannot sign (not a readable OpenSSH key file), or null when it can or none is chosen. */
    public ReadOnlyStringProperty signingKeyProblemProperty() {
        return signingKeyProblem.getReadOnlyProperty();
    }

    /**
     * How the acting user would sign with the key shown: "signed as alice (ed25519 SHA256:...)",
     * "key not listed for alice" (a warning) or "unsigned", checked against the open workspace's
     * identities; with no workspace open, which key would sign.
     */
    public ReadOnlyObjectProperty<SigningStatus> signingProperty() {
        return signing.getReadOnlyProperty();
    }

    /** Where the key comes from when none is chosen here: "From $NEURAL_MLOPS_SIGNING_KEY: ...", or empty. */
    public ReadOnlyStringProperty signingKeySourceProperty() {
        return signingKeySource.getReadOnlyProperty();
    }

    /** True when saving changes the signing key (the workspace is then reopened to sign with it). */
    public boolean signingKeyChanged() {
        return !Optional.ofNullable(signingKey.get()).equals(preferences.signingKey());
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

    /** Asks for the key file (in ~/.ssh when there is one); a .pub file or certificate means the ssh-agent signs. */
    public void chooseSigningKey() {
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        Path start = signingKey.get() != null && signingKey.get().getParent() != null ? signingKey.get().getParent()
                : Files.isDirectory(ssh) ? ssh : Path.of(System.getProperty("user.home"));
        dialogs.chooseFileToOpen("Choose your SSH signing key", start).ifPresent(signingKey::set);
    }

    /** Chooses no key here: the variable's key signs, if it names one, else nothing is signed. */
    public void clearSigningKey() {
        signingKey.set(null);
    }

    public void resetUser() {
        user.set(UserConfig.osUser());
    }

    public void apply() {
        if (!canApply.get()) {
            return;
        }
        preferences.setTheme(theme.get());
        if (signingKeyChanged()) {
            preferences.setSigningKey(Optional.ofNullable(signingKey.get()));
        }
    }

    private void showPolicy(Policy policy) {
        policySource.set(policy.source().map(file -> file + policy.sha256().map(hash -> " (SHA-256 "
                + hash.substring(0, 12) + "\u2026)").orElse("")).orElse("No workspace.yaml: no policy."));
        policyLines.setAll(policy.describe());
        identities = policy.identities();
        updateSigning();
    }

    /** The signer of the key shown (or of the variable's), its problem, and how it would sign. */
    private void updateSigning() {
        ActingSigner signer = ActingSigner.resolve(Optional.ofNullable(signingKey.get()), environment);
        signingKeyProblem.set(signingKey.get() == null ? null : signer.problem().orElse(null));
        signingKeySource.set(signer.source() == ActingSigner.Source.ENVIRONMENT
                ? "Now: " + signer.source().label() + ": " + signer.keyFile().orElseThrow() : "");
        if (identities != null) {
            signing.set(signer.status(acting.name(), identities, Instant.now()));
        } else if (signer.problem().isPresent()) {
            signing.set(new SigningStatus("unsigned: the signing key cannot be used", true));
        } else {
            signing.set(new SigningStatus(signer.signer().publicKey().map(key -> "signs as " + acting.name() + " with "
                    + key + " (no workspace open to check it against)").orElse("unsigned"), false));
        }
    }

    static String problemOf(String name) {
        String problem = Users.problem(name);
        return problem == null ? null : "Invalid user name: " + problem + ". It is recorded with every action in the audit trail.";
    }
}
