package neural.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.EventType;
import neural.mlops.registry.AliasMove;
import neural.mlops.registry.Aliases;
import neural.mlops.registry.ConfigDiff;
import neural.mlops.registry.MetricComparison;
import neural.mlops.registry.ModelComparison;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.StageMove;
import neural.mlops.registry.StagesAt;
import neural.mlops.registry.VersionId;
import neural.mlops.registry.VersionsComparison;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.Names;
import neural.mlops.store.UtcTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The registry commands that answer deeper questions (issue 21): {@code compare} of two or more
 * versions with their configuration, {@code history} of a model's stage moves, {@code at} a past
 * time, and {@code archive} of a whole model. {@code delete --all} lives with {@code delete}.
 */
final class RegistryDepth {

    private RegistryDepth() {
    }

    @Command(name = "compare", description = "Compare two or more versions: metrics, configuration (config.yaml), stage, "
            + "framework, tags, artifact. Any version may be MODEL:VERSION, a version of another model.")
    static final class Compare extends CliCommand {
        @Mixin
        RegistryCommand.HelpOption help;

        @Parameters(arity = "2..*", paramLabel = "N V1 V2",
                description = "The model, then two or more of its versions (N V1 V2 [V3...]); a version written "
                        + "MODEL:VERSION is one of another model, and N may be left out when every version is.")
        List<String> arguments;

        @Option(names = "--baseline", paramLabel = "V",
                description = "The version the others are compared with (default: the first).")
        String baseline;

        @Option(names = "--differences-only", description = "Leave out the metrics, configuration keys and fields that are the same.")
        boolean differencesOnly;

        @Option(names = "--full-sha256", description = "Print the whole SHA-256 of each model file, not its first 12 characters.")
        boolean fullHash;

        @Override
        public Integer call() {
            CliContext context = context();
            List<VersionId> ids = versionIds(arguments, RegistryAliases.aliasesOf(context));
            int base = baselineIndex(ids, baseline);
            VersionsComparison comparison = context.registryForReading().compare(ids, base);
            if (context.json()) {
                context.printJson(json(comparison, differencesOnly));
            } else {
                print(context, comparison, differencesOnly, fullHash);
            }
            return Cli.OK;
        }
    }

    /**
     * {@code N V1 V2 ...}, where a version written {@code MODEL:VERSION} belongs to another model,
     * or {@code A:V1 B:V2 ...} alone; any version may be an alias, {@code @ALIAS} of the model or
     * {@code MODEL@ALIAS}. Picocli asks for two words at least; whether they name two versions
     * depends on their form, so the count is checked here.
     */
    static List<VersionId> versionIds(List<String> arguments, Aliases aliases) {
        List<VersionId> ids = new ArrayList<>();
        String first = arguments.get(0);
        boolean named = !first.contains(":") && !first.contains(Aliases.SEPARATOR);
        String model = named ? Names.require("model name", first) : null;
        for (String argument : named ? arguments.subList(1, arguments.size()) : arguments) {
            if (argument.contains(":")) {
                ids.add(VersionId.parse(argument));
            } else if (argument.indexOf(Aliases.SEPARATOR) > 0) {
                ids.add(aliases.version(argument, null));
            } else if (model == null) {
                throw new InvalidInputException("Version " + Names.quote(argument) + " has no model: when the first "
                        + "version is written MODEL:VERSION or MODEL@ALIAS, write every one so (e.g. "
                        + "fraud_detector:v2.0.0)");
            } else {
                ids.add(aliases.version(model, argument));
            }
        }
        if (ids.size() < 2) {
            throw new InvalidInputException("Choose at least two versions to compare: N V1 V2, or MODEL:V1 MODEL:V2");
        }
        return ids;
    }

    /** The index of {@code baseline} (a version, or MODEL:VERSION) among {@code ids}; 0 when none is given. */
    static int baselineIndex(List<VersionId> ids, String baseline) {
        if (baseline == null) {
            return 0;
        }
        List<Integer> matches = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i).toString().equals(baseline) || ids.get(i).version().equals(baseline)) {
                matches.add(i);
            }
        }
        if (matches.isEmpty()) {
            throw new InvalidInputException("The baseline " + Names.quote(baseline) + " is not one of the versions "
                    + "compared (" + String.join(", ", ids.stream().map(VersionId::toString).toList()) + ")");
        }
        if (matches.size() > 1) {
            throw new InvalidInputException("The baseline " + Names.quote(baseline) + " names more than one of the "
                    + "versions compared; write it as MODEL:VERSION");
        }
        return matches.get(0);
    }

    /**
     * Two versions: the comparison object of SPEC 3.1 (version1 is the baseline), with
     * {@code config_comparison}. More: {@code {"baseline", "versions", "shared_metrics", "comparisons"}},
     * each comparison such an object against the baseline.
     */
    static ObjectNode json(VersionsComparison comparison, boolean differencesOnly) {
        List<ObjectNode> pairs = new ArrayList<>();
        for (ModelComparison pair : comparison.againstBaseline()) {
            ObjectNode node = pair.toJson();
            if (differencesOnly) {
                ObjectNode metrics = (ObjectNode) node.get("metrics_comparison");
                pair.metricsComparison().forEach((metric, m) -> {
                    if (m.better() == MetricComparison.Better.EQUAL) {
                        metrics.remove(metric);
                    }
                });
            }
            pairs.add(node);
        }
        if (comparison.versions().size() == 2) {
            return pairs.get(0);
        }
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("baseline", comparison.baselineVersion().id());
        ArrayNode versions = node.putArray("versions");
        for (ModelVersion version : comparison.versions()) {
            ObjectNode entry = versions.addObject();
            entry.put("name", version.name());
            entry.put("version", version.version());
            entry.put("stage", version.stage().value());
            entry.put("framework", version.framework());
            entry.put("model_sha256", version.modelSha256());
            entry.put("model_size_bytes", version.modelSizeBytes() < 0 ? null : version.modelSizeBytes());
        }
        ArrayNode shared = node.putArray("shared_metrics");
        comparison.sharedMetrics().forEach(shared::add);
        ArrayNode array = node.putArray("comparisons");
        pairs.forEach(array::add);
        return node;
    }

    static void print(CliContext context, VersionsComparison c, boolean differencesOnly, boolean fullHash) {
        if (c.versions().size() == 2) {
            ModelComparison pair = c.againstBaseline().get(0);
            RegistryOutput.printComparison(context, pair, differencesOnly, fullHash);
            return;
        }
        PrintWriter out = context.out();
        int n = c.versions().size();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels.add(c.label(i) + (i == c.baseline() ? " (baseline)" : ""));
        }
        out.println((c.acrossModels() ? "" : c.name() + ": ") + String.join(", ", labels));
        List<String> header = new ArrayList<>(List.of("METRIC"));
        for (int i = 0; i < n; i++) {
            header.add(c.label(i));
        }
        RegistryOutput.Table metrics = new RegistryOutput.Table(header.toArray(String[]::new));
        int metricRows = 0;
        for (String metric : c.metrics()) {
            if (differencesOnly && !c.metricDiffers(metric)) {
                continue;
            }
            List<String> row = new ArrayList<>(List.of(metric + (neural.mlops.registry.MetricDirection.lowerIsBetter(metric)
                    ? " (lower is better)" : "")));
            for (int i = 0; i < n; i++) {
                String value = RegistryOutput.number(c.value(metric, i));
                Optional<MetricComparison> against = c.againstBaseline(i).map(p -> p.metricsComparison().get(metric));
                if (against.isPresent() && against.get().difference() != null) {
                    value += " (" + RegistryOutput.signed(against.get().difference()) + ")";
                }
                row.add(value);
            }
            metrics.row(row.toArray(String[]::new));
            metricRows++;
        }
        if (metricRows == 0) {
            out.println(differencesOnly ? "No metric differs." : "No metrics on any version.");
        } else {
            metrics.print(out);
        }
        out.println();
        header.set(0, "CONFIG");
        RegistryOutput.Table config = new RegistryOutput.Table(header.toArray(String[]::new));
        int configRows = 0;
        int same = 0;
        for (VersionsComparison.ConfigRow row : c.configRows()) {
            if (!row.differs()) {
                same++;
                if (differencesOnly) {
                    continue;
                }
            }
            List<String> cells = new ArrayList<>(List.of(row.path()));
            for (int i = 0; i < n; i++) {
                cells.add(row.present().get(i) ? RegistryOutput.configValue(row.values().get(i)) : "-");
            }
            config.row(cells.toArray(String[]::new));
            configRows++;
        }
        if (configRows > 0) {
            config.print(out);
        }
        out.println(c.configRows().isEmpty() ? "No configuration on any version."
                : same == c.configRows().size() ? "The configurations are the same."
                : same + " configuration key" + (same == 1 ? "" : "s") + " the same in every version"
                        + (differencesOnly ? " (left out)" : ""));
        out.println();
        header.set(0, "FIELD");
        RegistryOutput.Table fields = new RegistryOutput.Table(header.toArray(String[]::new));
        addField(fields, "stage", c, v -> v.stage().value(), differencesOnly);
        addField(fields, "framework", c, ModelVersion::framework, differencesOnly);
        addField(fields, "tags", c, v -> v.tags().isEmpty() ? "-" : String.join(",", v.tags()), differencesOnly);
        addField(fields, "size", c, v -> RegistryOutput.size(v.modelSizeBytes()), differencesOnly);
        List<String> hashes = new ArrayList<>(List.of("sha256"));
        for (int i = 0; i < n; i++) {
            String sha = c.versions().get(i).modelSha256();
            String shown = sha == null ? "(not recorded)" : fullHash ? sha : sha.substring(0, Math.min(12, sha.length()));
            hashes.add(c.againstBaseline(i).map(pair -> shown + " (" + pair.hash().value() + ")").orElse(shown));
        }
        boolean hashesDiffer = c.againstBaseline().stream().anyMatch(p -> p.hash() != ModelComparison.HashComparison.SAME);
        if (!differencesOnly || hashesDiffer) {
            fields.row(hashes.toArray(String[]::new));
        }
        fields.print(out);
        out.flush();
    }

    private static void addField(RegistryOutput.Table table, String label, VersionsComparison c,
                                 java.util.function.Function<ModelVersion, String> value, boolean differencesOnly) {
        List<String> values = c.versions().stream().map(value).toList();
        if (differencesOnly && values.stream().distinct().count() == 1) {
            return;
        }
        List<String> cells = new ArrayList<>(List.of(label));
        cells.addAll(values);
        table.row(cells.toArray(String[]::new));
    }

    @Command(name = "history", description = "Every stage move of a model's versions, newest first.")
    static final class History extends CliCommand {
        @Mixin
        RegistryCommand.HelpOption help;

        @Parameters(index = "0", paramLabel = "N", description = "Model name.")
        String name;

        @Override
        public Integer call() {
            CliContext context = context();
            ModelRegistry registry = context.registryForReading();
            List<StageMove> moves = registry.history(Names.require("model name", name));
            List<AliasMove> aliasMoves = Aliases.reading(registry).history(name);
            // Stage and alias moves in one list, newest first; at the same time an alias move follows the stage move.
            List<Object> all = new ArrayList<>(moves);
            all.addAll(aliasMoves);
            all.sort(java.util.Comparator.comparing(History::at).reversed());
            if (context.json()) {
                ArrayNode array = Json.mapper().createArrayNode();
                for (Object move : all) {
                    array.add(move instanceof StageMove stage ? stage.toJson() : ((AliasMove) move).toJson());
                }
                context.printJson(array);
                return Cli.OK;
            }
            RegistryOutput.Table table = new RegistryOutput.Table("TIME", "VERSION", "MOVE", "BY", "REASON");
            for (Object each : all) {
                if (each instanceof StageMove move) {
                    table.row(UtcTime.format(move.at()), move.version(), (move.from() == null ? "(new)"
                            : move.from().value()) + " -> " + move.to().value(), move.by().isEmpty() ? "-" : move.by(),
                            move.reason());
                } else {
                    AliasMove move = (AliasMove) each;
                    table.row(UtcTime.format(move.at()), move.toVersion() == null ? move.fromVersion() : move.toVersion(),
                            "alias " + move.alias() + ": " + (move.fromVersion() == null ? "(new)" : move.fromVersion())
                                    + " -> " + (move.toVersion() == null ? "(removed)" : move.toVersion()),
                            move.by() == null || move.by().isEmpty() ? "-" : move.by(), move.reason());
                }
            }
            table.print(context.out());
            context.out().flush();
            return Cli.OK;
        }

        private static Instant at(Object move) {
            return move instanceof StageMove stage ? stage.at() : ((AliasMove) move).at();
        }
    }

    @Command(name = "at", description = "Which version was in production and staging at a time, from the stage histories, "
            + "checked against the audit trail.")
    static final class At extends CliCommand {
        @Mixin
        RegistryCommand.HelpOption help;

        @Parameters(index = "0", paramLabel = "TIME", description = "YYYY-MM-DD (the start of that day, UTC), an ISO-8601 time, or a relative 30d.")
        String time;

        @Parameters(index = "1", arity = "0..1", paramLabel = "N", description = "Only this model.")
        String name;

        @Override
        public Integer call() {
            CliContext context = context();
            Instant at = UtcTime.parseDateArgument(time, java.time.Clock.systemUTC());
            if (name != null) {
                Names.require("model name", name);
            }
            ModelRegistry registry = context.registryForReading();
            StagesAt answer = registry.stagesAt(at, name, Optional.of(modelEvents(context, at)));
            Aliases aliases = Aliases.reading(registry);
            java.util.Map<String, java.util.Map<String, String>> pointers = name == null ? aliases.atAll(at)
                    : java.util.Map.of(name, aliases.at(name, at));
            if (context.json()) {
                ObjectNode node = answer.toJson();
                for (com.fasterxml.jackson.databind.JsonNode model : node.withArray("models")) {
                    ObjectNode each = ((ObjectNode) model).putObject("aliases");
                    pointers.getOrDefault(model.get("name").asText(), java.util.Map.of()).forEach(each::put);
                }
                context.printJson(node);
            } else {
                PrintWriter out = context.out();
                if (answer.models().isEmpty()) {
                    context.message("No model had a version registered at " + UtcTime.format(at) + ".");
                } else {
                    out.println("At " + UtcTime.format(at) + ":");
                    RegistryOutput.Table table = new RegistryOutput.Table("MODEL", "PRODUCTION", "STAGING", "ALIASES");
                    for (StagesAt.Model model : answer.models()) {
                        table.row(model.name(), model.production().isEmpty() ? "-" : String.join(",", model.production()),
                                model.staging().isEmpty() ? "-" : String.join(",", model.staging()),
                                RegistryAliases.pointers(pointers.getOrDefault(model.name(), java.util.Map.of())));
                    }
                    table.print(out);
                    out.flush();
                }
            }
            for (StagesAt.Model model : answer.models()) {
                for (String disagreement : model.disagreements()) {
                    context.message("neural-mlops: warning: " + model.name() + " at " + UtcTime.format(at) + ": "
                            + Cli.oneLine(disagreement));
                }
            }
            return Cli.OK;
        }

        /**
         * The audit trail's events that move versions between stages, up to just after {@code at}
         * (the skew the check allows).
         */
        private static List<AuditEvent> modelEvents(CliContext context, Instant at) {
            var audit = context.stores().audit();
            List<AuditEvent> events = new ArrayList<>();
            for (EventType type : List.of(EventType.MODEL_REGISTERED, EventType.MODEL_PROMOTED, EventType.MODEL_DELETED)) {
                events.addAll(audit.queryEvents(AuditFilter.all().withType(type).withUntil(at.plusSeconds(2))));
            }
            return events;
        }
    }

    @Command(name = "archive", description = "Archive every version of a model (each move audited and governed).")
    static final class Archive extends CliCommand {
        @Mixin
        RegistryCommand.HelpOption help;

        @Parameters(index = "0", paramLabel = "N", description = "Model name.")
        String name;

        @Option(names = "--reason", paramLabel = "R", description = "Why; recorded in each stage history and audit event.")
        String reason;

        @Override
        public Integer call() {
            CliContext context = context();
            List<ModelVersion> archived = RegistryCommand.openRegistry(context).archiveModel(name, reason);
            if (context.json()) {
                ObjectNode node = Json.mapper().createObjectNode();
                node.put("name", name);
                ArrayNode array = node.putArray("archived");
                archived.forEach(version -> array.add(version.toJson()));
                context.printJson(node);
            } else {
                context.out().println(archived.isEmpty() ? "Every version of " + name + " is already archived; nothing changed"
                        : "Archived " + name + ": " + String.join(", ", archived.stream().map(ModelVersion::version).toList()));
                context.out().flush();
            }
            return Cli.OK;
        }
    }

    /** The configuration change lines of {@code diff}, for the two-version output. */
    static List<String> configLines(ConfigDiff diff, boolean differencesOnly) {
        List<String> lines = new ArrayList<>();
        for (ConfigDiff.Entry entry : diff.entries()) {
            switch (entry.kind()) {
                case ADDED -> lines.add("+ " + entry.path() + ": " + RegistryOutput.configValue(entry.other()));
                case REMOVED -> lines.add("- " + entry.path() + ": " + RegistryOutput.configValue(entry.baseline()));
                case CHANGED -> lines.add("~ " + entry.path() + ": " + RegistryOutput.configValue(entry.baseline())
                        + " -> " + RegistryOutput.configValue(entry.other()));
                case SAME -> {
                    if (!differencesOnly) {
                        lines.add("  " + entry.path() + ": " + RegistryOutput.configValue(entry.other()));
                    }
                }
            }
        }
        return lines;
    }
}
