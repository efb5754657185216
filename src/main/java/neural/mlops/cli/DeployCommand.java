package neural.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import neural.mlops.audit.AuditSink;
import neural.mlops.registry.VersionId;
import neural.mlops.deployment.CreatedDeployment;
import neural.mlops.deployment.Deployment;
import neural.mlops.deployment.DeploymentManager;
import neural.mlops.deployment.DeploymentStatus;
import neural.mlops.deployment.DocumentProblem;
import neural.mlops.deployment.HealthCheck;
import neural.mlops.deployment.ModelCatalog;
import neural.mlops.deployment.Rollback;
import neural.mlops.deployment.StatusChange;
import neural.mlops.store.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code neural-mlops deploy ...}: the deployment tracker's commands (SPEC 4). Results go to stdout
 * (a table, or JSON with {@code --json}); confirmations, warnings and errors to stderr, so that
 * {@code ID=$(neural-mlops deploy create ...)} captures the new id alone.
 */
@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        description = "Track which model version is deployed where: create, activate, deactivate, roll back, list, probe.")
public final class DeployCommand {

    /**
     * Its commands, in the order help lists them. {@link Cli} adds them, not the annotation, so that
     * a command line that names one builds the model of that one only.
     */
    static final List<Class<?>> COMMANDS = List.of(
            DeployCommand.Create.class,
            DeployCommand.Activate.class,
            DeployCommand.Deactivate.class,
            DeployCommand.Fail.class,
            DeployCommand.RollbackCommand.class,
            DeployCommand.ListCommand.class,
            DeployCommand.Show.class,
            DeployCommand.Check.class);

    static final String STORE_FOLDER = "deployments";

    private static final DateTimeFormatter TABLE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /**
     * The tracker of the workspace, standing alone for now: the workspace will link the registry
     * (ModelCatalog) and the audit trail (AuditSink) here.
     */
    static DeploymentManager manager(CliContext context) {
        return context.stores().deployments();
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Record a new, pending deployment and print its id.")
    static final class Create extends CliCommand {
        @Option(names = "--model", required = true, paramLabel = "N",
                description = "Model name, or N@ALIAS for the version an alias points at now (then no --version).")
        String model;

        @Option(names = "--version", paramLabel = "V", description = "Model version, or @ALIAS.")
        String version;

        @Option(names = "--env", required = true, paramLabel = "E", description = "Environment (for example staging, production).")
        String environment;

        @Option(names = "--endpoint", required = true, paramLabel = "URL", description = "http or https URL that serves the model.")
        String endpoint;

        @Option(names = "--if-absent", description = "When an active or pending deployment of this version in this "
                + "environment exists, print its id and create nothing (for re-runnable pipelines).")
        boolean ifAbsent;

        @Option(names = "--health-path", paramLabel = "PATH",
                description = "Path probed by 'deploy check', resolved against the endpoint (default: the endpoint itself).")
        String healthPath;

        @Override
        public Integer call() {
            CliContext context = context();
            Map<String, Object> config = healthPath == null ? Map.of() : Map.of(Deployment.HEALTH_PATH, healthPath);
            // An alias is resolved once, here: the deployment records the version, and does not follow the alias.
            VersionId id = RegistryAliases.aliasesOf(context).version(model, version);
            String model = id.name();
            String version = id.version();
            CreatedDeployment created = ifAbsent
                    ? manager(context).createDeploymentIfAbsent(model, version, environment, endpoint, config)
                    : manager(context).createDeployment(model, version, environment, endpoint, config);
            created.warnings().forEach(warning -> context.message("neural-mlops: warning: " + warning));
            if (context.json()) {
                ObjectNode result = Json.mapper().createObjectNode();
                result.put("deployment_id", created.id());
                result.put("existing", created.existing());
                result.set("deployment", created.deployment().toJson());
                ArrayNode warnings = result.putArray("warnings");
                created.warnings().forEach(warnings::add);
                context.printJson(result);
            } else {
                context.out().println(created.id());
                context.out().flush();
            }
            if (created.existing()) {
                context.message("Deployment " + created.id() + " of " + model + " " + version + " in " + environment
                        + " is already " + created.deployment().status().value() + "; nothing created");
            } else {
                context.message("Created pending deployment " + created.id() + " of " + model + " " + version + " in "
                        + environment + "; activate it with 'neural-mlops deploy activate " + created.id() + "'");
            }
            return Cli.OK;
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true,
            description = "Make a deployment active; the model's previously active deployment in that environment becomes inactive.")
    static final class Activate extends CliCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "Deployment id.")
        String id;

        @Option(names = "--reason", paramLabel = "R", description = "Why, kept in the deployment's history.")
        String reason;

        @Override
        public Integer call() {
            CliContext context = context();
            Deployment activated = manager(context).activateDeployment(id, reason);
            printDeployment(context, activated);
            context.message("Activated " + activated.deploymentId()
                    + (activated.replaces() == null ? "" : "; " + activated.replaces() + " is now inactive"));
            return Cli.OK;
        }
    }

    @Command(name = "deactivate", mixinStandardHelpOptions = true,
            description = "Make an active or pending deployment inactive.")
    static final class Deactivate extends CliCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "Deployment id.")
        String id;

        @Option(names = "--reason", paramLabel = "R", description = "Why, kept in the deployment's history.")
        String reason;

        @Override
        public Integer call() {
            CliContext context = context();
            Deployment deactivated = manager(context).deactivateDeployment(id, reason);
            printDeployment(context, deactivated);
            context.message("Deactivated " + deactivated.deploymentId());
            return Cli.OK;
        }
    }

    @Command(name = "fail", mixinStandardHelpOptions = true,
            description = "Mark a pending or active deployment failed, as the original module's fail_deployment: "
                    + "the reason is kept in metadata.failure_reason and the history, and audited.")
    static final class Fail extends CliCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "Deployment id.")
        String id;

        @Option(names = "--reason", required = true, paramLabel = "R", description = "Why it failed.")
        String reason;

        @Override
        public Integer call() {
            CliContext context = context();
            Deployment failed = manager(context).failDeployment(id, reason);
            printDeployment(context, failed);
            context.message("Marked " + failed.deploymentId() + " failed");
            return Cli.OK;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Re-activate the deployment that the model's active deployment in an environment replaced.")
    static final class RollbackCommand extends CliCommand {
        @Option(names = "--model", required = true, paramLabel = "N", description = "Model name.")
        String model;

        @Option(names = "--env", required = true, paramLabel = "E", description = "Environment.")
        String environment;

        @Option(names = "--reason", paramLabel = "R", description = "Why, kept in both deployments' history.")
        String reason;

        @Override
        public Integer call() {
            CliContext context = context();
            Rollback rollback = manager(context).rollback(model, environment, reason);
            if (context.json()) {
                ObjectNode result = Json.mapper().createObjectNode();
                result.set("rolled_back", rollback.rolledBack().toJson());
                result.set("restored", rollback.restored().toJson());
                context.printJson(result);
            } else {
                context.out().println(rollback.restored().deploymentId());
                context.out().flush();
            }
            context.message("Rolled back " + rollback.rolledBack().deploymentId() + " (" + rollback.rolledBack().modelVersion()
                    + "); " + rollback.restored().deploymentId() + " (" + rollback.restored().modelVersion()
                    + ") is active again in " + environment);
            return Cli.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List deployments, newest first.")
    static final class ListCommand extends CliCommand {
        @Option(names = "--env", paramLabel = "E", description = "Only this environment.")
        String environment;

        @Option(names = "--model", paramLabel = "N", description = "Only this model.")
        String model;

        @Option(names = "--status", paramLabel = "S", description = "Only this status: pending, active, inactive, failed, rolled_back.")
        String status;

        @Override
        public Integer call() {
            CliContext context = context();
            DeploymentStatus wanted = status == null ? null : DeploymentStatus.parse(status);
            DeploymentManager manager = manager(context);
            List<Deployment> deployments = manager.listDeployments(environment, model, wanted);
            warnAboutProblems(context, manager.problems());
            if (context.json()) {
                try (JsonArrayPrinter array = context.printJsonArray()) {
                    deployments.forEach(deployment -> array.write(deployment.toJson()));
                    array.finish();
                }
            } else if (deployments.isEmpty()) {
                context.message("No deployments found.");
            } else {
                printTable(context.out(), deployments);
            }
            return Cli.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one deployment with its history and last health probe.")
    static final class Show extends CliCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "Deployment id.")
        String id;

        @Override
        public Integer call() {
            CliContext context = context();
            DeploymentManager manager = manager(context);
            Deployment deployment = manager.getDeployment(id);
            warnAboutProblems(context, manager.problems());
            if (context.json()) {
                context.printJson(deployment.toJson());
            } else {
                printDetails(context.out(), deployment);
            }
            return Cli.OK;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Probe the deployment's endpoint with an HTTP GET and record the result; exit status 1 when it is unhealthy.")
    static final class Check extends CliCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "Deployment id.")
        String id;

        @Override
        public Integer call() {
            CliContext context = context();
            HealthCheck check = manager(context).checkHealth(id);
            if (context.json()) {
                context.printJson(check.toJson());
            } else {
                context.out().println((check.ok() ? "healthy: " : "unhealthy: ") + Terminal.text(check.summary()));
                context.out().flush();
            }
            if (!check.ok()) {
                context.message("neural-mlops: deployment " + id + " is unhealthy: " + check.summary());
                return Cli.FAILED;
            }
            return Cli.OK;
        }
    }

    private static void printDeployment(CliContext context, Deployment deployment) {
        if (context.json()) {
            context.printJson(deployment.toJson());
        }
    }

    private static void warnAboutProblems(CliContext context, List<DocumentProblem> problems) {
        problems.forEach(problem -> context.message("neural-mlops: warning: skipped " + problem.message()));
    }

    static final String[] COLUMNS = {"ID", "MODEL", "VERSION", "ENVIRONMENT", "STATUS", "ENDPOINT", "CREATED"};

    /** The deployments are in memory (sorted newest first): sized in a first pass, printed row by row. */
    static void printTable(PrintWriter out, List<Deployment> deployments) {
        TextTable.print(out, COLUMNS, deployments, d -> new String[] {Terminal.text(d.deploymentId()),
            Terminal.text(d.modelName()), Terminal.text(d.modelVersion()), Terminal.text(d.environment()),
            d.status().value(), Terminal.text(d.endpoint().toString()), TABLE_TIME.format(d.createdAt())});
    }

    static void printDetails(PrintWriter out, Deployment d) {
        out.println("deployment_id  " + Terminal.text(d.deploymentId()));
        out.println("model          " + Terminal.text(d.modelName()) + " " + Terminal.text(d.modelVersion()));
        out.println("environment    " + Terminal.text(d.environment()));
        out.println("endpoint       " + (d.hasEndpoint() ? Terminal.text(d.endpoint().toString()) : "-"));
        out.println("status         " + d.status().value()
                + d.failureReason().map(reason -> ": " + Terminal.text(reason)).orElse(""));
        out.println("created        " + time(d.createdAt()) + (d.createdBy() == null ? "" : " by " + Terminal.text(d.createdBy())));
        out.println("activated      " + time(d.activatedAt()));
        out.println("deactivated    " + time(d.deactivatedAt()));
        out.println("replaces       " + (d.replaces() == null ? "-" : Terminal.text(d.replaces())));
        if (!d.config().isEmpty()) {
            out.println("config         " + Terminal.text(d.toJson().get("config").toString()));
        }
        if (!d.metadata().isEmpty()) {
            out.println("metadata       " + Terminal.text(d.toJson().get("metadata").toString()));
        }
        out.println("health         " + d.lastHealth()
                .map(h -> (h.ok() ? "healthy: " : "unhealthy: ") + Terminal.text(h.summary()) + " at " + time(h.checkedAt()))
                .orElse("never checked"));
        out.println("history");
        for (StatusChange change : d.history()) {
            out.println("  " + time(change.at()) + "  " + String.format("%-11s", change.status().value()) + "  "
                    + (change.by() == null ? "-" : Terminal.text(change.by()))
                    + (change.reason() == null ? "" : "  " + Terminal.text(change.reason())));
        }
        out.flush();
    }

    private static String time(Instant instant) {
        return instant == null ? "-" : TABLE_TIME.format(instant);
    }
}
