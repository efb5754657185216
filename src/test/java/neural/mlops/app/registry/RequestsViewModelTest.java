package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.policy.RequestStatus;
import neural.mlops.registry.ModelStage;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Requests window: approve and reject, with what each would do said before the click. */
class RequestsViewModelTest {

    @TempDir
    Path dir;

    Path folder;
    ScriptedDialogs dialogs = new ScriptedDialogs();
    AtomicInteger registryReloads = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        folder = RegistryFixture.create(dir).folder().orElseThrow();
        Files.writeString(folder.resolve("workspace.yaml"), RegistryPolicyViewModelTest.POLICY);
        workspace("alice").governance().request("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "beats v1 on recall");
    }

    private Workspace workspace(String user) {
        return Workspace.open(folder, user, Clock.systemUTC(), Optional.empty());
    }

    private RequestsViewModel windowAs(String user) {
        RequestsViewModel model = new RequestsViewModel(TaskExecutor.CURRENT_THREAD, dialogs,
                workspace(user).governance(), registryReloads::incrementAndGet);
        model.refresh();
        return model;
    }

    private ModelStage stageOfV2() {
        return workspace("reader").registry().getModel("fraud_detector", "v2.0.0").stage();
    }

    @Test
    void listsOpenRequestsAndSaysWhatApprovingWouldDo() {
        RequestsViewModel carol = windowAs("carol");

        assertThat(carol.rows()).singleElement().satisfies(row -> {
            assertThat(row.request().requestedBy()).isEqualTo("alice");
            assertThat(row.approvals()).isEqualTo("1 of 2: alice");
            assertThat(row.completes()).isTrue();
        });
        assertThat(carol.selectedProperty().get()).isEqualTo(carol.rows().get(0));
        assertThat(carol.canApproveProperty().get()).isTrue();
        assertThat(carol.canRejectProperty().get()).isTrue();
        assertThat(carol.rejectTextProperty().get()).isEqualTo("Reject");
        assertThat(carol.hintProperty().get())
                .isEqualTo("Your approval is the last one needed: the version moves to production when you approve.");
    }

    @Test
    void theLastApprovalPromotesAndTellsTheRegistryToReload() {
        RequestsViewModel carol = windowAs("carol");

        carol.approve();

        assertThat(dialogs.confirmations).singleElement().asString()
                .contains("Requested by alice on").contains("beats v1 on recall")
                .contains("Yours is the last approval needed: fraud_detector v2.0.0 moves to production at once");
        assertThat(stageOfV2()).isEqualTo(ModelStage.PRODUCTION);
        assertThat(dialogs.informations).singleElement().asString()
                .isEqualTo("Promoted: fraud_detector v2.0.0 is now in production (approved by alice, carol).");
        assertThat(registryReloads.get()).isEqualTo(1);
        assertThat(carol.rows()).isEmpty();
        assertThat(carol.canApproveProperty().get()).isFalse();
        assertThat(carol.hintProperty().get()).isEqualTo("No open promotion requests.");
    }

    @Test
    void cancellingTheConfirmationApprovesNothing() {
        RequestsViewModel carol = windowAs("carol");
        dialogs.answer(false);

        carol.approve();

        assertThat(stageOfV2()).isEqualTo(ModelStage.STAGING);
        assertThat(registryReloads.get()).isZero();
    }

    @Test
    void theRequesterSeesWhyTheyCannotApproveAndMayWithdraw() {
        RequestsViewModel alice = windowAs("alice");

        assertThat(alice.canApproveProperty().get()).isFalse();
        assertThat(alice.hintProperty().get()).isEqualTo("You requested it; another permitted user must approve it.");
        assertThat(alice.rejectTextProperty().get()).isEqualTo("Withdraw");
        alice.approve();
        assertThat(dialogs.confirmations).isEmpty();

        dialogs.reason("found a bug");
        alice.reject();

        assertThat(dialogs.confirmations).singleElement().asString().contains("Your request is withdrawn");
        assertThat(workspace("reader").governance().requests(null, true).requests()).singleElement()
                .satisfies(request -> {
                    assertThat(request.status()).isEqualTo(RequestStatus.WITHDRAWN);
                    assertThat(request.closeReason()).isEqualTo("found a bug");
                });
        assertThat(alice.rows()).isEmpty();
    }

    @Test
    void aUserWithoutPermissionCanNeitherApproveNorRejectAndIsToldTheRule() {
        RequestsViewModel bob = windowAs("bob");

        assertThat(bob.canApproveProperty().get()).isFalse();
        assertThat(bob.canRejectProperty().get()).isFalse();
        assertThat(bob.hintProperty().get()).startsWith("policy.stages.production.allowed: bob is not allowed to approve "
                + "moves into production");
    }

    @Test
    void aRejectionRecordsTheReasonAndShowClosedListsIt() {
        RequestsViewModel carol = windowAs("carol");
        dialogs.reason("wait for the A/B test");

        carol.reject();

        assertThat(carol.rows()).isEmpty();
        carol.showClosedProperty().set(true);
        assertThat(carol.rows()).singleElement().satisfies(row -> {
            assertThat(row.request().status()).isEqualTo(RequestStatus.REJECTED);
            assertThat(row.request().closeReason()).isEqualTo("wait for the A/B test");
        });
        assertThat(carol.hintProperty().get()).isEqualTo("This request is rejected (by carol).");
        assertThat(carol.canApproveProperty().get()).isFalse();
    }

    @Test
    void anApprovalTheCoreRefusesShowsItsMessageAndChangesNothing() {
        RequestsViewModel carol = windowAs("carol");
        workspace("bob").registry().promoteModel("fraud_detector", "v2.0.0", ModelStage.DEVELOPMENT, "more training");

        carol.approve();

        assertThat(dialogs.errors).singleElement().asString().startsWith("Cannot approve fraud_detector v2.0.0: ")
                .contains("policy.stages.production.requires_stage");
        assertThat(stageOfV2()).isEqualTo(ModelStage.DEVELOPMENT);
        assertThat(carol.rows()).singleElement().satisfies(row -> assertThat(row.request().approvals()).isEmpty());
    }
}
