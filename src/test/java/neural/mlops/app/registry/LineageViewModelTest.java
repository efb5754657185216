package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import neural.mlops.app.common.Browser;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.registry.Lineage;
import neural.mlops.registry.LinkField;
import neural.mlops.registry.LineageGraph;
import neural.mlops.registry.LineageLink;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Registry tab's lineage: links made by workspace.yaml's templates, the parent link, and the graph. */
class LineageViewModelTest {

    static final String LINKS = """
            links:
              commit: "https://github.com/org/repo/commit/{commit}"
              dataset: "s3://data/{dataset}"
            """;

    @TempDir
    Path dir;

    Workspace workspace;
    ScriptedDialogs dialogs = new ScriptedDialogs();
    List<URI> opened = new ArrayList<>();
    RegistryViewModel registry;
    LineageViewModel lineage;

    /** fraud_detector v1.0.0 and v2.0.0 (from the fixture), plus v3.0.0 from v2.0.0 and v4.0.0 from a deleted v0.9.0. */
    @BeforeEach
    void open() throws IOException {
        workspace = RegistryFixture.create(dir);
        Files.writeString(workspace.folder().orElseThrow().resolve("workspace.yaml"), LINKS);
        Path file = Files.writeString(dir.resolve("model3.pt"), "weights");
        workspace.registry().registerModel(RegisterRequest.builder("fraud_detector", "v3.0.0", file).framework("pytorch")
                .lineage(new Lineage("3f9c2e1", "run 9", "tx/2024", "v2.0.0")).build());
        workspace.registry().registerModel(RegisterRequest.builder("fraud_detector", "v4.0.0", file).framework("pytorch")
                .lineage(new Lineage(null, null, null, "v0.9.0")).build());
        registry = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, dialogs, opened::add);
        registry.showWorkspace(workspace);
        lineage = registry.lineage();
        registry.selectedModelProperty().set(registry.models().stream()
                .filter(m -> m.name().equals("fraud_detector")).findFirst().orElseThrow());
    }

    @Test
    void theCommitLinkOfTheSelectedVersionOpensItsResolvedAddressInTheBrowser() {
        registry.selectVersion("v3.0.0");

        LineageLink commit = lineage.link(registry.selectedVersionProperty().get(), LinkField.COMMIT).orElseThrow();
        lineage.open(commit);

        assertThat(opened).containsExactly(URI.create("https://github.com/org/repo/commit/3f9c2e1"));
        assertThat(lineage.link(registry.selectedVersionProperty().get(), LinkField.RUN)).isEmpty();
    }

    @Test
    void aDatasetAddressThatIsNotHttpIsResolvedButNeverHandedToTheBrowser() {
        registry.selectVersion("v3.0.0");

        LineageLink dataset = lineage.link(registry.selectedVersionProperty().get(), LinkField.DATASET).orElseThrow();
        lineage.open(dataset);

        assertThat(dataset.address()).isEqualTo("s3://data/tx%2F2024");
        assertThat(dataset.browsable()).isFalse();
        assertThat(opened).isEmpty();
    }

    @Test
    void theParentLinkSelectsTheParentAndAMissingParentIsExplained() {
        registry.selectVersion("v3.0.0");
        lineage.selectParent(registry.selectedVersionProperty().get());
        assertThat(registry.selectedVersionProperty().get().version()).isEqualTo("v2.0.0");

        registry.selectVersion("v4.0.0");
        lineage.selectParent(registry.selectedVersionProperty().get());

        assertThat(registry.selectedVersionProperty().get().version()).isEqualTo("v4.0.0");
        assertThat(dialogs.errors).singleElement().asString().contains("v0.9.0").contains("missing");
    }

    @Test
    void theGraphFollowsTheSelectedModelAndANodeSelectsItsVersion() {
        LineageGraph graph = lineage.graphProperty().get();
        assertThat(graph.nodes()).extracting(LineageGraph.Node::label)
                .containsExactly("v1.0.0", "v2.0.0", "v3.0.0", "v0.9.0", "v4.0.0");
        assertThat(graph.children("v2.0.0")).containsExactly("v3.0.0");
        assertThat(graph.node("v0.9.0").orElseThrow().missing()).isTrue();
        assertThat(lineage.modelName()).isEqualTo("fraud_detector");

        assertThat(lineage.select("v1.0.0")).isTrue();
        assertThat(registry.selectedVersionProperty().get().version()).isEqualTo("v1.0.0");
        assertThat(lineage.select("v0.9.0")).isFalse();

        registry.selectedModelProperty().set(registry.models().stream()
                .filter(m -> m.name().equals("churn_predictor")).findFirst().orElseThrow());
        assertThat(lineage.graphProperty().get().nodes()).extracting(LineageGraph.Node::label).containsExactly("v1.0.0");
    }

    @Test
    void aBrokenTemplateTurnsTheLinksOffAndSaysWhyAndAFixedOneTurnsThemBackOn() throws IOException {
        Path settings = workspace.folder().orElseThrow().resolve("workspace.yaml");
        Files.writeString(settings, "links:\n  commit: \"https://github.com/{sha}\"\n");
        registry.refresh();

        assertThat(lineage.linksProblemProperty().get()).contains("links.commit");
        registry.selectVersion("v3.0.0");
        assertThat(lineage.link(registry.selectedVersionProperty().get(), LinkField.COMMIT)).isEmpty();

        Files.writeString(settings, LINKS);
        registry.refresh();
        assertThat(lineage.linksProblemProperty().get()).isNull();
        assertThat(lineage.link(registry.selectedVersionProperty().get(), LinkField.COMMIT)).isPresent();
    }

    @Test
    void aBrowserThatFailsIsReportedWithTheAddress() {
        Browser failing = address -> {
            throw new IllegalStateException("no browser configured");
        };
        RegistryViewModel other = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, dialogs, failing);
        other.showWorkspace(workspace);
        other.selectedModelProperty().set(other.models().stream()
                .filter(m -> m.name().equals("fraud_detector")).findFirst().orElseThrow());
        other.selectVersion("v3.0.0");

        other.lineage().open(other.lineage().link(other.selectedVersionProperty().get(), LinkField.COMMIT).orElseThrow());

        assertThat(dialogs.failures).singleElement().extracting(Throwable::getMessage).isEqualTo("no browser configured");
        assertThat(dialogs.errors).singleElement().asString().contains("https://github.com/org/repo/commit/3f9c2e1");
    }
}
