package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.ConfigDiff;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelSummary;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.testing.TestClock;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.matcher.control.LabeledMatchers;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The comparison window's configuration diff, baseline and hashes, and the stage board's time
 * control, on a workspace whose clock moves an hour between changes.
 */
@ExtendWith(ApplicationExtension.class)
class RegistryDepthViewTest {

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-03-01T09:00:00Z");
    Instant firstRelease;

    @Start
    void start(Stage stage) throws Exception {
        Workspace workspace = Workspace.open(Files.createDirectories(dir.resolve("ws")), "tester", clock, Optional.empty());
        Path model = Files.writeString(dir.resolve("model.pt"), "weights");
        Path retrained = Files.writeString(dir.resolve("retrained.pt"), "retrained weights");
        Map<String, Object> optimizer = new LinkedHashMap<>(Map.of("name", "adam", "lr", 0.01));
        Map<String, Object> config1 = new LinkedHashMap<>();
        config1.put("optimizer", optimizer);
        config1.put("epochs", 10);
        Map<String, Object> config2 = new LinkedHashMap<>();
        config2.put("optimizer", new LinkedHashMap<>(Map.of("name", "adam", "lr", 0.005)));
        config2.put("epochs", 10);
        config2.put("seed", 7);
        workspace.registry().registerModel(RegisterRequest.builder("fraud_detector", "v1.0.0", model)
                .framework("pytorch").metric("accuracy", 0.9).metric("loss", 0.3).config(config1).build());
        workspace.registry().registerModel(RegisterRequest.builder("fraud_detector", "v2.0.0", retrained)
                .framework("pytorch").metric("accuracy", 0.95123).metric("loss", 0.2).config(config2).build());
        clock.advance(Duration.ofHours(1));
        workspace.registry().promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "first release");
        firstRelease = clock.instant();
        clock.advance(Duration.ofHours(1));
        workspace.registry().promoteModel("fraud_detector", "v2.0.0", ModelStage.STAGING, "candidate");
        clock.advance(Duration.ofHours(1));
        workspace.registry().promoteModel("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "better");

        RegistryViewModel registry = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, new ScriptedDialogs());
        registry.showWorkspace(workspace);
        Scene scene = new Scene(new RegistryView(registry), 1200, 700);
        scene.getStylesheets().add(getClass().getResource("/neural/mlops/app/app.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    private void openFraudDetector(FxRobot robot) {
        ListView<ModelSummary> list = robot.lookup("#model-list").queryListView();
        robot.interact(() -> list.getSelectionModel().select(
                list.getItems().stream().filter(m -> m.name().equals("fraud_detector")).findFirst().orElseThrow()));
    }

    private void clickVersion(FxRobot robot, String version) {
        robot.clickOn(robot.from(robot.lookup("#versions-table").queryAll())
                .lookup(".table-cell").lookup(LabeledMatchers.hasText(version)).queryAs(javafx.scene.Node.class));
    }

    @Test
    void theComparisonShowsTheConfigurationDiffOnlyTheDifferencesAChosenBaselineAndFullHashes(FxRobot robot)
            throws Exception {
        openFraudDetector(robot);
        clickVersion(robot, "v1.0.0");
        robot.press(KeyCode.CONTROL);
        clickVersion(robot, "v2.0.0");
        robot.release(KeyCode.CONTROL);
        robot.clickOn("#compare-button");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#compare-config").tryQuery().isPresent());

        TableView<CompareViewModel.ConfigRow> config = robot.lookup("#compare-config").queryTableView();
        assertThat(config.getItems()).extracting(CompareViewModel.ConfigRow::path)
                .containsExactlyInAnyOrder("optimizer.name", "optimizer.lr", "epochs", "seed");
        CompareViewModel.ConfigRow lr = config.getItems().stream().filter(r -> r.path().equals("optimizer.lr"))
                .findFirst().orElseThrow();
        assertThat(lr.values()).containsExactly("0.01", "0.005");
        assertThat(lr.kinds()).containsExactly(ConfigDiff.Kind.SAME, ConfigDiff.Kind.CHANGED);
        assertThat(robot.lookup("#compare-config .config-changed").queryAll()).isNotEmpty();
        assertThat(robot.lookup("#compare-config .config-added").queryAll()).isNotEmpty();

        robot.clickOn("#compare-differences-only");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(config.getItems()).extracting(CompareViewModel.ConfigRow::path)
                .containsExactlyInAnyOrder("optimizer.lr", "seed");

        // v2.0.0 as the baseline: v1.0.0 lacks the seed, and its accuracy is now the worse one.
        ComboBox<ModelVersion> baseline = robot.lookup("#compare-baseline").queryComboBox();
        robot.interact(() -> baseline.setValue(baseline.getItems().get(1)));
        assertThat(config.getItems()).filteredOn(r -> r.path().equals("seed")).singleElement()
                .satisfies(row -> assertThat(row.kinds()).containsExactly(ConfigDiff.Kind.REMOVED, ConfigDiff.Kind.SAME));
        TableView<CompareViewModel.MetricRow> metrics = robot.lookup("#compare-table").queryTableView();
        assertThat(metrics.getItems()).filteredOn(r -> r.metric().equals("accuracy")).singleElement()
                .satisfies(row -> assertThat(row.judgements()).containsExactly(CompareViewModel.Judgement.WORSE,
                        CompareViewModel.Judgement.BASELINE));
        assertThat(metrics.getColumns().get(2).getText()).isEqualTo("v2.0.0 (baseline)");

        TableView<CompareViewModel.MetadataRow> metadata = robot.lookup("#compare-metadata").queryTableView();
        CompareViewModel.MetadataRow hash = metadata.getItems().stream().filter(r -> r.label().equals("SHA-256"))
                .findFirst().orElseThrow();
        assertThat(hash.values().get(1)).hasSize(13); // twelve characters and an ellipsis
        robot.clickOn("#compare-full-hashes");
        WaitForAsyncUtils.waitForFxEvents();
        CompareViewModel.MetadataRow full = metadata.getItems().stream().filter(r -> r.label().equals("SHA-256"))
                .findFirst().orElseThrow();
        assertThat(full.values().get(1)).hasSize(64);
        assertThat(full.values().get(0)).endsWith("(changed)");

        // Parallel coordinates: a point per version and metric, each with its exact value as a tooltip.
        assertThat(robot.lookup("#compare-parallel .parallel-point").queryAll()).hasSize(4);
        java.util.Set<javafx.scene.Node> points = robot.lookup("#compare-parallel .parallel-point").queryAll();
        assertThat(points).extracting(point -> ((javafx.scene.control.Tooltip) point.getProperties()
                .get("javafx.scene.control.Tooltip")).getText()).contains("v2.0.0 accuracy: 0.95123");
    }

    /** Whether the board's {@code stage} column holds the card of {@code version}. */
    private static boolean inColumn(FxRobot robot, String stage, String version) {
        javafx.scene.Node column = robot.lookup("#stage-column-" + stage).query();
        java.util.function.Predicate<javafx.scene.Node> card = node -> ("card-" + version).equals(node.getId());
        return robot.from(column).lookup(card).tryQuery().isPresent();
    }

    @Test
    void theBoardsTimeControlShowsTheBoardAsItWasAndNowBringsItBack(FxRobot robot) {
        openFraudDetector(robot);
        robot.clickOn("#board-toggle");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(inColumn(robot, "production", "v2.0.0")).isTrue();
        assertThat(inColumn(robot, "archived", "v1.0.0")).isTrue();

        Slider slider = robot.lookup("#board-time").query();
        robot.interact(() -> slider.setValue(firstRelease.plus(Duration.ofMinutes(30)).toEpochMilli()));

        assertThat(inColumn(robot, "production", "v1.0.0")).isTrue();
        assertThat(inColumn(robot, "development", "v2.0.0")).isTrue();
        assertThat(robot.lookup("#stage-column-archived .version-card").tryQuery()).isEmpty();
        assertThat(robot.lookup("#board-time-label").queryAs(Label.class).getText()).startsWith("As it was at");

        javafx.scene.control.Button now = robot.lookup("#board-now").queryButton();
        assertThat(now.isDisabled()).isFalse();
        robot.interact(now::fire); // the board pane is narrow in this window: the button may lie past its edge
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(inColumn(robot, "production", "v2.0.0")).isTrue();
        assertThat(robot.lookup("#board-time-label").queryAs(Label.class).getText()).isEqualTo("Now");
    }
}
