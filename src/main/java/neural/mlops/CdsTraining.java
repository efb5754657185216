package neural.mlops;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import neural.mlops.cli.Cli;

/**
 * The training run of the installers' class-data-sharing archive (packaging/README.md): started
 * once at packaging time, from the application image's own runtime and class path with
 * {@code -XX:ArchiveClassesAtExit}, it does in one JVM what users start most, so that the archive
 * holds the classes of the command line and of the desktop's first window. A dynamic archive is
 * written by one process at its exit, hence one main for both instead of several runs of
 * {@link Main}. It lives in the jar because the archive is only used when the class path at run
 * time starts with the class path it was made with: a training jar added for the run would make
 * every installed start refuse the archive.
 *
 * <p>{@code CdsTraining DIR [--desktop]}: creates the demo workspace in DIR (new or empty), runs
 * the everyday commands on it, output discarded, then with {@code --desktop} opens the desktop on
 * it (a display is needed; the packaging script starts Xvfb) and closes it once the registry has
 * loaded. Exits 1, naming the command, when a command fails: an archive trained on an error path
 * would leave the everyday classes out.
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("--desktop"))) {
            System.err.println("usage: CdsTraining DIR [--desktop]");
            System.exit(Cli.BAD_INPUT);
        }
        Path workspace = Path.of(args[0]).toAbsolutePath();
        PrintWriter err = new PrintWriter(System.err, true);
        // The launchers start Main, which the commands below never load: without the desktop's run
        // (no display at packaging time) it would be missing from the archive, and read from the jar.
        loadLauncherClass();
        if (runCommands(workspace, err) != Cli.OK) {
            System.exit(Cli.FAILED);
        }
        if (args.length == 2) {
            // StartupProbe closes the application once the first window is shown and the registry loaded.
            System.setProperty("neural.mlops.startupProbe", "exit");
            Main.main(new String[] {"--workspace", workspace.toString()});
        }
        System.exit(Cli.OK);
    }

    private static void loadLauncherClass() {
        try {
            Class.forName(Main.class.getName(), true, CdsTraining.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("The launcher's class is not on the class path", e);
        }
    }

    /**
     * Runs the everyday commands on {@code workspace}, creating the demo workspace there first when it
     * holds no registry; stops at the first that fails, naming it on {@code err}.
     */
    static int runCommands(Path workspace, PrintWriter err) {
        for (List<String> command : commands(workspace)) {
            StringWriter errors = new StringWriter();
            int status = Cli.run(command.toArray(String[]::new), new PrintWriter(Writer.nullWriter()),
                    new PrintWriter(errors, true));
            if (status != Cli.OK) {
                err.println("cds-training: 'neural-mlops " + String.join(" ", command) + "' exited with " + status
                        + ": " + errors.toString().strip());
                return Cli.FAILED;
            }
        }
        return Cli.OK;
    }

    /** What users run most: the version, help, listings, queries and an export, as text and as JSON. */
    private static List<List<String>> commands(Path workspace) {
        String ws = workspace.toString();
        String export = workspace.resolveSibling(workspace.getFileName() + "-export.csv").toString();
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("--version"));
        commands.add(List.of("--help"));
        if (!Files.isDirectory(workspace.resolve("models"))) {
            commands.add(List.of("demo", "create", ws));
        }
        for (String line : new String[] {
            "registry list", "--json registry list", "registry list --models", "registry list --search fraud",
            "registry show fraud_detector v1.1.0", "registry history fraud_detector",
            "deploy list", "--json deploy list",
            "audit query --since 30d", "--json audit query --since 30d", "audit report --since 30d",
            "audit verify",
        }) {
            List<String> command = new ArrayList<>(List.of("--workspace", ws));
            command.addAll(Arrays.asList(line.split(" ")));
            commands.add(command);
        }
        commands.add(List.of("--workspace", ws, "audit", "export", "--since", "30d", "--format", "csv", "--out",
                export));
        return commands;
    }
}
