package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import neural.mlops.registry.TreeSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC 2: a store never writes through a symbolic link that leads outside it. Someone who can
 * write the shared workspace plants a link inside a store (the metadata folder, one metadata
 * document, a model's artifact folder, a deployment document, the audit events folder, today's
 * day folder, head.json, the reports folder, the append hint, a lock file) pointing at a place
 * they cannot write themselves; the next user's command must refuse, say why, and leave both the
 * place outside and the workspace exactly as they were. A link at a store's root stays allowed
 * (StorePathsTest): that is how a store is put on another disk, by whoever owns the workspace.
 */
@DisabledOnOs(OS.WINDOWS)
class SymbolicLinkTest {

    @TempDir
    Path dir;

    Path workspace;
    Path outside;
    Path model;
    String deployment;

    @BeforeEach
    void aWorkspaceWithAVersionADeploymentAndAnAuditTrail() throws IOException {
        workspace = Files.createDirectories(dir.resolve("workspace"));
        outside = Files.createDirectories(dir.resolve("outside"));
        model = Files.writeString(dir.resolve("model.pt"), "weights");
        ok("registry", "register", "--name", "fraud_detector", "--version", "v1.0.0", "--model-path", model.toString(),
                "--framework", "pytorch");
        deployment = ok("deploy", "create", "--model", "fraud_detector", "--version", "v1.0.0", "--env", "staging",
                "--endpoint", "http://localhost:8080/").out().strip();
        ok("audit", "log", "--type", "config_changed", "--action", "edit");
    }

    static Stream<Arguments> plantedLinks() {
        String day = "audit_logs/events/{today}";
        List<String> register = List.of("registry", "register", "--name", "fraud_detector", "--version", "v2.0.0",
                "--model-path", "{model}", "--framework", "pytorch");
        List<String> promote = List.of("registry", "promote", "fraud_detector", "v1.0.0", "--to", "staging");
        List<String> auditLog = List.of("audit", "log", "--type", "config_changed", "--action", "edit");
        return Stream.of(
                arguments("models/metadata", true, register),
                arguments("models/metadata", true, promote),
                arguments("models/metadata/fraud_detector_v1.0.0.json", false, promote),
                arguments("models/models/fraud_detector", true, register),
                arguments("deployments/{deployment}.json", false, List.of("deploy", "activate", "{deployment}")),
                arguments("audit_logs/events", true, auditLog),
                arguments("audit_logs/events", true, promote),
                arguments(day, true, auditLog),
                arguments(day, true, List.of("deploy", "activate", "{deployment}")),
                arguments("audit_logs/head.json", false, auditLog),
                arguments("audit_logs/reports", true, List.of("audit", "report")),
                arguments("audit_logs/.append-intent", false, auditLog),
                arguments("models/.lock", false, promote),
                arguments("deployments/.lock", false, List.of("deploy", "activate", "{deployment}")),
                arguments("audit_logs/.audit.lock", false, auditLog));
    }

    @ParameterizedTest(name = "{0} -> outside, then {2}")
    @MethodSource("plantedLinks")
    void aLinkPlantedInsideAStoreIsNeverWrittenThrough(String planted, boolean folder, List<String> command)
            throws IOException {
        List<Path> links = new ArrayList<>();
        for (String path : plantedPaths(planted)) {
            Path link = workspace.resolve(path.replace("{deployment}", deployment));
            Path target = outside.resolve(link.getFileName().toString());
            if (Files.exists(link)) {
                Files.move(link, target); // the attacker moves the real thing out and links to it
            } else if (folder) {
                Files.createDirectories(target);
            }
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, target);
            links.add(link);
        }
        Map<String, String> outsideBefore = TreeSnapshot.of(outside);
        Map<String, String> workspaceBefore = workspaceSnapshot();

        CliRun run = cli(command);

        assertThat(run.status()).as(run.err()).isIn(Cli.BAD_INPUT, Cli.FAILED);
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        assertThat(run.err()).containsAnyOf("leads outside the store", "symbolic link")
                .doesNotContain("Exception", "\tat ");
        assertThat(TreeSnapshot.of(outside)).as("the place the link leads to").isEqualTo(outsideBefore);
        assertThat(workspaceSnapshot()).as("the workspace").isEqualTo(workspaceBefore);
        assertThat(links).as("the link itself is left for the owner to inspect").allMatch(Files::isSymbolicLink);
    }

    /**
     * {today} is the audit trail's day folder of today (UTC). The command below reads the wall clock
     * itself, so tomorrow's folder gets the same link: a run that crosses midnight still meets one.
     */
    private static List<String> plantedPaths(String planted) {
        if (!planted.contains("{today}")) {
            return List.of(planted);
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return List.of(planted.replace("{today}", dayFolder(today)), planted.replace("{today}", dayFolder(today.plusDays(1))));
    }

    private static String dayFolder(LocalDate day) {
        return String.format("%04d/%02d/%02d", day.getYear(), day.getMonthValue(), day.getDayOfMonth());
    }

    /**
     * The requests folder is inside the registry store, so a link there is not a store root: the
     * request's lock file once appeared at the link's target before the command was refused.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "requests folder linked, then {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"request", "approve", "reject"})
    void aLinkAtTheRequestsFolderCreatesNothingWhereItLeads(String verb) throws IOException {
        Files.writeString(workspace.resolve("workspace.yaml"), "policy:\n  stages:\n    production:\n"
                + "      approvals: 2\n");
        Path requests = workspace.resolve("models/requests");
        Path target = Files.createDirectories(outside.resolve("requests"));
        if (Files.exists(requests)) {
            Files.move(requests, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createSymbolicLink(requests, target);
        Map<String, String> outsideBefore = TreeSnapshot.of(outside);
        Map<String, String> workspaceBefore = workspaceSnapshot();

        List<String> command = new ArrayList<>(List.of("registry", verb, "fraud_detector", "v1.0.0", "--to", "production"));
        if (!verb.equals("approve")) {
            command.addAll(List.of("--reason", "ready"));
        }
        CliRun run = cli(command);

        assertThat(run.status()).as(run.err()).isIn(Cli.BAD_INPUT, Cli.FAILED);
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        assertThat(run.err()).contains("leads outside the store").doesNotContain("Exception");
        assertThat(TreeSnapshot.of(outside)).as("no lock file, no request where the link leads").isEqualTo(outsideBefore);
        assertThat(workspaceSnapshot()).isEqualTo(workspaceBefore);
    }

    /**
     * The workspace byte for byte, less the advisory append hint that every append attempt rewrites
     * and the storage's change marker, which a refused change may move (it only says "look again").
     */
    private Map<String, String> workspaceSnapshot() {
        Map<String, String> snapshot = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(workspace)) {
            for (Path path : paths.toList()) {
                String relative = workspace.relativize(path).toString();
                // The append's hint, and the storage's own objects (change marker, locks), come before the refused write.
                if (!relative.endsWith(".append-intent") && !relative.contains(".neural-mlops")) {
                    snapshot.put(relative, Files.isSymbolicLink(path) ? "link to " + Files.readSymbolicLink(path)
                            : Files.isDirectory(path) ? "folder" : Files.readString(path, java.nio.charset.StandardCharsets.ISO_8859_1));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return snapshot;
    }

    private CliRun cli(List<String> args) {
        List<String> full = new ArrayList<>(List.of("--workspace", workspace.toString(), "--user", "alice"));
        args.forEach(arg -> full.add(arg.replace("{model}", model.toString())
                .replace("{deployment}", deployment == null ? "" : deployment)));
        return CliRun.of(full.toArray(String[]::new));
    }

    private CliRun ok(String... args) {
        CliRun run = cli(List.of(args));
        assertThat(run.status()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run;
    }
}
