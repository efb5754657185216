package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison window takes a version of another model that shares a metric (a challenger under a new name). */
class CrossModelCompareViewModelTest {

    @TempDir
    Path dir;

    ScriptedDialogs dialogs = new ScriptedDialogs();
    RegistryViewModel registry;

    /** The fixture's fraud_detector (accuracy, loss) and churn_predictor (auc), plus fraud_challenger v1 (accuracy). */
    @BeforeEach
    void open() throws IOException {
        Workspace workspace = RegistryFixture.create(dir);
        Path file = Files.writeString(dir.resolve("challenger.pt"), "weights");
        workspace.registry().registerModel(RegisterRequest.builder("fraud_challenger", "v1.0.0", file)
                .framework("pytorch").metric("accuracy", 0.97).build());
        registry = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, dialogs);
        registry.showWorkspace(workspace);
        registry.selectedModelProperty().set(registry.models().stream()
                .filter(m -> m.name().equals("fraud_detector")).findFirst().orElseThrow());
        registry.selectedVersions().setAll(registry.versions());
        registry.compare();
    }

    private CompareViewModel comparison() {
        return registry.comparisonProperty().get();
    }

    @Test
    void onlyVersionsOfOtherModelsThatShareAMetricWithEveryComparedVersionAreOffered() {
        assertThat(comparison().candidates()).extracting(ModelVersion::id).containsExactly("fraud_challenger:v1.0.0");
        assertThat(comparison().sharedWith(comparison().candidates().get(0))).containsExactly("accuracy");
    }

    @Test
    void addingTheChosenVersionComparesItAcrossModelsAndKeepsTheBaseline() {
        CompareViewModel comparison = comparison();
        comparison.baselineProperty().set(comparison.versions().get(1));
        comparison.candidateProperty().set(comparison.candidates().get(0));

        comparison.addCandidate();

        assertThat(comparison.versions()).extracting(ModelVersion::id)
                .containsExactly("fraud_detector:v1.0.0", "fraud_detector:v2.0.0", "fraud_challenger:v1.0.0");
        assertThat(comparison.label(2)).isEqualTo("fraud_challenger:v1.0.0");
        assertThat(comparison.baselineProperty().get().version()).isEqualTo("v2.0.0");
        assertThat(comparison.comparisonProperty().get().baseline()).isEqualTo(1);
        CompareViewModel.MetricRow accuracy = comparison.rows().stream()
                .filter(row -> row.metric().equals("accuracy")).findFirst().orElseThrow();
        assertThat(accuracy.values()).containsExactly(0.9, 0.95, 0.97);
        assertThat(accuracy.judgements().get(2)).isEqualTo(CompareViewModel.Judgement.BETTER);
        assertThat(comparison.metadataRows()).extracting(CompareViewModel.MetadataRow::label).contains("Model format");
        assertThat(comparison.title()).contains("fraud_challenger:v1.0.0");
        assertThat(comparison.candidates()).isEmpty();
        assertThat(comparison.candidateProperty().get()).isNull();
        assertThat(dialogs.errors).isEmpty();
    }

    @Test
    void withoutAChosenCandidateNothingIsAdded() {
        CompareViewModel comparison = comparison();
        List<ModelVersion> before = comparison.versions();

        comparison.addCandidate();

        assertThat(comparison.versions()).isEqualTo(before);
    }
}
