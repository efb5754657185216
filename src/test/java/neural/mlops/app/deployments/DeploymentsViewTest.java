package neural.mlops.app.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.util.Optional;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import neural.mlops.app.TestWorkspaces;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.app.common.ThemeChecks;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.deployment.Deployment;
import neural.mlops.deployment.DeploymentStatus;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.matcher.control.LabeledMatchers;
import org.testfx.util.WaitForAsyncUtils;

/** The Deployments tab under Monocle: roll back with a click, and create a deployment through the dialog. */
@ExtendWith(ApplicationExtension.class)
class DeploymentsViewTest {

    @TempDir
    Path dir;

    final DialogService dialogs = mock(DialogService.class);
    Workspace workspace;
    DeploymentsView view;
    DeploymentsViewModel model;

    Stage owner;

    @Start
    void start(Stage stage) throws Exception {
        owner = stage;
        workspace = TestWorkspaces.withDeployments(dir.resolve("ws"));
        model = new DeploymentsViewModel(TaskExecutor.CURRENT_THREAD, dialogs);
        model.showWorkspace(workspace);
        view = new DeploymentsView(model);
        Scene scene = new Scene(view, 1300, 760);
        new ThemeManager().manage(scene);
        stage.setScene(scene);
        stage.show();
    }

    @SuppressWarnings("unchecked")
    TableView<Deployment> table(FxRobot robot) {
        return robot.lookup("#deployments-table").queryAs(TableView.class);
    }

    @Test
    void rollingBackTheActiveDeploymentRestoresThePreviousOne(FxRobot robot) {
        when(dialogs.confirmWithReason(any(neural.mlops.app.common.Confirmation.class))).thenReturn(Optional.of("regression"));
        // The table's cell, not the timeline's bar that also reads v2.0.0.
        robot.clickOn(robot.lookup(".table-cell").match(LabeledMatchers.hasText("v2.0.0")).queryAs(javafx.scene.Node.class));

        robot.clickOn("#rollback-button");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(table(robot).getItems()).filteredOn(d -> d.modelVersion().equals("v1.0.0")).singleElement()
                .extracting(Deployment::status).isEqualTo(DeploymentStatus.ACTIVE);
        assertThat(robot.lookup("#rollback-button").queryAs(Button.class).isDisabled()).isTrue();
    }

    @Test
    void aNewDeploymentIsCreatedThroughTheDialogOnceItsEndpointIsValid(FxRobot robot) {
        Platform.runLater(view::openNewDeploymentDialog);
        WaitForAsyncUtils.waitForFxEvents();

        robot.clickOn("#deploy-environment").press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write("qa");
        robot.clickOn("#deploy-endpoint").press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write("ftp://x");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#deploy-confirm").queryAs(Button.class).isDisabled()).isTrue();
        robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write("http://qa.example.com/predict");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#deploy-confirm");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(workspace.deployments().listDeployments("qa", null, null)).singleElement()
                .satisfies(d -> assertThat(d.modelVersion()).isEqualTo("v2.0.0"));
        assertThat(table(robot).getItems()).hasSize(4);
        assertThat(table(robot).getSelectionModel().getSelectedItem().environment()).isEqualTo("qa");
    }

    @Test
    void theNewDeploymentDialogWearsTheMainWindowsTheme(FxRobot robot) throws Exception {
        ThemeChecks.opensInTheOwnersTheme(robot, owner, () -> ThemeChecks.windowOf(new NewDeploymentDialog(owner, model.newDeployment())));
    }

    @Test
    void theDetailsPaneShowsTheHistoryWithReasonsTheProbeErrorAndLinksToTheReplacedDeployment(FxRobot robot) {
        Deployment second = table(robot).getItems().stream().filter(d -> d.modelVersion().equals("v2.0.0")).findFirst().orElseThrow();
        workspace.deployments().deactivateDeployment(second.deploymentId(), "load test over");
        robot.interact(model::refresh);
        Deployment current = table(robot).getItems().stream().filter(d -> d.modelVersion().equals("v2.0.0")).findFirst().orElseThrow();
        robot.interact(() -> {
            model.health().put(current.deploymentId(), new neural.mlops.deployment.HealthCheck(java.time.Instant.now(), false,
                    null, null, "Connection refused"));
            model.selectedProperty().set(current);
        });
        WaitForAsyncUtils.waitForFxEvents();

        javafx.scene.layout.VBox history = robot.lookup("#deployment-history").queryAs(javafx.scene.layout.VBox.class);
        assertThat(robot.from(history).lookup(".label").queryAllAs(javafx.scene.control.Labeled.class))
                .extracting(javafx.scene.control.Labeled::getText)
                .contains("Inactive", "\u201cload test over\u201d", "Active", "Pending");
        assertThat(robot.lookup("#deployment-health-error").queryAs(javafx.scene.control.Label.class).getText())
                .isEqualTo("Connection refused");

        robot.interact(robot.lookup("#replaced-link").queryAs(javafx.scene.control.Hyperlink.class)::fire);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(table(robot).getSelectionModel().getSelectedItem().modelVersion()).isEqualTo("v1.0.0");
        assertThat(robot.lookup("#replaced-by-link").queryAs(javafx.scene.control.Hyperlink.class).getText())
                .startsWith("v2.0.0 in production");
    }

    @Test
    void at1280PixelsTheTableKeepsTheWidthAndTheDetailsPaneCanBeHiddenAndBroughtBack(FxRobot robot) {
        robot.interact(() -> owner.setWidth(1280));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.Node details = robot.lookup("#deployment-details").query();

        assertThat(table(robot).getWidth()).as("table width").isGreaterThan(1280 * 0.7);
        assertThat(details.getBoundsInLocal().getWidth()).as("details width").isBetween(240.0, 400.0);

        robot.interact(() -> owner.setWidth(1000));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table(robot).getWidth()).as("the table, not the details, gives way to a narrower window")
                .isGreaterThanOrEqualTo(DeploymentsView.TABLE_MIN_WIDTH);

        robot.clickOn("#deployment-details-toggle");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(details.getScene()).as("hidden details").isNull();
        assertThat(table(robot).getWidth()).isGreaterThan(900);

        robot.clickOn("#deployment-details-toggle");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(details.getScene()).as("shown again").isNotNull();
    }

    @Test
    void theTimelinesAxisEndsTodayEvenWhenTheLastChangeWasDaysAgo(FxRobot robot) {
        workspace.deployments().listDeployments(null, null, null).stream().filter(Deployment::isActive)
                .forEach(active -> workspace.deployments().deactivateDeployment(active.deploymentId(), "maintenance"));
        java.time.Instant later = java.time.Instant.now().plus(java.time.Duration.ofDays(3));
        DeploymentsViewModel inThreeDays = new DeploymentsViewModel(TaskExecutor.CURRENT_THREAD, dialogs,
                java.time.Clock.fixed(later, java.time.ZoneOffset.UTC));
        TimelineView[] timeline = new TimelineView[1];
        robot.interact(() -> {
            inThreeDays.showWorkspace(workspace);
            timeline[0] = new TimelineView(inThreeDays);
        });

        assertThat(robot.from(timeline[0]).lookup("#timeline-end").queryAs(javafx.scene.control.Label.class).getText())
                .isEqualTo(neural.mlops.app.common.Formats.localMinute(later) + " (now)");
    }
}
