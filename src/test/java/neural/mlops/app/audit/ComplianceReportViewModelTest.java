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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import neural.mlops.testing.TestClock;
import neural.mlops.app.audit.ComplianceReportViewModel.Count;
import neural.mlops.app.audit.ComplianceReportViewModel.Figure;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.Formats;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.ComplianceReport;
import neural.mlops.audit.EventType;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Compliance Report window's view model: period, generation, figures, charts' data and Save As. */
class ComplianceReportViewModelTest {

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-01-13T09:00:00Z");
    final DialogService dialogs = mock(DialogService.class);
    AuditLogger audit;
    ComplianceReportViewModel model;

    @BeforeEach
    void trail() {
        audit = new AuditLogger(dir.resolve("audit_logs"), clock, Optional.empty());
        audit.logModelDeployment("fraud_detector", "v1.0.0", "devops", "production");
        audit.logModelPromotion("fraud_detector", "v1.0.0", "carol", "staging", "production", "release");
        clock.advance(Duration.ofDays(1));
        audit.logSecurityViolation("mallory", "model", "fraud_detector:v1.0.0", "unauthorized_access", Map.of());
        audit.logAccessDenied("bob", "model", "credit:v1", "promote", "not an approver");
        audit.logAccessDenied("bob", "model", "credit:v2", "promote", "not an approver");
        clock.advance(Duration.ofDays(1));
        model = new ComplianceReportViewModel(audit, "auditor", TaskExecutor.CURRENT_THREAD, dialogs, clock, ZoneOffset.UTC);
    }

    @Test
    void theLastThirtyDaysAreOfferedFirst() {
        assertThat(model.lastDaysProperty().get()).isEqualTo(30);
        // From 2023-12-16T09:00Z, exactly 30 x 24 hours before now, to now: the days it touches.
        assertThat(model.fromDateProperty().get()).isEqualTo(LocalDate.parse("2023-12-16"));
        assertThat(model.toDateProperty().get()).isEqualTo(LocalDate.parse("2024-01-15"));
        assertThat(model.periodTextProperty().get()).startsWith("Last 30 days: from 2023-12-16 09:00");
        assertThat(model.canGenerateProperty().get()).isTrue();
        assertThat(model.canSaveProperty().get()).isFalse();
    }

    @Test
    void lastSevenDaysCoversTheSameInstantsAsTheCommandLinesSinceSevenDays() {
        // One event just inside the CLI's 7d window (6 days 23 hours ago) and one just outside it.
        Instant now = Instant.parse("2024-01-30T09:00:00Z");
        clock.set(now.minus(Duration.ofDays(7)).minus(Duration.ofHours(1)));
        audit.logAccessDenied("early", "model", "m:v1", "promote", "outside");
        clock.set(now.minus(Duration.ofDays(7)).plus(Duration.ofHours(1)));
        audit.logAccessDenied("late", "model", "m:v1", "promote", "inside");
        clock.set(now);

        model.showLastDays(7);
        model.generate();

        ComplianceReport shown = model.reportProperty().get();
        assertThat(shown.periodStart()).isEqualTo(UtcTime.parseDateArgument("7d", clock));
        assertThat(shown.periodEnd()).isEqualTo(UtcTime.now(clock));
        assertThat(model.denials()).extracting(AuditEvent::user).containsExactly("late");
    }

    @Test
    void pickingADayByHandLeavesThePresetForWholeLocalDays() {
        model.fromDateProperty().set(LocalDate.parse("2024-01-14"));

        assertThat(model.lastDaysProperty().get()).isNull();
        assertThat(model.periodTextProperty().get()).isEqualTo("Whole days in your time zone (" + Formats.zone()
                + "): 2024-01-14 through 2024-01-15");
    }

    @Test
    void generatingShowsTheFiguresTheChartsDataAndTheEventTables() {
        model.generate();

        assertThat(model.figures()).containsExactly(
                new Figure("Total events", 5, false),
                new Figure("Security violations", 1, true),
                new Figure("Access denials", 2, true),
                new Figure("Deployments", 1, false),
                new Figure("Promotions", 1, false),
                new Figure("Failed operations", 0, false));
        assertThat(model.byType()).first().isEqualTo(new Count("access_denied", 2));
        assertThat(model.bySeverity()).extracting(Count::label).containsExactly("info", "warning", "critical");
        assertThat(model.byDay()).containsExactly(new Count("2024-01-13", 2), new Count("2024-01-14", 3));
        assertThat(model.violations()).extracting(event -> event.user()).containsExactly("mallory");
        assertThat(model.denials()).hasSize(2);
        assertThat(model.deployments()).hasSize(1);
        assertThat(model.integrityText()).startsWith("Intact: 5 chained events checked, no key: signatures not checked.");
        Path saved = model.reportProperty().get().file();
        assertThat(saved).exists().hasParent(dir.resolve("audit_logs/reports"));
        assertThat(model.statusProperty().get()).isEqualTo("Saved as " + saved);
        assertThat(audit.queryEvents(AuditFilter.all().withType(EventType.REPORT_GENERATED)))
                .singleElement().satisfies(event -> assertThat(event.user()).isEqualTo("auditor"));
    }

    @Test
    void theReportSaysWhatItsIntegrityRestsOn() {
        assertThat(model.verifiedText()).isEmpty();

        model.generate();

        assertThat(model.verifiedText()).startsWith("Verified. Chain: from the index")
                .contains("Signatures: none: the trail is not signed")
                .contains("Derived files: index lines and day summaries used only when their seals hold")
                .contains("\nNote: Checked from the index");
    }

    @Test
    void onlyThePeriodChosenIsReported() {
        model.fromDateProperty().set(LocalDate.parse("2024-01-14"));
        model.toDateProperty().set(LocalDate.parse("2024-01-14"));

        model.generate();

        assertThat(model.reportProperty().get().totalEvents()).isEqualTo(3);
        assertThat(model.deployments()).isEmpty();
    }

    @Test
    void aReversedPeriodCannotBeGenerated() {
        model.fromDateProperty().set(LocalDate.parse("2024-01-14"));
        model.toDateProperty().set(LocalDate.parse("2024-01-13"));

        assertThat(model.canGenerateProperty().get()).isFalse();
        assertThat(model.problemProperty().get()).contains("before it starts");
        model.generate();
        assertThat(model.reportProperty().get()).isNull();
    }

    @Test
    void saveAsWritesTheJsonReportAndThePrintableHtmlWhereTheUserChooses() throws Exception {
        model.generate();
        Path json = dir.resolve("chosen/report.json");
        Path html = dir.resolve("chosen/report.html");
        when(dialogs.chooseFileToSave(anyString(), any(), anyString(), eq(List.of("*.json")))).thenReturn(Optional.of(json));
        when(dialogs.chooseFileToSave(anyString(), any(), anyString(), eq(List.of("*.html")))).thenReturn(Optional.of(html));

        model.saveJsonAs();
        model.saveHtmlAs();

        verify(dialogs).chooseFileToSave(anyString(), any(), eq("compliance_report_20231216_20240115.json"), eq(List.of("*.json")));
        assertThat(Json.readObject(json).get("total_events").asLong()).isEqualTo(5);
        assertThat(Json.readObject(json).get("report_id").asText()).isEqualTo(model.reportProperty().get().reportId());
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("mallory");
        assertThat(model.statusProperty().get()).isEqualTo("Saved HTML as " + html);
    }

    @Test
    void cancellingTheSaveDialogWritesNothing() {
        model.generate();
        when(dialogs.chooseFileToSave(anyString(), any(), anyString(), any())).thenReturn(Optional.empty());
        String before = model.statusProperty().get();

        model.saveJsonAs();

        assertThat(model.statusProperty().get()).isEqualTo(before);
    }
}
