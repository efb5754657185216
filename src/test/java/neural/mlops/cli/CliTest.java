package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import neural.mlops.workspace.WorkspaceLocation;
import org.junit.jupiter.api.Test;

class CliTest {

    @Test
    void helpListsTheGlobalOptionsAndExitsZero() {
        CliRun run = CliRun.of("--help");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("neural-mlops", "--workspace", "--user", "--json", "--version");
    }

    @Test
    void versionPrintsTheProductVersion() {
        CliRun run = CliRun.of("--version");
        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("neural-mlops ").doesNotContain("unknown");
    }

    @Test
    void helpListsEveryCommandGroup() {
        CliRun run = CliRun.of("--help");
        assertThat(run.out()).contains("registry", "deploy", "audit", "ci", "demo", "bench");
    }

    @Test
    void aCommandBuildsTheModelOfItsOwnGroupOnlySkippingTheValuesOfGlobalOptions() {
        assertThat(Cli.groupsFor(new String[] {"--workspace", "registry", "deploy", "list"}))
                .containsExactly(DeployCommand.class);
        assertThat(Cli.groupsFor(new String[] {"--user=ci", "--json", "audit", "verify"}))
                .containsExactly(AuditCommand.class);
        assertThat(Cli.groupsFor(new String[] {"registry", "list", "--user", "ci"}))
                .containsExactly(RegistryCommand.class);
        assertThat(Cli.groupsFor(new String[] {"frobnicate"})).isEqualTo(RootCommand.GROUPS);
        assertThat(Cli.groupsFor(new String[] {"--help"})).isEqualTo(RootCommand.GROUPS);
        assertThat(Cli.groupsFor(new String[] {"--", "registry"})).isEqualTo(RootCommand.GROUPS);
        assertThat(Cli.groupsFor(new String[0])).isEqualTo(RootCommand.GROUPS);
        assertThat(Cli.groupsFor(new String[] {"--version"})).isEmpty();
        assertThat(Cli.groupsFor(new String[] {"--version", "registry"})).containsExactly(RegistryCommand.class);
    }

    @Test
    void aCommandBuildsTheModelOfItselfOnlyInItsGroup() {
        assertThat(Cli.commandsFor(RegistryCommand.class, new String[] {"registry", "list"}))
                .containsExactly(RegistryCommand.ListVersions.class);
        assertThat(Cli.commandsFor(RegistryCommand.class,
                new String[] {"--json", "registry", "--workspace", "list", "list", "--user", "ci"}))
                .containsExactly(RegistryCommand.ListVersions.class);
        assertThat(Cli.commandsFor(DeployCommand.class, new String[] {"deploy", "list"}))
                .containsExactly(DeployCommand.ListCommand.class);
        assertThat(Cli.commandsFor(RegistryCommand.class, new String[] {"registry"})).isEqualTo(RegistryCommand.COMMANDS);
        assertThat(Cli.commandsFor(RegistryCommand.class, new String[] {"registry", "lst"})).isEqualTo(RegistryCommand.COMMANDS);
        assertThat(Cli.commandsFor(RegistryCommand.class, new String[] {"registry", "--help", "list"}))
                .isEqualTo(RegistryCommand.COMMANDS);
        assertThat(Cli.commandsFor(RegistryCommand.class, new String[] {"--help"})).isEqualTo(RegistryCommand.COMMANDS);
    }

    @Test
    void aGroupsHelpAndAMissingCommandStillListEveryCommandOfTheGroup() {
        CliRun help = CliRun.of("registry", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("register", "promote", "compare", "alias", "requests");

        CliRun missing = CliRun.of("registry");
        assertThat(missing.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(missing.errLines().get(0)).contains("register", "list", "promote", "alias");
    }

    @Test
    void theGlobalOptionsStillStandBeforeOrAfterACommandBuiltAlone() {
        CliRun before = CliRun.of("--json", "--workspace", "/nonexistent/neural-mlops-ws", "registry", "list");
        CliRun after = CliRun.of("registry", "list", "--workspace", "/nonexistent/neural-mlops-ws", "--json");
        assertThat(after.status()).isEqualTo(before.status());
        assertThat(after.err()).isEqualTo(before.err());
        assertThat(after.out()).isEqualTo(before.out());
    }

    @Test
    void theVersionIsAnsweredByTheRootAloneAndOpensNoDesktop() {
        for (String flag : List.of("--version", "-V")) {
            CliRun run = CliRun.of(flag);
            assertThat(run.status()).isZero();
            assertThat(run.out()).startsWith("neural-mlops ");
            assertThat(run.errLines()).isEmpty();
            assertThat(Cli.desktopRequest(new String[] {flag})).isNull();
        }
    }

    @Test
    void aMisspelledSubcommandInsideAGroupIsStillReportedWithItsGroupsHelp() {
        CliRun run = CliRun.of("registry", "lst");
        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines().get(0)).contains("'lst'").contains("neural-mlops registry --help");
    }

    @Test
    void anUnknownCommandExitsTwoWithOneLine() {
        CliRun run = CliRun.of("frobnicate");
        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines().get(0)).contains("Unknown command 'frobnicate'").contains("--help");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnknownOptionExitsTwoWithOneLine() {
        CliRun run = CliRun.of("--frobnicate");
        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines().get(0)).contains("--frobnicate");
    }

    @Test
    void noCommandMeansTheDesktopOnTheGivenWorkspace() {
        assertThat(Cli.desktopRequest(new String[0])).isEqualTo(Optional.empty());
        assertThat(Cli.desktopRequest(new String[] {"--workspace", "ws"}))
                .isEqualTo(Optional.of(new WorkspaceLocation.Folder(Path.of("ws"))));
        assertThat(Cli.desktopRequest(new String[] {"--workspace", "s3://team-models/fraud"}))
                .hasValueSatisfying(location -> assertThat(location).hasToString("s3://team-models/fraud"));
        assertThat(Cli.desktopRequest(new String[] {"--help"})).isNull();
        assertThat(Cli.desktopRequest(new String[] {"--version"})).isNull();
        assertThat(Cli.desktopRequest(new String[] {"frobnicate"})).isNull();
        assertThat(Cli.desktopRequest(new String[] {"--workspace"})).isNull();
        assertThat(Cli.desktopRequest(new String[] {"--user", "ci", "registry", "list"})).isNull();
        assertThat(Cli.desktopRequest(new String[] {"--user", "ci", "--workspace", "ws"}))
                .isEqualTo(Optional.of(new WorkspaceLocation.Folder(Path.of("ws"))));
    }

    @Test
    void userNamesWithControlCharactersAreRefused() {
        CliRun run = CliRun.of("--user", "alice\nINFO forged", "deploy", "list");
        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.errLines().get(0)).contains("Invalid user").contains("control characters");
    }

    @Test
    void anOptionValueMayBeTheNameOfACommand(@org.junit.jupiter.api.io.TempDir java.nio.file.Path workspace) {
        CliRun run = CliRun.of("--workspace", workspace.toString(), "--user", "ci", "audit", "log", "--type", "config_changed");
        assertThat(run.status()).as(run.err()).isZero();
        CliRun query = CliRun.of("--workspace", workspace.toString(), "--json", "audit", "query");
        assertThat(query.out()).contains("\"user\" : \"ci\"");
    }

    @Test
    void messagesAreKeptOnOneLine() {
        assertThat(Cli.oneLine("first\nsecond.\n")).isEqualTo("first second");
    }
}
