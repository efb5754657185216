package neural.mlops.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.NotFoundException;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeploymentManagerTest {

    static final String ENDPOINT = "http://localhost:8080/predict";
    static final Instant START = Instant.parse("2024-01-15T12:00:00.123456Z");

    @TempDir
    Path workspace;

    Path root;
    TestClock clock;
    RecordingAuditSink audit;
    DeploymentManager manager;

    @BeforeEach
    void setUp() {
        root = workspace.resolve("deployments");
        clock = new TestClock(START);
        audit = new RecordingAuditSink();
        manager = new DeploymentManager(root, ModelCatalog.NONE, audit, "alice", clock);
    }

    /** The original documentation's example, in Java (docs/api.md shows the same lines). */
    @Test
    void theOriginalExampleCreatesActivatesAndListsAProductionDeployment() {
        DeploymentManager manager = new DeploymentManager(root);
        String id = manager.createDeployment("fraud_detector", "v2.0.0", "production",
                "http://localhost:8080/predict").id();
        manager.activateDeployment(id);
        List<Deployment> production = manager.listDeployments("production", null, null);

        assertThat(production).singleElement().satisfies(deployment -> {
            assertThat(deployment.deploymentId()).isEqualTo(id);
            assertThat(deployment.modelName()).isEqualTo("fraud_detector");
            assertThat(deployment.modelVersion()).isEqualTo("v2.0.0");
            assertThat(deployment.status()).isEqualTo(DeploymentStatus.ACTIVE);
            assertThat(deployment.endpoint()).isEqualTo(URI.create("http://localhost:8080/predict"));
        });
    }

    @Test
    void aNewDeploymentIsPendingAndItsDocumentHasEveryFieldOfTheSpec() {
        CreatedDeployment created = manager.createDeployment("fraud_detector", "v2.0.0", "production", ENDPOINT);

        String id = "deploy_20240115_120000_fraud_detector_v2.0.0";
        assertThat(created.id()).isEqualTo(id);
        assertThat(created.warnings()).isEmpty();
        Path file = root.resolve(id + ".json");
        ObjectNode document = Json.readObject(file);
        assertThat(document.fieldNames()).toIterable().containsExactly("deployment_id", "model_name", "model_version",
                "environment", "endpoint", "status", "created_at", "created_by", "activated_at", "deactivated_at",
                "replaces", "config", "health", "history");
        assertThat(document.get("deployment_id").asText()).isEqualTo(id);
        assertThat(document.get("status").asText()).isEqualTo("pending");
        assertThat(document.get("created_at").asText()).isEqualTo("2024-01-15T12:00:00.123456Z");
        assertThat(document.get("created_by").asText()).isEqualTo("alice");
        assertThat(document.get("activated_at").isNull()).isTrue();
        assertThat(document.get("health").isNull()).isTrue();
        assertThat(document.get("history").get(0).get("status").asText()).isEqualTo("pending");
        assertThat(document.get("history").get(0).get("by").asText()).isEqualTo("alice");
        assertThat(manager.getDeployment(id)).isEqualTo(created.deployment());
    }

    @Test
    void twoDeploymentsCreatedInTheSameSecondForTheSameVersionGetDistinctIds() {
        String first = manager.createDeployment("fraud_detector", "v2.0.0", "staging", ENDPOINT).id();
        clock.advance(Duration.ofMillis(300));
        String second = manager.createDeployment("fraud_detector", "v2.0.0", "production", ENDPOINT).id();
        String third = manager.createDeployment("fraud_detector", "v2.0.0", "production", ENDPOINT).id();

        assertThat(first).isEqualTo("deploy_20240115_120000_fraud_detector_v2.0.0");
        assertThat(second).isEqualTo(first + "_2");
        assertThat(third).isEqualTo(first + "_3");
        assertThat(manager.listDeployments(null, null, null)).hasSize(3);
    }

    @Test
    void identityComesFromTheDocumentNotFromItsFileName() throws IOException {
        String id = manager.createDeployment("fraud_detector", "v2.0.0", "production", ENDPOINT).id();
        Path renamed = root.resolve("renamed_by_someone.json");
        Files.move(root.resolve(id + ".json"), renamed);

        assertThat(manager.getDeployment(id).modelName()).isEqualTo("fraud_detector");
        manager.activateDeployment(id);

        assertThat(Json.readObject(renamed).get("status").asText()).isEqualTo("active");
        assertThat(root.resolve(id + ".json")).doesNotExist();
    }

    @Test
    void activatingMakesThePreviousActiveDeploymentInactiveAndRecordsItInReplaces() {
        String v1 = manager.createDeployment("fraud_detector", "v1.0.0", "production", ENDPOINT).id();
        manager.activateDeployment(v1);
        clock.advance(Duration.ofMinutes(5));
        String v2 = manager.createDeployment("fraud_detector", "v2.0.0", "production", ENDPOINT).id();

        Deployment activated = manager.activateDeployment(v2, "better recall");

        assertThat(activated.status()).isEqualTo(DeploymentStatus.ACTIVE);
        assertThat(activated.replaces()).isEqualTo(v1);
        assertThat(activated.activatedAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
        Deployment previous = manager.getDeployment(v1);
        assertThat(previous.status()).isEqualTo(DeploymentStatus.INACTIVE);
        assertThat(previous.deactivatedAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
        assertThat(previous.history()).last().satisfies(change -> {
            assertThat(change.status()).isEqualTo(DeploymentStatus.INACTIVE);
            assertThat(change.reason()).isEqualTo("replaced by " + v2);
            assertThat(change.by()).isEqualTo("alice");
        });
        assertThat(manager.listDeployments("production", "fraud_detector", DeploymentStatus.ACTIVE))
                .extracting(Deployment::deploymentId).containsExactly(v2);
        assertThat(manager.activeDeployment("fraud_detector", "production")).map(Deployment::deploymentId).hasValue(v2);
    }

    @Test
    void otherModelsAndOtherEnvironmentsKeepTheirActiveDeployments() {
        String staging = manager.createDeployment("fraud_detector", "v1.0.0", "staging", ENDPOINT).id();
        String otherModel = manager.createDeployment("churn", "v1.0.0", "production", ENDPOINT).id();
        String production = manager.createDeployment("fraud_detector", "v1.0.0", "production", ENDPOINT).id();
        manager.activateDeployment(staging);
        manager.activateDeployment(otherModel);

        Deployment activated = manager.activateDeployment(production);

        assertThat(activated.replaces()).isNull();
        assertThat(manager.listDeployments(null, null, DeploymentStatus.ACTIVE))
                .extracting(Deployment::deploymentId).containsExactlyInAnyOrder(staging, otherModel, production);
    }

    @Test
    void activatingAnActiveDeploymentIsRefused() {
        String id = manager.createDeployment("fraud_detector", "v1.0.0", "production", ENDPOINT).id();
        manager.activateDeployment(id);

        assertThatThrownBy(() -> manager.activateDeployment(id))
                .isInstanceOf(ConflictException.class)
                .hasMessage("Deployment " + id + " is already active");
    }

    @Test
    void rollbackReactivatesTheReplacedDeploymentAndRollingBackAgainGoesFurtherBack() {
        String v1 = createAndActivate("v1.0.0");
        String v2 = createAndActivate("v2.0.0");
        String v3 = createAndActivate("v3.0.0");

        Rollback first = manager.rollback("fraud_detector", "production", "latency regression");

        assertThat(first.rolledBack().deploymentId()).isEqualTo(v3);
        assertThat(first.rolledBack().status()).isEqualTo(DeploymentStatus.ROLLED_BACK);
        assertThat(first.restored().deploymentId()).isEqualTo(v2);
        assertThat(first.restored().status()).isEqualTo(DeploymentStatus.ACTIVE);
        assertThat(first.restored().replaces()).isEqualTo(v1);
        assertThat(manager.getDeployment(v3).history()).last()
                .extracting(StatusChange::reason).isEqualTo("rolled back to " + v2 + ": latency regression");
        assertThat(manager.getDeployment(v2).history()).last()
                .extracting(StatusChange::reason).isEqualTo("restored by rolling back " + v3 + ": latency regression");

        Rollback second = manager.rollback("fraud_detector", "production");

        assertThat(second.restored().deploymentId()).isEqualTo(v1);
        assertThat(manager.listDeployments("production", "fraud_detector", null))
                .extracting(Deployment::deploymentId, Deployment::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(v3, DeploymentStatus.ROLLED_BACK),
                        org.assertj.core.groups.Tuple.tuple(v2, DeploymentStatus.ROLLED_BACK),
                        org.assertj.core.groups.Tuple.tuple(v1, DeploymentStatus.ACTIVE));
    }

    @Test
    void rollbackWithNothingToRollBackToIsRefusedAndChangesNothing() {
        assertThatThrownBy(() -> manager.rollback("fraud_detector", "production"))
                .isInstanceOf(ConflictException.class)
                .hasMessage("No deployment of fraud_detector is active in production; there is nothing to roll back");
        assertThat(root).doesNotExist();

        String only = createAndActivate("v1.0.0");
        var before = FolderSnapshot.of(root);
        assertThatThrownBy(() -> manager.rollback("fraud_detector", "production"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining(only)
                .hasMessageContaining("nothing to roll back to");
        assertThat(FolderSnapshot.of(root)).isEqualTo(before);
    }

    @Test
    void failingKeepsTheReasonInMetadataAndIsAuditedAndNeedsAReason() throws java.io.IOException {
        String id = createAndActivate("v1.0.0");
        clock.advance(Duration.ofHours(1));
        int recorded = audit.records.size();
        assertThatThrownBy(() -> manager.failDeployment(id, "  ")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("reason");
        assertThat(manager.getDeployment(id).status()).isEqualTo(DeploymentStatus.ACTIVE);

        Deployment failed = manager.failDeployment(id, "OOM on start");

        assertThat(failed.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(failed.failureReason()).contains("OOM on start");
        assertThat(failed.deactivatedAt()).isEqualTo(clock.instant());
        assertThat(manager.activeDeployment("fraud_detector", "production")).isEmpty();
        assertThat(audit.records).hasSize(recorded + 1);
        assertThat(audit.records.get(recorded).action()).isEqualTo("fail");
        assertThat(audit.records.get(recorded).reason()).isEqualTo("OOM on start");
        com.fasterxml.jackson.databind.JsonNode stored = neural.mlops.store.Json.mapper()
                .readTree(root.resolve(id + ".json").toFile());
        assertThat(stored.get("metadata").get("failure_reason").asText()).isEqualTo("OOM on start");
        assertThatThrownBy(() -> manager.failDeployment(id, "again")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("is failed");
    }

    @Test
    void theOriginalsDocumentWithNoEndpointAndAFailureReasonIsRead() throws java.io.IOException {
        java.nio.file.Files.createDirectories(root);
        java.nio.file.Files.writeString(root.resolve("deploy_20240116_093000_m_v1.json"), """
                {"deployment_id": "deploy_20240116_093000_m_v1", "model_name": "m", "model_version": "v1",
                 "status": "failed", "created_at": "2024-01-16T09:30:00.654321", "environment": "production",
                 "endpoint": null, "metadata": {"failure_reason": "Health check timed out"}}
                """);

        Deployment read = manager.getDeployment("deploy_20240116_093000_m_v1");

        assertThat(read.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(read.hasEndpoint()).isFalse();
        assertThat(read.failureReason()).contains("Health check timed out");
        assertThat(read.toJson().get("endpoint").isNull()).isTrue();
        assertThat(manager.problems()).isEmpty();
    }

    @Test
    void deactivatingLeavesNoActiveDeploymentAndAnInactiveOneCannotBeDeactivatedAgain() {
        String id = createAndActivate("v1.0.0");
        clock.advance(Duration.ofHours(1));

        Deployment deactivated = manager.deactivateDeployment(id, "maintenance window");

        assertThat(deactivated.status()).isEqualTo(DeploymentStatus.INACTIVE);
        assertThat(deactivated.deactivatedAt()).isEqualTo(clock.instant());
        assertThat(manager.activeDeployment("fraud_detector", "production")).isEmpty();
        assertThatThrownBy(() -> manager.deactivateDeployment(id))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("is inactive, not active or pending");
    }

    @Test
    void everyStatusChangeIsKeptWithTimeUserAndReason() {
        String id = manager.createDeployment("fraud_detector", "v1.0.0", "production", ENDPOINT).id();
        clock.advance(Duration.ofMinutes(1));
        manager.activateDeployment(id, "release 42");
        clock.advance(Duration.ofMinutes(1));
        new DeploymentManager(root, ModelCatalog.NONE, audit, "bob", clock).deactivateDeployment(id, "line one\nline two");

        assertThat(manager.getDeployment(id).history()).containsExactly(
                new StatusChange(DeploymentStatus.PENDING, START, "alice", null),
                new StatusChange(DeploymentStatus.ACTIVE, START.plusSeconds(60), "alice", "release 42"),
                new StatusChange(DeploymentStatus.INACTIVE, START.plusSeconds(120), "bob", "line one line two"));
    }

    @Test
    void fieldsThisVersionDoesNotKnowSurviveEveryRewrite() throws IOException {
        String id = manager.createDeployment("fraud_detector", "v1.0.0", "production", ENDPOINT).id();
        Path file = root.resolve(id + ".json");
        ObjectNode document = Json.readObject(file);
        document.put("traffic_percent", 100);
        ((ObjectNode) document.get("history").get(0)).put("ticket", "OPS-7");
        Json.writeAtomically(file, document);

        manager.activateDeployment(id);
        manager.deactivateDeployment(id);

        ObjectNode reread = Json.readObject(file);
        assertThat(reread.get("traffic_percent").asInt()).isEqualTo(100);
        assertThat(reread.get("history").get(0).get("ticket").asText()).isEqualTo("OPS-7");
        assertThat(reread.get("history")).hasSize(3);
    }

    @Test
    void aMalformedDocumentNeverStopsListingAndIsReportedUntouched() throws IOException {
        String good = manager.createDeployment("fraud_detector", "v1.0.0", "production", ENDPOINT).id();
        Path broken = Files.writeString(root.resolve("deploy_broken.json"), "{\"deployment_id\": ");
        Path wrongStatus = Files.writeString(root.resolve("deploy_odd.json"),
                "{\"deployment_id\": \"x\", \"model_name\": \"m\", \"model_version\": \"v\", \"environment\": \"e\","
                        + " \"endpoint\": \"http://h\", \"status\": \"exploded\", \"created_at\": \"2024-01-15T12:00:00Z\"}");

        assertThat(manager.listDeployments(null, null, null)).extracting(Deployment::deploymentId).containsExactly(good);
        assertThat(manager.problems()).extracting(DocumentProblem::file).containsExactlyInAnyOrder(broken, wrongStatus);
        assertThat(manager.problems()).filteredOn(p -> p.file().equals(wrongStatus)).singleElement()
                .extracting(DocumentProblem::message).asString().contains("exploded");

        manager.activateDeployment(good);
        assertThat(Files.readString(broken)).isEqualTo("{\"deployment_id\": ");
    }

    @Test
    void documentsWrittenByTheOriginalToolAreRead() throws IOException {
        // Naive UTC times, float latency and no history, as a Python tool may write them.
        Files.createDirectories(root);
        Files.writeString(root.resolve("deploy_20240101_090000_fraud_detector_v1.0.0.json"), """
                {"deployment_id": "deploy_20240101_090000_fraud_detector_v1.0.0", "model_name": "fraud_detector",
                 "model_version": "v1.0.0", "environment": "production", "endpoint": "http://localhost:8080/predict",
                 "status": "active", "created_at": "2024-01-01T09:00:00.000001", "created_by": "ci",
                 "health": {"checked_at": "2024-01-01T09:05:00", "ok": true, "status_code": 200, "latency_ms": 12.6}}
                """, StandardCharsets.UTF_8);

        Deployment read = manager.getDeployment("deploy_20240101_090000_fraud_detector_v1.0.0");

        assertThat(read.createdAt()).isEqualTo(Instant.parse("2024-01-01T09:00:00.000001Z"));
        assertThat(read.health().latencyMs()).isEqualTo(13L);
        assertThat(read.history()).isEmpty();
        String v2 = manager.createDeployment("fraud_detector", "v2.0.0", "production", ENDPOINT).id();
        assertThat(manager.activateDeployment(v2).replaces()).isEqualTo(read.deploymentId());
    }

    @Test
    void theExampleDocumentOfTheStoreFormatDocIsReadAndRewrittenWithItsFields() throws IOException {
        String doc = Files.readString(Path.of("docs", "store-format.md"));
        String section = doc.substring(doc.indexOf("### Example document"));
        String example = section.substring(section.indexOf("```json") + 7, section.indexOf("```", section.indexOf("```json") + 7));
        Files.createDirectories(root);
        Files.writeString(root.resolve("deploy_20240115_120000_fraud_detector_v2.0.0.json"), example);

        Deployment read = manager.getDeployment("deploy_20240115_120000_fraud_detector_v2.0.0");

        assertThat(read.status()).isEqualTo(DeploymentStatus.ACTIVE);
        assertThat(read.health().latencyMs()).isEqualTo(12L);
        assertThat(read.healthUrl()).isEqualTo(URI.create("http://localhost:8080/health"));
        // Compared as text: the numbers are the same, their Java node types (int, long) need not be.
        assertThat(read.toJson().toString()).isEqualTo(Json.mapper().readTree(example).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://x", "not a url", "javascript:alert(1)", "", "http://", "http:///path",
        "https://user:secret@host/predict", "http://host:99999/", "http://host/\npath", "localhost:8080/predict"})
    void endpointsThatAreNotHttpOrHttpsUrlsAreRefusedNamingTheValue(String endpoint) {
        assertThatThrownBy(() -> manager.createDeployment("fraud_detector", "v1.0.0", "production", endpoint))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Invalid endpoint '" + endpoint.replace("\n", "\\u000a") + "'")
                .hasMessageContaining("http or https URL");
        assertThat(root).doesNotExist();
        assertThat(audit.records).isEmpty();
    }

    @Test
    void httpsEndpointsAndUpperCaseSchemesAreAccepted() {
        assertThat(manager.createDeployment("m", "v1", "production", "HTTPS://models.example.com:8443/v1/predict?x=1")
                .deployment().endpoint().getHost()).isEqualTo("models.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad env", "../prod", "", "CON", "prod/eu"})
    void environmentNamesFollowTheNameRule(String environment) {
        assertThatThrownBy(() -> manager.createDeployment("fraud_detector", "v1.0.0", environment, ENDPOINT))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Invalid environment");
        assertThat(root).doesNotExist();
    }

    @Test
    void aModelNameAndVersionTooLongForAFileNameAreRefused() {
        assertThatThrownBy(() -> manager.createDeployment("m".repeat(120), "v".repeat(81), "production", ENDPOINT))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("201 characters together");
        String longest = manager.createDeployment("m".repeat(100), "v".repeat(100), "production", ENDPOINT).id();
        manager.createDeployment("m".repeat(100), "v".repeat(100), "production", ENDPOINT);
        assertThat(root.resolve(longest + ".json")).exists();
        assertThat(root.resolve(longest + "_2.json")).exists();
    }

    @Test
    void unknownAndMalformedDeploymentIdsAreRefusedWithoutWriting() {
        manager.createDeployment("fraud_detector", "v1.0.0", "production", ENDPOINT);
        var before = FolderSnapshot.of(root);

        assertThatThrownBy(() -> manager.activateDeployment("deploy_20990101_000000_nope_v1"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("No deployment 'deploy_20990101_000000_nope_v1'");
        assertThatThrownBy(() -> manager.getDeployment("../../etc/passwd"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Invalid deployment id");
        assertThatThrownBy(() -> manager.checkHealth(""))
                .isInstanceOf(InvalidInputException.class);
        assertThat(FolderSnapshot.of(root)).isEqualTo(before);
    }

    @Test
    void aLinkedCatalogRefusesAVersionItDoesNotHaveAndWritesNothing() {
        DeploymentManager linked = new DeploymentManager(root, (name, version) -> Optional.empty(), audit, "alice", clock);

        assertThatThrownBy(() -> linked.createDeployment("fraud_detector", "v9.9.9", "production", ENDPOINT))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("Version v9.9.9 of model fraud_detector is not in the model registry; register it before deploying it");
        assertThat(root).doesNotExist();
        assertThat(audit.records).isEmpty();
    }

    @Test
    void deployingAVersionThatIsNotInProductionToProductionWarnsAndRecordsTheWarning() {
        Map<String, String> stages = Map.of("fraud_detector/v2.0.0", "staging", "fraud_detector/v1.0.0", "production");
        DeploymentManager linked = new DeploymentManager(root,
                (name, version) -> Optional.ofNullable(stages.get(name + "/" + version)), audit, "alice", clock);

        CreatedDeployment staged = linked.createDeployment("fraud_detector", "v2.0.0", "production", ENDPOINT);

        String warning = "fraud_detector v2.0.0 is in stage staging, not production, and is being deployed to production";
        assertThat(staged.warnings()).containsExactly(warning);
        assertThat(staged.deployment().history()).singleElement().extracting(StatusChange::reason).isEqualTo(warning);
        assertThat(audit.last().details()).containsEntry("warning", warning);
        assertThat(audit.last().severity()).isEqualTo(EventSeverity.WARNING);

        assertThat(linked.createDeployment("fraud_detector", "v1.0.0", "production", ENDPOINT).warnings()).isEmpty();
        assertThat(linked.createDeployment("fraud_detector", "v2.0.0", "staging", ENDPOINT).warnings()).isEmpty();
        assertThat(audit.last().severity()).isEqualTo(EventSeverity.INFO);
    }

    @Test
    void activationIsRefusedWhenTheLinkedCatalogNoLongerHasTheVersion() {
        String id = manager.createDeployment("fraud_detector", "v1.0.0", "production", ENDPOINT).id();
        var before = FolderSnapshot.of(root);
        DeploymentManager linked = new DeploymentManager(root, (name, version) -> Optional.empty(), audit, "alice", clock);

        assertThatThrownBy(() -> linked.activateDeployment(id)).isInstanceOf(NotFoundException.class);
        assertThat(FolderSnapshot.of(root)).isEqualTo(before);
    }

    @Test
    void everyMutationIsAuditedWithTheDeploymentAndWhatItReplaced() {
        String v1 = manager.createDeployment("fraud_detector", "v1.0.0", "production", ENDPOINT).id();
        manager.activateDeployment(v1);
        String v2 = manager.createDeployment("fraud_detector", "v2.0.0", "production", ENDPOINT).id();
        manager.activateDeployment(v2, "release 42");
        manager.rollback("fraud_detector", "production", "errors");
        manager.deactivateDeployment(v1);

        assertThat(audit.records).extracting(AuditRecord::type).containsExactly(
                EventType.DEPLOYMENT_CREATED, EventType.DEPLOYMENT_ACTIVATED, EventType.DEPLOYMENT_CREATED,
                EventType.DEPLOYMENT_ACTIVATED, EventType.DEPLOYMENT_ROLLED_BACK, EventType.DEPLOYMENT_DEACTIVATED);
        assertThat(audit.records).allSatisfy(event -> {
            assertThat(event.user()).isEqualTo("alice");
            assertThat(event.resourceType()).isEqualTo("deployment");
            assertThat(event.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(event.details()).containsEntry("model_name", "fraud_detector")
                    .containsEntry("environment", "production").containsEntry("endpoint", ENDPOINT);
        });
        AuditRecord activation = audit.records.get(3);
        assertThat(activation.resourceId()).isEqualTo(v2);
        assertThat(activation.action()).isEqualTo("activate");
        assertThat(activation.reason()).isEqualTo("release 42");
        assertThat(activation.details()).containsEntry("model_version", "v2.0.0").containsEntry("replaces", v1);
        AuditRecord rollback = audit.records.get(4);
        assertThat(rollback.resourceId()).isEqualTo(v2);
        assertThat(rollback.details()).containsEntry("restored_deployment_id", v1).containsEntry("replaces", v1);
        assertThat(audit.records.get(5).resourceId()).isEqualTo(v1);
    }

    @Test
    void whenTheAuditTrailCannotRecordCreateAndActivateChangeNothing() {
        String id = manager.createDeployment("fraud_detector", "v1.0.0", "production", ENDPOINT).id();
        String active = createAndActivate("v0.9.0");
        var before = FolderSnapshot.of(root);
        audit.failing = true;

        assertThatThrownBy(() -> manager.createDeployment("fraud_detector", "v2.0.0", "production", ENDPOINT))
                .isInstanceOf(MlopsException.class)
                .hasMessageStartingWith("Did not create deployment deploy_")
                .hasMessageEndingWith(": the audit trail could not record it (audit disk full); nothing was changed");
        assertThatThrownBy(() -> manager.activateDeployment(id))
                .isInstanceOf(MlopsException.class)
                .hasMessage("Did not activate deployment " + id
                        + ": the audit trail could not record it (audit disk full); nothing was changed");
        assertThatThrownBy(() -> manager.deactivateDeployment(active)).isInstanceOf(MlopsException.class);

        assertThat(FolderSnapshot.of(root)).isEqualTo(before);
    }

    @Test
    void aDocumentLinkedFromOutsideTheStoreIsNeverWrittenThroughNorAudited() throws IOException {
        Path outside = Files.createDirectories(workspace.resolve("elsewhere"));
        String id = manager.createDeployment("fraud_detector", "v1.0.0", "production", ENDPOINT).id();
        Path file = root.resolve(id + ".json");
        Path target = Files.move(file, outside.resolve("planted.json"));
        Files.createSymbolicLink(file, target);
        String before = Files.readString(target);

        assertThatThrownBy(() -> manager.activateDeployment(id))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("leads outside the store");

        assertThat(Files.readString(target)).isEqualTo(before);
        assertThat(audit.records).extracting(AuditRecord::type).containsExactly(EventType.DEPLOYMENT_CREATED);
    }

    @Test
    void aWriteThatFailsAfterTheEventWasRecordedIsAuditedAsAFailure() throws IOException {
        String id = manager.createDeployment("fraud_detector", "v1.0.0", "production", ENDPOINT).id();
        Path moved = workspace.resolve("moved");
        // The disk fails between the audit record and the write: the store folder turns into a file.
        DeploymentManager sabotaged = new DeploymentManager(root, ModelCatalog.NONE, group -> {
            audit.recordAll(group);
            if (group.get(0).outcome() == Outcome.SUCCESS) {
                try {
                    Files.move(root, moved);
                    Files.writeString(root, "not a folder");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, "alice", clock);

        assertThatThrownBy(() -> sabotaged.activateDeployment(id, "release 42"))
                .isInstanceOf(neural.mlops.store.StoreIOException.class);

        assertThat(audit.records).extracting(AuditRecord::type, AuditRecord::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(EventType.DEPLOYMENT_CREATED, Outcome.SUCCESS),
                org.assertj.core.groups.Tuple.tuple(EventType.DEPLOYMENT_ACTIVATED, Outcome.SUCCESS),
                org.assertj.core.groups.Tuple.tuple(EventType.DEPLOYMENT_ACTIVATED, Outcome.FAILURE));
        assertThat(audit.last().reason()).startsWith("the change could not be written: ");
        assertThat(audit.last().severity()).isEqualTo(EventSeverity.ERROR);
        assertThat(Json.readObject(moved.resolve(id + ".json")).get("status").asText()).isEqualTo("pending");
    }

    @Test
    void aHealthPathMustResolveToAnHttpUrl() {
        assertThatThrownBy(() -> manager.createDeployment("m", "v1", "production", ENDPOINT,
                Map.of(Deployment.HEALTH_PATH, "ftp://elsewhere/health")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("health_path 'ftp://elsewhere/health'");
        assertThatThrownBy(() -> manager.createDeployment("m", "v1", "production", ENDPOINT,
                Map.of(Deployment.HEALTH_PATH, 42)))
                .isInstanceOf(InvalidInputException.class);
        assertThat(root).doesNotExist();

        Deployment withPath = manager.createDeployment("m", "v1", "production", ENDPOINT,
                Map.of(Deployment.HEALTH_PATH, "/health", "replicas", 3)).deployment();
        assertThat(withPath.healthUrl()).isEqualTo(URI.create("http://localhost:8080/health"));
        assertThat(withPath.config()).containsEntry("replicas", 3);
    }

    @Test
    void listingFiltersByEnvironmentModelAndStatusNewestFirstAndHistoryIsOldestFirst() {
        String a = manager.createDeployment("fraud_detector", "v1.0.0", "staging", ENDPOINT).id();
        clock.advance(Duration.ofSeconds(1));
        String b = manager.createDeployment("fraud_detector", "v1.0.0", "production", ENDPOINT).id();
        clock.advance(Duration.ofSeconds(1));
        String c = manager.createDeployment("churn", "v1", "production", ENDPOINT).id();
        clock.advance(Duration.ofSeconds(1));
        String d = manager.createDeployment("fraud_detector", "v2.0.0", "production", ENDPOINT).id();
        manager.activateDeployment(d);

        assertThat(manager.listDeployments(null, null, null)).extracting(Deployment::deploymentId).containsExactly(d, c, b, a);
        assertThat(manager.listDeployments("production", "fraud_detector", null))
                .extracting(Deployment::deploymentId).containsExactly(d, b);
        assertThat(manager.listDeployments(null, null, DeploymentStatus.PENDING))
                .extracting(Deployment::deploymentId).containsExactly(c, b, a);
        assertThat(manager.history("fraud_detector", "production")).extracting(Deployment::deploymentId).containsExactly(b, d);
        assertThat(manager.history("fraud_detector", null)).extracting(Deployment::deploymentId).containsExactly(a, b, d);
        assertThatThrownBy(() -> manager.listDeployments("bad env", null, null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void anEmptyOrMissingStoreListsNothing() {
        assertThat(manager.listDeployments(null, null, null)).isEmpty();
        assertThat(manager.problems()).isEmpty();
        assertThat(root).doesNotExist();
    }

    @Test
    void theHealthTimeoutIsBounded() {
        assertThat(manager.healthTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(manager.withHealthTimeout(Duration.ofMillis(500)).healthTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> manager.withHealthTimeout(Duration.ZERO)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> manager.withHealthTimeout(Duration.ofHours(1))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aUserWithControlCharactersIsRefused() {
        assertThatThrownBy(() -> new DeploymentManager(root, ModelCatalog.NONE, audit, "eve\nforged", clock))
                .isInstanceOf(InvalidInputException.class);
    }

    private String createAndActivate(String version) {
        String id = manager.createDeployment("fraud_detector", version, "production", ENDPOINT).id();
        clock.advance(Duration.ofMinutes(1));
        manager.activateDeployment(id);
        clock.advance(Duration.ofMinutes(1));
        return id;
    }
}
