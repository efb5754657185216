package neural.mlops.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.EventType;
import neural.mlops.audit.IntegrityProblem;
import neural.mlops.audit.ProblemKind;
import neural.mlops.deployment.Deployment;
import neural.mlops.identity.KeyFileSigner;
import neural.mlops.identity.SignedAction;
import neural.mlops.store.Json;
import neural.mlops.testing.SshKeys;
import neural.mlops.workspace.Workspace;
import neural.mlops.workspace.WorkspaceLocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24's remainder: deployments and alias changes (moves, requests, approvals) carry the acting
 * user's signature, {@code policy.deployments.<env>.require_signed} and
 * {@code policy.aliases.<alias>.require_signed} refuse unsigned or wrongly signed ones as security
 * violations naming the claimed user, and audit verification re-checks what was stored.
 */
class SignedDeploymentsAndAliasesTest {

    private static final String ENDPOINT = "http://localhost:8080/predict";

    @TempDir
    Path dir;

    private PolicyFixture fixture;
    private Path alice;
    private Path bob;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new PolicyFixture(dir);
        SshKeys keys = new SshKeys(Files.createDirectories(dir.resolve("keys")));
        alice = keys.generate("alice", "ed25519", 0);
        bob = keys.generate("bob", "ecdsa", 256);
        fixture.policy("identities:\n"
                + "  alice: [\"" + keys.publicLine(alice) + "\"]\n"
                + "  bob: [\"" + keys.publicLine(bob) + "\"]\n"
                + "policy:\n"
                + "  roles: {alice: [approver], bob: [approver]}\n"
                + "  aliases:\n"
                + "    champion: {require_signed: true}\n"
                + "    candidate: {allowed: [approver], approvals: 2, require_signed: true}\n"
                + "  deployments:\n"
                + "    production: {require_signed: true}\n");
    }

    private Workspace signed(String user, Path key) {
        return Workspace.open(new WorkspaceLocation.Folder(fixture.folder), user, fixture.clock, Optional.empty(),
                new KeyFileSigner(key));
    }

    @Test
    void aSignedDeploymentCarriesItsSignatureInTheEventAndTheDocumentAndVerifies() throws IOException {
        Workspace workspace = signed("alice", alice);
        String id = workspace.deployments().createDeployment(PolicyFixture.MODEL, "v1.0.0", "production", ENDPOINT)
                .deployment().deploymentId();
        workspace.deployments().activateDeployment(id, "first release");

        List<AuditEvent> changes = Stream.concat(fixture.events(EventType.DEPLOYMENT_CREATED).stream(),
                fixture.events(EventType.DEPLOYMENT_ACTIVATED).stream()).toList();
        assertThat(changes).hasSize(2).allSatisfy(event -> {
            assertThat(event.details()).containsKey(SignedAction.FIELD);
            SignedAction signature = SignedAction.fromJson(Json.mapper().valueToTree(event.details()
                    .get(SignedAction.FIELD)));
            assertThat(signature.payload().requestId()).isEqualTo(id);
            assertThat(signature.payload().target()).isEqualTo("production");
            assertThat(signature.payload().version()).isEqualTo("v1.0.0");
            assertThat(signature.signature().publicKey().kind()).isEqualTo("ed25519");
        });
        JsonNode history = Json.mapper().readTree(fixture.folder.resolve("deployments").resolve(id + ".json").toFile())
                .get("history");
        assertThat(history).hasSize(2).allSatisfy(entry -> assertThat(entry.get(SignedAction.FIELD).get("payload")
                .get("request_id").asText()).isEqualTo(id));
        assertThat(history.get(1).get(SignedAction.FIELD).get("payload").get("action").asText()).isEqualTo("activate");
        assertThat(SignatureAudit.check(fixture.as("reader").audit())).isEmpty();
    }

    @Test
    void anUnsignedDeploymentIsRefusedUnderRequireSignedAndAuditedAsASecurityViolation() throws IOException {
        Workspace bobUnsigned = fixture.as("bob");

        assertThatThrownBy(() -> bobUnsigned.deployments().createDeployment(PolicyFixture.MODEL, "v1.0.0", "production",
                ENDPOINT))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("policy.deployments.production.require_signed")
                .hasMessageContaining("the action of bob is not signed");

        assertThat(bobUnsigned.deployments().listDeployments(null, null, null)).isEmpty();
        assertThat(fixture.events(EventType.DEPLOYMENT_CREATED)).isEmpty();
        AuditEvent refusal = fixture.events(EventType.SECURITY_VIOLATION).get(0);
        assertThat(refusal.user()).isEqualTo("bob");
        assertThat(refusal.action()).isEqualTo("create");
        assertThat(refusal.details()).containsEntry("environment", "production")
                .containsEntry("rule", "policy.deployments.production.require_signed");

        // An environment without the rule takes unsigned deployments, as before.
        Deployment staging = bobUnsigned.deployments().createDeployment(PolicyFixture.MODEL, "v2.0.0", "staging",
                ENDPOINT).deployment();
        assertThat(fixture.events(EventType.DEPLOYMENT_CREATED)).singleElement()
                .satisfies(event -> assertThat(event.details()).doesNotContainKey(SignedAction.FIELD));
        assertThat(staging.environment()).isEqualTo("staging");
    }

    @Test
    void aStatusChangeInASignedEnvironmentIsRefusedWhenUnsigned() {
        String id = signed("alice", alice).deployments().createDeployment(PolicyFixture.MODEL, "v1.0.0", "production",
                ENDPOINT).deployment().deploymentId();

        assertThatThrownBy(() -> fixture.as("bob").deployments().activateDeployment(id))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("policy.deployments.production.require_signed");

        assertThat(fixture.as("reader").deployments().getDeployment(id).isActive()).isFalse();
        signed("bob", bob).deployments().activateDeployment(id);
        assertThat(fixture.as("reader").deployments().getDeployment(id).isActive()).isTrue();
        assertThat(SignatureAudit.check(fixture.as("reader").audit())).isEmpty();
    }

    @Test
    void aSignedRollbackAndDeactivationVerifyAndTheRollbackSignatureNamesTheDeploymentRolledBack()
            throws IOException {
        Workspace workspace = signed("alice", alice);
        String first = workspace.deployments().createDeployment(PolicyFixture.MODEL, "v1.0.0", "production", ENDPOINT)
                .deployment().deploymentId();
        workspace.deployments().activateDeployment(first);
        String second = workspace.deployments().createDeployment(PolicyFixture.MODEL, "v2.0.0", "production",
                ENDPOINT).deployment().deploymentId();
        workspace.deployments().activateDeployment(second);

        assertThatThrownBy(() -> fixture.as("alice").deployments().rollback(PolicyFixture.MODEL, "production"))
                .isInstanceOf(PolicyDeniedException.class).hasMessageContaining("not signed");
        workspace.deployments().rollback(PolicyFixture.MODEL, "production", "latency regression");
        workspace.deployments().deactivateDeployment(first, "maintenance");

        AuditEvent rollback = fixture.events(EventType.DEPLOYMENT_ROLLED_BACK).get(0);
        SignedAction signature = SignedAction.fromJson(Json.mapper().valueToTree(rollback.details()
                .get(SignedAction.FIELD)));
        assertThat(signature.payload().requestId()).isEqualTo(second);
        assertThat(signature.payload().version()).isEqualTo("v2.0.0");
        JsonNode restoredHistory = Json.mapper().readTree(fixture.folder.resolve("deployments")
                .resolve(first + ".json").toFile()).get("history");
        // pending, active, inactive (replaced: settled by the tool, unsigned), active (restored), inactive
        assertThat(restoredHistory).hasSize(5);
        assertThat(restoredHistory.get(2).has(SignedAction.FIELD)).isFalse();
        assertThat(restoredHistory.get(3).get(SignedAction.FIELD).get("payload").get("action").asText())
                .isEqualTo("rollback");
        assertThat(restoredHistory.get(4).get(SignedAction.FIELD).get("payload").get("action").asText())
                .isEqualTo("deactivate");
        assertThat(SignatureAudit.check(fixture.as("reader").audit())).isEmpty();
    }

    @Test
    void anAliasMoveSignedWithAnotherUsersKeyIsRefused() {
        assertThatThrownBy(() -> signed("bob", alice).aliases().set(PolicyFixture.MODEL, "champion", "v2.0.0", "mine"))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("policy.aliases.champion.require_signed")
                .hasMessageContaining("does not speak for bob");

        assertThat(fixture.as("reader").aliases().list(PolicyFixture.MODEL)).isEmpty();
        AuditEvent refusal = fixture.events(EventType.SECURITY_VIOLATION).get(0);
        assertThat(refusal.user()).isEqualTo("bob");
        assertThat(refusal.action()).isEqualTo("set_alias");
        assertThatThrownBy(() -> fixture.as("bob").aliases().set(PolicyFixture.MODEL, "champion", "v2.0.0", "mine"))
                .isInstanceOf(PolicyDeniedException.class).hasMessageContaining("not signed");
    }

    @Test
    void aSignedAliasMoveIsKeptInTheAliasHistoryAndTheEventAndVerifies() throws IOException {
        signed("alice", alice).aliases().set(PolicyFixture.MODEL, "champion", "v1.0.0", "first");
        signed("bob", bob).aliases().set(PolicyFixture.MODEL, "champion", "v2.0.0", "better");

        JsonNode champion = Json.mapper().readTree(fixture.folder.resolve("models").resolve("models")
                .resolve(PolicyFixture.MODEL).resolve("aliases.json").toFile()).get("aliases").get("champion");
        JsonNode history = champion.get("history");
        assertThat(history.get(0).get(SignedAction.FIELD).get("payload").get("user").asText()).isEqualTo("alice");
        assertThat(history.get(1).get(SignedAction.FIELD).get("payload").get("action").asText()).isEqualTo("move_alias");
        assertThat(history.get(1).get(SignedAction.FIELD).get("payload").get("target").asText()).isEqualTo("@champion");
        assertThat(champion.get(SignedAction.FIELD).get("payload").get("user").asText()).isEqualTo("bob");
        assertThat(fixture.events(EventType.MODEL_UPDATED)).extracting(AuditEvent::action)
                .containsExactly("set_alias", "move_alias");
        assertThat(fixture.events(EventType.MODEL_UPDATED))
                .allSatisfy(event -> assertThat(event.details()).containsKey(SignedAction.FIELD));
        assertThat(SignatureAudit.check(fixture.as("reader").audit())).isEmpty();
    }

    @Test
    void anAliasRequestAndItsApprovalsAreSignedAndAnUnsignedApprovalIsRefused() {
        PromotionRequest request = signed("alice", alice).governance().requestAlias(PolicyFixture.MODEL, "v2.0.0",
                "candidate", "shadow traffic looks good");
        assertThat(request.requestSignature().payload().target()).isEqualTo("@candidate");

        assertThatThrownBy(() -> fixture.as("bob").governance().approveAlias(PolicyFixture.MODEL, "v2.0.0",
                "candidate"))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("policy.aliases.candidate.require_signed");

        PromotionRequest approved = signed("bob", bob).governance().approveAlias(PolicyFixture.MODEL, "v2.0.0",
                "candidate");
        assertThat(approved.approvals()).singleElement()
                .satisfies(approval -> assertThat(approval.signature().payload().action()).isEqualTo("approve_alias"));
        signed("alice", alice).aliases().set(PolicyFixture.MODEL, "candidate", "v2.0.0", "approved");

        assertThat(fixture.as("reader").aliases().resolve(PolicyFixture.MODEL, "candidate")).isEqualTo("v2.0.0");
        assertThat(fixture.events(EventType.MODEL_UPDATED)).extracting(AuditEvent::action)
                .containsExactly("request_alias", "approve_alias", "set_alias");
        assertThat(SignatureAudit.check(fixture.as("reader").audit())).isEmpty();
    }

    @Test
    void anEditedDeploymentSignatureIsFlaggedNamingTheEventAndTheClaimedUser() throws IOException {
        signed("alice", alice).deployments().createDeployment(PolicyFixture.MODEL, "v1.0.0", "production", ENDPOINT);
        AuditEvent created = fixture.events(EventType.DEPLOYMENT_CREATED).get(0);

        Path file = eventFile(created.seq());
        ObjectNode document = (ObjectNode) Json.mapper().readTree(file.toFile());
        ObjectNode payload = (ObjectNode) document.get("details").get(SignedAction.FIELD).get("payload");
        payload.put("time", "2024-03-01T09:00:00Z"); // the signed bytes no longer match
        Files.writeString(file, Json.mapper().writeValueAsString(document));

        List<IntegrityProblem> problems = SignatureAudit.check(fixture.as("reader").audit());
        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.SIGNATURE);
            assertThat(problem.seq()).isEqualTo(created.seq());
            assertThat(problem.eventId()).isEqualTo(created.eventId());
            assertThat(problem.user()).isEqualTo("alice");
            assertThat(problem.why()).contains("does not speak for alice");
        });
    }

    @Test
    void aDeploymentSignatureCopiedOntoAnotherEnvironmentIsFlagged() throws IOException {
        signed("alice", alice).deployments().createDeployment(PolicyFixture.MODEL, "v1.0.0", "production", ENDPOINT);
        AuditEvent created = fixture.events(EventType.DEPLOYMENT_CREATED).get(0);

        Path file = eventFile(created.seq());
        ObjectNode document = (ObjectNode) Json.mapper().readTree(file.toFile());
        ((ObjectNode) document.get("details")).put("environment", "staging");
        Files.writeString(file, Json.mapper().writeValueAsString(document));

        assertThat(SignatureAudit.check(fixture.as("reader").audit())).singleElement()
                .satisfies(problem -> assertThat(problem.why()).isEqualTo("its signature is for production, not staging"));
    }

    @Test
    void theDeploymentAndAliasRulesAreReadAndATypoIsRefusedWithItsLine() {
        Policy policy = fixture.as("reader").governance().policy();
        assertThat(policy.deploymentRule("production").requireSigned()).isTrue();
        assertThat(policy.deploymentRule("staging").requireSigned()).isFalse();
        assertThat(policy.aliasRule("champion").requireSigned()).isTrue();
        assertThat(policy.describe()).contains("Deployments:", "  production: signed changes only");

        assertThatThrownBy(() -> Policy.parse("policy:\n  deployments:\n    production: {require_signed: yes please}\n",
                dir.resolve("workspace.yaml")))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("policy.deployments.production.require_signed must be true or false");
        assertThatThrownBy(() -> Policy.parse("policy:\n  deployments:\n    production: {require_signed: true}\n",
                dir.resolve("workspace.yaml")))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("lists no identities");
        assertThatThrownBy(() -> Policy.parse("policy:\n  deployments:\n    production: {require_signd: true}\n",
                dir.resolve("workspace.yaml")))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("did you mean 'require_signed'");
    }

    private Path eventFile(long seq) throws IOException {
        String suffix = String.format("_%07d.json", seq);
        try (Stream<Path> files = Files.walk(fixture.folder.resolve("audit_logs").resolve("events"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).findFirst().orElseThrow();
        }
    }
}
