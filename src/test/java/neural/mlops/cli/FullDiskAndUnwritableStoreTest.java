package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import neural.mlops.deployment.Deployment;
import neural.mlops.deployment.DeploymentStatus;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.TreeSnapshot;
import neural.mlops.store.Faults;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes that fail part-way, as on a full disk (fault injection in AtomicFiles) or in a store that
 * cannot be written (a file where a folder must be: this works as root too, where permissions are
 * ignored): the command exits 1 with one clear line and no stack trace, every store keeps its
 * previous state byte for byte, the audit trail stays intact, and the command works once the
 * fault is gone.
 */
class FullDiskAndUnwritableStoreTest {

    static final String ENDPOINT = "http://localhost:8080/predict";

    @TempDir
    Path workspace;

    Path model;

    @BeforeEach
    void aWorkspaceWithAProductionVersionAndAnActiveDeployment() throws IOException {
        model = Files.writeString(workspace.resolve("model.pt"), "weights");
        ok("registry", "register", "--name", "fraud_detector", "--version", "v1.0.0", "--model-path", model.toString(),
                "--framework", "pytorch", "--stage", "production");
        ok("registry", "register", "--name", "fraud_detector", "--version", "v2.0.0", "--model-path", model.toString(),
                "--framework", "pytorch", "--stage", "staging");
        String first = ok("deploy", "create", "--model", "fraud_detector", "--version", "v1.0.0", "--env", "production",
                "--endpoint", ENDPOINT).out().strip();
        ok("deploy", "activate", first);
    }

    @AfterEach
    void noFaultOutlivesItsTest() {
        Faults.diskFullFor(target -> false).close();
    }

    @Test
    void aRegistrationWhoseMetadataCannotBeWrittenRegistersNothingAndCanBeRepeated() {
        Map<String, String> before = stores();

        CliRun run;
        try (Faults.Injected full = Faults.diskFullFor(target -> target.endsWith("fraud_detector_v3.0.0.json"))) {
            run = cli("registry", "register", "--name", "fraud_detector", "--version", "v3.0.0", "--model-path",
                    model.toString(), "--framework", "pytorch", "--stage", "production", "--config", config().toString());
            assertThat(full.failures()).isEqualTo(1);
        }

        assertFailedCleanly(run, "No space left on device", "fraud_detector_v3.0.0.json");
        assertThat(stores()).isEqualTo(before);
        assertThat(registry().getModel("fraud_detector", "v1.0.0").stage()).isEqualTo(ModelStage.PRODUCTION);
        // With fail-closed auditing the events came first; each is followed by its failure.
        assertThat(events(EventType.MODEL_REGISTERED)).extracting(AuditEvent::resourceId, AuditEvent::outcome)
                .endsWith(tuple("fraud_detector:v3.0.0", Outcome.SUCCESS), tuple("fraud_detector:v3.0.0", Outcome.FAILURE));
        // v1.0.0 is archived only once v3.0.0 is registered (its document is the commit point): never attempted.
        assertThat(events(EventType.MODEL_PROMOTED)).noneMatch(event -> event.outcome() == Outcome.FAILURE);
        assertAuditIntact();

        ok("registry", "register", "--name", "fraud_detector", "--version", "v3.0.0", "--model-path", model.toString(),
                "--framework", "pytorch", "--stage", "production");
        assertThat(registry().getModel("fraud_detector", "v1.0.0").stage()).isEqualTo(ModelStage.ARCHIVED);
        assertThat(registry().verifyArtifact("fraud_detector", "v3.0.0").status().name()).isEqualTo("INTACT");
    }

    @Test
    void aRegistrationWhoseModelFileCannotBeFlushedRegistersNothing() {
        Map<String, String> before = stores();

        CliRun run;
        try (Faults.Injected full = Faults.diskFullFor(target -> target.endsWith("v3.0.0/model.pt"))) {
            run = cli("registry", "register", "--name", "fraud_detector", "--version", "v3.0.0", "--model-path",
                    model.toString(), "--framework", "pytorch", "--stage", "production");
            assertThat(full.failures()).isEqualTo(1);
        }

        assertFailedCleanly(run, "No space left on device", "model.pt");
        assertThat(stores()).isEqualTo(before);
        assertAuditIntact();
        ok("registry", "register", "--name", "fraud_detector", "--version", "v3.0.0", "--model-path", model.toString(),
                "--framework", "pytorch", "--stage", "production");
        assertThat(registry().verifyArtifact("fraud_detector", "v3.0.0").status().name()).isEqualTo("INTACT");
    }

    @Test
    void aPromotionWhoseSecondDocumentCannotBeWrittenLeavesTheOldProductionVersionInPlace() {
        Map<String, String> before = stores();

        CliRun run;
        try (Faults.Injected full = Faults.diskFullFor(target -> target.endsWith("fraud_detector_v2.0.0.json"))) {
            run = cli("registry", "promote", "fraud_detector", "v2.0.0", "--to", "production", "--reason", "better");
            assertThat(full.failures()).isEqualTo(1);
        }

        assertFailedCleanly(run, "No space left on device", "fraud_detector_v2.0.0.json");
        assertThat(stores()).isEqualTo(before);
        assertThat(registry().getProductionVersion("fraud_detector")).hasValueSatisfying(
                production -> assertThat(production.version()).isEqualTo("v1.0.0"));
        assertAuditIntact();

        ok("registry", "promote", "fraud_detector", "v2.0.0", "--to", "production", "--reason", "better");
        assertThat(registry().getModel("fraud_detector", "v1.0.0").stage()).isEqualTo(ModelStage.ARCHIVED);
    }

    @Test
    void anActivationWhoseDocumentCannotBeWrittenLeavesThePreviousDeploymentActive() {
        String second = ok("deploy", "create", "--model", "fraud_detector", "--version", "v2.0.0", "--env",
                "production", "--endpoint", ENDPOINT).out().strip();
        Map<String, String> before = stores();

        CliRun run;
        try (Faults.Injected full = Faults.diskFullFor(target -> target.endsWith(second + ".json"))) {
            run = cli("deploy", "activate", second);
            assertThat(full.failures()).isEqualTo(1);
        }

        assertFailedCleanly(run, "No space left on device", second + ".json");
        assertThat(stores()).isEqualTo(before);
        assertThat(workspaceStores().deployments().activeDeployment("fraud_detector", "production"))
                .map(Deployment::modelVersion).hasValue("v1.0.0");
        assertThat(events(EventType.DEPLOYMENT_ACTIVATED)).last().extracting(AuditEvent::outcome)
                .isEqualTo(Outcome.FAILURE);
        assertAuditIntact();

        ok("deploy", "activate", second);
        assertThat(workspaceStores().deployments().getDeployment(second).status()).isEqualTo(DeploymentStatus.ACTIVE);
    }

    @Test
    void whenTheAuditEventCannotBeWrittenTheActionIsNotCarriedOut() {
        Map<String, String> before = everything();

        CliRun run;
        try (Faults.Injected full = Faults.diskFullFor(target -> target.getFileName().toString().startsWith("event_"))) {
            run = cli("registry", "promote", "fraud_detector", "v2.0.0", "--to", "production");
            assertThat(full.failures()).isEqualTo(1);
        }

        assertFailedCleanly(run, "No space left on device", "audit trail could not record");
        assertThat(everything()).isEqualTo(before);
        assertAuditIntact();
    }

    @Test
    void whenTheChainHeadCannotBeWrittenTheEventIsWithdrawnAndTheActionIsNotCarriedOut() {
        Map<String, String> before = everything();

        CliRun run;
        try (Faults.Injected full = Faults.diskFullFor(target -> target.endsWith("head.json"))) {
            run = cli("deploy", "create", "--model", "fraud_detector", "--version", "v2.0.0", "--env", "staging",
                    "--endpoint", ENDPOINT);
            assertThat(full.failures()).isEqualTo(1);
        }

        assertFailedCleanly(run, "No space left on device", "head.json");
        assertThat(everything()).isEqualTo(before);
        assertAuditIntact();
        ok("deploy", "create", "--model", "fraud_detector", "--version", "v2.0.0", "--env", "staging",
                "--endpoint", ENDPOINT);
    }

    @Test
    void aFullDeviceRefusesEveryChangeButReadingGoesOn() {
        Map<String, String> before = everything();

        try (Faults.Injected full = Faults.diskFull()) {
            assertFailedCleanly(cli("registry", "promote", "fraud_detector", "v2.0.0", "--to", "production"),
                    "No space left on device");
            assertFailedCleanly(cli("registry", "register", "--name", "fraud_detector", "--version", "v9.0.0",
                    "--model-path", model.toString(), "--framework", "pytorch"), "No space left on device");
            assertFailedCleanly(cli("audit", "log", "--type", "config_changed", "--action", "edit"),
                    "No space left on device");
            assertThat(cli("registry", "list").status()).isZero();
            assertThat(cli("deploy", "list").status()).isZero();
            assertThat(cli("audit", "query").status()).isZero();
            assertThat(full.failures()).isGreaterThanOrEqualTo(3);
        }

        assertThat(everything()).isEqualTo(before);
        assertAuditIntact();
    }

    @Test
    void aFileWhereTheMetadataFolderMustBeFailsTheRegistrationClearlyAndLeavesNoHalfOfIt() throws IOException {
        Path metadata = workspace.resolve("models/metadata");
        Path moved = workspace.resolve("metadata-aside");
        Files.move(metadata, moved);
        Files.writeString(metadata, "in the way");
        Map<String, String> before = stores();

        CliRun run = cli("registry", "register", "--name", "credit", "--version", "v1.0.0", "--model-path",
                model.toString(), "--framework", "pytorch");

        assertFailedCleanly(run, "is a file where a folder must be", "models/metadata");
        assertThat(stores()).isEqualTo(before);
        assertThat(workspace.resolve("models/models/credit")).doesNotExist();
        assertAuditIntact();
    }

    @Test
    void aFileWhereTheAuditEventsFolderMustBeRefusesEveryAuditedAction() throws IOException {
        Path events = workspace.resolve("audit_logs/events");
        Files.move(events, workspace.resolve("events-aside"));
        Files.writeString(events, "in the way");
        Map<String, String> before = everything();

        assertFailedCleanly(cli("registry", "promote", "fraud_detector", "v2.0.0", "--to", "production"),
                "audit trail could not record", "audit_logs/events");
        assertFailedCleanly(cli("deploy", "create", "--model", "fraud_detector", "--version", "v2.0.0", "--env",
                "staging", "--endpoint", ENDPOINT), "audit trail could not record");

        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void aFileWhereTheDeploymentsFolderMustBeIsReportedClearly() throws IOException {
        Path deployments = workspace.resolve("deployments");
        Files.move(deployments, workspace.resolve("deployments-aside"));
        Files.writeString(deployments, "in the way");
        Map<String, String> before = everything();

        assertFailedCleanly(cli("deploy", "list"), "is a file where a folder must be");
        assertFailedCleanly(cli("deploy", "create", "--model", "fraud_detector", "--version", "v2.0.0", "--env",
                "staging", "--endpoint", ENDPOINT), "is a file where a folder must be");

        assertThat(everything()).isEqualTo(before);
    }

    // Helpers

    private void assertFailedCleanly(CliRun run, String... mentions) {
        assertThat(run.status()).as(run.err()).isEqualTo(Cli.FAILED);
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        assertThat(run.err()).startsWith("neural-mlops: ").contains(mentions)
                .doesNotContain("Exception", "\tat ", "unexpected error");
        assertThat(run.out()).isEmpty();
    }

    private void assertAuditIntact() {
        CliRun verify = cli("audit", "verify");
        assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
    }

    private Path config() {
        try {
            return Files.writeString(workspace.resolve("config.yaml"), "epochs: 10\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The registry and the deployments, byte for byte (the lock files are empty and stay). */
    private Map<String, String> stores() {
        Map<String, String> snapshot = new TreeMap<>();
        TreeSnapshot.of(workspace.resolve("models")).forEach((path, hash) -> snapshot.put("models/" + path, hash));
        TreeSnapshot.of(workspace.resolve("deployments")).forEach((path, hash) -> snapshot.put("deployments/" + path, hash));
        return snapshot;
    }

    /** Every store, the audit trail included, less the advisory append hint (rewritten by every attempt). */
    private Map<String, String> everything() {
        Map<String, String> snapshot = new TreeMap<>(TreeSnapshot.of(workspace));
        // The append's hint, and the change marker its write moves, come before the refused write.
        snapshot.keySet().removeIf(path -> path.endsWith(".append-intent") || path.endsWith(".neural-mlops/change-marker"));
        return snapshot;
    }

    private List<AuditEvent> events(EventType type) {
        List<AuditEvent> events = new java.util.ArrayList<>(workspaceStores().audit()
                .queryEvents(AuditFilter.all().withType(type)));
        java.util.Collections.reverse(events); // oldest first
        return events;
    }

    private Workspace workspaceStores() {
        return Workspace.open(workspace, "auditor");
    }

    private neural.mlops.registry.ModelRegistry registry() {
        return workspaceStores().registry();
    }

    private CliRun cli(String... args) {
        return CliRun.in(workspace, "alice", args);
    }

    private CliRun ok(String... args) {
        CliRun run = cli(args);
        assertThat(run.status()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run;
    }
}
