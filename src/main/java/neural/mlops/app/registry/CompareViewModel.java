package neural.mlops.app.registry;

import neural.mlops.app.common.Formats;
import neural.mlops.artifact.Inspection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import neural.mlops.registry.MetricComparison;
import neural.mlops.registry.MetricDirection;
import neural.mlops.registry.ModelComparison;
import neural.mlops.registry.ModelVersion;

/**
 * A side-by-side comparison of two or more versions of one model. The first (oldest) chosen
 * version is the baseline: every other version's metrics are judged against it with the core's
 * {@link ModelComparison}, which knows which metrics are lower-is-better.
 */
public final class CompareViewModel {

    private final String modelName;
    private final List<ModelVersion> chosen;
    private final List<ModelVersion> allVersions;
    private final List<String> metrics;
    private final List<ModelComparison> againstBaseline;
    private final ObservableList<MetricRow> rows = FXCollections.observableArrayList();
    private final ObservableList<MetadataRow> metadataRows = FXCollections.observableArrayList();
    private final ObjectProperty<String> trendMetric = new SimpleObjectProperty<>();

    public CompareViewModel(List<ModelVersion> chosen, List<ModelVersion> allVersions) {
        if (chosen.size() < 2) {
            throw new IllegalArgumentException("Select at least two versions to compare");
        }
        this.chosen = List.copyOf(chosen);
        this.allVersions = List.copyOf(allVersions);
        this.modelName = chosen.get(0).name();
        ModelVersion baseline = chosen.get(0);
        this.againstBaseline = chosen.subList(1, chosen.size()).stream()
                .map(other -> ModelComparison.of(baseline, other)).toList();
        Set<String> names = new LinkedHashSet<>();
        chosen.forEach(version -> names.addAll(version.metrics().keySet()));
        this.metrics = List.copyOf(names);
        buildRows();
        buildMetadataRows();
        trendMetric.set(metrics.isEmpty() ? null : metrics.get(0));
    }

    public String modelName() {
        return modelName;
    }

    public String title() {
        return "Compare " + modelName + ": " + String.join(" vs ", chosen.stream().map(ModelVersion::version).toList());
    }

    public List<ModelVersion> versions() {
        return chosen;
    }

    public List<String> metrics() {
        return metrics;
    }

    public ObservableList<MetricRow> rows() {
        return rows;
    }

    public ObservableList<MetadataRow> metadataRows() {
        return metadataRows;
    }

    /** The metric whose trend across every version of the model is charted. */
    public ObjectProperty<String> trendMetricProperty() {
        return trendMetric;
    }

    /** The selected metric's value in every version of the model that has it, in version order. */
    public List<TrendPoint> trend() {
        String metric = trendMetric.get();
        List<TrendPoint> points = new ArrayList<>();
        if (metric == null) {
            return points;
        }
        for (ModelVersion version : allVersions) {
            Double value = version.metrics().get(metric);
            if (value != null) {
                points.add(new TrendPoint(version.version(), value, chosen.contains(version)));
            }
        }
        return points;
    }

    private void buildRows() {
        for (String metric : metrics) {
            List<Double> values = chosen.stream().map(version -> version.metrics().get(metric)).toList();
            List<Judgement> judgements = new ArrayList<>();
            judgements.add(Judgement.BASELINE);
            for (ModelComparison comparison : againstBaseline) {
                MetricComparison metricComparison = comparison.metricsComparison().get(metric);
                judgements.add(judge(metricComparison));
            }
            MetricComparison firstToLast = againstBaseline.get(againstBaseline.size() - 1).metricsComparison().get(metric);
            rows.add(new MetricRow(metric, MetricDirection.lowerIsBetter(metric), values, judgements,
                    firstToLast == null ? null : firstToLast.difference(),
                    firstToLast == null ? null : firstToLast.percentChange(),
                    judgements.get(judgements.size() - 1)));
        }
    }

    private void buildMetadataRows() {
        metadataRows.add(metadataRow("Stage", version -> version.stage().value()));
        metadataRows.add(metadataRow("Framework", ModelVersion::framework));
        metadataRows.add(metadataRow("Created by", ModelVersion::createdBy));
        metadataRows.add(metadataRow("Tags", version -> String.join(", ", version.tags())));
        metadataRows.add(metadataRow("Size", version -> Formats.size(version.modelSizeBytes())));
        metadataRows.add(metadataRow("SHA-256", version -> VersionFormat.shortHash(version.modelSha256())));
        List<String> tagChanges = new ArrayList<>();
        tagChanges.add("");
        for (ModelComparison comparison : againstBaseline) {
            List<String> parts = new ArrayList<>();
            comparison.tagsAdded().forEach(tag -> parts.add("+" + tag));
            comparison.tagsRemoved().forEach(tag -> parts.add("\u2212" + tag));
            tagChanges.add(String.join(" ", parts));
        }
        metadataRows.add(new MetadataRow("Tags changed", tagChanges,
                againstBaseline.stream().anyMatch(c -> !c.tagsAdded().isEmpty() || !c.tagsRemoved().isEmpty())));
    }

    /**
     * Adds what the chosen versions' model files hold, one inspection per chosen version in the same
     * order (read in the background by the caller): format, parameter count, the tensor names added
     * and removed against the baseline, and the ONNX signature.
     */
    public void showArtifacts(List<Inspection> inspections) {
        if (inspections.size() != chosen.size()) {
            throw new IllegalArgumentException("One inspection per chosen version is needed");
        }
        metadataRows.add(row("Model format", inspections.stream().map(Inspection::format).toList()));
        metadataRows.add(row("Parameters", inspections.stream().map(i -> i.parameterCount().isPresent()
                ? String.format("%,d", i.parameterCount().getAsLong()) : "").toList()));
        metadataRows.add(row("Verdict", inspections.stream().map(i -> i.verdict().text()).toList()));
        Set<String> baseline = tensorNames(inspections.get(0));
        List<String> changes = new ArrayList<>();
        changes.add("");
        boolean changed = false;
        for (Inspection other : inspections.subList(1, inspections.size())) {
            Set<String> names = tensorNames(other);
            long added = names.stream().filter(name -> !baseline.contains(name)).count();
            long removed = baseline.stream().filter(name -> !names.contains(name)).count();
            changed |= added > 0 || removed > 0;
            List<String> parts = new ArrayList<>();
            names.stream().filter(name -> !baseline.contains(name)).limit(5).forEach(name -> parts.add("+" + name));
            baseline.stream().filter(name -> !names.contains(name)).limit(5).forEach(name -> parts.add("\u2212" + name));
            String more = added + removed > parts.size() ? " (" + added + " added, " + removed + " removed)" : "";
            changes.add(String.join(" ", parts) + more);
        }
        metadataRows.add(new MetadataRow("Tensors changed", changes, changed));
        metadataRows.add(row("Signature", inspections.stream().map(Inspection::signature).toList()));
    }

    /** Says in the comparison why the model files could not be read. */
    public void showArtifactProblem(String problem) {
        metadataRows.add(new MetadataRow("Model files", chosen.stream().map(v -> "cannot be read: " + problem).toList(),
                false));
    }

    private static Set<String> tensorNames(Inspection inspection) {
        Set<String> names = new LinkedHashSet<>();
        inspection.tensors().forEach(tensor -> names.add(tensor.name()));
        return names;
    }

    private static MetadataRow row(String label, List<String> values) {
        return new MetadataRow(label, values, values.stream().distinct().count() > 1);
    }

    private MetadataRow metadataRow(String label, java.util.function.Function<ModelVersion, String> value) {
        List<String> values = chosen.stream().map(value).map(text -> text == null ? "" : text).toList();
        boolean differs = values.stream().distinct().count() > 1;
        return new MetadataRow(label, values, differs);
    }

    private static Judgement judge(MetricComparison comparison) {
        if (comparison == null || comparison.better() == null) {
            return Judgement.UNKNOWN;
        }
        return switch (comparison.better()) {
            case VERSION2 -> Judgement.BETTER;
            case VERSION1 -> Judgement.WORSE;
            case EQUAL -> Judgement.EQUAL;
        };
    }

    /** How a version's value compares with the baseline's. */
    public enum Judgement {
        BASELINE, BETTER, WORSE, EQUAL, UNKNOWN
    }

    /**
     * One metric across the chosen versions: a value per version (null where absent), its judgement
     * against the baseline, and the change from the first to the last version.
     */
    public record MetricRow(String metric, boolean lowerIsBetter, List<Double> values, List<Judgement> judgements,
                            Double difference, Double percentChange, Judgement overall) {
    }

    /** One metadata field across the chosen versions; {@code differs} when not all are equal. */
    public record MetadataRow(String label, List<String> values, boolean differs) {
    }

    /** One point of a metric's trend; {@code chosen} marks the versions being compared. */
    public record TrendPoint(String version, double value, boolean chosen) {
    }
}
