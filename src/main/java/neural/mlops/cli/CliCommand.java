package neural.mlops.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that runs: picocli injects its spec here (annotated fields of a superclass are
 * injected too), from which {@link #context()} gives the global options and the streams. The
 * exit status is what {@link #call()} returns; errors are thrown and mapped by {@link Cli}.
 */
abstract class CliCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The workspace, user, output mode and streams of this run. */
    CliContext context() {
        return CliContext.of(spec);
    }
}
