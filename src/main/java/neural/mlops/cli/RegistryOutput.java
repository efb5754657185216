package neural.mlops.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import neural.mlops.registry.LineageLink;
import neural.mlops.registry.MetricComparison;
import neural.mlops.registry.ModelComparison;
import neural.mlops.registry.ModelSummary;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.VersionConfig;
import neural.mlops.registry.RegistrySnapshot;
import neural.mlops.registry.StageTransition;
import neural.mlops.registry.ValueChange;
import neural.mlops.store.IndentedJsonBytes;
import neural.mlops.store.UtcTime;

/** The human-readable output of the {@code registry} commands: aligned tables and labelled fields. */
final class RegistryOutput {

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final String NONE = "-";

    private RegistryOutput() {
    }

    static final String[] VERSION_COLUMNS = {"NAME", "VERSION", "STAGE", "FRAMEWORK", "CREATED", "CREATED BY", "TAGS"};
    static final String[] SUMMARY_COLUMNS = {"NAME", "VERSIONS", "LATEST", "PRODUCTION", "ALIASES", "FRAMEWORKS", "TAGS"};

    /** The cells of {@code version}'s row in a table of versions ({@link #VERSION_COLUMNS}). */
    static String[] versionCells(ModelVersion v) {
        return cells(v.name(), v.version(), v.stage().value(), orNone(v.framework()), UtcTime.minute(v.createdAt()),
                orNone(v.createdBy()), v.tags().isEmpty() ? NONE : String.join(",", v.tags()));
    }

    /**
     * Prints {@code version} as an element of {@code array}: built as bytes in {@code element} (reused
     * from one version to the next), or as its tree when a value needs Jackson's escapes; the same
     * bytes either way. Returns whether the bytes were used.
     */
    static boolean printVersionJson(JsonArrayPrinter array, IndentedJsonBytes element, ModelVersion version) {
        if (version.writeIndentedJson(element)) {
            array.writeIndented(element);
            return true;
        }
        array.write(version.toJson());
        return false;
    }

    /** Rows of {@link #versionCells} as a table under {@link #VERSION_COLUMNS}, or a message when there are none. */
    static void printVersionRows(CliContext context, List<String[]> rows) {
        if (rows.isEmpty()) {
            context.message("No model versions match.");
            return;
        }
        TextTable.print(context.out(), VERSION_COLUMNS, rows, row -> row);
    }

    /** The summaries of the models that have at least one of {@code matching}. */
    static List<ModelSummary> summaries(RegistrySnapshot snapshot, List<ModelVersion> matching) {
        Set<String> names = matching.stream().map(ModelVersion::name).collect(Collectors.toSet());
        return snapshot.listModels().stream().filter(s -> names.contains(s.name())).toList();
    }

    /** One line per model, with its production version and its aliases ({@code aliases}: model to alias to version). */
    static void printSummaries(CliContext context, List<ModelSummary> summaries,
                               Map<String, Map<String, String>> aliases) {
        if (summaries.isEmpty()) {
            context.message("No models match.");
            return;
        }
        TextTable.print(context.out(), SUMMARY_COLUMNS, summaries, s -> cells(s.name(), String.valueOf(s.versionCount()),
                s.latestVersion(), s.production().orElse(NONE),
                RegistryAliases.pointers(aliases.getOrDefault(s.name(), Map.of())),
                s.frameworks().isEmpty() ? NONE : String.join(",", s.frameworks()),
                s.tags().isEmpty() ? NONE : String.join(",", s.tags())));
    }

    /** Cells come from documents other tools may have written: printed through {@link Terminal}. */
    static String[] cells(String... cells) {
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i] == null ? "" : Terminal.text(cells[i]);
        }
        return cells;
    }

    static void printVersion(CliContext context, ModelVersion v, VersionConfig config) {
        printVersion(context, v, config, List.of());
    }

    /** {@code links}: the lineage's links (workspace.yaml {@code links}), a row each under the lineage. */
    static void printVersion(CliContext context, ModelVersion v, VersionConfig config, List<LineageLink> links) {
        PrintWriter out = context.out();
        out.println(Terminal.text(v.name()) + " " + Terminal.text(v.version()));
        Table fields = new Table();
        fields.row("  stage:", v.stage().value());
        fields.row("  framework:", orNone(v.framework()));
        fields.row("  created:", SECONDS.format(v.createdAt()) + " by " + orNone(v.createdBy()));
        fields.row("  updated:", SECONDS.format(v.updatedAt()));
        fields.row("  tags:", v.tags().isEmpty() ? NONE : String.join(", ", v.tags()));
        fields.row("  model file:", portable(v.modelPath()));
        fields.row("  size:", size(v.modelSizeBytes()));
        fields.row("  sha256:", v.modelSha256() == null ? "(not recorded)" : v.modelSha256());
        if (!v.lineage().isEmpty()) {
            List<String> parts = new ArrayList<>();
            addIf(parts, "commit ", v.lineage().sourceCommit());
            addIf(parts, "run ", v.lineage().runId());
            addIf(parts, "dataset ", v.lineage().dataset());
            addIf(parts, "parent ", v.lineage().parentVersion());
            fields.row("  lineage:", String.join(", ", parts));
        }
        for (LineageLink link : links) {
            fields.row("  " + link.field().value() + " link:", link.address());
        }
        fields.row("  description:", v.description().isEmpty() ? NONE : v.description().replaceAll("\\R", " "));
        fields.print(out);
        out.println("metrics:");
        if (v.metrics().isEmpty()) {
            out.println("  (none)");
        } else {
            Table metrics = new Table();
            v.metrics().forEach((metric, value) -> metrics.row("  " + metric, number(value)));
            metrics.print(out);
        }
        out.println("config:");
        if (config.isEmpty()) {
            out.println("  (none)");
        } else {
            config.yaml().lines().forEach(line -> out.println("  " + Terminal.text(line)));
        }
        config.problem().ifPresent(problem -> context.message("Warning: config.yaml could not be read ("
                + problem + "); showing the configuration kept in the metadata"));
        out.println("stage history:");
        Table history = new Table();
        for (StageTransition t : v.stageHistory()) {
            history.row("  " + SECONDS.format(t.at()), (t.from() == null ? "(new)" : t.from().value()) + " -> "
                    + t.to().value(), orNone(t.by()), t.reason());
        }
        history.print(out);
        out.flush();
    }

    static void printComparison(CliContext context, ModelComparison c) {
        printComparison(context, c, false, false);
    }

    /**
     * Two versions, version1 the baseline: metrics, configuration changes, then the other fields.
     * {@code differencesOnly} leaves out equal metrics, the same configuration keys and unchanged fields.
     */
    static void printComparison(CliContext context, ModelComparison c, boolean differencesOnly, boolean fullHash) {
        PrintWriter out = context.out();
        out.println((c.acrossModels() ? "" : c.name() + ": ") + c.label1() + " -> " + c.label2());
        List<MetricComparison> shown = c.metricsComparison().values().stream()
                .filter(m -> !differencesOnly || m.better() != MetricComparison.Better.EQUAL).toList();
        if (c.metricsComparison().isEmpty()) {
            out.println("No metrics on either version.");
        } else if (shown.isEmpty()) {
            out.println("No metric differs.");
        } else {
            Table metrics = new Table("METRIC", c.label1(), c.label2(), "DIFFERENCE", "CHANGE", "BETTER");
            for (MetricComparison m : shown) {
                metrics.row(m.metric() + (m.lowerIsBetter() ? " (lower is better)" : ""),
                        number(m.version1()), number(m.version2()), signed(m.difference()),
                        m.percentChange() == null ? NONE : String.format(Locale.ROOT, "%+.2f%%", m.percentChange()),
                        better(m, c));
            }
            metrics.print(out);
        }
        out.println();
        List<String> config = RegistryDepth.configLines(c.config(), differencesOnly);
        if (!c.config().hasDifferences()) {
            out.println(c.config().entries().isEmpty() ? "config: none on either version" : "config: the same");
        } else {
            out.println("config (+ added, - removed, ~ changed):");
        }
        if (c.config().hasDifferences() || !differencesOnly) {
            config.forEach(line -> out.println("  " + Terminal.text(line)));
        }
        out.println();
        Table fields = new Table();
        if (!differencesOnly || c.stage().changed()) {
            fields.row("stage:", change(c.stage().version1(), c.stage().version2(), c.stage()));
        }
        if (!differencesOnly || c.framework().changed()) {
            fields.row("framework:", change(c.framework().version1(), c.framework().version2(), c.framework()));
        }
        if (!differencesOnly || !c.tagsAdded().isEmpty()) {
            fields.row("tags added:", c.tagsAdded().isEmpty() ? NONE : String.join(", ", c.tagsAdded()));
        }
        if (!differencesOnly || !c.tagsRemoved().isEmpty()) {
            fields.row("tags removed:", c.tagsRemoved().isEmpty() ? NONE : String.join(", ", c.tagsRemoved()));
        }
        Long size1 = c.sizeBytes().version1();
        Long size2 = c.sizeBytes().version2();
        if (!differencesOnly || c.sizeBytes().changed()) {
            fields.row("size:", bytes(size1) + " -> " + bytes(size2) + (size1 == null || size2 == null ? ""
                    : String.format(Locale.ROOT, " (%+,d bytes)", size2 - size1)));
        }
        ModelComparison.HashComparison hash = c.hash();
        if (!differencesOnly || hash != ModelComparison.HashComparison.SAME) {
            fields.row("sha256:", switch (hash) {
                case SAME -> "same";
                case CHANGED -> "changed";
                case UNKNOWN -> "unknown (" + (c.sha256().version1() == null && c.sha256().version2() == null
                        ? "neither version records one" : "one version records none") + ")";
            });
        }
        if (fullHash) {
            fields.row("sha256 " + c.label1() + ":", c.sha256().version1() == null ? "(not recorded)" : c.sha256().version1());
            fields.row("sha256 " + c.label2() + ":", c.sha256().version2() == null ? "(not recorded)" : c.sha256().version2());
        }
        fields.print(out);
        out.flush();
    }

    static String configValue(Object value) {
        return neural.mlops.registry.ConfigDiff.text(value);
    }

    static String portable(Path path) {
        return path.toString().replace('\\', '/');
    }

    /** {@code 1.2 MiB (1,258,291 bytes)}, or "size not recorded". */
    static String size(long bytes) {
        if (bytes < 0) {
            return "size not recorded";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%,d bytes)", value, units[unit], bytes);
    }

    /** A metric value as written (0.96, not 0.9600000000000001 or 9.6E-1). */
    static String number(Double value) {
        if (value == null) {
            return NONE;
        }
        if (!Double.isFinite(value)) {
            return value.toString(); // NaN, Infinity: the original module stores them (SPEC 10)
        }
        double magnitude = Math.abs(value);
        if (magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e15)) {
            return value.toString();
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    static String signed(Double value) {
        if (value == null) {
            return NONE;
        }
        return (value > 0 ? "+" : "") + number(value);
    }

    private static String better(MetricComparison m, ModelComparison c) {
        if (m.better() == null) {
            return NONE;
        }
        return switch (m.better()) {
            case VERSION1 -> c.label1();
            case VERSION2 -> c.label2();
            case EQUAL -> "equal";
        };
    }

    private static String change(Object first, Object second, ValueChange<?> change) {
        return change.changed() ? first + " -> " + second : first + " (same)";
    }

    private static String bytes(Long bytes) {
        return bytes == null ? "unknown" : String.format(Locale.ROOT, "%,d bytes", bytes);
    }

    private static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }

    private static void addIf(List<String> parts, String label, String value) {
        if (value != null) {
            parts.add(label + value);
        }
    }

    /** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            if (header.length > 0) {
                rows.add(header);
            }
        }

        void row(String... cells) {
            rows.add(cells(cells.clone()));
        }

        void print(PrintWriter out) {
            TextTable.print(out, rows);
        }
    }
}
