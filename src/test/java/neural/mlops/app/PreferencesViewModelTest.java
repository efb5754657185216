package neural.mlops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Map;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.Theme;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.store.UserConfig;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Preferences dialog: user and theme, and the open workspace's policy, read-only. */
class PreferencesViewModelTest {

    static final neural.mlops.app.common.ActingUser ALICE =
            new neural.mlops.app.common.ActingUser("alice", neural.mlops.app.common.ActingUser.Source.PREFERENCE);

    @TempDir
    Path dir;

    @Test
    void showsThePolicyOfTheOpenWorkspaceWithItsFileAndHash() throws IOException {
        Files.writeString(dir.resolve("workspace.yaml"), "policy:\n  roles: {alice: [approver]}\n  stages:\n"
                + "    production: {allowed: [approver], approvals: 2}\n");
        Workspace workspace = Workspace.open(dir, "alice", Clock.systemUTC(), Optional.empty());

        PreferencesViewModel model = new PreferencesViewModel(new AppPreferences(dir.resolve("prefs.json")),
                TaskExecutor.CURRENT_THREAD, workspace.governance(), ALICE, new ScriptedDialogs(), Map.of());

        assertThat(model.policyLines()).containsExactly("Roles:", "  alice: approver", "Stages:",
                "  development: open to everyone", "  staging: open to everyone",
                "  production: allowed: approver; 2 approvals (the requester counts as one)",
                "  archived: open to everyone");
        assertThat(model.policySourceProperty().get()).startsWith(dir.resolve("workspace.yaml").toString())
                .contains("(SHA-256 " + workspace.policy().sha256().orElseThrow().substring(0, 12));
    }

    @Test
    void saysWhenThereIsNoPolicyOrItCannotBeRead() throws IOException {
        Workspace workspace = Workspace.open(dir, "alice", Clock.systemUTC(), Optional.empty());
        AppPreferences preferences = new AppPreferences(dir.resolve("prefs.json"));
        assertThat(new PreferencesViewModel(preferences, TaskExecutor.CURRENT_THREAD, workspace.governance(), ALICE, new ScriptedDialogs(), Map.of()).policyLines())
                .containsExactly("No policy: every stage is open to everyone.");

        Files.writeString(dir.resolve("workspace.yaml"), "policy:\n  stagez: {}\n");
        PreferencesViewModel broken = new PreferencesViewModel(preferences, TaskExecutor.CURRENT_THREAD, workspace.governance(), ALICE, new ScriptedDialogs(), Map.of());
        assertThat(broken.policyLines()).hasSize(2);
        assertThat(broken.policyLines().get(1)).contains("line 2: unknown key 'stagez' under policy; did you mean 'stages'?");

        assertThat(new PreferencesViewModel(preferences, new ScriptedDialogs()).policySourceProperty().get()).isEqualTo("No workspace is open.");
    }

    @Test
    void savingTheThemeNeverChangesTheActingUserButNamesTheOneTyped() {
        AppPreferences preferences = new AppPreferences(dir.resolve("preferences.json"));
        PreferencesViewModel model = new PreferencesViewModel(preferences, new ScriptedDialogs());
        assertThat(model.userProperty().get()).isEqualTo(UserConfig.osUser());
        assertThat(model.userSource()).isEqualTo("Now: " + UserConfig.osUser() + " (OS user)");
        assertThat(model.requestedUser()).isEmpty();

        model.userProperty().set("carol");
        model.themeProperty().set(Theme.DARK);
        model.apply();

        AppPreferences reread = new AppPreferences(dir.resolve("preferences.json"));
        assertThat(reread.chosenUser()).as("changing the user is an audited act, not a saved field").isEmpty();
        assertThat(reread.theme()).isEqualTo(Theme.DARK);
        assertThat(model.requestedUser()).contains("carol");
    }

    @Test
    void aUserGivenOnTheCommandLineIsShownWithItsSourceAndCannotBeChangedHere() {
        AppPreferences preferences = new AppPreferences(dir.resolve("preferences.json"));
        preferences.setUser("carol");
        PreferencesViewModel model = new PreferencesViewModel(preferences, TaskExecutor.CURRENT_THREAD, null,
                neural.mlops.app.common.ActingUser.resolve("dave", preferences), new ScriptedDialogs(), Map.of());

        assertThat(model.userSource()).isEqualTo("Now: dave (--user on the command line)");
        assertThat(model.userEditable()).isFalse();
        model.userProperty().set("erin");
        assertThat(model.requestedUser()).isEmpty();
    }

    @Test
    void aUserNameWithAControlCharacterCannotBeSaved() {
        AppPreferences preferences = new AppPreferences(dir.resolve("preferences.json"));
        PreferencesViewModel model = new PreferencesViewModel(preferences, new ScriptedDialogs());
        model.userProperty().set("mallory\nINFO forged");
        assertThat(model.canApplyProperty().get()).isFalse();
        assertThat(model.userProblemProperty().get()).contains("control characters");
        assertThat(model.requestedUser()).isEmpty();
        model.resetUser();
        assertThat(model.canApplyProperty().get()).isTrue();
    }

    @Test
    void aDamagedPreferencesFileFallsBackToDefaults() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("preferences.json"), "{not json");
        AppPreferences preferences = new AppPreferences(file);
        assertThat(preferences.theme()).isEqualTo(Theme.LIGHT);
        assertThat(preferences.recentWorkspaces()).isEmpty();
        preferences.setTheme(Theme.DARK);
        assertThat(new AppPreferences(file).theme()).isEqualTo(Theme.DARK);
    }
}
