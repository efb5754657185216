package neural.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import neural.mlops.bench.BenchOptions;
import neural.mlops.bench.BenchReport;
import neural.mlops.bench.BenchRow;
import neural.mlops.bench.BenchRunner;
import neural.mlops.bench.GenerateOptions;
import neural.mlops.bench.GeneratedWorkspace;
import neural.mlops.bench.RemoteBench;
import neural.mlops.bench.WorkspaceGenerator;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.workspace.WorkspaceLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bench generate} and {@code bench run} (SPEC 4, SPEC 7): a large synthetic workspace, and the benchmark on it. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "The benchmark of SPEC 7: generate a large synthetic workspace, then time the SPEC 7 operations on it.")
final class BenchCommand {

    /**
     * Its commands, in the order help lists them. {@link Cli} adds them, not the annotation, so that
     * a command line that names one builds the model of that one only.
     */
    static final List<Class<?>> COMMANDS = List.of(
            BenchCommand.Generate.class,
            BenchCommand.Run.class);

    private BenchCommand() {
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Generate a valid synthetic workspace in DIR (new or empty): models with frameworks, metrics, "
                    + "tags and stage histories, the deployments their promotions caused, and an audit trail of every "
                    + "event type and severity over the period, ending now. Written in a fast bulk mode (no flush per "
                    + "file, head.json last); an interrupted run leaves a folder to delete."})
    static final class Generate extends CliCommand {

        @Parameters(paramLabel = "DIR", description = "Folder to create; must not exist or be empty.")
        Path folder;

        @Option(names = "--models", paramLabel = "M", description = "Number of models (default: ${DEFAULT-VALUE}).",
                defaultValue = "1000")
        int models;

        @Option(names = "--versions", paramLabel = "V", description = "Versions per model (default: ${DEFAULT-VALUE}).",
                defaultValue = "10")
        int versions;

        @Option(names = "--events", paramLabel = "E", description = "Audit events in all (default: ${DEFAULT-VALUE}).",
                defaultValue = "1000000")
        long events;

        @Option(names = "--days", paramLabel = "D", description = "Days the events span, ending now (default: ${DEFAULT-VALUE}).",
                defaultValue = "365")
        int days;

        @Option(names = "--seed", paramLabel = "N", description = "Seed of the random choices (default: ${DEFAULT-VALUE}).",
                defaultValue = "" + GenerateOptions.DEFAULT_SEED)
        long seed;

        @Override
        public Integer call() {
            CliContext context = context();
            GenerateOptions options = new GenerateOptions(models, versions, events, days, seed, java.time.Instant.now());
            GeneratedWorkspace generated = WorkspaceGenerator.generate(folder, options, context::message);
            if (context.json()) {
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("workspace", generated.folder().toString());
                summary.put("models", generated.models());
                summary.put("versions", generated.versions());
                summary.put("deployments", generated.deployments());
                summary.put("events", generated.events());
                summary.put("security_violations", generated.securityViolations());
                summary.put("head_hash", generated.headHash());
                summary.put("seconds", generated.elapsed().toMillis() / 1000.0);
                context.printJson(summary);
            } else {
                context.out().println(generated.folder());
                context.out().flush();
            }
            context.message(String.format("Generated %d models, %d versions, %d deployments and %d audit events "
                    + "(%d security violations) in %.1f s; open it with: neural-mlops --workspace %s",
                    generated.models(), generated.versions(), generated.deployments(), generated.events(),
                    generated.securityViolations(), generated.elapsed().toMillis() / 1000.0, generated.folder()));
            return Cli.OK;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Time the operations of SPEC 7 on the workspace DIR (medians after a warm-up) and print them "
                    + "as a table, each against a floor measured in the same run (reading the same files once, as cat "
                    + "would; or one durable write).",
                "It changes the workspace as a user would, and only so: it appends audit events (users bench, "
                    + "bench-p1, bench-p2), saves compliance reports under audit_logs/reports/, rewrites the registry's "
                    + "listing cache, and promotes two versions of one model to production in turn, each archiving the "
                    + "other. Run it on a generated workspace, not on one you care about.",
                "Exit status 0 when every target is met, 1 when one is not."})
    static final class Run extends CliCommand {

        @Parameters(paramLabel = "DIR|s3://BUCKET/PREFIX", description = {"The workspace, e.g. one made by bench "
                + "generate. On a bucket, each operation is reported with the S3 requests it made, by operation, and "
                + "the bytes moved (copy a generated workspace there with aws s3 sync)."})
        String workspace;

        @Option(names = "--runs", paramLabel = "N", description = "Timed runs per operation (default: ${DEFAULT-VALUE}).",
                defaultValue = "5")
        int runs;

        @Option(names = "--warmups", paramLabel = "N", description = "Untimed runs first (default: ${DEFAULT-VALUE}).",
                defaultValue = "1")
        int warmups;

        @Option(names = "--threads", paramLabel = "N",
                description = "Threads appending at once in each process (default: ${DEFAULT-VALUE}).", defaultValue = "16")
        int threads;

        @Option(names = "--appends", paramLabel = "N",
                description = "Events each appending thread writes per run (default: ${DEFAULT-VALUE}).", defaultValue = "50")
        int appends;

        @Option(names = "--baseline", paramLabel = "DIR", description = {"A smaller generated workspace (a folder) whose "
                + "30-day query and one-year report are timed in the same run: two more rows judge this trail's times "
                + "against it, per event of the period (at most 1.2x). Its trail gains the reports' events, as this "
                + "one's does."})
        Path baseline;

        @Override
        public Integer call() {
            CliContext context = context();
            WorkspaceLocation location = WorkspaceLocation.parse(workspace);
            if (location.isRemote()) {
                if (baseline != null) {
                    throw new InvalidInputException("--baseline times a folder workspace beside another; "
                            + location + " is in a bucket");
                }
                return remote(context, location);
            }
            Path folder = ((WorkspaceLocation.Folder) location).path();
            BenchReport report = BenchRunner.run(folder, new BenchOptions(runs, warmups, threads, appends,
                    Optional.ofNullable(baseline)), context::message);
            if (context.json()) {
                ArrayNode rows = Json.mapper().createArrayNode();
                for (BenchRow row : report.rows()) {
                    ObjectNode node = rows.addObject();
                    node.put("operation", row.operation());
                    node.put("unit", row.unit());
                    node.put("median", row.median());
                    if (!Double.isNaN(row.floor())) {
                        node.put("floor", row.floor());
                        node.put("ratio", row.ratio());
                    }
                    node.put("target", row.target());
                    if (row.met() != null) {
                        node.put("met", row.met());
                    }
                    node.put("detail", row.detail());
                }
                ObjectNode result = Json.mapper().createObjectNode();
                result.set("rows", rows);
                result.set("notes", Json.mapper().valueToTree(report.notes()));
                result.put("all_targets_met", report.allTargetsMet());
                context.printJson(result);
            } else {
                context.out().print(report.table());
                context.out().flush();
            }
            return report.allTargetsMet() ? Cli.OK : Cli.FAILED;
        }

        /** Time and requests per operation on a bucket; there is no floor to hold them against, so no target. */
        private int remote(CliContext context, WorkspaceLocation location) {
            List<RemoteBench.Row> rows = RemoteBench.run(location, runs, context::message);
            if (context.json()) {
                ArrayNode array = Json.mapper().createArrayNode();
                for (RemoteBench.Row row : rows) {
                    ObjectNode node = array.addObject();
                    node.put("operation", row.operation());
                    node.put("cold_ms", row.coldMillis());
                    node.put("median_ms", row.medianMillis());
                    node.put("requests", row.traffic().totalRequests());
                    node.set("requests_by_operation", Json.mapper().valueToTree(row.traffic().requests()));
                    node.put("bytes_sent", row.traffic().bytesSent());
                    node.put("bytes_received", row.traffic().bytesReceived());
                    node.put("cold_requests", row.coldTraffic().totalRequests());
                }
                ObjectNode result = Json.mapper().createObjectNode();
                result.put("workspace", location.toString());
                result.set("rows", array);
                context.printJson(result);
            } else {
                context.out().print(RemoteBench.table(rows));
                context.out().flush();
            }
            return Cli.OK;
        }
    }
}
