package neural.mlops.app.registry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import neural.mlops.app.common.BackgroundTask;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.ErrorReport;
import neural.mlops.app.common.Formats;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.artifact.Inspection;
import neural.mlops.registry.ConfigDiff;
import neural.mlops.registry.MetricComparison;
import neural.mlops.registry.MetricDirection;
import neural.mlops.registry.ModelComparison;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.VersionsComparison;

/**
 * A side-by-side comparison of two or more versions, built on the core's
 * {@link VersionsComparison} (which knows which metrics are lower-is-better and reads each
 * version's config.yaml). The user chooses the baseline (the first version at first), whether only
 * differences are shown, and whether hashes are shown in full; the rows follow.
 */
public final class CompareViewModel {

    private final List<ModelVersion> allVersions;
    private final List<ModelVersion> otherVersions;
    private final ComparisonSource source;
    private final TaskExecutor executor;
    private final DialogService dialogs;
    private final ObservableList<ModelVersion> candidates = FXCollections.observableArrayList();
    private final ObjectProperty<ModelVersion> candidate = new SimpleObjectProperty<>();
    private final ReadOnlyBooleanWrapper adding = new ReadOnlyBooleanWrapper();
    private final ReadOnlyObjectWrapper<VersionsComparison> comparison = new ReadOnlyObjectWrapper<>();
    private final ObservableList<MetricRow> rows = FXCollections.observableArrayList();
    private final ObservableList<MetadataRow> metadataRows = FXCollections.observableArrayList();
    private final ObservableList<ConfigRow> configRows = FXCollections.observableArrayList();
    private final ObservableList<AxisLine> parallelLines = FXCollections.observableArrayList();
    private final ObjectProperty<String> trendMetric = new SimpleObjectProperty<>();
    private final ObjectProperty<ModelVersion> baseline = new SimpleObjectProperty<>();
    private final BooleanProperty differencesOnly = new SimpleBooleanProperty();
    private final BooleanProperty fullHashes = new SimpleBooleanProperty();
    /** The model files as inspected, one per version; null until read (or when they could not be). */
    private List<Inspection> inspections;
    private String artifactProblem;

    /** {@code allVersions}: every version of the (first) model, for the trend chart. */
    public CompareViewModel(VersionsComparison comparison, List<ModelVersion> allVersions) {
        this(comparison, allVersions, List.of(), null, TaskExecutor.CURRENT_THREAD, null);
    }

    /**
     * A comparison that versions of other models can join: {@code otherVersions} are the versions
     * of the registry's other models (those sharing a metric with every compared version are
     * offered), read through {@code source} in the background with {@code executor}; failures go
     * to {@code dialogs}.
     */
    public CompareViewModel(VersionsComparison comparison, List<ModelVersion> allVersions,
                            List<ModelVersion> otherVersions, ComparisonSource source, TaskExecutor executor,
                            DialogService dialogs) {
        this.otherVersions = List.copyOf(otherVersions);
        this.source = source;
        this.executor = executor;
        this.dialogs = dialogs;
        this.allVersions = List.copyOf(allVersions);
        this.comparison.set(comparison);
        baseline.set(comparison.baselineVersion());
        trendMetric.set(comparison.metrics().isEmpty() ? null : comparison.metrics().get(0));
        rebuild();
        baseline.addListener((observable, old, chosen) -> {
            int index = chosen == null ? -1 : versions().indexOf(chosen);
            if (index < 0) {
                baseline.set(old); // only a compared version can be the baseline
                return;
            }
            this.comparison.set(this.comparison.get().withBaseline(index));
            rebuild();
        });
        differencesOnly.addListener((observable, old, only) -> rebuild());
        fullHashes.addListener((observable, old, full) -> rebuild());
    }

    // Properties

    public ReadOnlyObjectProperty<VersionsComparison> comparisonProperty() {
        return comparison.getReadOnlyProperty();
    }

    /** The version the others are judged against; only one of {@link #versions()}. */
    public ObjectProperty<ModelVersion> baselineProperty() {
        return baseline;
    }

    /** Leave out the metrics, configuration keys and fields that are the same in every version. */
    public BooleanProperty differencesOnlyProperty() {
        return differencesOnly;
    }

    /** Show each model file's whole SHA-256 rather than its first characters. */
    public BooleanProperty fullHashesProperty() {
        return fullHashes;
    }

    /** The metric whose trend across every version of the model is charted. */
    public ObjectProperty<String> trendMetricProperty() {
        return trendMetric;
    }

    public String modelName() {
        return comparison.get().name();
    }

    public String title() {
        VersionsComparison c = comparison.get();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < c.versions().size(); i++) {
            labels.add(c.label(i));
        }
        return "Compare " + (c.acrossModels() ? "" : c.name() + ": ") + String.join(" vs ", labels);
    }

    /** How a column names the version at {@code index}. */
    public String label(int index) {
        return comparison.get().label(index);
    }

    public List<ModelVersion> versions() {
        return comparison.get().versions();
    }

    public List<String> metrics() {
        return comparison.get().metrics();
    }

    public ObservableList<MetricRow> rows() {
        return rows;
    }

    public ObservableList<MetadataRow> metadataRows() {
        return metadataRows;
    }

    /** config.yaml key by key (nested paths), with a value per version. */
    public ObservableList<ConfigRow> configRows() {
        return configRows;
    }

    /** The parallel-coordinates chart: one line per version across the metric axes. */
    public ObservableList<AxisLine> parallelLines() {
        return parallelLines;
    }

    /** The axes of the parallel-coordinates chart: the metrics shown, each with its range across the versions. */
    public List<Axis> axes() {
        List<Axis> axes = new ArrayList<>();
        for (MetricRow row : rows) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (Double value : row.values()) {
                if (value != null) {
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                }
            }
            if (min <= max) {
                axes.add(new Axis(row.metric(), row.lowerIsBetter(), min, max));
            }
        }
        return axes;
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
                points.add(new TrendPoint(version.version(), value, versions().contains(version)));
            }
        }
        return points;
    }

    // Versions of other models

    /**
     * Versions of other models that can join: not compared yet, and sharing at least one metric
     * with every compared version (a challenger trained under a new name), by model and version.
     */
    public ObservableList<ModelVersion> candidates() {
        return candidates;
    }

    /** The candidate chosen to join; only one of {@link #candidates()}. */
    public ObjectProperty<ModelVersion> candidateProperty() {
        return candidate;
    }

    /** True while a joining version is read. */
    public ReadOnlyBooleanProperty addingProperty() {
        return adding.getReadOnlyProperty();
    }

    /** The metrics {@code version} shares with every compared version, for the chooser's text. */
    public List<String> sharedWith(ModelVersion version) {
        return comparison.get().sharedMetrics().stream().filter(version.metrics()::containsKey).toList();
    }

    /**
     * Adds the chosen candidate to the comparison, last, keeping the baseline; reads its
     * config.yaml and then every model file again in the background.
     */
    public void addCandidate() {
        ModelVersion chosen = candidate.get();
        if (chosen == null || source == null || !candidates.contains(chosen) || adding.get()) {
            return;
        }
        List<ModelVersion> joined = new ArrayList<>(versions());
        joined.add(chosen);
        int base = comparison.get().baseline();
        adding.set(true);
        BackgroundTask.wrap("Adding " + chosen.name() + " " + chosen.version() + " to the comparison",
                        () -> source.compare(joined, base))
                .onSuccess(compared -> {
                    adding.set(false);
                    candidate.set(null);
                    inspections = null;
                    artifactProblem = null;
                    comparison.set(compared);
                    rebuild();
                    BackgroundTask.wrap("Inspecting the model files of " + title(),
                                    () -> compared.versions().stream().map(source::inspect).toList())
                            .onSuccess(read -> {
                                if (comparison.get() == compared) {
                                    showArtifacts(read);
                                }
                            })
                            .onFailure(error -> showArtifactProblem(ErrorReport.describe(error)))
                            .executeWith(executor);
                })
                .onFailure(error -> {
                    adding.set(false);
                    if (dialogs != null) {
                        dialogs.showError("Cannot add " + chosen.name() + " " + chosen.version(), error);
                    }
                })
                .executeWith(executor);
    }

    private void updateCandidates() {
        VersionsComparison c = comparison.get();
        List<String> shared = c.sharedMetrics();
        List<ModelVersion> offered = otherVersions.stream()
                .filter(version -> !version.name().equals(c.name()) && !c.versions().contains(version))
                .filter(version -> shared.stream().anyMatch(version.metrics()::containsKey))
                .toList();
        candidates.setAll(offered);
        if (candidate.get() != null && !offered.contains(candidate.get())) {
            candidate.set(null);
        }
    }

    // Building the rows

    private void rebuild() {
        updateCandidates();
        buildRows();
        buildConfigRows();
        buildMetadataRows();
        buildParallelLines();
    }

    private void buildRows() {
        VersionsComparison c = comparison.get();
        List<MetricRow> built = new ArrayList<>();
        for (String metric : c.metrics()) {
            if (differencesOnly.get() && !c.metricDiffers(metric)) {
                continue;
            }
            List<Double> values = new ArrayList<>();
            List<Judgement> judgements = new ArrayList<>();
            for (int i = 0; i < c.versions().size(); i++) {
                values.add(c.value(metric, i));
                judgements.add(i == c.baseline() ? Judgement.BASELINE
                        : judge(c.againstBaseline(i).map(p -> p.metricsComparison().get(metric)).orElse(null)));
            }
            // The summary columns: the baseline against the last other version.
            int last = c.baseline() == c.versions().size() - 1 ? c.versions().size() - 2 : c.versions().size() - 1;
            MetricComparison toLast = c.againstBaseline(last).map(p -> p.metricsComparison().get(metric)).orElse(null);
            built.add(new MetricRow(metric, MetricDirection.lowerIsBetter(metric), values, judgements,
                    toLast == null ? null : toLast.difference(), toLast == null ? null : toLast.percentChange(),
                    judgements.get(last)));
        }
        rows.setAll(built);
    }

    private void buildConfigRows() {
        List<ConfigRow> built = new ArrayList<>();
        VersionsComparison c = comparison.get();
        for (VersionsComparison.ConfigRow row : c.configRows()) {
            if (differencesOnly.get() && !row.differs()) {
                continue;
            }
            List<String> texts = new ArrayList<>();
            List<ConfigDiff.Kind> kinds = new ArrayList<>();
            for (int i = 0; i < row.values().size(); i++) {
                texts.add(row.present().get(i) ? ConfigDiff.text(row.values().get(i)) : "\u2014");
                kinds.add(i == c.baseline() ? ConfigDiff.Kind.SAME : kind(row, i, c.baseline()));
            }
            built.add(new ConfigRow(row.path(), texts, kinds, row.differs()));
        }
        configRows.setAll(built);
    }

    private static ConfigDiff.Kind kind(VersionsComparison.ConfigRow row, int index, int baseline) {
        boolean here = row.present().get(index);
        boolean there = row.present().get(baseline);
        if (here != there) {
            return here ? ConfigDiff.Kind.ADDED : ConfigDiff.Kind.REMOVED;
        }
        return !here || ConfigDiff.same(row.values().get(baseline), row.values().get(index))
                ? ConfigDiff.Kind.SAME : ConfigDiff.Kind.CHANGED;
    }

    private void buildMetadataRows() {
        VersionsComparison c = comparison.get();
        List<MetadataRow> built = new ArrayList<>();
        built.add(metadataRow("Stage", version -> version.stage().value()));
        built.add(metadataRow("Framework", ModelVersion::framework));
        built.add(metadataRow("Created by", ModelVersion::createdBy));
        built.add(metadataRow("Tags", version -> String.join(", ", version.tags())));
        built.add(metadataRow("Size", version -> Formats.size(version.modelSizeBytes())));
        List<String> hashes = new ArrayList<>();
        List<String> fullTexts = new ArrayList<>();
        boolean hashesDiffer = false;
        for (int i = 0; i < c.versions().size(); i++) {
            String sha = c.versions().get(i).modelSha256();
            String shown = fullHashes.get() ? (sha == null ? "not recorded" : sha) : VersionFormat.shortHash(sha);
            Optional<ModelComparison> against = c.againstBaseline(i);
            if (against.isPresent()) {
                ModelComparison.HashComparison hash = against.get().hash();
                hashesDiffer |= hash != ModelComparison.HashComparison.SAME;
                shown += " (" + hash.value() + ")";
            }
            hashes.add(shown);
            fullTexts.add(sha == null ? "No SHA-256 recorded: the hash is unknown" : sha);
        }
        built.add(new MetadataRow("SHA-256", hashes, hashesDiffer, fullTexts));
        List<String> tagChanges = new ArrayList<>();
        boolean tagsChanged = false;
        for (int i = 0; i < c.versions().size(); i++) {
            List<String> parts = new ArrayList<>();
            c.againstBaseline(i).ifPresent(p -> {
                p.tagsAdded().forEach(tag -> parts.add("+" + tag));
                p.tagsRemoved().forEach(tag -> parts.add("\u2212" + tag));
            });
            tagsChanged |= !parts.isEmpty();
            tagChanges.add(String.join(" ", parts));
        }
        built.add(new MetadataRow("Tags changed", tagChanges, tagsChanged, tagChanges));
        built.addAll(artifactRows());
        if (differencesOnly.get()) {
            built.removeIf(row -> !row.differs());
        }
        metadataRows.setAll(built);
    }

    /**
     * Adds what the compared versions' model files hold, one inspection per version in the same
     * order (read in the background by the caller): format, parameter count, verdict, the tensor
     * names added and removed against the baseline, and the ONNX signature. They stay through a
     * change of baseline or of "differences only".
     */
    public void showArtifacts(List<Inspection> read) {
        if (read.size() != versions().size()) {
            throw new IllegalArgumentException("One inspection per compared version is needed");
        }
        inspections = List.copyOf(read);
        artifactProblem = null;
        buildMetadataRows();
    }

    /** Says in the comparison why the model files could not be read. */
    public void showArtifactProblem(String problem) {
        inspections = null;
        artifactProblem = problem;
        buildMetadataRows();
    }

    private List<MetadataRow> artifactRows() {
        if (artifactProblem != null) {
            List<String> values = versions().stream().map(v -> "cannot be read: " + artifactProblem).toList();
            return List.of(new MetadataRow("Model files", values, false, values));
        }
        if (inspections == null) {
            return List.of();
        }
        List<MetadataRow> built = new ArrayList<>();
        built.add(row("Model format", inspections.stream().map(Inspection::format).toList()));
        built.add(row("Parameters", inspections.stream().map(i -> i.parameterCount().isPresent()
                ? String.format("%,d", i.parameterCount().getAsLong()) : "").toList()));
        built.add(row("Verdict", inspections.stream().map(i -> i.verdict().text()).toList()));
        int base = comparison.get().baseline();
        Set<String> baseNames = tensorNames(inspections.get(base));
        List<String> changes = new ArrayList<>();
        boolean changed = false;
        for (int i = 0; i < inspections.size(); i++) {
            if (i == base) {
                changes.add("");
                continue;
            }
            Set<String> names = tensorNames(inspections.get(i));
            long added = names.stream().filter(name -> !baseNames.contains(name)).count();
            long removed = baseNames.stream().filter(name -> !names.contains(name)).count();
            changed |= added > 0 || removed > 0;
            List<String> parts = new ArrayList<>();
            names.stream().filter(name -> !baseNames.contains(name)).limit(5).forEach(name -> parts.add("+" + name));
            baseNames.stream().filter(name -> !names.contains(name)).limit(5).forEach(name -> parts.add("\u2212" + name));
            String more = added + removed > parts.size() ? " (" + added + " added, " + removed + " removed)" : "";
            changes.add(String.join(" ", parts) + more);
        }
        built.add(new MetadataRow("Tensors changed", changes, changed, changes));
        built.add(row("Signature", inspections.stream().map(Inspection::signature).toList()));
        return built;
    }

    private static Set<String> tensorNames(Inspection inspection) {
        Set<String> names = new LinkedHashSet<>();
        inspection.tensors().forEach(tensor -> names.add(tensor.name()));
        return names;
    }

    private static MetadataRow row(String label, List<String> values) {
        return new MetadataRow(label, values, values.stream().distinct().count() > 1, values);
    }

    private MetadataRow metadataRow(String label, java.util.function.Function<ModelVersion, String> value) {
        List<String> values = versions().stream().map(value).map(text -> text == null ? "" : text).toList();
        boolean differs = values.stream().distinct().count() > 1;
        return new MetadataRow(label, values, differs, values);
    }

    /** Each version's value on each axis, normalised to 0..1 over the versions' range (0.5 when they are all equal). */
    private void buildParallelLines() {
        List<Axis> axes = axes();
        List<AxisLine> lines = new ArrayList<>();
        for (int i = 0; i < versions().size(); i++) {
            List<AxisPoint> points = new ArrayList<>();
            for (Axis axis : axes) {
                Double value = comparison.get().value(axis.metric(), i);
                if (value != null) {
                    double span = axis.max() - axis.min();
                    points.add(new AxisPoint(axis.metric(), value, span == 0 ? 0.5 : (value - axis.min()) / span));
                }
            }
            lines.add(new AxisLine(label(i), i == comparison.get().baseline(), points));
        }
        parallelLines.setAll(lines);
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
     * against the baseline, and the change from the baseline to the last other version.
     */
    public record MetricRow(String metric, boolean lowerIsBetter, List<Double> values, List<Judgement> judgements,
                            Double difference, Double percentChange, Judgement overall) {
    }

    /** One metadata field across the chosen versions; {@code differs} when not all are equal; {@code exact} for tooltips. */
    public record MetadataRow(String label, List<String> values, boolean differs, List<String> exact) {
    }

    /** One configuration key: each version's value as text, and how it stands against the baseline's. */
    public record ConfigRow(String path, List<String> values, List<ConfigDiff.Kind> kinds, boolean differs) {
    }

    /** One point of a metric's trend; {@code chosen} marks the versions being compared. */
    public record TrendPoint(String version, double value, boolean chosen) {
    }

    /** An axis of the parallel-coordinates chart. */
    public record Axis(String metric, boolean lowerIsBetter, double min, double max) {
    }

    /** A version's value on an axis, and where it sits between the axis's min (0) and max (1). */
    public record AxisPoint(String metric, double value, double position) {
    }

    /** A version's line across the axes (an axis it has no value on is skipped). */
    public record AxisLine(String version, boolean baseline, List<AxisPoint> points) {
    }
}
