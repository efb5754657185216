package neural.mlops.app.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import neural.mlops.app.TestWorkspaces;
import neural.mlops.app.common.Confirmation;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.ErrorReport;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.app.deployments.DeploymentsViewModel.TimelineLane;
import neural.mlops.app.deployments.DeploymentsViewModel.TimelineSegment;
import neural.mlops.deployment.Deployment;
import neural.mlops.deployment.DeploymentStatus;
import neural.mlops.deployment.HealthCheck;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Deployments tab's view model, without a display, on a real workspace. */
class DeploymentsViewModelTest {

    @TempDir
    Path dir;

    final DialogService dialogs = mock(DialogService.class);
    Workspace workspace;
    DeploymentsViewModel model;

    @BeforeEach
    void open() throws Exception {
        workspace = TestWorkspaces.withDeployments(dir.resolve("ws"));
        model = new DeploymentsViewModel(TaskExecutor.CURRENT_THREAD, dialogs);
        model.showWorkspace(workspace);
    }

    Deployment select(String version, String environment) {
        Deployment found = model.deployments().stream()
                .filter(d -> d.modelVersion().equals(version) && d.environment().equals(environment))
                .findFirst().orElseThrow();
        model.selectedProperty().set(found);
        return found;
    }

    @Test
    void anInactiveModelTakesTheStoresButLoadsNothingUntilItIsActivated() {
        DeploymentsViewModel hidden = new DeploymentsViewModel(TaskExecutor.CURRENT_THREAD, dialogs);
        hidden.setActive(false);
        hidden.showWorkspace(workspace);
        hidden.refresh();

        assertThat(hidden.deployments()).isEmpty();
        assertThat(hidden.timeline()).isEmpty();

        hidden.setActive(true);

        assertThat(hidden.deployments()).hasSize(3);
        assertThat(hidden.summaryProperty().get()).isEqualTo("1 active of 3 deployments");
    }

    @Test
    void listsDeploymentsProductionFirstAndFiltersByEnvironmentStatusAndText() {
        assertThat(model.deployments()).extracting(Deployment::environment)
                .containsExactly("production", "production", "staging");
        assertThat(model.environments()).containsExactly("production", "staging");
        assertThat(model.summaryProperty().get()).isEqualTo("1 active of 3 deployments");

        model.environmentFilterProperty().set("staging");
        assertThat(model.deployments()).extracting(Deployment::modelVersion).containsExactly("v2.1.0");
        model.environmentFilterProperty().set(null);

        model.statusFilterProperty().set(DeploymentStatus.INACTIVE);
        assertThat(model.deployments()).extracting(Deployment::modelVersion).containsExactly("v1.0.0");
        model.statusFilterProperty().set(null);

        model.searchTextProperty().set("V2.0");
        assertThat(model.deployments()).extracting(Deployment::modelVersion).containsExactly("v2.0.0");
    }

    @Test
    void commandsAreOfferedOnlyWhereTheCoreAllowsThem() {
        select("v2.1.0", "staging");
        assertThat(model.canActivateProperty().get()).isTrue();
        assertThat(model.canDeactivateProperty().get()).isTrue();
        assertThat(model.canRollbackProperty().get()).isFalse();

        select("v2.0.0", "production");
        assertThat(model.canActivateProperty().get()).isFalse();
        assertThat(model.canRollbackProperty().get()).isTrue();

        select("v1.0.0", "production");
        assertThat(model.canDeactivateProperty().get()).isFalse();
    }

    @Test
    void activatingAfterConfirmationSaysWhatItReplacesAndKeepsTheSelection() {
        Deployment staging = select("v2.1.0", "staging");
        when(dialogs.confirmWithReason(any(Confirmation.class))).thenReturn(Optional.of("smoke tests passed"));

        model.activate();

        verify(dialogs).confirmWithReason(argThat((Confirmation c) -> c.title().equals("Activate fraud_detector v2.1.0 in staging")
                && c.header().equals("Activate fraud_detector v2.1.0 in staging?") && c.verb().equals("Activate")
                && !c.destructive() && c.message().contains("becomes the active deployment of fraud_detector in staging")));
        assertThat(model.selectedProperty().get().deploymentId()).isEqualTo(staging.deploymentId());
        assertThat(model.selectedProperty().get().status()).isEqualTo(DeploymentStatus.ACTIVE);
        assertThat(workspace.deployments().getDeployment(staging.deploymentId()).history())
                .last().satisfies(change -> assertThat(change.reason()).isEqualTo("smoke tests passed"));
    }

    @Test
    void activatingInPlaceOfTheActiveOneWarnsThatItBecomesInactive() {
        select("v1.0.0", "production");
        when(dialogs.confirmWithReason(any(Confirmation.class))).thenReturn(Optional.empty());

        model.activate();

        verify(dialogs).confirmWithReason(argThat((Confirmation c) -> c.message().contains("v2.0.0 (deploy_")
                && c.message().contains("active now, becomes inactive")));
        assertThat(workspace.deployments().activeDeployment("fraud_detector", "production")).get()
                .extracting(Deployment::modelVersion).isEqualTo("v2.0.0");
    }

    @Test
    void rollingBackRestoresTheReplacedDeployment() {
        select("v2.0.0", "production");
        when(dialogs.confirmWithReason(any(Confirmation.class))).thenReturn(Optional.of(""));

        model.rollback();

        // A rollback takes the active version away: it says so on its button and defaults to Cancel.
        verify(dialogs).confirmWithReason(argThat((Confirmation c) -> c.title().equals("Roll back fraud_detector in production")
                && c.verb().equals("Roll back") && c.destructive() && c.message().contains("goes back to v1.0.0")));
        assertThat(workspace.deployments().activeDeployment("fraud_detector", "production")).get()
                .extracting(Deployment::modelVersion).isEqualTo("v1.0.0");
        assertThat(model.deployments()).filteredOn(d -> d.modelVersion().equals("v2.0.0"))
                .singleElement().extracting(Deployment::status).isEqualTo(DeploymentStatus.ROLLED_BACK);
        verify(dialogs).notifySuccess("Rolled back fraud_detector in production to v1.0.0");
    }

    @Test
    void deactivatingAPendingDeploymentAfterConfirmation() {
        select("v2.1.0", "staging");
        when(dialogs.confirmWithReason(any(Confirmation.class))).thenReturn(Optional.of("not needed"));

        model.deactivate();

        assertThat(model.selectedProperty().get().status()).isEqualTo(DeploymentStatus.INACTIVE);
    }

    @Test
    void aRefusalFromTheCoreIsShownAsAnErrorAndTheListReloaded() {
        Deployment staging = select("v2.1.0", "staging");
        workspace.deployments().deactivateDeployment(staging.deploymentId()); // another process, meanwhile
        when(dialogs.confirmWithReason(any(Confirmation.class))).thenReturn(Optional.of(""));

        model.deactivate();

        verify(dialogs).showError(eq("Cannot deactivate " + staging.deploymentId()),
                argThat((Throwable error) -> ErrorReport.describe(error).contains("not active or pending")));
        assertThat(model.selectedProperty().get().status()).isEqualTo(DeploymentStatus.INACTIVE);
    }

    @Test
    void healthProbesRecordTheResultPerDeployment() {
        Deployment active = select("v2.0.0", "production");
        assertThat(model.healthOf(active)).isEmpty();

        model.checkActiveHealth();

        HealthCheck check = model.health().get(active.deploymentId());
        assertThat(check).isNotNull();
        assertThat(check.ok()).isFalse();
        assertThat(check.error()).contains("127.0.0.1:9");
        assertThat(model.health()).hasSize(1);
        assertThat(model.probingProperty().get()).isFalse();
        assertThat(workspace.deployments().getDeployment(active.deploymentId()).health()).isEqualTo(check);
    }

    @Test
    void theTimelineShowsWhatWasActiveWhenPerEnvironmentAndModel() {
        List<TimelineLane> lanes = List.copyOf(model.timeline());

        assertThat(lanes).singleElement().satisfies(lane -> {
            assertThat(lane.environment()).isEqualTo("production");
            assertThat(lane.segments()).extracting(TimelineSegment::version).containsExactly("v1.0.0", "v2.0.0");
            assertThat(lane.segments().get(0).endedAs()).isEqualTo(DeploymentStatus.INACTIVE);
            assertThat(lane.segments().get(0).to()).isEqualTo(lane.segments().get(1).from());
            assertThat(lane.segments().get(1).current()).isTrue();
        });
    }

    @Test
    void segmentsFollowTheHistoryThroughARollbackAndAReactivation() {
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        Deployment deployment = new Deployment("d1", "m", "v1", "production", java.net.URI.create("http://h/"),
                DeploymentStatus.ACTIVE, t0, "u", t0.plusSeconds(30), null, null, null, null, List.of(
                new neural.mlops.deployment.StatusChange(DeploymentStatus.PENDING, t0, "u", null),
                new neural.mlops.deployment.StatusChange(DeploymentStatus.ACTIVE, t0.plusSeconds(10), "u", null),
                new neural.mlops.deployment.StatusChange(DeploymentStatus.INACTIVE, t0.plusSeconds(20), "u", null),
                new neural.mlops.deployment.StatusChange(DeploymentStatus.ACTIVE, t0.plusSeconds(30), "u", null)));

        List<TimelineSegment> segments = DeploymentsViewModel.segments(deployment, t0.plusSeconds(100));

        assertThat(segments).extracting(TimelineSegment::from, TimelineSegment::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple(t0.plusSeconds(10), t0.plusSeconds(20)),
                org.assertj.core.groups.Tuple.tuple(t0.plusSeconds(30), t0.plusSeconds(100)));
    }

    @Test
    void detachingEmptiesTheTab() {
        model.showWorkspace(null);

        assertThat(model.deployments()).isEmpty();
        assertThat(model.timeline()).isEmpty();
        assertThat(model.availableProperty().get()).isFalse();
    }

    @Test
    void theDetailsNameTheReplacedAndReplacingDeploymentsAndALinkSelectsOneTheFiltersHid() {
        Deployment first = select("v1.0.0", "production");
        Deployment second = model.deployments().stream().filter(d -> d.modelVersion().equals("v2.0.0")).findFirst().orElseThrow();

        assertThat(model.replacedProperty().get()).isNull();
        assertThat(model.replacedByProperty().get().deploymentId()).isEqualTo(second.deploymentId());

        select("v2.0.0", "production");
        assertThat(model.replacedProperty().get().deploymentId()).isEqualTo(first.deploymentId());
        assertThat(model.replacedByProperty().get()).isNull();

        model.statusFilterProperty().set(DeploymentStatus.ACTIVE);
        model.selectDeployment(first.deploymentId());

        assertThat(model.statusFilterProperty().get()).as("the filter that hid it is cleared").isNull();
        assertThat(model.selectedProperty().get().deploymentId()).isEqualTo(first.deploymentId());
    }

    @Test
    void theDetailsWarnWhenTheVersionOfADeploymentIsArchivedButStillActive() throws Exception {
        select("v2.0.0", "production");
        assertThat(model.versionStageProperty().get()).isEqualTo(neural.mlops.registry.ModelStage.PRODUCTION);
        assertThat(model.stageWarningProperty().get()).isEmpty();

        workspace.registry().promoteModel("fraud_detector", "v2.1.0", neural.mlops.registry.ModelStage.PRODUCTION, "next");
        model.refresh();

        assertThat(model.versionStageProperty().get()).isEqualTo(neural.mlops.registry.ModelStage.ARCHIVED);
        assertThat(model.stageWarningProperty().get())
                .isEqualTo("fraud_detector v2.0.0 is archived but still active in production.");

        select("v1.0.0", "production");
        assertThat(model.versionStageProperty().get()).isEqualTo(neural.mlops.registry.ModelStage.ARCHIVED);
        assertThat(model.stageWarningProperty().get()).as("an archived version nobody serves is fine").isEmpty();
    }

    @Test
    void aMinuteLongPeriodInNinetyDaysStillShowsAndARecentOneStaysOnTheStripAtTheRightEdge() {
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        Instant now = start.plus(java.time.Duration.ofDays(90));
        double span = java.time.Duration.between(start, now).toMillis();
        TimelineSegment middle = new TimelineSegment("d1", "v1", start.plus(java.time.Duration.ofDays(45)),
                start.plus(java.time.Duration.ofDays(45)).plusSeconds(60), DeploymentStatus.INACTIVE, false);
        TimelineSegment recent = new TimelineSegment("d2", "v2", now.minusSeconds(60), now, DeploymentStatus.ACTIVE, true);

        double[] placedMiddle = TimelineView.Bars.place(middle, start, span, 900);
        double[] placedRecent = TimelineView.Bars.place(recent, start, span, 900);

        assertThat(placedMiddle[1]).isEqualTo(TimelineView.MIN_BAR_WIDTH);
        assertThat(placedMiddle[0]).isCloseTo(450, org.assertj.core.data.Offset.offset(1.0));
        assertThat(placedRecent[1]).isEqualTo(TimelineView.MIN_BAR_WIDTH);
        assertThat(placedRecent[0] + placedRecent[1]).as("ends at the right edge, inside the strip").isEqualTo(900);
    }

}
