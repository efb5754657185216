package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import neural.mlops.JvmProcess;
import neural.mlops.demo.DemoWorkspace;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.store.Json;
import neural.mlops.store.storage.S3MockServer;
import neural.mlops.workspace.Workspace;
import neural.mlops.workspace.WorkspaceLocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 16's "done when", through the product's own entry points: CLI processes and in-JVM API
 * users sharing one {@code s3://} workspace on a real S3 server (S3Mock, started once for the
 * test run), reached through the standard AWS configuration.
 */
class RemoteWorkspaceTest {

    private static S3MockServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() {
        server = S3MockServer.shared();
        S3MockServer.becomeTheDefaultChain();
    }

    @AfterAll
    static void forget() {
        S3MockServer.forgetDefaultChain();
    }

    @Test
    void concurrentPromotionsFromTwoProcessesLeaveExactlyOneProductionVersionWithEveryTransitionAudited()
            throws Exception {
        WorkspaceLocation.Bucket location = server.newLocation();
        try (Workspace workspace = Workspace.open(location, "setup")) {
            for (int v = 1; v <= 6; v++) {
                Path model = Files.writeString(dir.resolve("model-" + v + ".pt"), "weights " + v);
                workspace.registry().registerModel(RegisterRequest.builder("fraud", "v" + v, model).framework("pytorch").build());
            }
        }

        List<Process> writers = List.of(
                loop(location, 1, "--user", "alice", "registry", "promote", "fraud", "v1", "--to", "production"),
                loop(location, 1, "--user", "bob", "registry", "promote", "fraud", "v2", "--to", "production"));
        List<String> failures = runTogether(writers);
        List<Process> more = List.of(
                loop(location, 1, "--user", "alice", "registry", "promote", "fraud", "v3", "--to", "production"),
                loop(location, 1, "--user", "bob", "registry", "promote", "fraud", "v4", "--to", "production"));
        failures.addAll(runTogether(more));

        assertThat(failures).isEmpty();
        try (Workspace workspace = Workspace.open(location, "auditor")) {
            List<ModelVersion> production = workspace.registry().listVersions("fraud").stream()
                    .filter(version -> version.stage() == ModelStage.PRODUCTION).toList();
            assertThat(production).hasSize(1);
            assertThat(production.get(0).version()).isIn("v3", "v4");
            long promotions = workspace.audit().queryEvents(neural.mlops.audit.AuditFilter.all()).stream()
                    .filter(event -> event.eventType() == neural.mlops.audit.EventType.MODEL_PROMOTED).count();
            assertThat(promotions).as("four promotions to production and the archiving they caused")
                    .isGreaterThanOrEqualTo(4);
            assertThat(workspace.audit().verifyIntegrity().problems()).isEmpty();
        }
    }

    @Test
    void twoHundredAuditAppendsFromEachOfTwoProcessesGiveSeqsOneToFourHundredThatVerify() throws Exception {
        WorkspaceLocation.Bucket location = server.newLocation();
        int each = Integer.getInteger("remote.appends", 200);
        List<Process> writers = List.of(
                loop(location, each, "--user", "ci-a", "audit", "log", "--type", "config_changed", "--action", "a-{i}"),
                loop(location, each, "--user", "ci-b", "audit", "log", "--type", "config_changed", "--action", "b-{i}"));

        assertThat(runTogether(writers)).isEmpty();

        try (Workspace workspace = Workspace.open(location, "auditor")) {
            List<Long> seqs = workspace.audit().queryEvents(neural.mlops.audit.AuditFilter.all()).stream()
                    .map(event -> event.seq()).sorted().toList();
            assertThat(seqs).hasSize(2 * each);
            assertThat(seqs.get(0)).isEqualTo(1L);
            assertThat(seqs.get(seqs.size() - 1)).isEqualTo(2L * each);
            assertThat(seqs).doesNotHaveDuplicates();
            assertThat(workspace.audit().verifyIntegrity().problems()).isEmpty();
        }
    }

    @Test
    void aLocalDemoWorkspaceCopiedKeyByKeyIntoTheBucketListsIdentically() throws Exception {
        Path local = DemoWorkspace.create(dir.resolve("demo"), message -> { });
        WorkspaceLocation.Bucket location = server.newLocation();
        try (S3Client client = server.newClient(); Stream<Path> files = Files.walk(local)) {
            // What `aws s3 sync demo s3://bucket/prefix` does: every file, at its relative path.
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = location.location().prefix() + local.relativize(file).toString().replace('\\', '/');
                client.putObject(put -> put.bucket(S3MockServer.BUCKET).key(key), RequestBody.fromFile(file));
            }
        }

        for (List<String> command : List.of(List.of("registry", "list", "--json"), List.of("deploy", "list", "--json"))) {
            CliRun fromFolder = CliRun.in(local, "viewer", command.toArray(String[]::new));
            List<String> remote = new ArrayList<>(List.of("--workspace", location.toString()));
            remote.addAll(command);
            CliRun fromBucket = CliRun.of(remote.toArray(String[]::new));
            assertThat(fromFolder.status()).as(String.join(" ", command)).isZero();
            assertThat(fromBucket.status()).as(fromBucket.err()).isZero();
            JsonNode expected = Json.mapper().readTree(fromFolder.out());
            assertThat(Json.mapper().readTree(fromBucket.out())).as(String.join(" ", command)).isEqualTo(expected);
        }
        try (Workspace folder = Workspace.open(local, "viewer"); Workspace bucket = Workspace.open(location, "viewer")) {
            assertThat(bucket.audit().queryEvents(neural.mlops.audit.AuditFilter.all()))
                    .isEqualTo(folder.audit().queryEvents(neural.mlops.audit.AuditFilter.all()));
        }
        CliRun verified = CliRun.of("--workspace", location.toString(), "audit", "verify");
        assertThat(verified.status()).as(verified.out() + verified.err()).isZero();
    }

    private Process loop(WorkspaceLocation.Bucket location, int times, String... command) throws IOException {
        List<String> args = new ArrayList<>(List.of(Integer.toString(times), "--workspace", location.toString()));
        args.addAll(List.of(command));
        return JvmProcess.start(List.of(), server.environment(), CliLoop.class.getName(), args.toArray(String[]::new));
    }

    /** Starts the processes together and returns every failure line they printed. */
    private static List<String> runTogether(List<Process> processes) throws Exception {
        try {
            for (Process process : processes) {
                JvmProcess.awaitLine(process, CliLoop.READY);
            }
            for (Process process : processes) {
                Writer go = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
                go.write("go\n");
                go.flush();
            }
            List<String> failures = new ArrayList<>();
            for (Process process : processes) {
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(process.waitFor(600, TimeUnit.SECONDS)).isTrue();
                // The test class path has two SLF4J providers (S3Mock's Logback and the product's nop); SLF4J says so.
                output.lines().filter(line -> !line.equals(CliLoop.DONE) && !line.startsWith("SLF4J"))
                        .forEach(failures::add);
                assertThat(process.exitValue()).as(output).isZero();
            }
            return failures;
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }
}
