package neural.mlops.app.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.Formats;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.SavedReport;
import neural.mlops.store.OutputGuard;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Compliance Report window's list of saved reports, on the legacy fixture (src/test/resources/legacy, copied). */
class SavedReportsViewModelTest {

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-01-18T09:00:00Z");
    ComplianceReportViewModel model;

    @BeforeEach
    void openTheFixture() throws IOException, URISyntaxException {
        Path source = Path.of(getClass().getResource("/legacy").toURI());
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = dir.resolve(source.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
        Path trail = dir.resolve("audit_logs");
        AuditLogger audit = new AuditLogger(new LocalStorage(trail), clock, Optional.empty(),
                OutputGuard.outside(List.of(dir)), ZoneId.of("UTC"));
        model = new ComplianceReportViewModel(audit, "auditor", TaskExecutor.CURRENT_THREAD, mock(DialogService.class),
                clock, ZoneOffset.UTC);
    }

    @Test
    void theOriginalsSavedReportIsListedWithItsPeriodAndGeneratedTime() {
        model.loadSavedReports();

        assertThat(model.savedReports()).singleElement().satisfies(saved -> {
            assertThat(saved.reportId()).isEqualTo("report_20240117_120000");
            assertThat(saved.original()).isTrue();
            assertThat(saved.periodStart()).isEqualTo(Instant.parse("2024-01-15T00:00:00Z"));
            assertThat(ComplianceReportViewModel.savedText(saved))
                    .startsWith(Formats.localMinute(Instant.parse("2024-01-15T00:00:00Z")) + " to "
                            + Formats.localMinute(Instant.parse("2024-01-17T23:59:59Z")))
                    .contains("generated " + Formats.localMinute(Instant.parse("2024-01-17T12:00:00.424242Z")))
                    .contains("9 events", "original module");
        });
        assertThat(model.savedSummaryProperty().get()).isEmpty();
    }

    @Test
    void choosingASavedReportShowsItsSummaryWithTheOriginalsKeys() {
        model.loadSavedReports();

        model.selectedSavedProperty().set(model.savedReports().get(0));

        assertThat(model.savedSummaryProperty().get())
                .contains("Report report_20240117_120000", "Total events: 9", "total_security_violations: 1",
                        "total_critical_events: 1", "most_active_user: alice",
                        "most_common_event_type: model_registered");
        model.selectedSavedProperty().set(null);
        assertThat(model.savedSummaryProperty().get()).isEmpty();
    }

    @Test
    void aGeneratedReportJoinsTheListNewestFirstBesideTheOriginals() {
        model.generate();

        assertThat(model.savedReports()).hasSize(2);
        SavedReport newest = model.savedReports().get(0);
        assertThat(newest.original()).isFalse();
        assertThat(newest.generatedAt()).isEqualTo(clock.instant());
        assertThat(model.savedReports().get(1).reportId()).isEqualTo("report_20240117_120000");
        model.selectedSavedProperty().set(newest);
        // The product's saved report carries the original's summary keys beside its own.
        assertThat(model.savedSummaryProperty().get()).contains("most_active_user: ", "security_violations: ");
    }
}
