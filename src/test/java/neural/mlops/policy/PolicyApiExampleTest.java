package neural.mlops.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import neural.mlops.registry.ModelStage;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of docs/api.md's neural.mlops.policy section, run as written. */
class PolicyApiExampleTest {

    @TempDir
    Path dir;

    @Test
    void theDocumentedExampleRuns() {
        PolicyFixture fixture = new PolicyFixture(dir);
        fixture.policy(ApprovalsTest.POLICY);
        Path folder = fixture.folder;

        Workspace bob = Workspace.open(folder, "bob");
        assertThatThrownBy(() -> bob.registry().promoteModel("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "beats v1"))
                .isInstanceOf(PolicyDeniedException.class);

        Governance alice = Workspace.open(folder, "alice").governance();
        PromotionRequest request = alice.request("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "beats v1 on recall");
        ApprovalOutcome outcome = Workspace.open(folder, "carol").governance()
                .approve("fraud_detector", "v2.0.0", ModelStage.PRODUCTION);

        assertThat(request.isOpen()).isTrue();
        assertThat(outcome.promotion().orElseThrow().promoted().stage()).isEqualTo(ModelStage.PRODUCTION);
    }
}
