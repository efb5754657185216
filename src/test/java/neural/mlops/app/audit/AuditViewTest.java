package neural.mlops.app.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.matcher.control.LabeledMatchers;
import org.testfx.util.WaitForAsyncUtils;

/** The Audit tab under Monocle: filtering the table, the detail pane, and Verify Integrity's window. */
@ExtendWith(ApplicationExtension.class)
class AuditViewTest {

    @TempDir
    Path dir;

    AuditLogger audit;
    AuditView view;

    @Start
    void start(Stage stage) {
        Workspace workspace = Workspace.open(dir, "auditor", java.time.Clock.systemUTC(), Optional.empty());
        audit = workspace.audit();
        audit.logModelDeployment("fraud_detector", "v2.0.0", "devops", "production");
        audit.logAccessDenied("bob", "model", "credit_scoring:v1.2.0", "promote", "not an approver");
        audit.logEvent(new AuditRecord(EventType.DEPLOYMENT_ACTIVATED, EventSeverity.ERROR, "devops", "deployment",
                "deploy_x", "activate", Outcome.FAILURE, "health check failed", Map.of(), null));
        audit.logSecurityViolation("mallory", "model", "fraud_detector:v2.0.0", "unauthorized_access",
                Map.of("ip_address", "203.0.113.9"));
        AuditViewModel model = new AuditViewModel(TaskExecutor.CURRENT_THREAD, mock(DialogService.class));
        model.showWorkspace(workspace);
        view = new AuditView(model);
        Scene scene = new Scene(view, 1200, 700);
        new ThemeManager().manage(scene);
        stage.setScene(scene);
        stage.show();
    }

    @SuppressWarnings("unchecked")
    TableView<AuditEvent> table(FxRobot robot) {
        return robot.lookup("#events-table").queryAs(TableView.class);
    }

    @Test
    void typingInTheSearchFieldFiltersTheTableAndSelectingARowShowsTheEvent(FxRobot robot) {
        assertThat(table(robot).getItems()).hasSize(4);

        robot.clickOn("#text-filter").write("203.0.113").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(table(robot).getItems()).extracting(AuditEvent::user).containsExactly("mallory");
        robot.clickOn(robot.lookup(".table-cell").match(LabeledMatchers.hasText("mallory")).queryAs(javafx.scene.Node.class));
        TextArea json = robot.lookup("#event-json").queryAs(TextArea.class);
        assertThat(json.getText()).contains("\"event_type\" : \"security_violation\"", "\"ip_address\" : \"203.0.113.9\"");
    }

    @Test
    void theTableShowsTheReasonAndKeepsTheEventPaneClosedUntilAnEventIsSelected(FxRobot robot) {
        TableView<AuditEvent> table = table(robot);
        assertThat(table.getColumns()).extracting(column -> column.getText()).contains("Reason");
        assertThat(robot.lookup("#events-table .table-cell").match(LabeledMatchers.hasText("not an approver")).tryQuery())
                .isPresent();
        assertThat(robot.lookup("#event-pane").tryQuery()).as("no empty event pane before a selection").isEmpty();
        double fullWidth = table.getWidth();

        robot.clickOn(robot.lookup(".table-cell").match(LabeledMatchers.hasText("mallory")).queryAs(javafx.scene.Node.class));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#event-pane").tryQuery()).isPresent();
        assertThat(table.getWidth()).isLessThan(fullWidth);

        robot.clickOn("#close-event");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#event-pane").tryQuery()).isEmpty();
        assertThat(table.getWidth()).as("the table gets its width back").isEqualTo(fullWidth);
    }

    @Test
    void choosingALongFilterValueDoesNotShiftTheFiltersAfterIt(FxRobot robot) {
        javafx.scene.Node user = robot.lookup("#user-filter").query();
        javafx.scene.Node from = robot.lookup("#from-date").query();
        double userX = user.localToScene(0, 0).getX();
        double fromX = from.localToScene(0, 0).getX();

        robot.clickOn("#type-filter");
        robot.clickOn(robot.lookup(".list-cell").match(LabeledMatchers.hasText("Deployment deactivated")).queryAs(javafx.scene.Node.class));
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(user.localToScene(0, 0).getX()).isEqualTo(userX);
        assertThat(from.localToScene(0, 0).getX()).isEqualTo(fromX);
    }

    @Test
    void choosingASeverityFiltersTheTable(FxRobot robot) {
        robot.clickOn("#severity-filter");
        // The popup's entry, not the table's cells that also read "Warning".
        robot.clickOn(robot.lookup(".list-cell").match(LabeledMatchers.hasText("Warning")).queryAs(javafx.scene.Node.class));
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(table(robot).getItems()).extracting(AuditEvent::user).containsExactly("bob");
        assertThat(robot.lookup("#events-summary").queryAs(Label.class).getText()).isEqualTo("1 matching event");
    }

    @Test
    void verifyIntegrityOpensAWindowThatSaysTheChainIsIntact(FxRobot robot) {
        robot.clickOn("#verify-button");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(robot.lookup("#integrity-headline").queryAs(Label.class).getText()).isEqualTo("The audit trail is intact");
    }

    @Test
    void verifyIntegrityListsTheProblemsOfATamperedTrail(FxRobot robot) throws Exception {
        Path second;
        try (Stream<Path> files = Files.walk(dir.resolve("audit_logs/events"))) {
            second = files.filter(path -> path.getFileName().toString().endsWith("_0000002.json")).findFirst().orElseThrow();
        }
        Files.writeString(second, Files.readString(second, StandardCharsets.UTF_8).replace("bob", "rob"), StandardCharsets.UTF_8);

        robot.clickOn("#verify-button");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(robot.lookup("#integrity-headline").queryAs(Label.class).getText()).startsWith("The audit trail has ");
        TableView<?> problems = robot.lookup("#integrity-problems").queryAs(TableView.class);
        assertThat(problems.getItems()).isNotEmpty();
    }
}
