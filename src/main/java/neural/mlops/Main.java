package neural.mlops;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import neural.mlops.cli.Cli;
import neural.mlops.cli.CommandHeap;
import neural.mlops.cli.Stdout;
import neural.mlops.workspace.WorkspaceLocation;

/**
 * The one entry point of the jar. With a command it runs the CLI, which loads no JavaFX class and
 * so works with no display; with no command it opens the desktop application.
 */
public final class Main {

    /** Loaded by name so that the CLI path never touches a JavaFX class. */
    private static final String DESKTOP_LAUNCHER = "neural.mlops.app.DesktopLauncher";

    private Main() {
    }

    public static void main(String[] args) {
        Optional<WorkspaceLocation> desktop = Cli.desktopRequest(args);
        if (desktop != null) {
            openDesktop(desktop.orElse(null), userOption(args));
            return;
        }
        CommandHeap.widen();
        // Results are buffered (Cli.run flushes them at the end); messages on stderr still appear at once.
        PrintWriter out = new Stdout(System.out);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(Cli.run(args, out, err));
    }

    private static void openDesktop(WorkspaceLocation workspace, String user) {
        try {
            Class.forName(DESKTOP_LAUNCHER)
                    .getMethod("launch", WorkspaceLocation.class, String.class)
                    .invoke(null, workspace, user);
        } catch (InvocationTargetException e) {
            System.err.println("neural-mlops: the desktop application could not start: " + e.getCause().getMessage());
            System.exit(Cli.FAILED);
        } catch (ReflectiveOperationException | LinkageError e) {
            System.err.println("neural-mlops: the desktop application is not available (" + e
                    + "); run a command instead, see 'neural-mlops --help'");
            System.exit(Cli.FAILED);
        }
    }

    /** The desktop's acting user from {@code --user NAME} or {@code --user=NAME}, or null (the parse has accepted the line). */
    private static String userOption(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--user") && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith("--user=")) {
                return args[i].substring("--user=".length());
            }
        }
        return null;
    }
}
