package neural.mlops.app.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import neural.mlops.store.storage.S3Location;
import neural.mlops.workspace.WorkspaceLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppPreferencesTest {

    @TempDir
    Path dir;

    @Test
    void recentWorkspacesKeepFoldersAndBucketsWithTheirEndpointAndProfileButNoCredentials() throws Exception {
        Path file = dir.resolve("preferences.json");
        WorkspaceLocation.Folder folder = new WorkspaceLocation.Folder(dir.resolve("local-ws"));
        WorkspaceLocation.Bucket bucket = new WorkspaceLocation.Bucket(S3Location.parse("s3://team-models/fraud"),
                Optional.of("http://127.0.0.1:9000"), Optional.of("team-dev"));
        AppPreferences preferences = new AppPreferences(file);

        preferences.rememberWorkspace(folder);
        preferences.rememberWorkspace(bucket);

        AppPreferences reread = new AppPreferences(file);
        assertThat(reread.recentWorkspaces()).containsExactly(bucket, folder);
        assertThat(reread.lastWorkspace()).contains(bucket);
        assertThat(Files.readString(file)).contains("s3://team-models/fraud").contains("team-dev")
                .doesNotContainIgnoringCase("secret").doesNotContainIgnoringCase("access_key");
    }

    @Test
    void aRecentEntryWrittenByAnOlderReleaseAsAPathStillOpensAndABrokenOneIsLeftOut() throws Exception {
        Path file = dir.resolve("preferences.json");
        Files.writeString(file, "{\"recent_workspaces\": [\"" + dir.resolve("old").toString().replace("\\", "\\\\")
                + "\", {\"location\": \"s3://\"}, 42], \"last_workspace\": \"s3://ok-bucket\"}");

        AppPreferences preferences = new AppPreferences(file);

        assertThat(preferences.recentWorkspaces()).containsExactly(new WorkspaceLocation.Folder(dir.resolve("old")));
        assertThat(preferences.lastWorkspace()).hasValueSatisfying(last -> assertThat(last.isRemote()).isTrue());
    }

    @Test
    void theSelectedTabAndEachWorkspacesSelectedModelSurviveARestart() {
        Path file = dir.resolve("preferences.json");
        AppPreferences preferences = new AppPreferences(file);
        assertThat(preferences.selectedTab()).isZero();

        preferences.setSelectedTab(2);
        preferences.setSelectedModel("/ws/a", "fraud_detector");
        preferences.setSelectedModel("/ws/b", "churn_predictor");

        AppPreferences reread = new AppPreferences(file);
        assertThat(reread.selectedTab()).isEqualTo(2);
        assertThat(reread.selectedModel("/ws/a")).contains("fraud_detector");
        assertThat(reread.selectedModel("/ws/b")).contains("churn_predictor");
        assertThat(reread.selectedModel("/ws/c")).isEmpty();
    }
}
