package neural.mlops.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.ComplianceReport;
import neural.mlops.audit.EventType;
import neural.mlops.deployment.Deployment;
import neural.mlops.deployment.DeploymentStatus;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.RegistrySnapshot;
import neural.mlops.store.ConflictException;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo workspace is built through the real API once, then inspected like a user would. */
class DemoWorkspaceTest {

    static final Instant END = Instant.parse("2024-06-30T18:00:00Z");

    @TempDir
    static Path dir;

    static Workspace workspace;
    static RegistrySnapshot registry;

    @BeforeAll
    static void createTheDemo() {
        List<String> messages = new ArrayList<>();
        DemoWorkspace.create(dir.resolve("demo"), END, messages::add);
        assertThat(messages).last().asString().startsWith("Demo workspace ready");
        workspace = Workspace.open(dir.resolve("demo"), "reviewer");
        registry = workspace.registry().snapshot();
    }

    @Test
    void hasAtLeastSixModelsFromDifferentFrameworksWithSeveralVersions() {
        assertThat(workspace.name()).isEqualTo("Demo workspace");
        assertThat(registry.problems()).isEmpty();
        assertThat(registry.listModels()).hasSizeGreaterThanOrEqualTo(6);
        Set<String> frameworks = registry.versions().stream().map(ModelVersion::framework).collect(Collectors.toSet());
        assertThat(frameworks).hasSizeGreaterThanOrEqualTo(6);
        assertThat(registry.listModels()).allSatisfy(model -> assertThat(model.versionCount()).isGreaterThanOrEqualTo(2));
        assertThat(registry.versions()).allSatisfy(version -> assertThat(version.metrics()).isNotEmpty());
    }

    @Test
    void stageHistoriesCoverAllFourStagesAndEveryModelWithAReleaseHasOneProductionVersion() {
        Set<ModelStage> reached = registry.versions().stream()
                .flatMap(version -> version.stageHistory().stream().map(transition -> transition.to()))
                .collect(Collectors.toSet());
        assertThat(reached).containsExactlyInAnyOrder(ModelStage.values());
        assertThat(registry.getProductionVersion("fraud_detector")).map(ModelVersion::version).contains("v2.0.0");
        assertThat(workspace.registry().getModel("fraud_detector", "v1.0.0").stage()).isEqualTo(ModelStage.ARCHIVED);
        for (var model : registry.listModels()) {
            long production = registry.listVersions(model.name()).stream()
                    .filter(version -> version.stage() == ModelStage.PRODUCTION).count();
            assertThat(production).as(model.name()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void deploymentsExistInDevelopmentStagingAndProductionWithARollback() {
        List<Deployment> deployments = workspace.deployments().listDeployments(null, null, null);
        assertThat(deployments.stream().map(Deployment::environment).collect(Collectors.toSet()))
                .contains("development", "staging", "production");
        assertThat(deployments).anyMatch(deployment -> deployment.status() == DeploymentStatus.ROLLED_BACK);
        assertThat(workspace.deployments().activeDeployment("fraud_detector", "production"))
                .map(Deployment::modelVersion).contains("v2.0.0");
        assertThat(workspace.deployments().problems()).isEmpty();
    }

    @Test
    void theAuditTrailSpansNinetyDaysWithViolationsAndDenialsAndVerifies() {
        List<AuditEvent> events = workspace.audit().queryEvents(AuditFilter.all(), 100_000);
        assertThat(events).hasSizeGreaterThan(300);
        Instant oldest = events.stream().map(AuditEvent::timestamp).min(Instant::compareTo).orElseThrow();
        Instant newest = events.stream().map(AuditEvent::timestamp).max(Instant::compareTo).orElseThrow();
        assertThat(ChronoUnit.DAYS.between(oldest, newest)).isGreaterThanOrEqualTo(85);
        assertThat(newest).isBeforeOrEqualTo(END.plus(1, ChronoUnit.DAYS));
        assertThat(events).anyMatch(event -> event.eventType() == EventType.SECURITY_VIOLATION);
        assertThat(events).anyMatch(event -> event.eventType() == EventType.ACCESS_DENIED);
        assertThat(events).anyMatch(event -> event.eventType() == EventType.MODEL_PROMOTED);
        assertThat(events).anyMatch(event -> event.eventType() == EventType.DEPLOYMENT_ROLLED_BACK);
        assertThat(workspace.audit().verifyIntegrity().intact()).isTrue();

        ComplianceReport report = workspace.audit().generateComplianceReport(END.minus(90, ChronoUnit.DAYS), END.plus(1, ChronoUnit.DAYS));
        assertThat(report.securityViolations()).hasSize(5);
        assertThat(report.accessDenied()).isNotEmpty();
    }

    @Test
    void refusesAFolderThatIsNotEmpty() throws Exception {
        Path busy = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(busy.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> DemoWorkspace.create(busy, END, message -> { }))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("not empty");
        assertThat(busy.resolve("notes.txt")).hasContent("mine");
        assertThat(busy.resolve("models")).doesNotExist();
    }

    @Test
    void shipsAPolicyWithRolesAndAProductionApprovalThatAnotherApproverCanRequestAtOnce() {
        var policy = workspace.policy();
        assertThat(policy.source()).isPresent();
        assertThat(String.join("\n", policy.describe())).contains("carol: approver", "erin: approver",
                "production: allowed: approver", "2 approvals");

        Workspace carol = Workspace.open(dir.resolve("demo"), "carol");
        var request = carol.governance().request("credit_scoring", "v1.2.0", ModelStage.PRODUCTION, "sign-off received");
        assertThat(request.isOpen()).as("production waits for a second approver").isTrue();
        Workspace erin = Workspace.open(dir.resolve("demo"), "erin");
        assertThat(erin.governance().approvalBlocker(request)).as("another approver can approve it").isEmpty();
        carol.governance().reject("credit_scoring", "v1.2.0", ModelStage.PRODUCTION, "test over"); // leave the demo as built

        assertThat(workspace.audit().queryEvents(EventType.CONFIG_CHANGED, null, null, null, null, null, null, 10))
                .anySatisfy(event -> assertThat(event.details()).containsEntry("setting", "policy")
                        .containsEntry("value", policy.sha256().orElseThrow()));
    }

    @Test
    void theCreatorIsAnApproverUnderANameQuotedForYamlButNeverTwiceAsADemoUser() {
        assertThat(DemoWorkspace.policyYaml("frank")).contains("    \"frank\": [approver]");
        assertThat(DemoWorkspace.policyYaml("o\"brien")).contains("    \"o\\\"brien\": [approver]");
        assertThat(DemoWorkspace.policyYaml("carol")).doesNotContain("who created this demo");
    }
}
