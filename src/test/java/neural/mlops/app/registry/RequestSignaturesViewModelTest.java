package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.identity.KeyFileSigner;
import neural.mlops.identity.Signer;
import neural.mlops.registry.ModelStage;
import neural.mlops.store.Json;
import neural.mlops.testing.SshKeys;
import neural.mlops.workspace.Workspace;
import neural.mlops.workspace.WorkspaceLocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Requests window says who signed the request and each approval, verified against the
 * workspace's identities (issue 24): not what the document claims, but what the keys prove.
 */
class RequestSignaturesViewModelTest {

    @TempDir
    Path dir;

    private Path folder;
    private SshKeys keys;
    private Path alice;
    private Path bob;

    @BeforeEach
    void setUp() throws IOException {
        folder = RegistryFixture.create(dir).folder().orElseThrow();
        keys = new SshKeys(Files.createDirectories(dir.resolve("keys")));
        alice = keys.generate("alice", "ed25519", 0);
        bob = keys.generate("bob", "ecdsa", 256);
        Files.writeString(folder.resolve("workspace.yaml"), "identities:\n"
                + "  alice: [\"" + keys.publicLine(alice) + "\"]\n"
                + "  bob: [\"" + keys.publicLine(bob) + "\"]\n"
                + "policy:\n"
                + "  roles: {alice: [approver], bob: [approver], carol: [approver]}\n"
                + "  stages:\n"
                + "    production: {allowed: [approver], approvals: 4}\n");
    }

    private Workspace as(String user, Signer signer) {
        return Workspace.open(new WorkspaceLocation.Folder(folder), user, Clock.systemUTC(), Optional.empty(), signer);
    }

    private RequestsViewModel.Row row() {
        RequestsViewModel model = new RequestsViewModel(TaskExecutor.CURRENT_THREAD, new ScriptedDialogs(),
                as("reader", Signer.NONE).governance(), () -> { });
        model.refresh();
        return model.rows().get(0);
    }

    @Test
    void showsWhoSignedTheRequestAndEachApprovalWithTheKeyAndSaysWhichAreUnsigned() {
        as("alice", new KeyFileSigner(alice)).governance().request("fraud_detector", "v2.0.0", ModelStage.PRODUCTION,
                "beats v1 on recall");
        as("carol", Signer.NONE).governance().approve("fraud_detector", "v2.0.0", ModelStage.PRODUCTION);
        as("bob", new KeyFileSigner(bob)).governance().approve("fraud_detector", "v2.0.0", ModelStage.PRODUCTION);

        assertThat(row().signatures()).isEqualTo("request: signed by alice (ed25519 " + keys.fingerprint(alice) + ")\n"
                + "carol: unsigned\n"
                + "bob: signed by bob (ecdsa " + keys.fingerprint(bob) + ")");
    }

    @Test
    void aSignatureCopiedOntoAnotherUsersApprovalIsShownAsInvalid() throws IOException {
        as("alice", new KeyFileSigner(alice)).governance().request("fraud_detector", "v2.0.0", ModelStage.PRODUCTION,
                "beats v1 on recall");
        as("bob", new KeyFileSigner(bob)).governance().approve("fraud_detector", "v2.0.0", ModelStage.PRODUCTION);
        as("carol", Signer.NONE).governance().approve("fraud_detector", "v2.0.0", ModelStage.PRODUCTION);
        Path document;
        try (var files = Files.walk(folder.resolve("models"))) {
            document = files.filter(file -> file.toString().endsWith("production.json")
                    && file.toString().contains("requests")).findFirst().orElseThrow();
        }
        ObjectNode stored = Json.readObject(document);
        ArrayNode approvals = (ArrayNode) stored.get("approvals");
        // carol's approval borrows bob's valid signature; the request's own payload is edited to claim another request
        ((ObjectNode) approvals.get(1)).set("signature", approvals.get(0).get("signature").deepCopy());
        ((ObjectNode) stored.get("request_signature").get("payload")).put("request_id", "another");
        Json.writeAtomically(document, stored);

        RequestsViewModel.Row row = row();

        assertThat(row.signatures()).isEqualTo("request: signature invalid\n"
                + "bob: signed by bob (ecdsa " + keys.fingerprint(bob) + ")\n"
                + "carol: signature invalid");
        assertThat(row.approvalSignatures().get(1).problem()).hasValueSatisfying(problem ->
                assertThat(problem).contains("made for bob, not carol"));
    }
}
