package neural.mlops.app.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import javafx.scene.Scene;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.PieChart;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.app.common.ThemeManager;
import neural.mlops.audit.AuditLogger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Compliance Report window under Monocle: generate a report and see its totals, charts and tables. */
@ExtendWith(ApplicationExtension.class)
class ComplianceReportViewTest {

    @TempDir
    Path dir;

    ComplianceReportViewModel model;

    @Start
    void start(Stage stage) {
        AuditLogger audit = new AuditLogger(dir.resolve("audit_logs"), Clock.systemUTC(), Optional.empty());
        audit.logModelDeployment("fraud_detector", "v2.0.0", "devops", "production");
        audit.logAccessDenied("bob", "model", "credit_scoring:v1.2.0", "promote", "not an approver");
        audit.logSecurityViolation("mallory", "model", "fraud_detector:v2.0.0", "unauthorized_access", Map.of());
        model = new ComplianceReportViewModel(audit, "auditor", TaskExecutor.CURRENT_THREAD,
                mock(DialogService.class), Clock.systemUTC(), ZoneId.systemDefault());
        Scene scene = new Scene(new ScrollPane(new ComplianceReportView(model)), 1100, 800);
        new ThemeManager().manage(scene);
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void generatingShowsTheTotalsTheChartsAndTheEventTables(FxRobot robot) {
        robot.clickOn("#report-generate");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(figure(robot, "#figure-total-events")).isEqualTo("3");
        assertThat(figure(robot, "#figure-security-violations")).isEqualTo("1");
        assertThat(figure(robot, "#figure-access-denials")).isEqualTo("1");
        assertThat(figure(robot, "#figure-deployments")).isEqualTo("1");
        assertThat(robot.lookup("#report-integrity").queryAs(Label.class).getText()).startsWith("Intact: 3 chained events checked");
        assertThat(robot.lookup("#chart-by-type").queryAs(BarChart.class).getData()).singleElement()
                .satisfies(series -> assertThat(((javafx.scene.chart.XYChart.Series<?, ?>) series).getData()).hasSize(3));
        assertThat(robot.lookup("#chart-by-severity").queryAs(PieChart.class).getData()).hasSize(3);
        assertThat(robot.lookup("#violations-table").queryAs(TableView.class).getItems()).hasSize(1);
        assertThat(robot.lookup("#report-status").queryAs(Label.class).getText()).startsWith("Saved as ").contains("reports");
    }

    @Test
    void aPresetPressedWithTheMouseOrTheKeyboardShowsItsPeriodAndStaysSelected(FxRobot robot) {
        robot.clickOn("#report-last-7");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.lastDaysProperty().get()).isEqualTo(7);
        assertThat(robot.lookup("#report-last-7").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertThat(robot.lookup("#report-last-30").queryAs(ToggleButton.class).isSelected()).isFalse();

        // Pressed again (Space on the focused preset): still that period, still selected, not toggled off.
        robot.press(KeyCode.SPACE).release(KeyCode.SPACE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.lastDaysProperty().get()).isEqualTo(7);
        assertThat(robot.lookup("#report-last-7").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertThat(robot.lookup("#report-period").queryAs(Label.class).getText()).startsWith("Last 7 days");
    }

    private static String figure(FxRobot robot, String id) {
        VBox box = robot.lookup(id).queryAs(VBox.class);
        return ((Label) box.getChildren().get(0)).getText();
    }
}
