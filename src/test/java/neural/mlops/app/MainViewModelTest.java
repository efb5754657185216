package neural.mlops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.workspace.Workspace;
import neural.mlops.workspace.WorkspaceLocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainViewModelTest {

    @TempDir
    Path dir;

    ScriptedDialogs dialogs = new ScriptedDialogs();
    AppPreferences preferences;
    MainViewModel model;
    List<Workspace> opened = new ArrayList<>();
    int refreshes;

    @BeforeEach
    void create() {
        preferences = new AppPreferences(dir.resolve("prefs/preferences.json"));
        preferences.setUser("alice");
        model = new MainViewModel(dialogs, TaskExecutor.CURRENT_THREAD, preferences);
        model.onWorkspaceChanged(opened::add);
        model.onRefresh(() -> refreshes++);
    }

    @Test
    void openingAFolderShowsItsNameInTheTitleRemembersItAndTellsTheTabs() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("fraud-team"));
        assertThat(model.titleProperty().get()).isEqualTo("Neural MLOps");

        model.open(folder);

        assertThat(model.titleProperty().get()).isEqualTo("Neural MLOps - fraud-team");
        assertThat(model.statusProperty().get()).contains("fraud-team").contains("acting as alice (chosen in Preferences)");
        assertThat(opened).singleElement().satisfies(workspace -> assertThat(workspace.user()).isEqualTo("alice"));
        assertThat(preferences.lastWorkspace()).contains(new WorkspaceLocation.Folder(folder));
        assertThat(model.recentWorkspaces()).containsExactly(new WorkspaceLocation.Folder(folder));
    }

    @Test
    void theStatusBarSaysWhichZoneLegacyTimesAreReadInAndWhereThatZoneComesFrom() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("migrated/audit_logs")).getParent();
        assertThat(model.legacyTimesProperty().get()).isEmpty();

        model.open(folder);
        assertThat(model.legacyTimesProperty().get())
                .isEqualTo("Legacy times read in " + java.time.ZoneId.systemDefault().getId() + " (system zone)");

        Files.writeString(folder.resolve("workspace.yaml"), "legacy_timezone: Europe/Berlin\n");
        model.open(folder);
        assertThat(model.legacyTimesProperty().get()).isEqualTo("Legacy times read in Europe/Berlin (from workspace.yaml)");
    }

    @Test
    void aFolderThatIsNotAWorkspaceIsNamedAndOpensOnlyWhenTheUserCreatesOne() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("downloads"));
        dialogs.answer(false);

        model.open(folder);

        assertThat(dialogs.confirmations).singleElement().asString().startsWith(folder.toAbsolutePath()
                + " is not a workspace");
        assertThat(model.workspaceProperty().get()).isNull();
        try (var entries = Files.list(folder)) {
            assertThat(entries).isEmpty();
        }

        dialogs.answer(true);
        model.open(folder);

        assertThat(model.workspaceProperty().get()).isNotNull();
        assertThat(folder.resolve("models")).isDirectory();
        assertThat(folder.resolve("deployments")).isDirectory();
        assertThat(folder.resolve("audit_logs")).isDirectory();
        model.open(folder); // a workspace now: opened without asking
        assertThat(dialogs.confirmations).hasSize(2);
    }

    @Test
    void theWorkspaceYamlNameIsTheTitle() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("ws"));
        Files.writeString(folder.resolve("workspace.yaml"), "name: Fraud team\n");
        model.open(folder);
        assertThat(model.titleProperty().get()).isEqualTo("Neural MLOps - Fraud team");
    }

    @Test
    void aMissingFolderOrABrokenWorkspaceYamlIsAnErrorDialogAndNothingOpens() throws IOException {
        model.open(dir.resolve("missing"));
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("workspace.yaml"), "name: [unclosed\n");
        model.open(broken);

        assertThat(dialogs.errors).hasSize(2);
        assertThat(dialogs.errors.get(0)).contains("is not a folder");
        assertThat(dialogs.errors.get(1)).contains("workspace.yaml");
        assertThat(model.workspaceProperty().get()).isNull();
        assertThat(opened).isEmpty();
    }

    @Test
    void openWorkspaceAsksForAFolderAndCancellingChangesNothing() throws IOException {
        model.openWorkspace();
        assertThat(model.workspaceProperty().get()).isNull();
        Path folder = Files.createDirectories(dir.resolve("chosen"));
        dialogs.path(folder);
        model.openWorkspace();
        assertThat(model.workspaceProperty().get().folder()).contains(folder.toAbsolutePath());
    }

    @Test
    void declinedDemoOfferCreatesNothing() {
        dialogs.answer(false);
        assertThat(model.offerDemo()).isFalse();
        assertThat(dialogs.confirmations).singleElement().asString().contains("demo workspace");
        assertThat(model.workspaceProperty().get()).isNull();
    }

    @Test
    void aDemoOverAFolderThatIsNotEmptyIsRefusedWithADialog() throws IOException {
        Path busy = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(busy.resolve("x"), "x");
        model.createDemo(busy);
        assertThat(dialogs.errors).singleElement().asString().contains("not empty");
        assertThat(model.workspaceProperty().get()).isNull();
    }

    @Test
    void refreshTellsEveryTabAndReopenUsesTheNewUser() throws IOException {
        model.refresh();
        assertThat(refreshes).isEqualTo(1);
        model.open(Files.createDirectories(dir.resolve("ws")));
        preferences.setUser("bob");
        model.reopen();
        assertThat(model.workspaceProperty().get().user()).isEqualTo("bob");
    }

    @Test
    void theDemoGoesToAFreeFolder() throws IOException {
        Path wanted = dir.resolve("neural-mlops-demo");
        assertThat(MainViewModel.freeFolder(wanted)).isEqualTo(wanted);
        Files.createDirectories(wanted);
        assertThat(MainViewModel.freeFolder(wanted)).isEqualTo(dir.resolve("neural-mlops-demo-2"));
    }

    @Test
    void changingTheActingUserIsConfirmedWithAReasonRecordedAsConfigChangedThenSavedAndReopened() throws IOException {
        model.open(Files.createDirectories(dir.resolve("ws")));
        dialogs.reason("shift handover");

        model.changeActingUser("bob");

        assertThat(dialogs.confirmations.get(dialogs.confirmations.size() - 1)).startsWith("Act as bob from now on?")
                .contains("instead of alice (chosen in Preferences)");
        assertThat(preferences.chosenUser()).contains("bob");
        assertThat(model.workspaceProperty().get().user()).isEqualTo("bob");
        assertThat(model.statusProperty().get()).contains("acting as bob (chosen in Preferences)");
        assertThat(model.workspaceProperty().get().audit().queryEvents(neural.mlops.audit.EventType.CONFIG_CHANGED,
                null, null, null, null, null, null, 10)).singleElement().satisfies(event -> {
                    assertThat(event.user()).isEqualTo("alice");
                    assertThat(event.reason()).isEqualTo("shift handover");
                    assertThat(event.details()).containsEntry("setting", "acting_user").containsEntry("value", "bob")
                            .containsEntry("previous", "alice");
                });
    }

    @Test
    void aCancelledOrInvalidChangeOfUserChangesAndRecordsNothing() throws IOException {
        model.open(Files.createDirectories(dir.resolve("ws")));
        dialogs.reason(null);

        model.changeActingUser("bob");
        model.changeActingUser("mallory\nINFO forged");

        assertThat(preferences.chosenUser()).contains("alice");
        assertThat(dialogs.errors).singleElement().asString().contains("Invalid user name");
        assertThat(model.workspaceProperty().get().audit().queryEvents(neural.mlops.audit.EventType.CONFIG_CHANGED,
                null, null, null, null, null, null, 10)).isEmpty();
    }

    @Test
    void aUserGivenWithDashDashUserWinsAndIsNotChangedForTheSession() throws IOException {
        MainViewModel session = new MainViewModel(dialogs, TaskExecutor.CURRENT_THREAD, preferences, "dave");
        session.open(Files.createDirectories(dir.resolve("ws")));

        assertThat(session.statusProperty().get()).contains("acting as dave (--user on the command line)");
        session.changeActingUser("erin");

        assertThat(dialogs.errors).singleElement().asString().contains("--user");
        assertThat(session.workspaceProperty().get().user()).isEqualTo("dave");
    }

    @Test
    void recentWorkspacesAreNamedByTheirFolderAndTheListCanBeCleared() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("fraud-team"));
        model.open(folder);
        assertThat(MainViewModel.recentLabel(new WorkspaceLocation.Folder(folder)))
                .isEqualTo("fraud-team  \u2014  " + new WorkspaceLocation.Folder(folder));

        model.clearRecentWorkspaces();

        assertThat(model.recentWorkspaces()).isEmpty();
        assertThat(new AppPreferences(dir.resolve("prefs/preferences.json")).recentWorkspaces()).isEmpty();
        assertThat(preferences.lastWorkspace()).as("the last workspace still reopens").isPresent();
    }
}
