package neural.mlops.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the real command line in process and captures what it printed. */
public record CliRun(int status, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Cli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(status, out.toString(), err.toString());
    }

    /** Runs {@code args} on {@code workspace} as {@code user} (the global options first, as pipelines write them). */
    public static CliRun in(java.nio.file.Path workspace, String user, String... args) {
        String[] full = new String[args.length + 4];
        full[0] = "--workspace";
        full[1] = workspace.toString();
        full[2] = "--user";
        full[3] = user;
        System.arraycopy(args, 0, full, 4, args.length);
        return of(full);
    }

    /** The lines of stderr, without blank ones. */
    public java.util.List<String> errLines() {
        return err.lines().filter(line -> !line.isBlank()).toList();
    }
}
