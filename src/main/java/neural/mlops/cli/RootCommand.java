package neural.mlops.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import neural.mlops.identity.SigningKey;
import neural.mlops.store.BuildInfo;
import neural.mlops.store.UserConfig;
import neural.mlops.workspace.WorkspaceLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code neural-mlops}: the global options of SPEC 4, inherited by every subcommand so they may
 * stand before or after it. Subcommands reach them through {@link CliContext}.
 */
@Command(
        name = "neural-mlops",
        mixinStandardHelpOptions = true,
        versionProvider = RootCommand.Version.class,
        description = {
            "Model registry, deployment tracker, audit trail and CI/CD templates for models kept on disk.",
            "With no command, opens the desktop application."
        },
        usageHelpAutoWidth = true)
public final class RootCommand {

    /**
     * Each command group with its commands (its {@code COMMANDS}), in the order help lists them.
     * They are added by {@link Cli}, not named in the annotations, so that a command builds the
     * model of its own group only, and of its own command in it: picocli's reflection over every
     * command took about 0.4 s of each start. The commands are behind a supplier so that only a
     * named group's command classes are loaded.
     */
    private static final Map<Class<?>, Supplier<List<Class<?>>>> TREE = new LinkedHashMap<>();

    static {
        TREE.put(RegistryCommand.class, () -> RegistryCommand.COMMANDS);
        TREE.put(DeployCommand.class, () -> DeployCommand.COMMANDS);
        TREE.put(AuditCommand.class, () -> AuditCommand.COMMANDS);
        TREE.put(CiCommand.class, () -> CiCommand.COMMANDS);
        TREE.put(DemoCommand.class, () -> DemoCommand.COMMANDS);
        TREE.put(BenchCommand.class, () -> BenchCommand.COMMANDS);
    }

    /** The command groups, in the order help lists them. */
    static final List<Class<?>> GROUPS = List.copyOf(TREE.keySet());

    /** The commands of {@code group}, one of {@link #GROUPS}. */
    static List<Class<?>> commandsOf(Class<?> group) {
        Supplier<List<Class<?>>> commands = TREE.get(group);
        if (commands == null) {
            throw new IllegalArgumentException("not a command group: " + group.getName());
        }
        return commands.get();
    }

    /** The global options that take a value: skipped when looking for the command's name. */
    static final Set<String> VALUE_OPTIONS = Set.of("--workspace", "--user", "--sign-with");

    /** The variable naming the signing key when {@code --sign-with} is not given (issue 24). */
    static final String SIGNING_KEY_VARIABLE = SigningKey.VARIABLE;

    @Option(names = "--workspace", paramLabel = "DIR|s3://BUCKET/PREFIX", scope = ScopeType.INHERIT,
            description = {"Workspace folder, or a prefix in an S3-compatible bucket (default: the current folder).",
                "Times the original Python module wrote without a zone are read in its workspace.yaml's "
                        + "legacy_timezone (default: the system zone)."})
    String workspace;

    @Option(names = "--user", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "Acting user recorded in the audit trail (default: the OS user).")
    String user;

    @Option(names = "--sign-with", paramLabel = "KEYFILE", scope = ScopeType.INHERIT,
            description = "Sign governed actions (promotions, alias changes, requests, approvals, rejections, deployment "
                    + "changes) with this SSH key "
                    + "(a private key, or its .pub file or certificate when the ssh-agent holds it), through "
                    + "ssh-keygen -Y sign (default: $" + SIGNING_KEY_VARIABLE + ", else unsigned).")
    Path signWith;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Machine-readable output on stdout.")
    boolean json;

    /** The workspace option as given, or null when it was not; a malformed one is refused with its reason. */
    public WorkspaceLocation workspaceOption() {
        return workspace == null ? null : WorkspaceLocation.parse(workspace);
    }

    WorkspaceLocation workspaceOrCurrent() {
        return workspace != null ? WorkspaceLocation.parse(workspace) : new WorkspaceLocation.Folder(Path.of(""));
    }

    /** The signing key: {@code --sign-with}, else the variable, else none. */
    Optional<Path> signingKey() {
        return SigningKey.choose(Optional.ofNullable(signWith), System.getenv());
    }

    String userOrOsUser() {
        return user != null ? user : UserConfig.osUser();
    }

    /** The version line printed by {@code --version}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"neural-mlops " + BuildInfo.version()};
        }
    }
}
