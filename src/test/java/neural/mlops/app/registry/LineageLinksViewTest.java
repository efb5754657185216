package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.Lineage;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The details pane's lineage links and the lineage window, clicked through under Monocle. */
@ExtendWith(ApplicationExtension.class)
class LineageLinksViewTest {

    @TempDir
    Path dir;

    final List<URI> opened = new CopyOnWriteArrayList<>();
    RegistryViewModel model;

    @Start
    void start(Stage stage) throws Exception {
        Workspace workspace = RegistryFixture.create(dir);
        Files.writeString(workspace.folder().orElseThrow().resolve("workspace.yaml"),
                "links:\n  commit: \"https://github.com/org/repo/commit/{commit}\"\n");
        Path file = Files.writeString(dir.resolve("model3.pt"), "weights");
        workspace.registry().registerModel(RegisterRequest.builder("fraud_detector", "v3.0.0", file).framework("pytorch")
                .lineage(new Lineage("3f9c2e1", "run-9", null, "v2.0.0")).build());
        model = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, new ScriptedDialogs(), opened::add);
        Scene scene = new Scene(new RegistryView(model), 1200, 700);
        scene.getStylesheets().add(getClass().getResource("/neural/mlops/app/app.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
        model.showWorkspace(workspace);
        model.selectedModelProperty().set(model.models().stream()
                .filter(m -> m.name().equals("fraud_detector")).findFirst().orElseThrow());
    }

    @Test
    void theCommitLinkOpensItsAddressTheParentLinkSelectsTheParentAndAGraphNodeSelectsItsVersion(FxRobot robot)
            throws Exception {
        assertThat(model.selectedVersionProperty().get().version()).isEqualTo("v3.0.0");
        assertThat(robot.lookup("#lineage-run").tryQuery()).as("a run without a template is plain text").isPresent();

        robot.clickOn("#lineage-commit-link");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(opened).containsExactly(URI.create("https://github.com/org/repo/commit/3f9c2e1"));

        robot.clickOn("#lineage-parent-link");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.selectedVersionProperty().get().version()).isEqualTo("v2.0.0");

        robot.clickOn("#lineage-button");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#lineage-graph").tryQuery().isPresent());
        Button v3 = robot.lookup("#lineage-graph .lineage-node").match(node -> node instanceof Button b
                && b.getText().equals("v3.0.0")).queryButton();
        assertThat(v3.getStyleClass()).contains("lineage-development");
        robot.clickOn(v3);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.selectedVersionProperty().get().version()).isEqualTo("v3.0.0");
        assertThat(v3.getStyleClass()).contains("lineage-selected");
        robot.interact(() -> ((Stage) v3.getScene().getWindow()).close());
    }
}
