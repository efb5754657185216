package neural.mlops.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import neural.mlops.policy.PolicyFileException;
import neural.mlops.registry.LinkField;
import neural.mlops.registry.LinkTemplates;
import neural.mlops.store.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** workspace.yaml's links: read with the workspace, checked with their lines when it opens. */
class WorkspaceLinksTest {

    @TempDir
    Path dir;

    private void settings(String yaml) throws IOException {
        Files.writeString(dir.resolve("workspace.yaml"), yaml);
    }

    @Test
    void theTemplatesOfWorkspaceYamlAreReadByAnOpenWorkspaceAndWithoutOpeningIt() throws IOException {
        settings("""
                name: fraud team
                links:
                  commit: "https://github.com/org/repo/commit/{commit}"
                  dataset: "s3://data/{dataset}"
                """);

        try (Workspace workspace = Workspace.open(dir, "alice")) {
            assertThat(workspace.links().template(LinkField.COMMIT)).contains("https://github.com/org/repo/commit/{commit}");
            assertThat(workspace.links().template(LinkField.RUN)).isEmpty();
        }
        assertThat(Workspace.readLinks(new WorkspaceLocation.Folder(dir)).template(LinkField.DATASET))
                .contains("s3://data/{dataset}");
    }

    @Test
    void noWorkspaceYamlOrNoLinksKeyMeansNoTemplates() throws IOException {
        assertThat(Workspace.readLinks(new WorkspaceLocation.Folder(dir))).isEqualTo(LinkTemplates.NONE);
        settings("name: plain\n");
        assertThat(Workspace.readLinks(new WorkspaceLocation.Folder(dir)).isEmpty()).isTrue();
    }

    @Test
    void anUnknownKeyStopsTheOpeningWithItsLineAndASuggestion() throws IOException {
        settings("""
                name: fraud team
                links:
                  comit: "https://github.com/org/repo/commit/{commit}"
                """);

        assertThatThrownBy(() -> Workspace.open(dir, "alice")).isInstanceOf(PolicyFileException.class)
                .hasMessageEndingWith("workspace.yaml line 3: unknown key 'comit' under links; did you mean 'commit'?");
        assertThatThrownBy(() -> Workspace.readLinks(new WorkspaceLocation.Folder(dir)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("unknown key 'comit' under links");
    }

    @Test
    void aBadTemplateStopsTheOpeningNamingTheKeyAndItsLine() throws IOException {
        settings("""
                links:
                  run: "https://ci.example.com/runs/"
                  dataset: [a, b]
                """);

        PolicyFileException refused = (PolicyFileException) org.assertj.core.api.Assertions
                .catchThrowable(() -> Workspace.open(dir, "alice"));

        assertThat(refused.problems()).hasSize(2);
        assertThat(refused.problems().get(0).line()).isEqualTo(2);
        assertThat(refused.problems().get(0).key()).isEqualTo("links.run");
        assertThat(refused.problems().get(0).message()).contains("has no {run} placeholder");
        assertThat(refused.problems().get(1).key()).isEqualTo("links.dataset");
        assertThat(refused.problems().get(1).message()).contains("must be a URL template").contains("not a list");
    }

    @Test
    void linksThatAreNotAMappingAreRefused() throws IOException {
        settings("links: https://github.com/{commit}\n");

        assertThatThrownBy(() -> Workspace.open(dir, "alice")).isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("line 1: links must be a mapping of commit, run, dataset to URL templates");
    }
}
