package neural.mlops.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import neural.mlops.store.ErrorLog;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.MlopsException;
import neural.mlops.store.Names;
import neural.mlops.workspace.WorkspaceLocation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Runs the command line (SPEC 4) and maps every outcome to an exit status: 0 success, 1 the
 * operation failed, 2 bad usage or bad input. Errors are one line on stderr; stack traces go to
 * the log file. Loads no JavaFX class.
 */
public final class Cli {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    private Cli() {
    }

    /** A new command line with every command and our handlers, writing to the given streams. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(RootCommand.GROUPS, new String[0], out, err);
    }

    /**
     * A new command line for {@code args}: when they name a command group, the model holds that
     * group only, and of it the command they name (it parses and runs exactly as in the whole
     * tree); otherwise every group, for the top-level help and the "unknown command" message with
     * its suggestions.
     */
    static CommandLine commandLine(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(groupsFor(args), args, out, err);
    }

    private static CommandLine commandLine(List<Class<?>> groups, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = root(groups, args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // A user or a reason may be called "ci" or "audit": an option's value is never a command.
        commandLine.setAllowSubcommandsAsOptionParameters(true);
        commandLine.setParameterExceptionHandler(Cli::onBadUsage);
        commandLine.setExecutionExceptionHandler((error, cmd, parseResult) -> onFailure(error, cmd));
        return commandLine;
    }

    /** Runs {@code args} and returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        int status = commandLine(args, out, err).execute(args);
        out.flush();
        err.flush();
        return status;
    }

    /**
     * When {@code args} name no command (and ask for neither help nor the version), the desktop
     * application should open: returns the workspace it should open, possibly empty. Returns
     * null when the arguments are for the command line, including bad ones (it reports those).
     */
    public static Optional<WorkspaceLocation> desktopRequest(String[] args) {
        Optional<WorkspaceLocation> plain = plainDesktopRequest(args);
        if (plain != null) {
            return plain;
        }
        if (groupsFor(args).size() < RootCommand.GROUPS.size()) {
            // A command is named, or the version alone is asked: the command line, whose own parse
            // reports any mistake.
            return null;
        }
        CommandLine commandLine = root(RootCommand.GROUPS, args);
        commandLine.setAllowSubcommandsAsOptionParameters(true);
        try {
            ParseResult parsed = commandLine.parseArgs(args);
            if (parsed.hasSubcommand() || parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()
                    || !parsed.unmatched().isEmpty()) {
                return null;
            }
            RootCommand root = commandLine.getCommand();
            return Optional.ofNullable(root.workspaceOption());
        } catch (ParameterException | InvalidInputException e) {
            return null;
        }
    }

    /**
     * The root command with {@code groups} as its subcommands, each with the commands {@code args}
     * ask for ({@link #commandsFor}); settings must be made after this.
     */
    private static CommandLine root(List<Class<?>> groups, String[] args) {
        CommandLine commandLine = new CommandLine(new RootCommand());
        for (Class<?> group : groups) {
            CommandLine groupLine = new CommandLine(group);
            for (Class<?> command : commandsFor(group, args)) {
                groupLine.addSubcommand(nameOf(command), command);
            }
            commandLine.addSubcommand(nameOf(group), groupLine);
        }
        return commandLine;
    }

    private static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /**
     * The group {@code args} name (the first argument that is neither an option nor its value);
     * none for a lone {@code --version}, which only the root answers; else all.
     */
    static List<Class<?>> groupsFor(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return List.of(); // building every group's model was a third of its start
        }
        int at = nameAt(args, 0);
        if (at >= 0) {
            for (Class<?> group : RootCommand.GROUPS) {
                if (nameOf(group).equals(args[at])) {
                    return List.of(group);
                }
            }
        }
        return RootCommand.GROUPS;
    }

    /**
     * The command of {@code group} that {@code args} name after the group's own name; else every
     * command of the group, for its help and for the "unknown command" message with suggestions.
     */
    static List<Class<?>> commandsFor(Class<?> group, String[] args) {
        List<Class<?>> all = RootCommand.commandsOf(group);
        int groupAt = nameAt(args, 0);
        if (groupAt < 0 || !args[groupAt].equals(nameOf(group))) {
            return all;
        }
        int commandAt = nameAt(args, groupAt + 1);
        if (commandAt < 0) {
            return all;
        }
        for (int i = groupAt + 1; i < commandAt; i++) {
            if (args[i].equals("-h") || args[i].equals("--help")) {
                return all; // the group's help lists every command
            }
        }
        for (Class<?> command : all) {
            if (nameOf(command).equals(args[commandAt])) {
                return List.of(command);
            }
        }
        return all;
    }

    /**
     * The index of the first argument from {@code from} that is neither an option nor the value of
     * a global option; -1 when there is none before the end or a {@code --}.
     */
    private static int nameAt(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (RootCommand.VALUE_OPTIONS.contains(arg)) {
                i++;
            } else if (arg.equals("--")) {
                return -1;
            } else if (!arg.startsWith("-")) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The usual ways of opening the desktop (no argument, or only {@code --workspace DIR}),
     * recognised without building the command model: picocli's reflection over every command
     * took about 0.6 s of the first window's start. Null when the full parser must decide.
     */
    static Optional<WorkspaceLocation> plainDesktopRequest(String[] args) {
        try {
            if (args.length == 0) {
                return Optional.empty();
            }
            if (args.length == 2 && args[0].equals("--workspace") && !args[1].isEmpty() && !args[1].startsWith("-")) {
                return Optional.of(WorkspaceLocation.parse(args[1]));
            }
            if (args.length == 1 && args[0].startsWith("--workspace=") && args[0].length() > "--workspace=".length()) {
                return Optional.of(WorkspaceLocation.parse(args[0].substring("--workspace=".length())));
            }
        } catch (InvalidInputException notAWorkspace) {
            return null; // the full parser words the error
        }
        return null;
    }

    private static int onBadUsage(ParameterException error, String[] args) {
        CommandLine cmd = error.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = error.getMessage();
        if (error instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()
                && unmatched.getUnmatched().get(0).equals(args.length > 0 ? firstNonOption(args) : null)
                && cmd.getParent() == null) {
            message = "Unknown command " + Names.quote(unmatched.getUnmatched().get(0));
        }
        err.println("neural-mlops: " + oneLine(message) + ". See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return BAD_INPUT;
    }

    private static int onFailure(Exception error, CommandLine cmd) {
        PrintWriter err = cmd.getErr();
        if (error instanceof InvalidInputException) {
            err.println("neural-mlops: " + oneLine(error.getMessage()));
            err.flush();
            return BAD_INPUT;
        }
        if (error instanceof MlopsException) {
            if (error.getCause() != null) {
                ErrorLog.append(cmd.getCommandSpec().qualifiedName(), error);
            }
            err.println("neural-mlops: " + oneLine(error.getMessage()));
            err.flush();
            return FAILED;
        }
        Path log = ErrorLog.append(cmd.getCommandSpec().qualifiedName(), error);
        err.println("neural-mlops: unexpected error: " + oneLine(String.valueOf(error.getMessage()))
                + (log == null ? "" : " (details in " + log + ")"));
        err.flush();
        return FAILED;
    }

    private static String firstNonOption(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return arg;
            }
        }
        return null;
    }

    /** Keeps a message on one line whatever it quotes, with anything else unprintable escaped ({@link Terminal}). */
    static String oneLine(String message) {
        String text = message == null ? "" : message.strip();
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        return Terminal.text(text.replaceAll("[\\r\\n]+", " "));
    }
}
