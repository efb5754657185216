package neural.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import neural.mlops.registry.Alias;
import neural.mlops.registry.AliasMove;
import neural.mlops.registry.Aliases;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.store.Json;
import neural.mlops.store.Names;
import neural.mlops.store.UtcTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code registry alias set|remove|list}: a model's named pointers (champion, challenger), each
 * change audited and governed by {@code policy.aliases} (docs/cli.md). Everywhere else a version
 * is given, {@code NAME@ALIAS} names the version an alias points at ({@link #aliasesOf}).
 */
@Command(name = "alias", description = "Set, move, remove and list a model's aliases (champion, challenger); "
        + "NAME@ALIAS then names a version wherever one is given.",
        subcommands = {RegistryAliases.Set.class, RegistryAliases.Remove.class, RegistryAliases.ListAliases.class})
final class RegistryAliases implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RegistryCommand.HelpOption help;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The aliases for resolving {@code NAME@ALIAS}, read-only: resolving never changes them. */
    static Aliases aliasesOf(CliContext context) {
        return Aliases.reading(context.registryForReading());
    }

    @Command(name = "set", description = "Point an alias of a model at a version (set it, or move it there).")
    static final class Set extends CliCommand {
        @Mixin
        RegistryCommand.HelpOption help;

        @Parameters(index = "0", paramLabel = "N", description = "Model name.")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS", description = "Alias, e.g. champion (not a stage name, not latest).")
        String alias;

        @Parameters(index = "2", paramLabel = "V", description = "The version it is to point at.")
        String version;

        @Option(names = "--reason", paramLabel = "R", description = "Why; recorded in the alias history and the audit event.")
        String reason;

        @Override
        public Integer call() {
            CliContext context = context();
            Aliases.Pointed pointed = context.stores().aliases().point(name, alias, version, reason, null);
            Alias set = pointed.alias();
            String before = pointed.previousVersion();
            if (context.json()) {
                ObjectNode node = set.toJson();
                node.put("previous_version", before);
                node.put("changed", pointed.changed());
                context.printJson(node);
            } else if (!pointed.changed()) {
                context.out().println(set.reference() + " already points at " + version + "; nothing changed");
            } else {
                context.out().println((before == null ? "Set " : "Moved ") + set.reference() + " "
                        + (before == null ? "" : "from " + before + " ") + "to " + version);
            }
            context.out().flush();
            return Cli.OK;
        }
    }

    @Command(name = "remove", description = "Remove an alias of a model (its history stays).")
    static final class Remove extends CliCommand {
        @Mixin
        RegistryCommand.HelpOption help;

        @Parameters(index = "0", paramLabel = "N", description = "Model name.")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS", description = "Alias.")
        String alias;

        @Option(names = "--reason", paramLabel = "R", description = "Why; recorded in the alias history and the audit event.")
        String reason;

        @Override
        public Integer call() {
            CliContext context = context();
            AliasMove removed = context.stores().aliases().remove(name, alias, reason);
            if (context.json()) {
                context.printJson(removed.toJson());
            } else {
                context.out().println("Removed " + name + Aliases.SEPARATOR + alias + " (it pointed at "
                        + removed.fromVersion() + ")");
                context.out().flush();
            }
            return Cli.OK;
        }
    }

    @Command(name = "list", description = "List the aliases of a model, or of every model.")
    static final class ListAliases extends CliCommand {
        @Mixin
        RegistryCommand.HelpOption help;

        @Parameters(index = "0", arity = "0..1", paramLabel = "N", description = "Only this model.")
        String name;

        @Override
        public Integer call() {
            CliContext context = context();
            ModelRegistry registry = context.registryForReading();
            Aliases aliases = Aliases.reading(registry);
            List<Alias> listed;
            if (name != null) {
                if (registry.listVersions(Names.require("model name", name)).isEmpty()) {
                    throw new neural.mlops.store.NotFoundException("No model is called " + name
                            + "; check the name against the list of models");
                }
                listed = aliases.list(name);
            } else {
                listed = aliases.listAll().values().stream().flatMap(List::stream).toList();
            }
            if (context.json()) {
                ArrayNode array = Json.mapper().createArrayNode();
                listed.forEach(alias -> array.add(alias.toJson()));
                context.printJson(array);
                return Cli.OK;
            }
            if (listed.isEmpty()) {
                context.message(name == null ? "No model has an alias." : name + " has no aliases.");
                return Cli.OK;
            }
            RegistryOutput.Table table = new RegistryOutput.Table("NAME", "ALIAS", "VERSION", "SET", "BY", "REASON");
            for (Alias alias : listed) {
                table.row(alias.name(), alias.alias(), alias.version(), UtcTime.minute(alias.setAt()),
                        alias.setBy() == null ? "-" : alias.setBy(), alias.reason() == null ? "-" : alias.reason());
            }
            table.print(context.out());
            context.out().flush();
            return Cli.OK;
        }
    }

    /** {@code champion=v2.0.0,challenger=v1.0.0}, or {@code -}. */
    static String pointers(Map<String, String> byAlias) {
        if (byAlias.isEmpty()) {
            return "-";
        }
        return String.join(",", byAlias.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
}
