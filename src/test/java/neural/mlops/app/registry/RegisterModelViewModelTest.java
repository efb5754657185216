package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelVersion;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegisterModelViewModelTest {

    @TempDir
    Path dir;

    Workspace workspace;
    ScriptedDialogs dialogs = new ScriptedDialogs();
    RegistryViewModel registry;
    RegisterModelViewModel model;

    @BeforeEach
    void open() throws IOException {
        workspace = RegistryFixture.create(dir);
        registry = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, dialogs);
        registry.showWorkspace(workspace);
        model = registry.newRegistration();
    }

    @Test
    void offersExistingNamesAndSuggestsTheNextVersion() {
        assertThat(model.existingNames()).containsExactly("churn_predictor", "fraud_detector");
        model.nameProperty().set("fraud_detector");
        assertThat(model.suggestedVersionProperty().get()).isEqualTo("v2.1.0");
        assertThat(model.versionProperty().get()).isEqualTo("v2.1.0");
        model.nameProperty().set("brand_new");
        assertThat(model.versionProperty().get()).isEqualTo("v1.0.0");
    }

    @Test
    void validatesAsTheUserTypes() throws IOException {
        assertThat(model.canRegisterProperty().get()).isFalse();
        assertThat(model.fileProblemProperty().get()).contains("Choose the model file");

        model.nameProperty().set("../evil");
        assertThat(model.nameProblemProperty().get()).contains("Invalid model name");
        model.nameProperty().set("fraud_detector");
        assertThat(model.nameProblemProperty().get()).isNull();

        model.versionProperty().set("v1.0.0");
        assertThat(model.versionProblemProperty().get()).contains("already exists");
        model.versionProperty().set("v3.0.0");
        assertThat(model.versionProblemProperty().get()).isNull();

        model.modelFileProperty().set(dir);
        assertThat(model.fileProblemProperty().get()).contains("is a folder");
        model.modelFileProperty().set(Files.writeString(dir.resolve("m.onnx"), "x"));
        assertThat(model.fileProblemProperty().get()).isNull();

        model.addMetric("accuracy", "abc");
        assertThat(model.metricsProblemProperty().get()).contains("must be a number");
        model.metrics().get(0).valueProperty().set("NaN");
        assertThat(model.metricsProblemProperty().get()).contains("finite");
        model.metrics().get(0).valueProperty().set("0.97");
        assertThat(model.metricsProblemProperty().get()).isNull();
        assertThat(model.canRegisterProperty().get()).isFalse();
        assertThat(model.frameworkProblemProperty().get()).contains("framework");
        model.frameworkProperty().set("onnx");
        assertThat(model.canRegisterProperty().get()).isTrue();
    }

    @Test
    void registersThroughTheCoreWithProgressAndSelectsTheNewVersion() throws IOException {
        model.nameProperty().set("fraud_detector");
        model.modelFileProperty().set(Files.write(dir.resolve("big.pt"), new byte[300_000]));
        model.frameworkProperty().set("pytorch");
        model.addMetric("accuracy", "0.97");
        model.addTag("fraud");
        model.addTag("fraud");
        model.addTag(" ");
        List<ModelVersion> registered = new ArrayList<>();

        model.register(registered::add);

        assertThat(registered).singleElement().satisfies(version -> {
            assertThat(version.version()).isEqualTo("v2.1.0");
            assertThat(version.stage()).isEqualTo(ModelStage.DEVELOPMENT);
            assertThat(version.createdBy()).isEqualTo("tester");
            assertThat(version.tags()).containsExactly("fraud");
            assertThat(version.metrics()).containsEntry("accuracy", 0.97);
        });
        assertThat(model.progressProperty().get()).isEqualTo(1.0);
        registry.registered(registered.get(0));
        assertThat(registry.selectedVersionProperty().get().version()).isEqualTo("v2.1.0");
    }

    @Test
    void aMetricTypedButNotAddedIsRegisteredNotDropped() throws IOException {
        model.nameProperty().set("fraud_detector");
        model.modelFileProperty().set(Files.write(dir.resolve("typed.pt"), new byte[10]));
        model.frameworkProperty().set("pytorch");
        model.addMetric("accuracy", "0.97");
        model.newMetricNameProperty().set(" f1 ");
        model.newMetricValueProperty().set("0.91");
        List<ModelVersion> registered = new ArrayList<>();

        model.register(registered::add);

        assertThat(registered).singleElement().satisfies(version ->
                assertThat(version.metrics()).containsEntry("accuracy", 0.97).containsEntry("f1", 0.91));
        assertThat(model.newMetricNameProperty().get()).isEmpty();
    }

    @Test
    void aTypedMetricThatIsNotANumberStopsTheRegistrationWithItsProblemShown() throws IOException {
        model.nameProperty().set("fraud_detector");
        model.modelFileProperty().set(Files.write(dir.resolve("typed.pt"), new byte[10]));
        model.frameworkProperty().set("pytorch");
        model.newMetricNameProperty().set("f1");
        model.newMetricValueProperty().set("high");
        List<ModelVersion> registered = new ArrayList<>();

        model.register(registered::add);

        assertThat(registered).isEmpty();
        assertThat(model.metricsProblemProperty().get()).contains("f1");
        assertThat(workspace.registry().listVersions("fraud_detector")).extracting(ModelVersion::version)
                .doesNotContain("v2.1.0");
    }

    @Test
    void theCoresRefusalIsShownAndNothingIsRegistered() throws IOException {
        model.nameProperty().set("fraud_detector");
        Path file = Files.writeString(dir.resolve("m.pt"), "x");
        model.modelFileProperty().set(file);
        model.frameworkProperty().set("pytorch");
        // Another process registers the suggested version after the dialog opened.
        workspace.registry().registerModel(neural.mlops.registry.RegisterRequest
                .builder("fraud_detector", "v2.1.0", file).framework("onnx").build());
        assertThat(model.canRegisterProperty().get()).isTrue();

        List<ModelVersion> registered = new ArrayList<>();
        model.register(registered::add);

        assertThat(registered).isEmpty();
        assertThat(model.errorProperty().get()).contains("already exists");
        assertThat(model.runningProperty().get()).isFalse();
        assertThat(workspace.registry().getModel("fraud_detector", "v2.1.0").framework()).isEqualTo("onnx");
    }

    @Test
    void chooseModelFileAsksTheDialogService() {
        Path chosen = dir.resolve("chosen.pt");
        dialogs.path(chosen);
        model.chooseModelFile();
        assertThat(model.modelFileProperty().get()).isEqualTo(chosen);
    }

    @Test
    void nextVersionFollowsTheHighestSemanticVersion() {
        assertThat(RegisterModelViewModel.nextVersion(List.of())).isEqualTo("v1.0.0");
    }
}
