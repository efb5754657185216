package neural.mlops.cli;

import java.nio.file.Path;
import java.util.List;
import neural.mlops.demo.DemoWorkspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code demo create DIR} (SPEC 4): a sample workspace to explore. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "A sample workspace to explore.")
final class DemoCommand {

    /**
     * Its commands, in the order help lists them. {@link Cli} adds them, not the annotation, so that
     * a command line that names one builds the model of that one only.
     */
    static final List<Class<?>> COMMANDS = List.of(
            DemoCommand.Create.class);

    private DemoCommand() {
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create the demo workspace in DIR (new or empty): seven models with versions and stage "
                    + "histories, deployments in three environments, 90 days of audit events."})
    static final class Create extends CliCommand {

        @Parameters(paramLabel = "DIR", description = "Folder to create; must not exist or be empty.")
        Path folder;

        @Override
        public Integer call() {
            CliContext context = context();
            Path created = DemoWorkspace.create(folder, message -> { });
            if (context.json()) {
                context.printJson(java.util.Map.of("workspace", created.toString()));
            } else {
                context.out().println(created);
                context.out().flush();
            }
            context.message("Demo workspace created in " + created + "; open it with: neural-mlops --workspace "
                    + created);
            return Cli.OK;
        }
    }
}
