package neural.mlops.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A second (or third) process for the remote-workspace tests: prints "ready", waits for a line on
 * stdin so that the processes start together, then runs one CLI command {@code times} times, each
 * exactly as a separate {@code neural-mlops} invocation would (a new parse, the workspace opened
 * afresh), with {@code {i}} in the arguments replaced by the round. Prints "failed: ..." for each
 * run that did not exit 0 and "done" at the end.
 *
 * <p>Arguments: times, then the CLI arguments.
 */
public final class CliLoop {

    static final String READY = "ready";
    static final String DONE = "done";

    private CliLoop() {
    }

    public static void main(String[] args) throws Exception {
        int times = Integer.parseInt(args[0]);
        String[] command = Arrays.copyOfRange(args, 1, args.length);
        System.out.println(READY);
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        for (int i = 0; i < times; i++) {
            String round = Integer.toString(i);
            String[] arguments = Arrays.stream(command).map(arg -> arg.replace("{i}", round)).toArray(String[]::new);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = Cli.run(arguments, new PrintWriter(out), new PrintWriter(err));
            if (status != Cli.OK) {
                System.out.println("failed: " + String.join(" ", arguments) + " -> " + status + ": " + err.toString().strip());
            }
        }
        System.out.println(DONE);
        System.out.flush();
    }
}
