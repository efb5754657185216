package neural.mlops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.IntegrityReport;
import neural.mlops.deployment.Deployment;
import neural.mlops.deployment.DeploymentStatus;
import neural.mlops.registry.ArtifactCheck;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.RegistrySnapshot;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A generated workspace is a valid one, full of the variety a real team's would hold. */
class WorkspaceGeneratorTest {

    @TempDir
    Path dir;

    final Instant end = Instant.parse("2024-06-30T18:00:00Z");

    GeneratedWorkspace generate(Path folder) {
        return WorkspaceGenerator.generate(folder, new GenerateOptions(6, 4, 600, 20, 7, end), message -> { });
    }

    @Test
    void aGeneratedWorkspaceVerifiesAndLoadsWithNoProblem() {
        GeneratedWorkspace generated = generate(dir.resolve("big"));
        Workspace workspace = Workspace.open(generated.folder(), "tester", java.time.Clock.systemUTC(), Optional.empty());

        RegistrySnapshot registry = workspace.registry().snapshot();
        assertThat(registry.problems()).isEmpty();
        assertThat(registry.versions()).hasSize(24);
        assertThat(registry.listModels()).hasSize(6);
        for (var model : registry.listModels()) {
            assertThat(registry.listVersions(model.name()).stream().filter(v -> v.stage() == ModelStage.PRODUCTION))
                    .hasSizeLessThanOrEqualTo(1);
        }
        ModelVersion any = registry.versions().get(0);
        assertThat(workspace.registry().verifyArtifact(any.name(), any.version()).status())
                .isEqualTo(ArtifactCheck.Status.INTACT);

        List<Deployment> deployments = workspace.deployments().listDeployments(null, null, null);
        assertThat(deployments).hasSize(generated.deployments());
        assertThat(workspace.deployments().problems()).isEmpty();
        assertThat(deployments.stream().collect(Collectors.groupingBy(d -> d.modelName() + "/" + d.environment(),
                Collectors.filtering(d -> d.status() == DeploymentStatus.ACTIVE, Collectors.counting()))))
                .allSatisfy((key, active) -> assertThat(active).isLessThanOrEqualTo(1));

        IntegrityReport integrity = workspace.audit().verifyIntegrity();
        assertThat(integrity.problems()).isEmpty();
        assertThat(integrity.eventsChecked()).isEqualTo(600);
        assertThat(workspace.audit().head().seq()).isEqualTo(600);
    }

    @Test
    void theTrailHoldsEveryTypeAndSeverityOverThePeriodWithAFewSecurityViolations() {
        GeneratedWorkspace generated = generate(dir.resolve("big"));
        Workspace workspace = Workspace.open(generated.folder(), "tester", java.time.Clock.systemUTC(), Optional.empty());

        List<AuditEvent> events = workspace.audit().queryEvents(AuditFilter.all());
        Set<EventType> types = events.stream().map(AuditEvent::eventType).collect(Collectors.toSet());
        Set<EventSeverity> severities = events.stream().map(AuditEvent::severity).collect(Collectors.toSet());
        assertThat(types).isEqualTo(EnumSet.allOf(EventType.class));
        assertThat(severities).isEqualTo(EnumSet.allOf(EventSeverity.class));
        assertThat(events).filteredOn(event -> event.eventType() == EventType.SECURITY_VIOLATION)
                .hasSize((int) generated.securityViolations()).isNotEmpty()
                .allSatisfy(event -> assertThat((String) event.details().get("presented_token")).startsWith("redacted:"));
        assertThat(events.stream().map(AuditEvent::user).distinct().count()).isGreaterThan(10);
        assertThat(events.get(events.size() - 1).timestamp()).isAfterOrEqualTo(end.minus(java.time.Duration.ofDays(20)));
        assertThat(events.get(0).timestamp()).isBefore(end);
        assertThat(events.stream().map(event -> event.timestamp().truncatedTo(java.time.temporal.ChronoUnit.DAYS))
                .distinct().count()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void theRegistryHistoriesAndTheTrailTellTheSameStory() {
        GeneratedWorkspace generated = generate(dir.resolve("big"));
        Workspace workspace = Workspace.open(generated.folder(), "tester", java.time.Clock.systemUTC(), Optional.empty());

        RegistrySnapshot registry = workspace.registry().snapshot();
        for (ModelVersion version : registry.versions()) {
            assertThat(version.stageHistory()).isNotEmpty();
            assertThat(version.stageHistory().get(0).to()).isEqualTo(ModelStage.DEVELOPMENT);
            assertThat(version.stageHistory().get(version.stageHistory().size() - 1).to()).isEqualTo(version.stage());
        }
        List<AuditEvent> registrations = workspace.audit().queryEvents(AuditFilter.all().withType(EventType.MODEL_REGISTERED)
                .withUser(null));
        assertThat(registrations.stream().map(AuditEvent::resourceId).collect(Collectors.toSet()))
                .containsAll(registry.versions().stream().map(ModelVersion::id).toList());
    }

    @Test
    void generatingIntoAFolderThatIsNotEmptyIsRefused() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("used"));
        Files.writeString(folder.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> generate(folder)).isInstanceOf(ConflictException.class).hasMessageContaining("not empty");
    }

    @Test
    void optionsOutsideTheirRangeAreRefused() {
        assertThatThrownBy(() -> new GenerateOptions(0, 10, 100, 10, 1, end)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--models");
        assertThatThrownBy(() -> new GenerateOptions(1, 10, 100, 0, 1, end)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--days");
    }
}
