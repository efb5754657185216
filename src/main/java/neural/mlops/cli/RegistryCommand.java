package neural.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.regex.Pattern;
import neural.mlops.registry.Alias;
import neural.mlops.registry.Aliases;
import neural.mlops.registry.ArtifactCheck;
import neural.mlops.registry.Lineage;
import neural.mlops.registry.LineageLink;
import neural.mlops.registry.ModelQuery;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelSummary;
import neural.mlops.registry.CopyListener;
import neural.mlops.registry.GarbageCollection;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.Registration;
import neural.mlops.registry.Promotion;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.registry.RegistryProblem;
import neural.mlops.registry.RegistrySnapshot;
import neural.mlops.registry.VersionId;
import neural.mlops.store.CorruptDocumentException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.IndentedJsonBytes;
import neural.mlops.store.Json;
import neural.mlops.store.Names;
import neural.mlops.store.SafeYaml;
import neural.mlops.store.UtcTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code registry}: the model registry commands of SPEC 4 over {@code <workspace>/models}.
 * Human-readable output by default, {@code --json} for machines; problems with metadata documents
 * are warnings on stderr.
 */
@Command(
        name = "registry",
        description = "Register, list, show, promote, compare, delete, verify, inspect and scan model versions; see a "
                + "model's stage history and the registry at a past time; archive or delete a whole model; request and "
                + "approve promotions; collect garbage.")
public final class RegistryCommand implements Callable<Integer> {

    /**
     * Its commands, in the order help lists them. {@link Cli} adds them, not the annotation, so that
     * a command line that names one builds the model of that one only.
     */
    static final List<Class<?>> COMMANDS = List.of(
            RegistryCommand.Register.class,
            RegistryCommand.ListVersions.class,
            RegistryCommand.Show.class,
            RegistryCommand.Promote.class,
            RegistryUpdate.class,
            RegistryDepth.Compare.class,
            RegistryDepth.History.class,
            RegistryDepth.At.class,
            RegistryDepth.Archive.class,
            RegistryCommand.Delete.class,
            RegistryCommand.Verify.class,
            RegistryInspect.class,
            RegistryScan.class,
            RegistryCommand.CollectGarbage.class,
            RegistryRequests.Request.class,
            RegistryRequests.Approve.class,
            RegistryRequests.Reject.class,
            RegistryRequests.Requests.class,
            RegistryAliases.class);

    /** A JSON number as JSON writes it; Java's own parser would also take "NaN", "0x1p3" or "1d". */
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** {@code -h}/{@code --help} only: {@code --version} is an option of {@code register}. */
    static final class HelpOption {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;
    }

    /**
     * The {@code N V} that names one version, first on the command line of most commands; or
     * {@code N@ALIAS} alone, or {@code N @ALIAS}: the version an alias points at.
     */
    static final class VersionRef {
        @Parameters(index = "0", paramLabel = "N", description = "Model name, or N@ALIAS for the version an alias points at.")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "V", description = "Version, or @ALIAS (none after N@ALIAS).")
        String version;

        /**
         * The version named, an alias resolved (exit 1 naming the alias and the model's aliases when
         * unknown); {@link #name} and {@link #version} are then the model and the version it names.
         */
        VersionId id(CliContext context) {
            if (version == null || version.startsWith(Aliases.SEPARATOR) || name.contains(Aliases.SEPARATOR)) {
                VersionId resolved = RegistryAliases.aliasesOf(context).version(name, version);
                name = resolved.name();
                version = resolved.version();
            }
            return new VersionId(name, version);
        }
    }

    /**
     * The registry of the workspace. The one place that decides how the CLI opens it, so that the
     * workspace's audit trail can be attached here.
     */
    static ModelRegistry openRegistry(CliContext context) {
        return context.stores().registry();
    }

    static void warnAboutProblems(CliContext context, List<RegistryProblem> problems) {
        for (RegistryProblem problem : problems) {
            context.message("neural-mlops: warning: " + Cli.oneLine(problem.message()));
        }
    }

    @Command(name = "register", description = "Register a model version: copy its file in, record its metadata.")
    static final class Register extends CliCommand {
        @Mixin
        HelpOption help;

        @Option(names = "--name", required = true, paramLabel = "N", description = "Model name.")
        String name;

        @Option(names = "--version", required = true, paramLabel = "V", description = "Version, e.g. v1.2.0.")
        String version;

        @Option(names = "--model-path", required = true, paramLabel = "FILE", description = "The model file to copy in.")
        Path modelPath;

        @Option(names = "--framework", required = true, paramLabel = "F", description = "pytorch, tensorflow, sklearn, onnx, ...")
        String framework;

        @Option(names = "--metric", paramLabel = "KEY=VALUE", description = "A metric (repeatable); a finite number.")
        List<String> metrics = new ArrayList<>();

        @Option(names = "--metrics-file", paramLabel = "FILE",
                description = "A JSON object of metric names to numbers; --metric values win over it.")
        Path metricsFile;

        @Option(names = "--tag", paramLabel = "T", description = "A tag (repeatable).")
        List<String> tags = new ArrayList<>();

        @Option(names = "--description", paramLabel = "D", description = "Free text.")
        String description;

        @Option(names = "--config", paramLabel = "FILE", description = "A YAML configuration, stored as config.yaml.")
        Path config;

        @Option(names = "--stage", paramLabel = "S", description = "Stage to start in (default: development).")
        String stage;

        @Option(names = "--reason", paramLabel = "R", description = "Reason recorded with the first stage.")
        String reason;

        @Option(names = "--created-by", paramLabel = "WHO", description = "Creator (default: the acting user).")
        String createdBy;

        @Option(names = "--lineage-commit", paramLabel = "SHA", description = "Source commit the model was built from.")
        String lineageCommit;

        @Option(names = "--lineage-run", paramLabel = "ID", description = "Training run id.")
        String lineageRun;

        @Option(names = "--lineage-dataset", paramLabel = "DATASET", description = "Dataset the model was trained on.")
        String lineageDataset;

        @Option(names = "--parent-version", paramLabel = "V", description = "The version this one was derived from.")
        String parentVersion;

        @Override
        public Integer call() {
            CliContext context = context();
            RegisterRequest.Builder builder = RegisterRequest.builder(name, version, modelPath)
                    .framework(framework)
                    .createdBy(createdBy)
                    .metrics(metrics())
                    .tags(tags)
                    .description(description)
                    .reason(reason)
                    .lineage(new Lineage(lineageCommit, lineageRun, lineageDataset, parentVersion));
            if (stage != null) {
                builder.stage(ModelStage.parse(stage));
            }
            if (config != null) {
                builder.config(SafeYaml.loadMap(config));
            }
            RegisterRequest request = builder.build();
            Registration registration = openRegistry(context).registerOrConfirm(request, CopyListener.NONE);
            ModelVersion registered = registration.version();
            if (context.json()) {
                ObjectNode node = registered.toJson();
                node.put("already_registered", registration.alreadyRegistered());
                context.printJson(node);
            } else if (registration.alreadyRegistered()) {
                context.out().println("Already registered, identical: " + registered.name() + " " + registered.version()
                        + " (" + registered.stage() + "), sha256 " + registered.modelSha256() + "; nothing changed");
                context.out().flush();
            } else {
                context.out().println("Registered " + registered.name() + " " + registered.version() + " ("
                        + registered.stage() + "): " + RegistryOutput.portable(registered.modelPath()) + ", "
                        + RegistryOutput.size(registered.modelSizeBytes()) + ", sha256 " + registered.modelSha256());
                context.out().flush();
            }
            return Cli.OK;
        }

        /** The metrics file first, then every --metric over it. */
        private Map<String, Double> metrics() {
            Map<String, Double> values = new LinkedHashMap<>();
            if (metricsFile != null) {
                values.putAll(readMetricsFile(metricsFile));
            }
            for (String pair : metrics) {
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    throw new InvalidInputException("Invalid --metric " + Names.quote(pair) + ": use KEY=VALUE, e.g. accuracy=0.95");
                }
                values.put(pair.substring(0, equals).strip(), number(pair.substring(0, equals), pair.substring(equals + 1)));
            }
            return values;
        }
    }

    static double number(String metric, String text) {
        String value = text.strip();
        if (!NUMBER.matcher(value).matches()) {
            throw new InvalidInputException("Metric " + Names.quote(metric.strip()) + " must be a finite number, not "
                    + Names.quote(text));
        }
        double parsed = Double.parseDouble(value);
        if (!Double.isFinite(parsed)) {
            throw new InvalidInputException("Metric " + Names.quote(metric.strip()) + " is out of range: " + value);
        }
        return parsed;
    }

    static Map<String, Double> readMetricsFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("Metrics file " + file + " does not exist; check the path");
        }
        ObjectNode document;
        try {
            document = Json.readObject(file);
        } catch (CorruptDocumentException e) {
            throw new InvalidInputException("Metrics file " + file + " is not a JSON object of metric names to numbers: "
                    + e.getMessage(), e);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : document.properties()) {
            JsonNode value = entry.getValue();
            if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                throw new InvalidInputException("Metrics file " + file + ": metric " + Names.quote(entry.getKey())
                        + " must be a finite number, not " + value);
            }
            values.put(entry.getKey(), value.doubleValue());
        }
        return values;
    }

    @Command(name = "list", description = "List model versions, or one line per model with --models.")
    static final class ListVersions extends CliCommand {
        @Mixin
        HelpOption help;

        @Option(names = "--name", paramLabel = "N", description = "Models whose name contains N.")
        String name;

        @Option(names = "--stage", paramLabel = "S", description = "Versions in stage S.")
        String stage;

        @Option(names = "--tag", paramLabel = "T", description = "Versions tagged T.")
        String tag;

        @Option(names = "--framework", paramLabel = "F", description = "Versions of framework F.")
        String framework;

        @Option(names = "--search", paramLabel = "TEXT", description = "Versions mentioning TEXT anywhere.")
        String search;

        @Option(names = "--models", description = "One summary line per model that has a matching version.")
        boolean models;

        @Option(names = "--lineage-commit", paramLabel = "SHA",
                description = "Versions built from commit SHA (the whole SHA, or the first 7 or more characters).")
        String lineageCommit;

        @Override
        public Integer call() {
            CliContext context = context();
            ModelQuery query = new ModelQuery(name, stage == null ? null : ModelStage.parse(stage), tag, framework, search);
            if (lineageCommit != null && lineageCommit.strip().length() < 7) {
                throw new InvalidInputException("--lineage-commit needs at least 7 characters of the commit SHA, not '"
                        + lineageCommit.strip() + "'");
            }
            Predicate<ModelVersion> wanted = lineageCommit == null ? version -> true
                    : version -> builtFrom(version, lineageCommit);
            if (models) {
                RegistrySnapshot snapshot = context.registryForReading().snapshot();
                List<ModelVersion> versions = snapshot.search(query).stream().filter(wanted).toList();
                printSummaries(context, snapshot, versions);
                warnAboutProblems(context, snapshot.problems());
                return Cli.OK;
            }
            // Written as the registry is read, a model at a time: the versions are never all held,
            // only (for the text table, whose columns fit their widest cells) each row's cells.
            ModelRegistry registry = context.registryForReading();
            List<RegistryProblem> problems;
            if (context.json()) {
                IndentedJsonBytes element = new IndentedJsonBytes();
                try (JsonArrayPrinter array = context.printJsonArray()) {
                    problems = registry.forEachVersion(query, version -> {
                        if (wanted.test(version)) {
                            RegistryOutput.printVersionJson(array, element, version);
                        }
                    });
                    array.finish();
                }
            } else {
                List<String[]> rows = new ArrayList<>();
                problems = registry.forEachVersion(query, version -> {
                    if (wanted.test(version)) {
                        rows.add(RegistryOutput.versionCells(version));
                    }
                });
                RegistryOutput.printVersionRows(context, rows);
            }
            warnAboutProblems(context, problems);
            return Cli.OK;
        }

        private static void printSummaries(CliContext context, RegistrySnapshot snapshot, List<ModelVersion> versions) {
            List<ModelSummary> summaries = RegistryOutput.summaries(snapshot, versions);
            Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
            RegistryAliases.aliasesOf(context).listAll().forEach((model, list) -> aliases.put(model,
                    list.stream().collect(Collectors.toMap(Alias::alias, Alias::version,
                            (a, b) -> a, TreeMap::new))));
            if (context.json()) {
                try (JsonArrayPrinter array = context.printJsonArray()) {
                    summaries.forEach(s -> {
                        ObjectNode node = s.toJson();
                        ObjectNode pointers = node.putObject("aliases");
                        aliases.getOrDefault(s.name(), Map.of()).forEach(pointers::put);
                        array.write(node);
                    });
                    array.finish();
                }
            } else {
                RegistryOutput.printSummaries(context, summaries, aliases);
            }
        }
    }

    /**
     * Whether {@code version} records {@code commit} as its source, by the whole SHA or a prefix of
     * at least 7 characters either way (a pipeline may know the short form, the registry the long).
     */
    static boolean builtFrom(ModelVersion version, String commit) {
        String recorded = version.lineage().sourceCommit();
        String wanted = commit.trim().toLowerCase(java.util.Locale.ROOT);
        if (recorded == null || recorded.length() < 7 || wanted.length() < 7) {
            return false;
        }
        recorded = recorded.toLowerCase(java.util.Locale.ROOT);
        return recorded.startsWith(wanted) || wanted.startsWith(recorded);
    }

    @Command(name = "show", description = "Show one version's metadata, metrics, configuration and stage history; "
            + "lineage as links when workspace.yaml has links templates.")
    static final class Show extends CliCommand {
        @Mixin
        HelpOption help;

        @Mixin
        VersionRef ref;

        @Override
        public Integer call() {
            CliContext context = context();
            ModelRegistry registry = context.registryForReading();
            VersionId id = ref.id(context);
            ModelVersion model = registry.getModel(id.name(), id.version());
            List<LineageLink> links = RegistryLinks.of(context, model);
            if (context.json()) {
                context.printJson(RegistryLinks.withLinks(model.toJson(), links));
            } else {
                RegistryOutput.printVersion(context, model, registry.configuration(model), links);
            }
            return Cli.OK;
        }
    }

    @Command(name = "promote", description = "Move a version to another stage; production archives the current one.")
    static final class Promote extends CliCommand {
        @Mixin
        HelpOption help;

        @Mixin
        VersionRef ref;

        @Option(names = "--to", required = true, paramLabel = "STAGE",
                description = "development, staging, production or archived.")
        String to;

        @Option(names = "--reason", paramLabel = "R", description = "Why; recorded in the stage history.")
        String reason;

        @Override
        public Integer call() {
            CliContext context = context();
            ModelStage target = ModelStage.parse(to);
            ModelRegistry registry = openRegistry(context);
            VersionId id = ref.id(context);
            Promotion promotion = registry.promoteModel(id.name(), id.version(), target, reason);
            if (context.json()) {
                context.printJson(RegistryRequests.promotionJson(promotion));
            } else if (promotion.unchanged()) {
                context.out().println(id.name() + " " + id.version() + " is already in " + target + "; nothing changed");
                context.out().flush();
            } else {
                context.out().println("Promoted " + id.name() + " " + id.version() + " from " + promotion.fromStage()
                        + " to " + target + RegistryRequests.archivedText(promotion));
                context.out().flush();
            }
            return Cli.OK;
        }
    }

    @Command(name = "delete", description = "Delete a version (refused for production and deployed ones unless --force), "
            + "or with --all every version of a model (refused while any is in production or deployed).")
    static final class Delete extends CliCommand {
        @Mixin
        HelpOption help;

        @Parameters(index = "0", paramLabel = "N", description = "Model name.")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "V", description = "Version (none with --all).")
        String version;

        @Option(names = "--all", description = "Delete the whole model: every version, one audit event; needs --reason.")
        boolean all;

        @Option(names = "--force", description = "Delete even a production or actively deployed version (not with --all).")
        boolean force;

        @Option(names = "--reason", paramLabel = "R", description = "Why; recorded in the audit event.")
        String reason;

        @Override
        public Integer call() {
            if (all) {
                return deleteModel();
            }
            if (version == null) {
                throw new ParameterException(spec.commandLine(), "Missing version: registry delete N V, or N --all --reason R "
                        + "for the whole model");
            }
            CliContext context = context();
            ModelVersion deleted = openRegistry(context).deleteVersion(name, version, force, reason);
            if (context.json()) {
                ObjectNode node = Json.mapper().createObjectNode();
                node.set("deleted", deleted.toJson());
                node.put("forced", force);
                context.printJson(node);
            } else {
                context.out().println("Deleted " + name + " " + version + " (was " + deleted.stage() + ")");
                context.out().flush();
            }
            return Cli.OK;
        }

        private Integer deleteModel() {
            if (version != null) {
                throw new ParameterException(spec.commandLine(), "--all deletes every version of " + name
                        + "; give no version with it");
            }
            if (force) {
                throw new ParameterException(spec.commandLine(), "--all cannot be forced: archive the production "
                        + "version and undeploy the deployed ones first");
            }
            if (reason == null || reason.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--all needs --reason R: deleting a whole model is "
                        + "recorded with why");
            }
            CliContext context = context();
            List<ModelVersion> deleted = openRegistry(context).deleteModel(name, reason);
            if (context.json()) {
                ObjectNode node = Json.mapper().createObjectNode();
                node.put("name", name);
                ArrayNode array = node.putArray("deleted");
                deleted.forEach(v -> array.add(v.toJson()));
                context.printJson(node);
            } else {
                context.out().println("Deleted " + name + " and its " + deleted.size() + " version"
                        + (deleted.size() == 1 ? "" : "s") + ": " + String.join(", ", deleted.stream().map(ModelVersion::version).toList()));
                context.out().flush();
            }
            return Cli.OK;
        }
    }

    @Command(name = "verify", description = "Recompute a version's model file hash; exit 1 if it changed or is missing.")
    static final class Verify extends CliCommand {
        @Mixin
        HelpOption help;

        @Mixin
        VersionRef ref;

        @Override
        public Integer call() {
            CliContext context = context();
            ModelRegistry registry = openRegistry(context);
            VersionId id = ref.id(context);
            ArtifactCheck check = registry.verifyArtifact(id.name(), id.version());
            if (context.json()) {
                context.printJson(check.toJson());
            } else if (check.ok()) {
                context.out().println(Terminal.text(check.message()));
                context.out().flush();
            }
            if (!check.ok()) {
                context.message("neural-mlops: " + check.message());
                return Cli.FAILED;
            }
            return Cli.OK;
        }
    }

    @Command(name = "gc", description = "Remove what no version owns: unfinished uploads of dead writers, files of unregistered versions.")
    static final class CollectGarbage extends CliCommand {
        @Mixin
        HelpOption help;

        @Option(names = "--older-than", paramLabel = "AGE", defaultValue = "1h",
                description = "Abort unfinished uploads started longer ago than AGE: 1h, 2d, 1w (default: ${DEFAULT-VALUE}).")
        String olderThan;

        @Override
        public Integer call() {
            CliContext context = context();
            GarbageCollection collected = openRegistry(context).collectGarbage(UtcTime.parseAge(olderThan));
            if (context.json()) {
                ObjectNode node = Json.mapper().createObjectNode();
                node.put("uploads_aborted", collected.uploadsAborted());
                ArrayNode folders = node.putArray("folders_removed");
                collected.foldersRemoved().forEach(folders::add);
                context.printJson(node);
            } else {
                context.out().println("Aborted " + collected.uploadsAborted() + " unfinished upload"
                        + (collected.uploadsAborted() == 1 ? "" : "s") + "; removed " + collected.foldersRemoved().size()
                        + " folder" + (collected.foldersRemoved().size() == 1 ? "" : "s") + " of unregistered versions"
                        + (collected.foldersRemoved().isEmpty() ? "" : ": " + String.join(", ", collected.foldersRemoved())));
                context.out().flush();
            }
            return Cli.OK;
        }
    }
}
