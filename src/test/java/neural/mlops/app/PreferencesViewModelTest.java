package neural.mlops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.Theme;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.store.UserConfig;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Preferences dialog: user and theme, and the open workspace's policy, read-only. */
class PreferencesViewModelTest {

    @TempDir
    Path dir;

    @Test
    void showsThePolicyOfTheOpenWorkspaceWithItsFileAndHash() throws IOException {
        Files.writeString(dir.resolve("workspace.yaml"), "policy:\n  roles: {alice: [approver]}\n  stages:\n"
                + "    production: {allowed: [approver], approvals: 2}\n");
        Workspace workspace = Workspace.open(dir, "alice", Clock.systemUTC(), Optional.empty());

        PreferencesViewModel model = new PreferencesViewModel(new AppPreferences(dir.resolve("prefs.json")),
                TaskExecutor.CURRENT_THREAD, workspace.governance());

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
        assertThat(new PreferencesViewModel(preferences, TaskExecutor.CURRENT_THREAD, workspace.governance()).policyLines())
                .containsExactly("No policy: every stage is open to everyone.");

        Files.writeString(dir.resolve("workspace.yaml"), "policy:\n  stagez: {}\n");
        PreferencesViewModel broken = new PreferencesViewModel(preferences, TaskExecutor.CURRENT_THREAD, workspace.governance());
        assertThat(broken.policyLines()).hasSize(2);
        assertThat(broken.policyLines().get(1)).contains("line 2: unknown key 'stagez' under policy; did you mean 'stages'?");

        assertThat(new PreferencesViewModel(preferences).policySourceProperty().get()).isEqualTo("No workspace is open.");
    }

    @Test
    void startsFromTheOsUserAndSavesAChangedUserAndTheme() {
        AppPreferences preferences = new AppPreferences(dir.resolve("preferences.json"));
        PreferencesViewModel model = new PreferencesViewModel(preferences);
        assertThat(model.userProperty().get()).isEqualTo(UserConfig.osUser());

        model.userProperty().set("carol");
        model.themeProperty().set(Theme.DARK);
        model.apply();

        AppPreferences reread = new AppPreferences(dir.resolve("preferences.json"));
        assertThat(reread.user()).isEqualTo("carol");
        assertThat(reread.theme()).isEqualTo(Theme.DARK);
    }

    @Test
    void aUserNameWithAControlCharacterCannotBeSaved() {
        AppPreferences preferences = new AppPreferences(dir.resolve("preferences.json"));
        PreferencesViewModel model = new PreferencesViewModel(preferences);
        model.userProperty().set("mallory\nINFO forged");
        assertThat(model.canApplyProperty().get()).isFalse();
        assertThat(model.userProblemProperty().get()).contains("control characters");
        model.apply();
        assertThat(new AppPreferences(dir.resolve("preferences.json")).user()).isEqualTo(UserConfig.osUser());
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
