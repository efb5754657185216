package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import neural.mlops.app.common.Shown;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.app.common.ThemeChecks;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelSummary;
import neural.mlops.registry.ModelVersion;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.matcher.control.LabeledMatchers;
import org.testfx.util.WaitForAsyncUtils;

/** The Registry tab mounted on a real workspace, clicked through under Monocle. */
@ExtendWith(ApplicationExtension.class)
class RegistryViewTest {

    @TempDir
    Path dir;

    Workspace workspace;
    RegistryViewModel model;
    Stage owner;

    @Start
    void start(Stage stage) throws Exception {
        owner = stage;
        workspace = RegistryFixture.create(dir);
        model = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, new ScriptedDialogs());
        model.showWorkspace(workspace);
        Scene scene = new Scene(new RegistryView(model), 1200, 700);
        scene.getStylesheets().add(getClass().getResource("/neural/mlops/app/app.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    private void openFraudDetector(FxRobot robot) {
        ListView<ModelSummary> list = robot.lookup("#model-list").queryListView();
        robot.interact(() -> list.getSelectionModel().select(
                list.getItems().stream().filter(m -> m.name().equals("fraud_detector")).findFirst().orElseThrow()));
    }

    /** Clicks the version's cell in the table (the same text also stands on the hidden stage board). */
    private void clickVersion(FxRobot robot, String version) {
        robot.clickOn(robot.from(robot.lookup("#versions-table").queryAll())
                .lookup(".table-cell").lookup(LabeledMatchers.hasText(version)).queryAs(javafx.scene.Node.class));
    }

    private ModelVersion row(FxRobot robot, String version) {
        TableView<ModelVersion> table = robot.lookup("#versions-table").queryTableView();
        return table.getItems().stream().filter(v -> v.version().equals(version)).findFirst().orElseThrow();
    }

    @Test
    void promotingByClickingChangesTheBadgeAndArchivesThePreviousProductionVersion(FxRobot robot) {
        openFraudDetector(robot);
        clickVersion(robot, "v2.0.0");
        robot.clickOn("#promote-button");
        robot.clickOn("Promote to Production");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(row(robot, "v2.0.0").stage()).isEqualTo(ModelStage.PRODUCTION);
        assertThat(row(robot, "v1.0.0").stage()).isEqualTo(ModelStage.ARCHIVED);
        assertThat(robot.lookup("#versions-table .badge-production").queryAs(Label.class).getText()).isEqualTo("Production");
        assertThat(robot.lookup("#versions-table .badge-archived").queryAll()).isNotEmpty();
        assertThat(workspace.registry().getModel("fraud_detector", "v1.0.0").stage()).isEqualTo(ModelStage.ARCHIVED);
    }

    @Test
    void comparingTwoVersionsShowsTheDifference(FxRobot robot) throws Exception {
        openFraudDetector(robot);
        clickVersion(robot, "v1.0.0");
        robot.press(KeyCode.CONTROL);
        clickVersion(robot, "v2.0.0");
        robot.release(KeyCode.CONTROL);
        robot.clickOn("#compare-button");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#compare-table").tryQuery().isPresent());

        TableView<CompareViewModel.MetricRow> table = robot.lookup("#compare-table").queryTableView();
        assertThat(table.getItems()).extracting(CompareViewModel.MetricRow::metric).contains("accuracy", "loss");
        assertThat(robot.lookup("#compare-table .better").queryAll()).isNotEmpty();
        assertThat(robot.lookup(node -> node instanceof javafx.scene.control.Labeled labeled
                && "+0.05".equals(labeled.getText())).tryQuery()).isPresent();
    }

    @Test
    void theRegisterDialogRejectsAnInvalidName(FxRobot robot) throws Exception {
        robot.clickOn("#register-button");
        Shown.await(robot, "#register-name");
        robot.clickOn("#register-name").write("../evil");
        WaitForAsyncUtils.waitForFxEvents();

        Label problem = robot.lookup("#register-problem").queryAs(Label.class);
        Button register = robot.lookup("#register-confirm").queryButton();
        assertThat(register.isDisabled()).isTrue();
        assertThat(problem.getText()).isNotEmpty();
        robot.interact(() -> ((javafx.stage.Stage) register.getScene().getWindow()).close());
    }

    @Test
    void theComparisonTheRequestsAndTheRegisterDialogWearTheMainWindowsTheme(FxRobot robot) throws Exception {
        openFraudDetector(robot);
        CompareViewModel comparison = new CompareViewModel(workspace.registry().compareLoaded(model.versions(), 0),
                model.versions());
        ThemeChecks.opensInTheOwnersTheme(robot, owner, () -> {
            new CompareView(comparison).show(owner);
            return ThemeChecks.showing(comparison.title());
        });
        RequestsViewModel requests = model.newRequests();
        ThemeChecks.opensInTheOwnersTheme(robot, owner, () -> {
            new RequestsView(requests).show(owner);
            return ThemeChecks.showing("Promotion Requests \u2014 acting as " + requests.user());
        });
        ThemeChecks.opensInTheOwnersTheme(robot, owner,
                () -> ThemeChecks.windowOf(new RegisterModelDialog(owner, model.newRegistration())));
    }

    @Test
    void theAnyTagAndAnyFrameworkFiltersStillReadSoAfterALiveRefreshReplacedTheirChoices(FxRobot robot) throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("other.onnx"), "weights");
        workspace.registry().registerModel(neural.mlops.registry.RegisterRequest.builder("churn_predictor", "v2.0.0", file)
                .framework("onnx").tags("churn", "nightly").build()); // another process, meanwhile

        robot.interact(model::refresh); // what live refresh does: the tag and framework choices are replaced

        assertThat(model.tags()).contains("nightly");
        assertThat(filterButton(robot, "#tag-filter")).isEqualTo("Any tag");
        assertThat(filterButton(robot, "#framework-filter")).isEqualTo("Any framework");
    }

    /** The text on a filter box's button: the cell the box shows as its own child (the list's cells live in its popup). */
    private static String filterButton(FxRobot robot, String query) {
        javafx.scene.control.ComboBox<?> box = robot.lookup(query).queryAs(javafx.scene.control.ComboBox.class);
        assertThat(box.getValue()).isNull();
        return box.getChildrenUnmodifiable().stream()
                .filter(javafx.scene.control.ListCell.class::isInstance)
                .map(node -> ((javafx.scene.control.ListCell<?>) node).getText())
                .findFirst().orElseThrow();
    }
}
