package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import neural.mlops.testing.SshKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --sign-with from the command line: an unsigned approval exits 1, signed ones promote, audit verify stays intact. */
class SignedRequestsCommandTest {

    @TempDir
    Path workspace;

    private Path alice;
    private Path carol;

    @BeforeEach
    void setUp() throws Exception {
        SshKeys keys = new SshKeys(Files.createDirectories(workspace.resolve("keys")));
        alice = keys.generate("alice", "ed25519", 0);
        carol = keys.generate("carol", "ecdsa", 256);
        Path model = Files.writeString(workspace.resolve("model.pt"), "weights");
        ok("registry", "register", "--name", "fraud_detector", "--version", "v1.0.0", "--model-path", model.toString(),
                "--framework", "pytorch");
        Files.writeString(workspace.resolve("workspace.yaml"), "identities:\n"
                + "  alice: [\"" + keys.publicLine(alice) + "\"]\n"
                + "  carol: [\"" + keys.publicLine(carol) + "\"]\n"
                + "policy:\n  roles: {alice: [approver], carol: [approver]}\n"
                + "  stages:\n    production: {allowed: [approver], approvals: 2, require_signed: true}\n");
    }

    @Test
    void anUnsignedApprovalExitsOneAndSignedApprovalsPromote() {
        ok("--user", "alice", "--sign-with", alice.toString(), "registry", "request", "fraud_detector", "v1.0.0",
                "--to", "production", "--reason", "first release");

        CliRun unsigned = run("--user", "carol", "registry", "approve", "fraud_detector", "v1.0.0", "--to", "production");
        assertThat(unsigned.status()).isEqualTo(1);
        assertThat(unsigned.err()).contains("policy.stages.production.require_signed").contains("not signed");

        CliRun signed = run("--user", "carol", "--sign-with", carol.toString(), "registry", "approve", "fraud_detector",
                "v1.0.0", "--to", "production");
        assertThat(signed.status()).as(signed.err()).isZero();
        assertThat(signed.out()).contains("promoted");

        CliRun verify = run("audit", "verify");
        assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
    }

    @Test
    void aSigningKeyThatIsNotAKeyFileIsBadInput() throws Exception {
        Path notAKey = Files.writeString(workspace.resolve("notes.txt"), "hello");

        CliRun run = run("--user", "alice", "--sign-with", notAKey.toString(), "registry", "request", "fraud_detector",
                "v1.0.0", "--to", "production", "--reason", "first release");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("is not an OpenSSH key");
    }

    private void ok(String... args) {
        CliRun run = run(args);
        assertThat(run.status()).as(String.join(" ", args) + ": " + run.err()).isZero();
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("--workspace", workspace.toString()));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }
}
