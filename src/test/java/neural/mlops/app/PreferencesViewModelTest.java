package neural.mlops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.Theme;
import neural.mlops.store.UserConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreferencesViewModelTest {

    @TempDir
    Path dir;

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
