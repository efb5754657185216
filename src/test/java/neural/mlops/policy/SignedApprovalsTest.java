package neural.mlops.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.EventType;
import neural.mlops.audit.IntegrityProblem;
import neural.mlops.identity.KeyFileSigner;
import neural.mlops.identity.SignatureVerdict;
import neural.mlops.identity.SignedAction;
import neural.mlops.registry.ModelStage;
import neural.mlops.store.Json;
import neural.mlops.testing.SshKeys;
import neural.mlops.workspace.Workspace;
import neural.mlops.workspace.WorkspaceLocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24's "done when": with require_signed on production and two approvals, an unsigned approval
 * is refused and audited, two approvals signed by two listed keys promote, alice's key claiming to
 * be bob is refused, and audit verify flags an edited signature. Keys are made by ssh-keygen.
 */
class SignedApprovalsTest {

    @TempDir
    Path dir;

    private PolicyFixture fixture;
    private SshKeys keys;
    private Path alice;
    private Path bob;
    private Path carol;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new PolicyFixture(dir);
        keys = new SshKeys(Files.createDirectories(dir.resolve("keys")));
        alice = keys.generate("alice", "ed25519", 0);
        bob = keys.generate("bob", "ecdsa", 256);
        carol = keys.generate("carol", "rsa", 2048);
        fixture.policy(policy(true));
    }

    private String policy(boolean carolListed) {
        return "identities:\n"
                + "  alice: [\"" + keys.publicLine(alice) + "\"]\n"
                + "  bob: [\"" + keys.publicLine(bob) + "\"]\n"
                + (carolListed ? "  carol: [\"" + keys.publicLine(carol) + "\"]\n" : "")
                + "policy:\n"
                + "  roles: {alice: [approver], bob: [approver], carol: [approver]}\n"
                + "  stages:\n"
                + "    production: {allowed: [approver], approvals: 2, require_signed: true}\n"
                + "    archived: {require_signed: true}\n";
    }

    private Workspace signed(String user, Path key) {
        return Workspace.open(new WorkspaceLocation.Folder(fixture.folder), user, fixture.clock, Optional.empty(),
                new KeyFileSigner(key));
    }

    private Governance governance(Workspace workspace) {
        return workspace.governance();
    }

    @Test
    void anUnsignedApprovalIsRefusedAndAuditedAsASecurityViolation() {
        governance(signed("alice", alice)).request(PolicyFixture.MODEL, "v2.0.0", ModelStage.PRODUCTION, "better recall");

        assertThatThrownBy(() -> governance(fixture.as("carol")).approve(PolicyFixture.MODEL, "v2.0.0",
                ModelStage.PRODUCTION))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("policy.stages.production.require_signed")
                .hasMessageContaining("not signed");

        AuditEvent refusal = fixture.events(EventType.SECURITY_VIOLATION).get(0);
        assertThat(refusal.user()).isEqualTo("carol");
        assertThat(refusal.action()).isEqualTo("approve_promotion");
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.STAGING);
        assertThat(governance(fixture.as("reader")).requests(null, false).requests().get(0).approvals()).isEmpty();
    }

    @Test
    void twoApprovalsSignedByTwoListedKeysPromoteAndCarryTheirSignatures() {
        governance(signed("alice", alice)).request(PolicyFixture.MODEL, "v2.0.0", ModelStage.PRODUCTION, "better recall");

        ApprovalOutcome outcome = governance(signed("carol", carol)).approve(PolicyFixture.MODEL, "v2.0.0",
                ModelStage.PRODUCTION);

        assertThat(outcome.promotion()).isPresent();
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.PRODUCTION);
        PromotionRequest done = outcome.request();
        assertThat(done.requestSignature().signature().publicKey().kind()).isEqualTo("ed25519");
        assertThat(done.approvals().get(0).signature().signature().publicKey().kind()).isEqualTo("rsa");
        List<AuditEvent> updates = fixture.events(EventType.MODEL_UPDATED);
        assertThat(updates).extracting(AuditEvent::action).containsExactly("request_promotion", "approve_promotion");
        assertThat(updates).allSatisfy(event -> assertThat(event.details()).containsKey(SignedAction.FIELD));
        AuditEvent identities = fixture.events(EventType.CONFIG_CHANGED).get(0);
        assertThat(identities.details()).containsEntry("setting", "identities");
        assertThat(SignatureAudit.check(fixture.as("reader").audit())).isEmpty();
    }

    @Test
    void anApprovalSignedWithAlicesKeyButClaimingBobIsRefused() {
        governance(signed("carol", carol)).request(PolicyFixture.MODEL, "v2.0.0", ModelStage.PRODUCTION, "better recall");

        assertThatThrownBy(() -> governance(signed("bob", alice)).approve(PolicyFixture.MODEL, "v2.0.0",
                ModelStage.PRODUCTION))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("does not speak for bob")
                .hasMessageContaining("is not one of bob's listed keys");

        AuditEvent refusal = fixture.events(EventType.SECURITY_VIOLATION).get(0);
        assertThat(refusal.user()).isEqualTo("bob");
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.STAGING);
    }

    @Test
    void auditVerificationFlagsAnEventWhoseSignatureWasEdited() throws IOException {
        governance(signed("alice", alice)).request(PolicyFixture.MODEL, "v2.0.0", ModelStage.PRODUCTION, "better recall");
        governance(signed("carol", carol)).approve(PolicyFixture.MODEL, "v2.0.0", ModelStage.PRODUCTION);
        AuditEvent approval = fixture.events(EventType.MODEL_UPDATED).get(1);

        Path file = eventFile(approval.seq());
        ObjectNode document = (ObjectNode) Json.mapper().readTree(file.toFile());
        ObjectNode signature = (ObjectNode) document.get("details").get(SignedAction.FIELD);
        String sshsig = signature.get("sshsig").asText();
        int at = sshsig.length() - 10;
        signature.put("sshsig", sshsig.substring(0, at) + (sshsig.charAt(at) == 'A' ? 'B' : 'A') + sshsig.substring(at + 1));
        Files.writeString(file, Json.mapper().writeValueAsString(document));

        List<IntegrityProblem> problems = SignatureAudit.check(fixture.as("reader").audit());
        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.seq()).isEqualTo(approval.seq());
            assertThat(problem.message()).contains("approve_promotion").contains("by carol");
        });
        // A window that starts after the edited approval checks only its own signatures (verify --since).
        Instant windowStart = approval.timestamp().plusSeconds(1);
        assertThat(SignatureAudit.check(fixture.as("reader").audit(), windowStart)).isEmpty();
        assertThat(SignatureAudit.check(fixture.as("reader").audit(), approval.timestamp()))
                .extracting(IntegrityProblem::seq).containsExactly(approval.seq());
    }

    @Test
    void aKeyRemovedFromTheIdentitiesStillVouchesForTheEventsSignedBeforeItsRemoval() {
        governance(signed("alice", alice)).request(PolicyFixture.MODEL, "v2.0.0", ModelStage.PRODUCTION, "better recall");
        governance(signed("carol", carol)).approve(PolicyFixture.MODEL, "v2.0.0", ModelStage.PRODUCTION);

        fixture.policy(policy(false));
        signed("alice", alice).registry().promoteModel(PolicyFixture.MODEL, "v3.0.0", ModelStage.ARCHIVED, "retired");

        assertThat(fixture.events(EventType.CONFIG_CHANGED)).hasSize(2);
        assertThat(SignatureAudit.check(fixture.as("reader").audit())).isEmpty();
        assertThatThrownBy(() -> signed("carol", carol).registry().promoteModel(PolicyFixture.MODEL, "v4.0.0",
                ModelStage.ARCHIVED, "retired"))
                .isInstanceOf(PolicyDeniedException.class).hasMessageContaining("is not one of carol's listed keys");
    }

    @Test
    void anUnreadableIdentitiesBlockIsReportedAndPassedOverForTheIdentitiesBeforeIt() throws IOException {
        governance(signed("alice", alice)).request(PolicyFixture.MODEL, "v2.0.0", ModelStage.PRODUCTION, "better recall");
        fixture.policy(policy(false));
        signed("alice", alice).registry().promoteModel(PolicyFixture.MODEL, "v3.0.0", ModelStage.ARCHIVED, "retired");
        AuditEvent second = fixture.events(EventType.CONFIG_CHANGED).stream()
                .max(Comparator.comparingLong(AuditEvent::seq)).orElseThrow();
        AuditEvent promotion = fixture.events(EventType.MODEL_PROMOTED).stream()
                .max(Comparator.comparingLong(AuditEvent::seq)).orElseThrow();
        assertThat(promotion.resourceId()).endsWith("v3.0.0");
        assertThat(promotion.details()).containsKey(SignedAction.FIELD);
        assertThat(promotion.seq()).isGreaterThan(second.seq());

        Path file = eventFile(second.seq());
        ObjectNode document = (ObjectNode) Json.mapper().readTree(file.toFile());
        ((ObjectNode) document.get("details").get("value")).remove("keys");
        Files.writeString(file, Json.mapper().writeValueAsString(document));

        assertThat(SignatureAudit.check(fixture.as("reader").audit())).singleElement().satisfies(problem -> {
            assertThat(problem.seq()).isEqualTo(second.seq());
            assertThat(problem.message()).contains("its identities block cannot be read");
        });
        // The promotion after the broken block is checked against the identities recorded before it.
        assertThat(SignatureAudit.verdict(fixture.as("reader").audit(), promotion).status()).isEqualTo(SignatureVerdict.Status.SIGNED);
    }

    @Test
    void aDirectPromotionIntoASignedStageCarriesItsSignatureOrIsRefused() {
        assertThatThrownBy(() -> fixture.as("bob").registry().promoteModel(PolicyFixture.MODEL, "v3.0.0",
                ModelStage.ARCHIVED, "retired"))
                .isInstanceOf(PolicyDeniedException.class).hasMessageContaining("not signed");

        signed("bob", bob).registry().promoteModel(PolicyFixture.MODEL, "v3.0.0", ModelStage.ARCHIVED, "retired");

        AuditEvent promoted = fixture.events(EventType.MODEL_PROMOTED).stream()
                .filter(event -> event.resourceId().endsWith("v3.0.0") && "bob".equals(event.user())).findFirst()
                .orElseThrow();
        assertThat(promoted.details().get(SignedAction.FIELD)).isInstanceOf(Map.class);
        assertThat(SignatureAudit.check(fixture.as("reader").audit())).isEmpty();
    }

    private Path eventFile(long seq) throws IOException {
        String suffix = String.format("_%07d.json", seq);
        try (Stream<Path> files = Files.walk(fixture.folder.resolve("audit_logs").resolve("events"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(suffix)).findFirst().orElseThrow();
        }
    }
}
