package neural.mlops.app.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.app.common.ThemeChecks;
import neural.mlops.audit.AuditLogger;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Export Audit Trail dialog under Monocle: choose a destination, export, read the summary, find the file. */
@ExtendWith(ApplicationExtension.class)
class ExportAuditDialogTest {

    @TempDir
    Path dir;

    final DialogService dialogs = mock(DialogService.class);
    AuditView view;
    AuditViewModel model;
    AuditLogger audit;
    Stage owner;

    @Start
    void start(Stage stage) {
        owner = stage;
        Workspace workspace = Workspace.open(dir, "auditor", Clock.systemUTC(), Optional.empty());
        audit = workspace.audit();
        audit.logModelDeployment("fraud_detector", "v2.0.0", "devops", "production");
        audit.logAccessDenied("bob", "model", "credit_scoring:v1.2.0", "promote", "not an approver");
        model = new AuditViewModel(TaskExecutor.CURRENT_THREAD, dialogs);
        model.showWorkspace(workspace);
        view = new AuditView(model);
        stage.setScene(new Scene(view, 1000, 600));
        stage.show();
    }

    @Test
    void exportingThroughTheDialogWritesTheFileAndShowsItsSummary(FxRobot robot) throws Exception {
        Path target = dir.resolve("exports/audit_export.csv");
        when(dialogs.chooseFileToSave(anyString(), any(), anyString(), any())).thenReturn(Optional.of(target));
        Platform.runLater(view::openExportDialog);
        WaitForAsyncUtils.waitForFxEvents();

        robot.clickOn("#export-choose");
        robot.clickOn("#export-format-jsonl");
        robot.clickOn("#export-confirm");
        WaitForAsyncUtils.waitForFxEvents();

        Path written = dir.resolve("exports/audit_export.jsonl");
        assertThat(written).exists();
        assertThat(Files.readAllLines(written)).hasSize(2);
        String summary = robot.lookup("#export-summary").queryAs(TextArea.class).getText();
        assertThat(summary).contains("Exported 2 events as jsonl to " + written.toAbsolutePath()).contains("SHA-256: ");
        robot.clickOn("#export-close");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#export-summary").tryQuery()).isEmpty();
    }

    @Test
    void theAuditTabsWindowsWearTheMainWindowsTheme(FxRobot robot) throws Exception {
        ThemeChecks.opensInTheOwnersTheme(robot, owner, () -> ThemeChecks.windowOf(new ExportAuditDialog(owner, model.newExport())));
        ThemeChecks.opensInTheOwnersTheme(robot, owner, () -> {
            new ComplianceReportView(model.newComplianceReport()).show(owner);
            return ThemeChecks.showing("Compliance Report");
        });
        IntegrityViewModel verification = new IntegrityViewModel(audit.verifyIntegrity(), null);
        ThemeChecks.opensInTheOwnersTheme(robot, owner, () -> {
            new IntegrityView(verification, () -> { }).show(owner);
            return ThemeChecks.showing("Verify Integrity");
        });
    }
}
