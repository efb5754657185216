package neural.mlops.app.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import neural.mlops.testing.TestClock;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.EventType;
import neural.mlops.audit.ExportFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Export Audit Trail dialog's view model: destination, filters, progress, cancel and summary. */
class ExportAuditViewModelTest {

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-01-13T09:00:00Z");
    final DialogService dialogs = mock(DialogService.class);
    AuditLogger audit;

    @BeforeEach
    void trail() {
        audit = new AuditLogger(dir.resolve("audit_logs"), clock, Optional.empty());
        for (int day = 0; day < 3; day++) {
            audit.logModelDeployment("fraud_detector", "v1.0." + day, "devops", "staging");
            audit.logAccessDenied("bob", "model", "credit:v1", "promote", "=HYPERLINK(\"evil\")");
            clock.advance(Duration.ofDays(1));
        }
    }

    ExportAuditViewModel model(TaskExecutor executor) {
        return new ExportAuditViewModel(audit, "auditor", executor, dialogs, clock, ZoneOffset.UTC);
    }

    @Test
    void theDefaultFileNameCarriesTodayAndTheFormatsExtension() {
        ExportAuditViewModel model = model(TaskExecutor.CURRENT_THREAD);

        assertThat(model.defaultFileName()).isEqualTo("audit_export_20240116.csv");
        model.formatProperty().set(ExportFormat.JSONL);
        assertThat(model.defaultFileName()).isEqualTo("audit_export_20240116.jsonl");
    }

    @Test
    void chooseDestinationOffersTheDefaultNameAndChangingTheFormatSwapsTheExtension() {
        Path chosen = dir.resolve("out/audit_export_20240116.csv");
        when(dialogs.chooseFileToSave(anyString(), any(), anyString(), any())).thenReturn(Optional.of(chosen));
        ExportAuditViewModel model = model(TaskExecutor.CURRENT_THREAD);
        assertThat(model.canExportProperty().get()).isFalse();
        assertThat(model.problemProperty().get()).isEqualTo("Choose where to save the export.");

        model.chooseDestination();

        verify(dialogs).chooseFileToSave(eq("Export Audit Trail"), any(), eq("audit_export_20240116.csv"), eq(List.of("*.csv")));
        assertThat(model.destinationProperty().get()).isEqualTo(chosen);
        assertThat(model.canExportProperty().get()).isTrue();
        model.formatProperty().set(ExportFormat.JSON);
        assertThat(model.destinationProperty().get()).isEqualTo(dir.resolve("out/audit_export_20240116.json"));
    }

    @Test
    void exportingWritesTheFilteredEventsAndSummarisesCountSizeAndHash() throws Exception {
        ExportAuditViewModel model = model(TaskExecutor.CURRENT_THREAD);
        Path target = dir.resolve("exports/denied.csv");
        model.destinationProperty().set(target);
        model.typeProperty().set(EventType.ACCESS_DENIED);
        model.fromDateProperty().set(LocalDate.parse("2024-01-14"));

        model.export();

        assertThat(target).exists();
        assertThat(model.resultProperty().get().count()).isEqualTo(2);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(target)));
        assertThat(model.summaryProperty().get())
                .contains("Exported 2 events as csv to " + target.toAbsolutePath())
                .contains(Files.size(target) + " B")
                .contains("SHA-256: " + sha256);
        assertThat(Files.readString(target)).contains("'=HYPERLINK").doesNotContain("model_deployed");
        assertThat(model.progressProperty().get()).isEqualTo(1.0);
        verify(dialogs).notifySuccess("Exported 2 events to denied.csv");
        assertThat(audit.queryEvents(AuditFilter.all().withType(EventType.AUDIT_EXPORTED)))
                .singleElement().satisfies(event -> assertThat(event.user()).isEqualTo("auditor"));
    }

    @Test
    void cancellingStopsTheExportLeavesNoFileAndSaysSo() {
        // Cancel as soon as the export starts: the core notices at its first progress call.
        TaskExecutor cancelling = new TaskExecutor() {
            @Override
            public <T> void execute(BackgroundTask<T> task) {
                task.cancel();
                TaskExecutor.CURRENT_THREAD.execute(task);
            }
        };
        ExportAuditViewModel model = model(cancelling);
        Path target = dir.resolve("exports/all.jsonl");
        model.destinationProperty().set(target);

        model.export();

        assertThat(target).doesNotExist();
        assertThat(model.runningProperty().get()).isFalse();
        assertThat(model.resultProperty().get()).isNull();
        assertThat(model.errorProperty().get()).isEqualTo("Export cancelled; no file was written.");
        assertThat(audit.queryEvents(AuditFilter.all().withType(EventType.AUDIT_EXPORTED))).isEmpty();
    }

    @Test
    void aReversedPeriodOrAFolderAsDestinationIsRefusedBeforeExporting() {
        ExportAuditViewModel model = model(TaskExecutor.CURRENT_THREAD);
        model.destinationProperty().set(dir);
        assertThat(model.problemProperty().get()).contains("is a folder");

        model.destinationProperty().set(dir.resolve("x.csv"));
        model.fromDateProperty().set(LocalDate.parse("2024-01-15"));
        model.toDateProperty().set(LocalDate.parse("2024-01-14"));

        assertThat(model.problemProperty().get()).contains("ends (2024-01-14) before it starts (2024-01-15)");
        assertThat(model.canExportProperty().get()).isFalse();
        model.export();
        assertThat(dir.resolve("x.csv")).doesNotExist();
    }

    @Test
    void withExtensionKeepsNamesThatAreNotExportFiles() {
        assertThat(ExportAuditViewModel.withExtension(Path.of("a/b.csv"), ExportFormat.JSONL)).isEqualTo(Path.of("a/b.jsonl"));
        assertThat(ExportAuditViewModel.withExtension(Path.of("a/b.jsonl"), ExportFormat.JSON)).isEqualTo(Path.of("a/b.json"));
        assertThat(ExportAuditViewModel.withExtension(Path.of("a/trail"), ExportFormat.CSV)).isEqualTo(Path.of("a/trail.csv"));
        assertThat(ExportAuditViewModel.withExtension(Path.of("a/trail.txt"), ExportFormat.CSV)).isEqualTo(Path.of("a/trail.txt"));
    }
}
