package neural.mlops.registry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model's versions as a parent graph: an edge from {@code lineage.parent_version} to each
 * version that names it. Versions without a parent are roots. What the documents say is drawn as
 * it is, never refused: a parent that is not in the registry becomes a missing node (a root), and
 * versions whose parents go round in a circle are marked, the circle broken for the layout at its
 * first version in version order.
 *
 * <p>The layout is layered: a node's {@code layer} is its distance from its root, its {@code row}
 * its place within the layer (in version order), so a view places nodes without knowing the rules.
 */
public final class LineageGraph {

    /**
     * A version (or a missing parent, {@code version} null) at {@code layer} and {@code row};
     * {@code inCycle} when following its parents leads back to it.
     */
    public record Node(String label, ModelVersion version, int layer, int row, boolean inCycle) {

        /** True for a parent version that no document of the model holds. */
        public boolean missing() {
            return version == null;
        }
    }

    /** From a parent to a child; {@code inCycle} for an edge of a circle of parents. */
    public record Edge(String parent, String child, boolean inCycle) {
    }

    private final Map<String, Node> nodes;
    private final List<Edge> edges;

    private LineageGraph(Map<String, Node> nodes, List<Edge> edges) {
        this.nodes = nodes;
        this.edges = List.copyOf(edges);
    }

    /** The graph of {@code versions} (one model's, in version order; a repeated version counts once). */
    public static LineageGraph of(List<ModelVersion> versions) {
        Map<String, ModelVersion> byVersion = new LinkedHashMap<>();
        versions.forEach(version -> byVersion.putIfAbsent(version.version(), version));
        Map<String, String> parentOf = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (ModelVersion version : byVersion.values()) {
            String parent = version.lineage() == null ? null : version.lineage().parentVersion();
            if (parent != null && !byVersion.containsKey(parent) && !order.contains(parent)) {
                order.add(parent); // a missing parent comes before its first child
            }
            order.add(version.version());
            if (parent != null) {
                parentOf.put(version.version(), parent);
            }
        }
        Map<String, List<String>> children = new LinkedHashMap<>();
        order.forEach(label -> children.put(label, new ArrayList<>()));
        parentOf.forEach((child, parent) -> children.get(parent).add(child));

        Set<String> inCycle = new HashSet<>();
        for (String label : order) {
            if (leadsBackTo(label, parentOf)) {
                inCycle.add(label);
            }
        }

        // Layers by breadth-first walks: from the roots first, then from the first unreached
        // version of each circle, so every version gets a place exactly once.
        Map<String, Integer> layer = new LinkedHashMap<>();
        List<String> starts = new ArrayList<>(order.stream().filter(label -> !parentOf.containsKey(label)).toList());
        for (String label : order) {
            if (!starts.contains(label)) {
                starts.add(label);
            }
        }
        for (String start : starts) {
            if (layer.containsKey(start)) {
                continue;
            }
            Deque<String> queue = new ArrayDeque<>();
            layer.put(start, 0);
            queue.add(start);
            while (!queue.isEmpty()) {
                String current = queue.remove();
                for (String child : children.get(current)) {
                    if (!layer.containsKey(child)) {
                        layer.put(child, layer.get(current) + 1);
                        queue.add(child);
                    }
                }
            }
        }

        Map<Integer, Integer> rowsUsed = new LinkedHashMap<>();
        Map<String, Node> built = new LinkedHashMap<>();
        for (String label : order) {
            int at = layer.get(label);
            int row = rowsUsed.merge(at, 1, Integer::sum) - 1;
            built.put(label, new Node(label, byVersion.get(label), at, row, inCycle.contains(label)));
        }
        List<Edge> edges = new ArrayList<>();
        parentOf.forEach((child, parent) -> edges.add(new Edge(parent, child,
                inCycle.contains(child) && inCycle.contains(parent))));
        return new LineageGraph(built, edges);
    }

    /** Whether following the parents of {@code start} comes back to it. */
    private static boolean leadsBackTo(String start, Map<String, String> parentOf) {
        Set<String> seen = new HashSet<>();
        String current = parentOf.get(start);
        while (current != null && seen.add(current)) {
            if (current.equals(start)) {
                return true;
            }
            current = parentOf.get(current);
        }
        return false;
    }

    /** Every node: missing parents before their first child, then in version order. */
    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    public List<Edge> edges() {
        return edges;
    }

    public Optional<Node> node(String label) {
        return Optional.ofNullable(nodes.get(label));
    }

    /** The nodes without a parent: versions that name none, and missing parents. */
    public List<Node> roots() {
        Set<String> children = new HashSet<>();
        edges.forEach(edge -> children.add(edge.child()));
        return nodes.values().stream().filter(node -> !children.contains(node.label())).toList();
    }

    /** The versions that name {@code label} as their parent, in version order. */
    public List<String> children(String label) {
        return edges.stream().filter(edge -> edge.parent().equals(label)).map(Edge::child).toList();
    }

    /** The parent {@code label} names, if any (it may be missing). */
    public Optional<String> parent(String label) {
        return edges.stream().filter(edge -> edge.child().equals(label)).map(Edge::parent).findFirst();
    }

    /** The parents that no document of the model holds. */
    public List<Node> missing() {
        return nodes.values().stream().filter(Node::missing).toList();
    }

    /** The number of layers (0 for no versions). */
    public int layers() {
        return nodes.values().stream().mapToInt(Node::layer).max().orElse(-1) + 1;
    }

    /** The most nodes any one layer holds. */
    public int width() {
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        nodes.values().forEach(node -> counts.merge(node.layer(), 1, Integer::sum));
        return counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
