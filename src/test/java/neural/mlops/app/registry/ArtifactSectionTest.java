package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import neural.mlops.app.common.FxTaskExecutor;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.artifact.Tensor;
import neural.mlops.registry.ModelSummary;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The details pane's Artifact section on a 10,000-tensor safetensors file, inspected off the FX thread. */
@ExtendWith(ApplicationExtension.class)
class ArtifactSectionTest {

    static final int TENSORS = 10_000;

    @TempDir
    Path dir;

    RegistryViewModel model;

    @Start
    void start(Stage stage) throws Exception {
        Workspace workspace = Workspace.open(Files.createDirectories(dir.resolve("ws")), "tester");
        workspace.registry().registerModel(RegisterRequest.builder("big", "v1", safetensors(dir.resolve("big.safetensors")))
                .framework("safetensors").build());
        model = new RegistryViewModel(new FxTaskExecutor((thread, error) -> { }), new ScriptedDialogs());
        model.showWorkspace(workspace);
        Scene scene = new Scene(new RegistryView(model), 1200, 800);
        scene.getStylesheets().add(getClass().getResource("/neural/mlops/app/app.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    /**
     * A safetensors file to the published layout: an 8-byte little-endian header length, the JSON
     * header (padded with spaces), then the data; tensor {@code i} is a float32 vector of {@code i % 7 + 1}.
     */
    static Path safetensors(Path file) throws IOException {
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"made_by\":\"ArtifactSectionTest\"}");
        long offset = 0;
        for (int i = 0; i < TENSORS; i++) {
            int elements = i % 7 + 1;
            header.append(String.format(",\"layer.%05d.weight\":{\"dtype\":\"F32\",\"shape\":[%d],\"data_offsets\":[%d,%d]}",
                    i, elements, offset, offset + 4L * elements));
            offset += 4L * elements;
        }
        header.append('}');
        while ((header.length() + 8) % 8 != 0) {
            header.append(' ');
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        out.writeBytes(json);
        out.writeBytes(new byte[(int) offset]);
        return Files.write(file, out.toByteArray());
    }

    @Test
    void aTenThousandTensorFileShowsItsTableVerdictAndParameterCount(FxRobot robot) throws Exception {
        ListView<ModelSummary> list = robot.lookup("#model-list").queryListView();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !list.getItems().isEmpty());
        robot.interact(() -> list.getSelectionModel().select(0));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#tensor-table").tryQuery().isPresent()
                && robot.lookup("#tensor-table").<TableView<Tensor>>queryTableView().getItems().size() == TENSORS);

        TableView<Tensor> table = robot.lookup("#tensor-table").queryTableView();
        assertThat(table.getItems().get(0).name()).isEqualTo("layer.00000.weight");
        long expectedParameters = 0;
        for (int i = 0; i < TENSORS; i++) {
            expectedParameters += i % 7 + 1;
        }
        assertThat(robot.lookup("#artifact-parameters").queryAs(Label.class).getText())
                .isEqualTo(String.format("%,d parameters", expectedParameters));
        Label verdict = robot.lookup("#artifact-verdict").queryAs(Label.class);
        assertThat(verdict.getText()).isEqualTo("Safe");
        assertThat(verdict.getStyleClass()).contains("badge-safe");
        assertThat(robot.lookup("#tensor-table .table-row-cell").queryAll().size())
                .as("rows are made only for what is in sight").isLessThan(200);

        // Sorting by size, largest first, puts a 7-element tensor on top.
        robot.interact(() -> {
            table.getSortOrder().setAll(table.getColumns().get(3));
            table.getColumns().get(3).setSortType(javafx.scene.control.TableColumn.SortType.DESCENDING);
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table.getItems().get(0).bytes()).isEqualTo(28);
    }
}
