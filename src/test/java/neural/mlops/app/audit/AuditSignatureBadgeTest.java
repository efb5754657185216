package neural.mlops.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.identity.KeyFileSigner;
import neural.mlops.identity.SignatureVerdict;
import neural.mlops.identity.Signer;
import neural.mlops.policy.SignatureAudit;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.testing.SshKeys;
import neural.mlops.workspace.Workspace;
import neural.mlops.workspace.WorkspaceLocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit detail pane's signature badge (issue 24): the verdict audit verify gives on the
 * selected event's stored signature, or "unsigned" for a governed action whose stage requires
 * signatures. Keys are made by ssh-keygen.
 */
class AuditSignatureBadgeTest {

    @TempDir
    Path dir;

    private Path folder;
    private SshKeys keys;
    private Path alice;

    @BeforeEach
    void setUp() throws IOException {
        folder = Files.createDirectories(dir.resolve("ws"));
        keys = new SshKeys(Files.createDirectories(dir.resolve("keys")));
        alice = keys.generate("alice", "ed25519", 0);
        Path model = Files.writeString(dir.resolve("model.pt"), "weights");
        Workspace setup = Workspace.open(folder, "tester");
        for (String version : List.of("v1.0.0", "v2.0.0")) {
            setup.registry().registerModel(RegisterRequest.builder("fraud_detector", version, model)
                    .framework("pytorch").createdBy("alice").metric("accuracy", 0.9).build());
        }
        policy(false);
    }

    private void policy(boolean requireSigned) throws IOException {
        Files.writeString(folder.resolve("workspace.yaml"), "identities:\n"
                + "  alice: [\"" + keys.publicLine(alice) + "\"]\n"
                + "policy:\n  stages:\n    production: {require_signed: " + requireSigned + "}\n");
    }

    private Workspace as(String user, Signer signer) {
        return Workspace.open(new WorkspaceLocation.Folder(folder), user, Clock.systemUTC(), Optional.empty(), signer);
    }

    private AuditEvent promotionOf(Workspace workspace, String version) {
        return workspace.audit().queryEvents(AuditFilter.all()).stream()
                .filter(event -> event.action().equals("promote") && event.resourceId().endsWith(":" + version))
                .findFirst().orElseThrow();
    }

    /** The badge the pane shows for {@code version}'s promotion. */
    private SignatureVerdict badgeOf(String version) {
        Workspace reader = as("reader", Signer.NONE);
        AuditViewModel model = new AuditViewModel(TaskExecutor.CURRENT_THREAD, new ScriptedDialogs(),
                Clock.systemUTC(), ZoneOffset.UTC);
        model.showWorkspace(reader);
        model.selectedEventProperty().set(promotionOf(reader, version));
        return model.signatureProperty().get();
    }

    @Test
    void aSignedPromotionShowsTheValidSignatureAsAuditVerifyDoes() {
        as("alice", new KeyFileSigner(alice)).registry().promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION,
                "release");

        SignatureVerdict badge = badgeOf("v1.0.0");

        assertThat(badge.status()).isEqualTo(SignatureVerdict.Status.SIGNED);
        assertThat(badge.describe()).isEqualTo("signed by alice (ed25519 " + keys.fingerprint(alice) + ")");
        assertThat(SignatureAudit.check(as("reader", Signer.NONE).audit())).isEmpty();
    }

    @Test
    void anEditedSignatureShowsInvalidWithTheProblemAuditVerifyReports() throws IOException {
        as("alice", new KeyFileSigner(alice)).registry().promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION,
                "release");
        try (Stream<Path> files = Files.walk(folder.resolve("audit_logs"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                // The signed payload's time moves a year: the signature no longer matches what it claims to sign.
                String edited = text.replaceFirst("(\"time\"\\s*:\\s*\"20)(\\d\\d)", "$1" + "19");
                if (!edited.equals(text)) {
                    Files.writeString(file, edited, StandardCharsets.UTF_8);
                }
            }
        }

        SignatureVerdict badge = badgeOf("v1.0.0");

        assertThat(badge.status()).isEqualTo(SignatureVerdict.Status.INVALID);
        assertThat(badge.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("does not match"));
        assertThat(SignatureAudit.check(as("reader", Signer.NONE).audit()))
                .singleElement().satisfies(found -> assertThat(found.toString()).contains(badge.problem().get()));
    }

    @Test
    void anUnsignedPromotionIsMarkedOnlyWhereItsStageRequiresSignatures() throws IOException {
        as("alice", Signer.NONE).registry().promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "release");
        as("alice", Signer.NONE).registry().promoteModel("fraud_detector", "v2.0.0", ModelStage.STAGING, "candidate");
        assertThat(badgeOf("v1.0.0")).as("production does not require signatures yet").isNull();

        policy(true);

        assertThat(badgeOf("v1.0.0").status()).isEqualTo(SignatureVerdict.Status.UNSIGNED);
        assertThat(badgeOf("v2.0.0")).as("staging does not require them").isNull();
    }
}
