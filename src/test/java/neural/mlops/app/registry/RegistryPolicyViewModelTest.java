package neural.mlops.app.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.EventType;
import neural.mlops.policy.PromotionRequest;
import neural.mlops.registry.ModelStage;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Registry tab under a workspace policy: what each move needs is known before the click. */
class RegistryPolicyViewModelTest {

    static final String POLICY = """
            policy:
              roles: {alice: [approver], carol: [approver], bob: [data_scientist]}
              stages:
                staging: {allowed: [data_scientist, approver]}
                production: {allowed: [approver], requires_stage: staging, approvals: 2}
                archived: {allowed: [alice], require_reason: true}
            """;

    @TempDir
    Path dir;

    Path folder;
    ScriptedDialogs dialogs = new ScriptedDialogs();

    @BeforeEach
    void setUp() throws IOException {
        folder = RegistryFixture.create(dir).folder().orElseThrow();
        Files.writeString(folder.resolve("workspace.yaml"), POLICY);
    }

    private Workspace workspace(String user) {
        return Workspace.open(folder, user, Clock.systemUTC(), Optional.empty());
    }

    private RegistryViewModel tabAs(String user) {
        RegistryViewModel model = new RegistryViewModel(TaskExecutor.CURRENT_THREAD, dialogs);
        model.showWorkspace(workspace(user));
        model.selectedModelProperty().set(model.models().stream()
                .filter(m -> m.name().equals("fraud_detector")).findFirst().orElseThrow());
        model.selectedVersions().setAll(model.versions().stream().filter(v -> v.version().equals("v2.0.0")).toList());
        return model;
    }

    @Test
    void eachMoveSaysBeforeTheClickWhatThePolicyNeeds() {
        RegistryViewModel bob = tabAs("bob");

        MoveOption production = bob.moveOption(ModelStage.PRODUCTION);
        assertThat(production.kind()).isEqualTo(MoveOption.Kind.BLOCKED);
        assertThat(production.hint()).startsWith("Blocked by policy.stages.production.allowed: bob is not allowed to move "
                + "versions into production");
        assertThat(bob.canMoveTo(ModelStage.PRODUCTION)).isFalse();
        assertThat(bob.moveOption(ModelStage.DEVELOPMENT).kind()).isEqualTo(MoveOption.Kind.ALLOWED);
        assertThat(bob.moveOption(ModelStage.STAGING).kind()).isEqualTo(MoveOption.Kind.NONE);
        assertThat(bob.moveHintsProperty().get()).contains("development: allowed")
                .contains("production: Blocked by policy.stages.production.allowed")
                .contains("archived: Blocked by policy.stages.archived.allowed");

        RegistryViewModel alice = tabAs("alice");
        assertThat(alice.moveOption(ModelStage.PRODUCTION))
                .isEqualTo(new MoveOption(ModelStage.PRODUCTION, MoveOption.Kind.REQUEST,
                        "Needs 2 approvals: a request will be created."));
        assertThat(alice.moveOption(ModelStage.ARCHIVED).hint()).isEqualTo("A reason is required.");
        assertThat(alice.canMoveTo(ModelStage.PRODUCTION)).isTrue();
    }

    @Test
    void promotingIntoAStageThatNeedsApprovalsCreatesARequestInsteadOfMoving() {
        RegistryViewModel alice = tabAs("alice");
        dialogs.reason("beats v1 on recall");

        alice.promote(ModelStage.PRODUCTION);

        assertThat(dialogs.confirmations).singleElement().asString()
                .contains("production needs 2 approvals under the workspace policy (policy.stages.production.approvals): "
                        + "a request will be created")
                .contains("1 other permitted user (carol) must approve it under Requests");
        assertThat(dialogs.informations).singleElement().asString().startsWith("Promotion requested: ");
        assertThat(workspace("reader").registry().getModel("fraud_detector", "v2.0.0").stage()).isEqualTo(ModelStage.STAGING);
        assertThat(alice.openRequests()).extracting(PromotionRequest::requestedBy).containsExactly("alice");
        assertThat(alice.moveOption(ModelStage.PRODUCTION).kind()).isEqualTo(MoveOption.Kind.REQUESTED);
        assertThat(alice.moveOption(ModelStage.PRODUCTION).hint())
                .isEqualTo("Requested by alice (1 of 2 approvals): approve it under Requests.");
        assertThat(dialogs.errors).isEmpty();
    }

    @Test
    void aRequestWithoutAReasonIsNotMade() {
        RegistryViewModel alice = tabAs("alice");
        dialogs.reason("");

        alice.promote(ModelStage.PRODUCTION);

        assertThat(dialogs.errors).singleElement().asString().startsWith("A reason is required");
        assertThat(workspace("reader").governance().requests(null, true).requests()).isEmpty();
    }

    @Test
    void aMoveThePolicyBlocksIsNotAttemptedAndTheRuleIsShown() {
        RegistryViewModel bob = tabAs("bob");

        bob.promote(ModelStage.PRODUCTION);

        assertThat(dialogs.confirmations).isEmpty();
        assertThat(dialogs.errors).singleElement().asString()
                .contains("policy.stages.production.allowed").contains("ask a permitted user (alice, carol)");
        assertThat(workspace("reader").registry().getModel("fraud_detector", "v2.0.0").stage()).isEqualTo(ModelStage.STAGING);
        assertThat(workspace("reader").audit().queryEvents(AuditFilter.all().withType(EventType.ACCESS_DENIED))).isEmpty();
    }

    @Test
    void aRequiredReasonIsSaidInTheConfirmationAndABlankOneChangesNothing() {
        RegistryViewModel alice = tabAs("alice");
        dialogs.reason(" ");

        alice.promote(ModelStage.ARCHIVED);

        assertThat(dialogs.confirmations).singleElement().asString().contains("The workspace policy requires a reason.");
        assertThat(dialogs.errors).singleElement().asString().startsWith("A reason is required")
                .contains("policy.stages.archived.require_reason");
        assertThat(workspace("reader").registry().getModel("fraud_detector", "v2.0.0").stage()).isEqualTo(ModelStage.STAGING);

        dialogs.reason("superseded");
        alice.promote(ModelStage.ARCHIVED);
        assertThat(workspace("reader").registry().getModel("fraud_detector", "v2.0.0").stage()).isEqualTo(ModelStage.ARCHIVED);
    }

    @Test
    void aPolicyBrokenAfterOpeningBlocksEveryMoveAndSaysWhy() throws IOException {
        RegistryViewModel alice = tabAs("alice");
        Files.writeString(folder.resolve("workspace.yaml"), POLICY.replace("approvals: 2", "aprovals: 2"));

        alice.refresh();

        assertThat(alice.policyProblemProperty().get()).contains("unknown key 'aprovals'");
        assertThat(alice.moveOption(ModelStage.DEVELOPMENT).kind()).isEqualTo(MoveOption.Kind.BLOCKED);
        assertThat(alice.moveOption(ModelStage.DEVELOPMENT).hint()).startsWith("The workspace policy cannot be read: ");
        assertThat(alice.versions()).isNotEmpty();
    }

    @Test
    void theRequestsWindowIsOfferedWithTheOpenRequestCount() {
        workspace("alice").governance().request("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "beats v1");
        RegistryViewModel carol = tabAs("carol");

        assertThat(carol.openRequests()).hasSize(1);
        RequestsViewModel requests = carol.newRequests();
        requests.refresh();
        assertThat(requests.rows()).extracting(row -> row.request().version()).containsExactly("v2.0.0");
        assertThat(List.of(carol.moveOption(ModelStage.PRODUCTION).kind())).containsExactly(MoveOption.Kind.REQUESTED);
    }
}
