package neural.mlops.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every version of a registry as read by one listing (each document read once), with the problems
 * met on the way. Immutable: the GUI loads one in the background and queries it freely.
 */
public final class RegistrySnapshot {

    private final Map<String, List<ModelVersion>> byModel;
    private final List<ModelVersion> versions;
    private final List<RegistryProblem> problems;

    RegistrySnapshot(List<ModelVersion> loaded, List<RegistryProblem> problems) {
        // Grouped by hash, then the models put in order: a tree of 10,000 names looked up 100,000
        // times was a sixth of a listing's time.
        Map<String, List<ModelVersion>> models = new HashMap<>();
        for (ModelVersion version : loaded) {
            models.computeIfAbsent(version.name(), key -> new ArrayList<>()).add(version);
        }
        Map<String, List<ModelVersion>> grouped = new TreeMap<>();
        models.forEach((name, list) -> grouped.put(name, List.copyOf(VersionOrder.sorted(list))));
        List<ModelVersion> ordered = new ArrayList<>(loaded.size());
        grouped.values().forEach(ordered::addAll);
        this.byModel = grouped;
        this.versions = List.copyOf(ordered);
        this.problems = List.copyOf(problems);
    }

    /** Every version, by model name and then in version order. */
    public List<ModelVersion> versions() {
        return versions;
    }

    /** The documents that could not be loaded. */
    public List<RegistryProblem> problems() {
        return problems;
    }

    /** How many models there are, without summarising them. */
    public int modelCount() {
        return byModel.size();
    }

    /** One summary per model, by name. */
    public List<ModelSummary> listModels() {
        List<ModelSummary> summaries = new ArrayList<>(byModel.size());
        byModel.forEach((name, list) -> summaries.add(summarize(name, list)));
        return summaries;
    }

    /** The versions of {@code name} in version order; empty when there are none. */
    public List<ModelVersion> listVersions(String name) {
        return byModel.getOrDefault(name, List.of());
    }

    public Optional<ModelVersion> getProductionVersion(String name) {
        return production(listVersions(name));
    }

    /** The versions matching {@code query}, by model name and then in version order. */
    public List<ModelVersion> search(ModelQuery query) {
        return versions.stream().filter(query::matches).toList();
    }

    /** The last production version in version order (there is one unless the store was edited by hand). */
    static Optional<ModelVersion> production(List<ModelVersion> ordered) {
        ModelVersion found = null;
        for (ModelVersion version : ordered) {
            if (version.stage() == ModelStage.PRODUCTION) {
                found = version;
            }
        }
        return Optional.ofNullable(found);
    }

    private static ModelSummary summarize(String name, List<ModelVersion> ordered) {
        TreeSet<String> frameworks = new TreeSet<>();
        TreeSet<String> tags = new TreeSet<>();
        Instant updated = Instant.EPOCH;
        for (ModelVersion version : ordered) {
            if (!version.framework().isEmpty()) {
                frameworks.add(version.framework());
            }
            tags.addAll(version.tags());
            if (version.updatedAt().isAfter(updated)) {
                updated = version.updatedAt();
            }
        }
        return new ModelSummary(name, ordered.size(), ordered.get(ordered.size() - 1).version(),
                production(ordered).map(ModelVersion::version).orElse(null), frameworks, tags, updated);
    }
}
