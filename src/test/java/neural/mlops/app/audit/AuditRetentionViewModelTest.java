package neural.mlops.app.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.testing.TestClock;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Audit tab's retention banner: workspace.yaml's retention.keep_days makes whole past days due
 * for the archive; the banner says how many and its Archive... archives exactly those.
 */
class AuditRetentionViewModelTest {

    @TempDir
    Path dir;

    @TempDir
    Path outside;

    final TestClock clock = TestClock.at("2024-01-10T09:00:00Z");
    final DialogService dialogs = mock(DialogService.class);

    /** Five days of events, 2024-01-10 to 2024-01-14; the clock then stands at 2024-01-15. */
    private Workspace workspaceWith(String settings) throws IOException {
        if (settings != null) {
            Files.writeString(dir.resolve("workspace.yaml"), settings);
        }
        Workspace workspace = Workspace.open(dir, "auditor", clock, Optional.empty());
        for (int day = 0; day < 5; day++) {
            workspace.audit().logModelDeployment("fraud_detector", "v1.0." + day, "devops", "staging");
            clock.advance(Duration.ofDays(1));
        }
        return workspace;
    }

    private AuditViewModel showing(Workspace workspace) {
        AuditViewModel model = new AuditViewModel(TaskExecutor.CURRENT_THREAD, dialogs, clock, ZoneOffset.UTC, 4);
        model.showWorkspace(workspace);
        return model;
    }

    @Test
    void theBannerShowsWhenDaysAreDueAndIsGoneAfterTheArchive() throws IOException {
        Workspace workspace = workspaceWith("retention:\n  keep_days: 2\n");
        AuditViewModel model = showing(workspace);
        assertThat(model.retentionNoticeProperty().get()).isEqualTo("3 days are older than the 2-day retention");
        assertThat(model.archiveDueProperty().get()).isTrue();

        Path archive = outside.resolve("audit-old.zip");
        when(dialogs.chooseFileToSave(anyString(), any(), anyString(), any())).thenReturn(Optional.of(archive));
        when(dialogs.confirmWithReason(any())).thenReturn(Optional.of("two days online"));
        model.archiveDueDays();

        assertThat(archive).isRegularFile();
        verify(dialogs).showInformation(eq("Audit days archived"), contains("Archived 3 day(s)"));
        assertThat(model.retentionNoticeProperty().get()).isEmpty();
        assertThat(model.archiveDueProperty().get()).isFalse();
        assertThat(dir.resolve("audit_logs/events/2024/01/12")).doesNotExist();
        assertThat(dir.resolve("audit_logs/events/2024/01/13")).isDirectory();
        assertThat(workspace.audit().verifyIntegrity().intact()).isTrue();
        assertThat(workspace.audit().verifyArchive(archive).intact()).isTrue();
    }

    @Test
    void withoutARetentionNoBannerIsShown() throws IOException {
        AuditViewModel model = showing(workspaceWith(null));

        assertThat(model.retentionNoticeProperty().get()).isEmpty();
        assertThat(model.archiveDueProperty().get()).isFalse();
    }

    @Test
    void aRetentionLongerThanTheTrailShowsNoBanner() throws IOException {
        AuditViewModel model = showing(workspaceWith("retention:\n  keep_days: 5\n"));

        assertThat(model.retentionNoticeProperty().get()).isEmpty();
        assertThat(model.archiveDueProperty().get()).isFalse();
    }

    @Test
    void cancellingTheSaveDialogArchivesNothingAndKeepsTheBanner() throws IOException {
        AuditViewModel model = showing(workspaceWith("retention:\n  keep_days: 2\n"));
        when(dialogs.chooseFileToSave(anyString(), any(), anyString(), any())).thenReturn(Optional.empty());

        model.archiveDueDays();

        verify(dialogs, never()).confirmWithReason(any());
        assertThat(dir.resolve("audit_logs/events/2024/01/10")).isDirectory();
        assertThat(model.retentionNoticeProperty().get()).isEqualTo("3 days are older than the 2-day retention");
        assertThat(model.archiveDueProperty().get()).isTrue();
    }
}
