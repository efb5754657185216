package neural.mlops.app.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import neural.mlops.testing.TestClock;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.ProblemKind;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Audit tab's view model, without a display: loading, filters, paging, detail and verification. */
class AuditViewModelTest {

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-01-10T09:00:00Z");
    final DialogService dialogs = mock(DialogService.class);
    Workspace workspace;
    AuditLogger audit;
    AuditViewModel model;

    @BeforeEach
    void trailOverFiveDays() {
        workspace = Workspace.open(dir, "auditor", clock, Optional.empty());
        audit = workspace.audit();
        for (int day = 0; day < 5; day++) {
            audit.logModelDeployment("fraud_detector", "v1.0." + day, "devops", "staging");
            audit.logAccessDenied("bob", "model", "credit:v1", "promote", "not an approver");
            clock.advance(Duration.ofDays(1));
        }
        audit.logSecurityViolation("mallory", "model", "fraud_detector:v1.0.4", "unauthorized_access",
                Map.of("ip_address", "203.0.113.9"));
        model = new AuditViewModel(TaskExecutor.CURRENT_THREAD, dialogs, clock, ZoneOffset.UTC, 4);
        model.showWorkspace(workspace);
    }

    @Test
    void attachingATrailLoadsTheNewestPageNewestFirst() {
        assertThat(model.events()).hasSize(4);
        assertThat(model.events().get(0).eventType()).isEqualTo(EventType.SECURITY_VIOLATION);
        assertThat(model.events()).isSortedAccordingTo((a, b) -> b.timestamp().compareTo(a.timestamp()));
        assertThat(model.hasMoreProperty().get()).isTrue();
        assertThat(model.summaryProperty().get()).isEqualTo("The newest 4 matching events");
        assertThat(model.users()).containsExactly("bob", "devops", "mallory");
    }

    @Test
    void anInactiveModelTakesTheTrailButReadsNoEventUntilItIsActivated() {
        AuditViewModel hidden = new AuditViewModel(TaskExecutor.CURRENT_THREAD, dialogs, clock, ZoneOffset.UTC, 4);
        hidden.setActive(false);
        hidden.showWorkspace(workspace);
        hidden.refresh();

        assertThat(hidden.events()).isEmpty();
        assertThat(hidden.availableProperty().get()).isTrue();
        assertThat(hidden.integrityStatusProperty().get()).isEqualTo("Integrity not verified");

        hidden.setActive(true);

        assertThat(hidden.events()).hasSize(4);
        assertThat(hidden.events().get(0).eventType()).isEqualTo(EventType.SECURITY_VIOLATION);
    }

    @Test
    void loadMoreAddsOlderEventsUntilNoneRemainWithoutLosingOrRepeatingAny() {
        while (model.hasMoreProperty().get()) {
            model.loadMore();
        }

        assertThat(model.events()).hasSize(11);
        assertThat(model.events().stream().map(AuditEvent::seq).distinct()).hasSize(11);
        assertThat(model.summaryProperty().get()).isEqualTo("11 matching events");
    }

    @Test
    void eachFilterNarrowsTheEventsShown() {
        model.typeFilterProperty().set(EventType.ACCESS_DENIED);
        assertThat(model.events()).hasSize(4).allMatch(event -> event.eventType() == EventType.ACCESS_DENIED);
        model.typeFilterProperty().set(null);

        model.severityFilterProperty().set(EventSeverity.CRITICAL);
        assertThat(model.events()).extracting(AuditEvent::user).containsExactly("mallory");
        model.severityFilterProperty().set(null);

        model.userFilterProperty().set("DEVOPS");
        assertThat(model.events()).hasSize(4).allMatch(event -> event.user().equals("devops"));
        model.userFilterProperty().set("");

        model.textFilterProperty().set("203.0.113");
        assertThat(model.events()).extracting(AuditEvent::user).containsExactly("mallory");
        model.clearFilters();

        model.fromDateProperty().set(LocalDate.parse("2024-01-11"));
        model.toDateProperty().set(LocalDate.parse("2024-01-11"));
        assertThat(model.events()).hasSize(2)
                .allMatch(event -> event.timestamp().toString().startsWith("2024-01-11"));
    }

    @Test
    void aPeriodThatEndsBeforeItStartsIsReportedAndNotQueried() {
        model.fromDateProperty().set(LocalDate.parse("2024-01-12"));
        int shown = model.events().size();

        model.toDateProperty().set(LocalDate.parse("2024-01-11"));

        assertThat(model.filterProblemProperty().get()).contains("ends (2024-01-11) before it starts (2024-01-12)");
        assertThat(model.events()).hasSize(shown);
        verify(dialogs, never()).showError(anyString(), anyString());
        verify(dialogs, never()).showError(anyString(), any(Throwable.class));
    }

    @Test
    void selectingAnEventShowsItsWholeDocumentAsIndentedJson() {
        AuditEvent violation = model.events().get(0);

        model.selectedEventProperty().set(violation);

        assertThat(model.detailTextProperty().get())
                .contains("\"event_type\" : \"security_violation\"")
                .contains("\"ip_address\" : \"203.0.113.9\"")
                .contains("\"hash\" : \"" + violation.hash() + "\"");
    }

    @Test
    void refreshReloadsOnlyWhenAnotherProcessAppended() {
        AuditEvent newestBefore = model.events().get(0);
        model.refresh();
        assertThat(model.events().get(0)).isSameAs(newestBefore);

        new AuditLogger(dir.resolve("audit_logs"), clock, Optional.empty())
                .logAccessDenied("eve", "model", "m:v1", "delete", "no");
        model.refresh();

        assertThat(model.events().get(0).user()).isEqualTo("eve");
    }

    @Test
    void verifyingAnIntactTrailSaysSoInTheStatusBarAndRecordsTheCheck() {
        model.verifyIntegrity();

        assertThat(model.integrityStatusProperty().get()).isEqualTo("Chain intact \u00b7 11 events");
        IntegrityViewModel shown = model.verificationProperty().get();
        assertThat(shown.intact()).isTrue();
        assertThat(shown.headline()).isEqualTo("The audit trail is intact");
        assertThat(shown.detail()).contains("Head: seq 11, hash " + shown.report().headHash());
        AuditEvent check = audit.queryEvents(AuditFilter.all().withType(EventType.INTEGRITY_CHECK)).get(0);
        assertThat(check.user()).isEqualTo("auditor");
        assertThat(check.details()).containsEntry("result", "intact");
        assertThat(model.events().get(0).eventType()).isEqualTo(EventType.INTEGRITY_CHECK);
    }

    @Test
    void aFullVerificationRemembersTheHeadItFoundIntactSoTheNextOpeningStartsThere() {
        Map<String, neural.mlops.audit.ChainHead> heads = new java.util.HashMap<>();
        VerifiedHeads remembered = new VerifiedHeads() {
            @Override
            public Optional<neural.mlops.audit.ChainHead> get(String workspace) {
                return Optional.ofNullable(heads.get(workspace));
            }

            @Override
            public void put(String workspace, neural.mlops.audit.ChainHead head) {
                heads.put(workspace, head);
            }
        };
        AuditViewModel checked = new AuditViewModel(TaskExecutor.CURRENT_THREAD, dialogs, clock, ZoneOffset.UTC, 4);
        checked.showWorkspace(workspace); // not yet remembering: nothing verified on this opening
        checked.verifyOnOpen(remembered);
        neural.mlops.audit.ChainHead before = audit.head();

        checked.verifyIntegrity();

        assertThat(heads).containsEntry(workspace.location().toString(), before);
    }

    @Test
    void theCheckOnOpeningWaitsWhileTheRegistryLoadsAndRunsOnceItHasLoaded() {
        VerifiedHeads remembered = mock(VerifiedHeads.class);
        when(remembered.get(anyString())).thenReturn(Optional.empty());
        BooleanProperty registryLoading = new SimpleBooleanProperty(true);
        AuditViewModel checked = new AuditViewModel(TaskExecutor.CURRENT_THREAD, dialogs, clock, ZoneOffset.UTC, 4);
        checked.verifyOnOpen(remembered, registryLoading);

        checked.showWorkspace(workspace);

        assertThat(checked.integrityStatusProperty().get()).isEqualTo("Integrity not verified");
        verify(remembered, never()).get(anyString());

        registryLoading.set(false);

        assertThat(checked.integrityStatusProperty().get()).startsWith("Chain intact");
        verify(remembered).put(workspace.location().toString(), audit.head());
        registryLoading.set(true);
        registryLoading.set(false);
        verify(remembered, times(1)).get(anyString());
    }

    @Test
    void aFullVerificationThatFindsProblemsRemembersNothing() throws Exception {
        Path first;
        try (Stream<Path> files = Files.walk(dir.resolve("audit_logs/events"))) {
            first = files.filter(path -> path.getFileName().toString().endsWith("_0000002.json")).findFirst().orElseThrow();
        }
        Files.writeString(first, Files.readString(first, StandardCharsets.UTF_8).replace("not an approver", "approved"),
                StandardCharsets.UTF_8);
        VerifiedHeads remembered = mock(VerifiedHeads.class);
        model.verifyOnOpen(remembered);

        model.verifyIntegrity();

        verify(remembered, never()).put(anyString(), any());
    }

    @Test
    void verifyingATamperedTrailListsTheProblemsByKindAndEvent() throws Exception {
        Path first;
        try (Stream<Path> files = Files.walk(dir.resolve("audit_logs/events"))) {
            first = files.filter(path -> path.getFileName().toString().endsWith("_0000002.json")).findFirst().orElseThrow();
        }
        Files.writeString(first, Files.readString(first, StandardCharsets.UTF_8).replace("not an approver", "approved"),
                StandardCharsets.UTF_8);

        model.verifyIntegrity();

        assertThat(model.integrityStatusProperty().get()).matches("Integrity: \\d+ problems?");
        IntegrityViewModel shown = model.verificationProperty().get();
        assertThat(shown.intact()).isFalse();
        assertThat(shown.problems()).isNotEmpty();
        assertThat(shown.problems().get(0).kind()).isEqualTo(ProblemKind.MODIFIED);
        assertThat(shown.problems().get(0).seq()).isEqualTo(2);
        assertThat(shown.detail()).contains("By kind: ").contains("modified").contains("First affected: ");
    }

    @Test
    void unchainedEventsFoundByVerifyCanBeAdoptedAfterAConfirmationWithAReason() throws Exception {
        Path legacy = dir.resolve("audit_logs/events/2024/01/09/event_20240109_120000_000001.json");
        Files.createDirectories(legacy.getParent());
        Files.writeString(legacy, "{\"event_id\": \"event_20240109_120000_000001\", \"event_type\": \"model_registered\", "
                + "\"timestamp\": \"2024-01-09T12:00:00Z\", \"user\": \"alice\", \"severity\": \"info\"}",
                StandardCharsets.UTF_8);
        model.verifyIntegrity();
        assertThat(model.verificationProperty().get().canAdopt()).isTrue();
        org.mockito.Mockito.when(dialogs.confirmWithReason(any())).thenReturn(Optional.of("migrated from Python"));

        model.adoptUnchained();

        IntegrityViewModel shown = model.verificationProperty().get();
        assertThat(shown.intact()).isTrue();
        assertThat(shown.canAdopt()).isFalse();
        assertThat(shown.detail()).contains("1 adopted");
        AuditEvent adoption = audit.queryEvents(AuditFilter.all().withType(EventType.INTEGRITY_CHECK)).stream()
                .filter(event -> "adopt".equals(event.action())).findFirst().orElseThrow();
        assertThat(adoption.user()).isEqualTo("auditor");
        assertThat(adoption.reason()).isEqualTo("migrated from Python");
    }

    @Test
    void adoptingIsNotDoneWhenTheConfirmationIsCancelled() {
        long head = audit.head().seq();
        org.mockito.Mockito.when(dialogs.confirmWithReason(any())).thenReturn(Optional.empty());

        model.adoptUnchained();

        assertThat(audit.head().seq()).isEqualTo(head);
    }

    @Test
    void theExportAndReportViewModelsStartFromTheWorkspaceUserAndTheFiltersShown() {
        model.typeFilterProperty().set(EventType.ACCESS_DENIED);
        model.userFilterProperty().set("bob");

        ExportAuditViewModel export = model.newExport();

        assertThat(export.typeProperty().get()).isEqualTo(EventType.ACCESS_DENIED);
        assertThat(export.userProperty().get()).isEqualTo("bob");
        // The report starts on the last 30 days as the CLI counts them: 30 x 24 hours back from now.
        assertThat(model.newComplianceReport().lastDaysProperty().get()).isEqualTo(30);
        assertThat(model.newComplianceReport().fromDateProperty().get()).isEqualTo(LocalDate.parse("2024-01-15").minusDays(30));
    }

    @Test
    void detachingTheWorkspaceEmptiesTheTab() {
        model.showWorkspace(null);

        assertThat(model.events()).isEmpty();
        assertThat(model.availableProperty().get()).isFalse();
        assertThat(model.integrityStatusProperty().get()).isEmpty();
    }
}
