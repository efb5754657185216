package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import neural.mlops.app.audit.AuditViewModel;
import neural.mlops.app.audit.ComplianceReportViewModel;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.app.deployments.DeploymentsViewModel;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.EventType;
import neural.mlops.deployment.Deployment;
import neural.mlops.deployment.DeploymentStatus;
import neural.mlops.registry.ModelSummary;
import neural.mlops.registry.ModelVersion;
import neural.mlops.testing.TestClock;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desktop's view models on a workspace the original Python module wrote (the legacy fixture of
 * src/test/resources/legacy, copied): every version listed with its NaN metrics shown as NaN, all
 * nine original event types counted and filterable, the failed deployment with its reason.
 */
class LegacyWorkspaceViewModelsTest {

    static final List<String> ORIGINAL_TYPES = List.of("model_registered", "model_promoted", "model_deployed",
            "model_archived", "access_granted", "access_revoked", "configuration_changed", "security_violation",
            "data_access");

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-02-01T09:00:00Z");
    final DialogService dialogs = mock(DialogService.class);
    Workspace workspace;

    @BeforeEach
    void openTheFixture() throws IOException, URISyntaxException {
        Path source = Path.of(getClass().getResource("/legacy").toURI());
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = dir.resolve(source.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
        Files.writeString(dir.resolve("workspace.yaml"), "legacy_timezone: Europe/Berlin\n");
        workspace = Workspace.open(dir, "auditor", clock, Optional.empty());
    }

    @Test
    void everyVersionIsListedAndNonFiniteMetricsReadAsNaN() {
        RegistryViewModel registry = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, dialogs);
        registry.showWorkspace(workspace);

        assertThat(registry.problems()).isEmpty();
        assertThat(registry.models()).extracting(ModelSummary::name).containsExactlyInAnyOrder("fraud_detector", "churn_model");
        int versions = 0;
        boolean nanShown = false;
        for (ModelSummary summary : List.copyOf(registry.models())) {
            registry.selectedModelProperty().set(summary);
            versions += registry.versions().size();
            for (ModelVersion version : registry.versions()) {
                for (Object value : version.metrics().values()) {
                    if (value instanceof Double number && !Double.isFinite(number)) {
                        assertThat(VersionFormat.metric(number)).isIn("NaN", "Infinity", "-Infinity");
                        nanShown |= VersionFormat.metric(number).equals("NaN");
                    }
                }
            }
        }
        assertThat(versions).isEqualTo(3);
        assertThat(nanShown).as("a NaN metric of the fixture is shown as NaN").isTrue();
    }

    @Test
    void allNineOriginalEventTypesAreListedAndFilterable() {
        AuditViewModel audit = new AuditViewModel(TaskExecutor.CURRENT_THREAD, dialogs, clock, ZoneOffset.UTC);
        audit.showWorkspace(workspace);

        assertThat(audit.events()).extracting(event -> event.eventType().value())
                .containsAll(ORIGINAL_TYPES).hasSize(9);
        for (String type : ORIGINAL_TYPES) {
            audit.typeFilterProperty().set(EventType.parse(type));
            assertThat(audit.events()).as(type).isNotEmpty()
                    .allSatisfy(event -> assertThat(event.eventType().value()).isEqualTo(type));
        }
    }

    @Test
    void theComplianceReportCountsEveryOriginalEvent() {
        ComplianceReportViewModel report = new ComplianceReportViewModel(workspace.audit(), "auditor",
                TaskExecutor.CURRENT_THREAD, dialogs, clock, ZoneOffset.UTC);
        report.fromDateProperty().set(LocalDate.of(2024, 1, 1));
        report.toDateProperty().set(LocalDate.of(2024, 1, 31));

        report.generate();

        assertThat(report.reportProperty().get().totalEvents()).isEqualTo(9);
        assertThat(report.byType()).extracting(ComplianceReportViewModel.Count::label).containsAll(ORIGINAL_TYPES);
        assertThat(report.violations()).extracting(AuditEvent::eventType).containsOnly(EventType.parse("security_violation"));
    }

    @Test
    void theFailedDeploymentIsListedWithItsFailureReason() {
        DeploymentsViewModel deployments = new DeploymentsViewModel(TaskExecutor.CURRENT_THREAD, dialogs, clock);
        deployments.showWorkspace(workspace);

        assertThat(deployments.problems()).isEmpty();
        assertThat(deployments.deployments()).hasSize(3);
        Deployment failed = deployments.deployments().stream().filter(d -> d.status() == DeploymentStatus.FAILED)
                .findFirst().orElseThrow();
        assertThat(failed.failureReason()).contains("Health check timed out");
    }
}
