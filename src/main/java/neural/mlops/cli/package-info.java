/**
 * The command-line tool (SPEC 4), built with picocli: one class per command group, global options
 * in {@link neural.mlops.cli.RootCommand}, exit statuses in {@link neural.mlops.cli.Cli}.
 * Uses the core packages; never JavaFX or {@code neural.mlops.app}.
 */
package neural.mlops.cli;
