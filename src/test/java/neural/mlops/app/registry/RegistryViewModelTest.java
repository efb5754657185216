package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import neural.mlops.app.common.QueuedExecutor;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelSummary;
import neural.mlops.registry.ModelVersion;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryViewModelTest {

    @TempDir
    Path dir;

    Workspace workspace;
    ScriptedDialogs dialogs = new ScriptedDialogs();
    RegistryViewModel model;

    @BeforeEach
    void open() throws IOException {
        workspace = RegistryFixture.create(dir);
        model = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, dialogs);
        model.showWorkspace(workspace);
    }

    private void select(String name, String... versions) {
        model.selectedModelProperty().set(model.models().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow());
        model.selectedVersions().setAll(model.versions().stream()
                .filter(v -> List.of(versions).contains(v.version())).toList());
    }

    @Test
    void loadsModelsWithTheirProductionVersionAndSelectsTheFirst() {
        assertThat(model.models()).extracting(ModelSummary::name).containsExactly("churn_predictor", "fraud_detector");
        assertThat(model.models().get(1).production()).contains("v1.0.0");
        assertThat(model.selectedModelProperty().get().name()).isEqualTo("churn_predictor");
        assertThat(model.summaryProperty().get()).isEqualTo("2 models, 3 versions");
        assertThat(model.tags()).containsExactly("churn", "fraud", "production-ready");
        assertThat(model.frameworks()).containsExactly("pytorch", "sklearn");
    }

    @Test
    void aModelAskedForBeforeTheLoadIsSelectedInsteadOfTheFirstAndOnlyOnce() {
        RegistryViewModel restarted = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, dialogs);
        restarted.selectWhenLoaded("fraud_detector");
        restarted.showWorkspace(workspace);

        assertThat(restarted.selectedModelProperty().get().name()).isEqualTo("fraud_detector");

        restarted.showWorkspace(workspace);
        assertThat(restarted.selectedModelProperty().get().name()).as("the next opening starts from the first again")
                .isEqualTo("churn_predictor");
    }

    @Test
    void aModelAskedForThatNoLongerExistsLeavesTheFirstSelected() {
        RegistryViewModel restarted = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, dialogs);
        restarted.selectWhenLoaded("deleted_model");
        restarted.showWorkspace(workspace);

        assertThat(restarted.selectedModelProperty().get().name()).isEqualTo("churn_predictor");
    }

    @Test
    void selectingAModelShowsItsVersionsInOrderWithItsMainMetricsAndSelectsTheNewest() {
        model.selectedModelProperty().set(model.models().get(1));
        assertThat(model.versions()).extracting(ModelVersion::version).containsExactly("v1.0.0", "v2.0.0");
        assertThat(model.metricColumns()).containsExactly("accuracy", "loss");
        assertThat(model.selectedVersionProperty().get().version()).isEqualTo("v2.0.0");
    }

    @Test
    void filtersBySearchTextStageTagAndFramework() {
        model.searchTextProperty().set("transformer");
        assertThat(model.models()).extracting(ModelSummary::name).containsExactly("fraud_detector");
        model.searchTextProperty().set("");
        model.frameworkFilterProperty().set("sklearn");
        assertThat(model.models()).extracting(ModelSummary::name).containsExactly("churn_predictor");
        model.frameworkFilterProperty().set(null);
        model.stageFilterProperty().set(ModelStage.PRODUCTION);
        assertThat(model.models()).extracting(ModelSummary::name).containsExactly("fraud_detector");
        model.stageFilterProperty().set(null);
        model.tagFilterProperty().set("nothing-has-this");
        assertThat(model.models()).isEmpty();
    }

    @Test
    void theModelListIsFilteredInTheBackgroundAndAFilterOvertakenByANewerOneIsNeverShown() {
        QueuedExecutor background = new QueuedExecutor();
        RegistryViewModel filtered = new RegistryViewModel(background, dialogs);
        filtered.showWorkspace(workspace);
        background.runAll();

        filtered.searchTextProperty().set("transformer");
        filtered.searchTextProperty().set("churn");

        assertThat(filtered.models()).as("nothing filtered on the FX thread").extracting(ModelSummary::name)
                .containsExactly("churn_predictor", "fraud_detector");
        assertThat(background.waitingTitles()).containsExactly("Filtering 2 models, 3 versions",
                "Filtering 2 models, 3 versions");
        background.runAll();
        assertThat(filtered.models()).extracting(ModelSummary::name).containsExactly("churn_predictor");
        assertThat(filtered.selectedModelProperty().get().name()).isEqualTo("churn_predictor");
    }

    @Test
    void theListIsMarkedAsBeingFilteredFromTheLoadUntilItsFilterHasRun() {
        QueuedExecutor background = new QueuedExecutor();
        RegistryViewModel filtered = new RegistryViewModel(background, dialogs);
        filtered.showWorkspace(workspace);
        assertThat(background.waitingTitles()).containsExactly("Reading the lineage links", "Loading the model registry");
        background.runNext();

        background.runNext();

        assertThat(filtered.loadingProperty().get()).isFalse();
        assertThat(filtered.filteringProperty().get()).isTrue();
        assertThat(filtered.models()).isEmpty();
        assertThat(filtered.tags()).as("the choices come with the load").isNotEmpty();
        assertThat(background.waitingTitles()).containsExactly("Filtering 2 models, 3 versions");
        background.runNext();
        assertThat(filtered.filteringProperty().get()).isFalse();
        assertThat(filtered.models()).extracting(ModelSummary::name).containsExactly("churn_predictor", "fraud_detector");

        filtered.searchTextProperty().set("churn");
        assertThat(filtered.filteringProperty().get()).isTrue();
        background.runAll();
        assertThat(filtered.filteringProperty().get()).isFalse();
    }

    @Test
    void promotingToProductionSaysWhatWillBeArchivedAndArchivesIt() {
        select("fraud_detector", "v2.0.0");
        dialogs.reason("beats v1 on accuracy");

        model.promote(ModelStage.PRODUCTION);

        assertThat(dialogs.confirmations.get(0)).contains("v1.0.0 (now in production) will be archived");
        assertThat(workspace.registry().getModel("fraud_detector", "v2.0.0").stage()).isEqualTo(ModelStage.PRODUCTION);
        assertThat(workspace.registry().getModel("fraud_detector", "v1.0.0").stage()).isEqualTo(ModelStage.ARCHIVED);
        assertThat(model.versions()).extracting(ModelVersion::stage).containsExactly(ModelStage.ARCHIVED, ModelStage.PRODUCTION);
        assertThat(model.selectedVersionProperty().get().version()).isEqualTo("v2.0.0");
        assertThat(workspace.registry().getModel("fraud_detector", "v2.0.0").stageHistory())
                .last().satisfies(t -> {
                    assertThat(t.by()).isEqualTo("tester");
                    assertThat(t.reason()).isEqualTo("beats v1 on accuracy");
                });
        assertThat(dialogs.errors).isEmpty();
        assertThat(dialogs.notifications).containsExactly("v2.0.0 of fraud_detector moved to production");
    }

    @Test
    void cancellingTheConfirmationChangesNothing() {
        select("fraud_detector", "v2.0.0");
        dialogs.reason(null);
        model.promote(ModelStage.PRODUCTION);
        assertThat(workspace.registry().getModel("fraud_detector", "v2.0.0").stage()).isEqualTo(ModelStage.STAGING);
    }

    @Test
    void canMoveOnlyToAnotherStageAndRestoreGoesBackToTheStageBeforeArchiving() {
        select("fraud_detector", "v2.0.0");
        assertThat(model.canMoveTo(ModelStage.STAGING)).isFalse();
        assertThat(model.canMoveTo(ModelStage.ARCHIVED)).isTrue();
        model.promote(ModelStage.ARCHIVED);
        select("fraud_detector", "v2.0.0");
        assertThat(model.selectedVersionProperty().get().stage()).isEqualTo(ModelStage.ARCHIVED);

        model.restore();

        assertThat(workspace.registry().getModel("fraud_detector", "v2.0.0").stage()).isEqualTo(ModelStage.STAGING);
    }

    @Test
    void aRefusedActionShowsTheCoreMessage() {
        select("fraud_detector", "v1.0.0");
        model.deleteSelected();
        assertThat(dialogs.errors).singleElement().asString().contains("production");
        assertThat(workspace.registry().listVersions("fraud_detector")).hasSize(2);
    }

    @Test
    void deletingAsksForAReasonAndRecordsIt() {
        select("fraud_detector", "v2.0.0");
        dialogs.reason("superseded by v3");
        model.deleteSelected();

        assertThat(dialogs.confirmations).singleElement().asString().startsWith("Delete fraud_detector v2.0.0?");
        assertThat(workspace.registry().listVersions("fraud_detector")).extracting(ModelVersion::version)
                .containsExactly("v1.0.0");
        assertThat(workspace.audit().queryEvents(neural.mlops.audit.AuditFilter.all()
                .withType(neural.mlops.audit.EventType.MODEL_DELETED))).singleElement()
                .satisfies(event -> assertThat(event.reason()).isEqualTo("superseded by v3"));
    }

    @Test
    void aCancelledDeletionDeletesNothing() {
        select("fraud_detector", "v2.0.0");
        dialogs.reason(null);
        model.deleteSelected();
        assertThat(workspace.registry().listVersions("fraud_detector")).hasSize(2);
    }

    @Test
    void theTitleAndButtonOfAStageMoveNameTheMove() {
        ModelVersion staging = workspace.registry().getModel("fraud_detector", "v2.0.0");
        assertThat(RegistryViewModel.moveTitle(staging, ModelStage.PRODUCTION))
                .isEqualTo("Promote fraud_detector v2.0.0 to production");
        assertThat(RegistryViewModel.moveVerb(staging, ModelStage.PRODUCTION)).isEqualTo("Promote to production");
        assertThat(RegistryViewModel.moveTitle(staging, ModelStage.ARCHIVED)).isEqualTo("Archive fraud_detector v2.0.0");
        assertThat(RegistryViewModel.moveVerb(staging, ModelStage.DEVELOPMENT)).isEqualTo("Move to development");
    }

    @Test
    void compareNeedsTwoVersionsAndJudgesAgainstTheFirst() {
        select("fraud_detector", "v2.0.0");
        assertThat(model.canCompareProperty().get()).isFalse();
        model.compare();
        assertThat(model.comparisonProperty().get()).isNull();

        select("fraud_detector", "v1.0.0", "v2.0.0");
        assertThat(model.canCompareProperty().get()).isTrue();
        model.compare();

        CompareViewModel comparison = model.comparisonProperty().get();
        assertThat(comparison.versions()).extracting(ModelVersion::version).containsExactly("v1.0.0", "v2.0.0");
        CompareViewModel.MetricRow accuracy = comparison.rows().stream().filter(r -> r.metric().equals("accuracy")).findFirst().orElseThrow();
        assertThat(accuracy.difference()).isEqualTo(0.05);
        assertThat(accuracy.overall()).isEqualTo(CompareViewModel.Judgement.BETTER);
        CompareViewModel.MetricRow loss = comparison.rows().stream().filter(r -> r.metric().equals("loss")).findFirst().orElseThrow();
        assertThat(loss.lowerIsBetter()).isTrue();
        assertThat(loss.overall()).isEqualTo(CompareViewModel.Judgement.BETTER);
        assertThat(comparison.metadataRows()).anySatisfy(row -> {
            assertThat(row.label()).isEqualTo("Stage");
            assertThat(row.values()).containsExactly("production", "staging");
            assertThat(row.differs()).isTrue();
        });
        assertThat(comparison.trend()).extracting(CompareViewModel.TrendPoint::value).containsExactly(0.9, 0.95);
    }

    @Test
    void verifyingTheSelectedArtifactReportsIntact() {
        select("fraud_detector", "v2.0.0");
        model.verifySelected();
        assertThat(model.artifactCheckProperty().get().ok()).isTrue();
    }

    @Test
    void refreshSeesAnotherProcessesChangesAndKeepsTheSelection() throws IOException {
        select("fraud_detector", "v1.0.0");
        Workspace other = Workspace.open(workspace.folder().orElseThrow(), "ci-bot");
        other.registry().promoteModel("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "pipeline");

        model.refresh();

        assertThat(model.selectedVersionProperty().get().version()).isEqualTo("v1.0.0");
        assertThat(model.selectedVersionProperty().get().stage()).isEqualTo(ModelStage.ARCHIVED);
    }

    @Test
    void aDetachedViewModelHasNothingAndDoesNothing() {
        model.showWorkspace(null);
        assertThat(model.models()).isEmpty();
        assertThat(model.availableProperty().get()).isFalse();
        model.promote(ModelStage.PRODUCTION);
        model.compare();
        assertThat(dialogs.errors).isEmpty();
    }

    @Test
    void theDetailsPaneShowsTheConfigurationTheCoreReadsOrSaysThereIsNone() {
        java.nio.file.Path file = java.nio.file.Path.of("config.yaml");
        assertThat(RegistryViewModel.configText(new neural.mlops.registry.VersionConfig(
                java.util.Map.of("optimizer", "sgd"), java.util.Optional.of(file), java.util.Optional.empty())))
                .isEqualTo("optimizer: sgd");
        assertThat(RegistryViewModel.configText(new neural.mlops.registry.VersionConfig(
                java.util.Map.of(), java.util.Optional.empty(), java.util.Optional.empty())))
                .isEqualTo("No configuration");
        assertThat(RegistryViewModel.configText(new neural.mlops.registry.VersionConfig(
                java.util.Map.of("seed", 1), java.util.Optional.empty(), java.util.Optional.of("bad YAML at line 1"))))
                .isEqualTo("seed: 1\n\n(config.yaml could not be read: bad YAML at line 1)");
    }
}
