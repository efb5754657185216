package neural.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model's versions as a parent graph: roots, children, missing parents and circles are drawn, never refused. */
class LineageGraphTest {

    @TempDir
    Path workspace;

    private ModelVersion version(Fixtures fixtures, String version, String parent) {
        fixtures.clock.advance(java.time.Duration.ofMinutes(1));
        return fixtures.registry.registerModel(RegisterRequest.builder("m", version,
                        fixtures.modelFile("model.pt", version)).framework("pytorch")
                .lineage(new Lineage(null, null, null, parent)).build());
    }

    private static List<String> labels(List<LineageGraph.Node> nodes) {
        return nodes.stream().map(LineageGraph.Node::label).toList();
    }

    @Test
    void versionsWithoutAParentAreRootsAndChildrenSitOneLayerBelowTheirParent() {
        Fixtures fixtures = new Fixtures(workspace);
        List<ModelVersion> versions = List.of(version(fixtures, "v1", null), version(fixtures, "v2", "v1"),
                version(fixtures, "v3", "v1"), version(fixtures, "v4", "v3"), version(fixtures, "x1", null));

        LineageGraph graph = LineageGraph.of(versions);

        assertThat(labels(graph.roots())).containsExactly("v1", "x1");
        assertThat(graph.children("v1")).containsExactly("v2", "v3");
        assertThat(graph.parent("v4")).contains("v3");
        assertThat(graph.node("v4").orElseThrow().layer()).isEqualTo(2);
        assertThat(graph.node("v2").orElseThrow()).extracting(LineageGraph.Node::layer, LineageGraph.Node::row)
                .containsExactly(1, 0);
        assertThat(graph.node("v3").orElseThrow().row()).isEqualTo(1);
        assertThat(graph.node("x1").orElseThrow()).extracting(LineageGraph.Node::layer, LineageGraph.Node::row)
                .containsExactly(0, 1);
        assertThat(graph.layers()).isEqualTo(3);
        assertThat(graph.width()).isEqualTo(2);
        assertThat(graph.missing()).isEmpty();
        assertThat(graph.edges()).noneMatch(LineageGraph.Edge::inCycle);
    }

    @Test
    void aParentThatIsNotInTheRegistryIsAMissingRootNode() {
        Fixtures fixtures = new Fixtures(workspace);
        LineageGraph graph = LineageGraph.of(List.of(version(fixtures, "v2", "v1-deleted"), version(fixtures, "v3", "v2")));

        assertThat(labels(graph.nodes())).containsExactly("v1-deleted", "v2", "v3");
        LineageGraph.Node missing = graph.node("v1-deleted").orElseThrow();
        assertThat(missing.missing()).isTrue();
        assertThat(missing.layer()).isZero();
        assertThat(labels(graph.missing())).containsExactly("v1-deleted");
        assertThat(labels(graph.roots())).containsExactly("v1-deleted");
        assertThat(graph.node("v3").orElseThrow().layer()).isEqualTo(2);
    }

    @Test
    void aCircleOfParentsIsMarkedAndStillPlacedOnce() {
        Fixtures fixtures = new Fixtures(workspace);
        LineageGraph graph = LineageGraph.of(List.of(version(fixtures, "a", "c"), version(fixtures, "b", "a"),
                version(fixtures, "c", "b"), version(fixtures, "d", "c"), version(fixtures, "self", "self")));

        assertThat(graph.nodes()).hasSize(5);
        assertThat(graph.nodes().stream().filter(LineageGraph.Node::inCycle).map(LineageGraph.Node::label))
                .containsExactly("a", "b", "c", "self");
        assertThat(graph.node("a").orElseThrow().layer()).isZero(); // the circle is broken at its first version
        assertThat(graph.node("c").orElseThrow().layer()).isEqualTo(2);
        assertThat(graph.node("d").orElseThrow().layer()).isEqualTo(3);
        assertThat(graph.edges().stream().filter(LineageGraph.Edge::inCycle).count()).isEqualTo(4);
        assertThat(graph.roots()).isEmpty();
    }

    @Test
    void noVersionsGiveAnEmptyGraph() {
        LineageGraph graph = LineageGraph.of(List.of());

        assertThat(graph.nodes()).isEmpty();
        assertThat(graph.layers()).isZero();
        assertThat(graph.width()).isZero();
    }
}
