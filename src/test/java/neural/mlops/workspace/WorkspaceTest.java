package neural.mlops.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.EventType;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.MlopsException;
import neural.mlops.store.NotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stores opened together: audited, linked, and watched. */
class WorkspaceTest {

    @TempDir
    Path dir;

    Workspace workspace;
    Path model;

    @BeforeEach
    void open() throws IOException {
        workspace = Workspace.open(dir, "alice");
        model = Files.writeString(dir.resolve("model.pt"), "weights");
    }

    @Test
    void everyLifecycleActionIsAuditedWithTheActingUser() {
        workspace.registry().registerModel(RegisterRequest.builder("fraud_detector", "v1.0.0", model).framework("pytorch").build());
        workspace.registry().promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "go");
        String id = workspace.deployments().createDeployment("fraud_detector", "v1.0.0", "production", "http://127.0.0.1:9/p").id();
        workspace.deployments().activateDeployment(id);

        assertThat(workspace.audit().queryEvents(AuditFilter.all(), 100))
                .extracting(event -> event.eventType())
                .containsExactly(EventType.DEPLOYMENT_ACTIVATED, EventType.DEPLOYMENT_CREATED,
                        EventType.MODEL_PROMOTED, EventType.MODEL_REGISTERED);
        assertThat(workspace.audit().queryEvents(AuditFilter.all(), 100)).allSatisfy(event ->
                assertThat(event.user()).isEqualTo("alice"));
        assertThat(workspace.audit().verifyIntegrity().intact()).isTrue();
    }

    @Test
    void deploymentsAreCheckedAgainstTheRegistry() {
        assertThatThrownBy(() -> workspace.deployments().createDeployment("ghost", "v1.0.0", "staging", "http://127.0.0.1:9/p"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void anActivelyDeployedVersionCannotBeDeletedUnlessForced() {
        workspace.registry().registerModel(RegisterRequest.builder("fraud_detector", "v1.0.0", model).framework("pytorch").build());
        String id = workspace.deployments().createDeployment("fraud_detector", "v1.0.0", "staging", "http://127.0.0.1:9/p").id();
        workspace.deployments().activateDeployment(id);

        assertThatThrownBy(() -> workspace.registry().deleteVersion("fraud_detector", "v1.0.0", false))
                .isInstanceOf(ConflictException.class);
        workspace.registry().deleteVersion("fraud_detector", "v1.0.0", true);
        assertThat(workspace.registry().listVersions("fraud_detector")).isEmpty();
    }

    @Test
    void anotherProcessesChangeChangesTheFingerprint() {
        WorkspaceFingerprint before = workspace.fingerprint();
        assertThat(workspace.fingerprint()).isEqualTo(before);
        Workspace.open(dir, "ci-bot").registry()
                .registerModel(RegisterRequest.builder("churn", "v1.0.0", model).framework("sklearn").build());
        assertThat(workspace.fingerprint()).isNotEqualTo(before);
    }

    @Test
    void theNameComesFromWorkspaceYamlElseTheFolder() throws IOException {
        assertThat(workspace.name()).isEqualTo(dir.getFileName().toString());
        Files.writeString(dir.resolve("workspace.yaml"), "name: Fraud team\n");
        assertThat(Workspace.open(dir, "alice").name()).isEqualTo("Fraud team");
    }

    @Test
    void aMissingFolderOrABadUserIsRefusedWithoutWritingAnything() {
        assertThatThrownBy(() -> Workspace.open(dir.resolve("missing"), "alice"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not a folder");
        assertThatThrownBy(() -> Workspace.open(dir, "eve\nforged")).isInstanceOf(InvalidInputException.class);
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    @Test
    void anUnwritableAuditTrailStopsTheActionItRecords() throws IOException {
        Files.writeString(dir.resolve("audit_logs"), "a file where the audit folder should be");
        assertThatThrownBy(() -> workspace.registry().registerModel(
                RegisterRequest.builder("fraud_detector", "v1.0.0", model).framework("pytorch").build()))
                .isInstanceOf(MlopsException.class);
        assertThat(workspace.registry().listVersions("fraud_detector")).isEmpty();
    }
}
