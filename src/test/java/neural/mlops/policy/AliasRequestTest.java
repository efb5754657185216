package neural.mlops.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import neural.mlops.audit.EventType;
import neural.mlops.registry.ModelStage;
import neural.mlops.store.ConflictException;
import neural.mlops.store.NotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alias changes that need approvals go through a request, approved by others, then carried out once by alias set. */
class AliasRequestTest {

    @TempDir
    Path dir;

    PolicyFixture fx;

    @BeforeEach
    void setUp() {
        fx = new PolicyFixture(dir);
        fx.policy("""
                policy:
                  roles:
                    alice: [approver]
                    carol: [approver]
                  aliases:
                    champion:
                      allowed: [approver]
                      approvals: 2
                  stages:
                    production:
                      allowed: [approver]
                      approvals: 2
                """);
    }

    @Test
    void anApprovedRequestLetsTheAliasMoveToThatVersionOnceAndIsThenCompleted() {
        PromotionRequest requested = fx.as("alice").governance().requestAlias(PolicyFixture.MODEL, "v2.0.0", "champion",
                "beats v1");
        assertThat(requested.alias()).isEqualTo("champion");
        assertThat(requested.toStage()).isNull();
        PromotionRequest approved = fx.as("carol").governance().approveAlias(PolicyFixture.MODEL, "v2.0.0", "champion");
        assertThat(approved.agreed()).containsExactly("alice", "carol");
        assertThat(approved.isOpen()).isTrue();

        fx.as("alice").aliases().set(PolicyFixture.MODEL, "champion", "v2.0.0", "approved");

        assertThat(fx.as("reader").aliases().resolve(PolicyFixture.MODEL, "champion")).isEqualTo("v2.0.0");
        assertThat(fx.as("reader").governance().aliasRequests(PolicyFixture.MODEL, true).requests()).singleElement()
                .satisfies(request -> {
                    assertThat(request.status()).isEqualTo(RequestStatus.APPROVED);
                    assertThat(request.closedBy()).isEqualTo("alice");
                });
        assertThatThrownBy(() -> fx.as("carol").governance().requestAlias(PolicyFixture.MODEL, "v2.0.0", "champion",
                "again")).isInstanceOf(ConflictException.class).hasMessageContaining("already points at v2.0.0");
        // The approval was spent: moving the alias away and back needs a new request.
        assertThatThrownBy(() -> fx.as("carol").aliases().set(PolicyFixture.MODEL, "champion", "v3.0.0", null))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("neural-mlops registry approve fraud_detector v3.0.0 --alias champion");
        assertThat(fx.events(EventType.SECURITY_VIOLATION)).singleElement()
                .satisfies(event -> assertThat(event.action()).isEqualTo("move_alias"));
        assertThat(fx.events(EventType.MODEL_UPDATED)).extracting(event -> event.action())
                .contains("request_alias", "approve_alias");
    }

    @Test
    void aRequestWithTooFewApprovalsDoesNotMoveTheAliasAndNamesTheApproveCommand() {
        fx.as("alice").governance().requestAlias(PolicyFixture.MODEL, "v2.0.0", "champion", "beats v1");

        assertThatThrownBy(() -> fx.as("alice").aliases().set(PolicyFixture.MODEL, "champion", "v2.0.0", null))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("needs 2 approvals")
                .hasMessageContaining("the request by alice has 1 of 2 approvals: alice")
                .hasMessageContaining("1 more approval is needed: neural-mlops registry approve fraud_detector v2.0.0 "
                        + "--alias champion");
        assertThat(fx.as("reader").aliases().list(PolicyFixture.MODEL)).isEmpty();
        assertThat(fx.as("reader").governance().aliasRequests(PolicyFixture.MODEL, false).requests()).singleElement()
                .satisfies(request -> assertThat(request.isOpen()).isTrue());
    }

    @Test
    void anApprovalForOneVersionDoesNotLetTheAliasPointAtAnother() {
        fx.as("alice").governance().requestAlias(PolicyFixture.MODEL, "v2.0.0", "champion", "beats v1");
        fx.as("carol").governance().approveAlias(PolicyFixture.MODEL, "v2.0.0", "champion");

        assertThatThrownBy(() -> fx.as("alice").aliases().set(PolicyFixture.MODEL, "champion", "v3.0.0", null))
                .isInstanceOf(PolicyDeniedException.class);
        assertThat(fx.as("reader").aliases().list(PolicyFixture.MODEL)).isEmpty();
    }

    @Test
    void theRequesterCannotApproveTheirOwnAliasRequestAndTheAttemptIsASecurityViolation() {
        fx.as("alice").governance().requestAlias(PolicyFixture.MODEL, "v2.0.0", "champion", "beats v1");

        assertThatThrownBy(() -> fx.as("alice").governance().approveAlias(PolicyFixture.MODEL, "v2.0.0", "champion"))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("cannot also approve it");
        assertThat(fx.events(EventType.SECURITY_VIOLATION)).singleElement()
                .satisfies(event -> assertThat(event.action()).isEqualTo("approve_alias"));
        assertThat(fx.as("reader").governance().aliasRequests(PolicyFixture.MODEL, false).requests().get(0).agreed())
                .containsExactly("alice");
    }

    @Test
    void onlyUsersAllowedForTheAliasMayRequestOrApproveIt() {
        assertThatThrownBy(() -> fx.as("bob").governance().requestAlias(PolicyFixture.MODEL, "v2.0.0", "champion", "x"))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("policy.aliases.champion.allowed");
        fx.as("alice").governance().requestAlias(PolicyFixture.MODEL, "v2.0.0", "champion", "beats v1");
        assertThatThrownBy(() -> fx.as("bob").governance().approveAlias(PolicyFixture.MODEL, "v2.0.0", "champion"))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("policy.aliases.champion.allowed");
        assertThat(fx.events(EventType.ACCESS_DENIED)).hasSize(2);
        assertThatThrownBy(() -> fx.as("carol").governance().requestAlias(PolicyFixture.MODEL, "v2.0.0", "champion",
                "again")).isInstanceOf(ConflictException.class).hasMessageContaining("already requested by alice");
    }

    @Test
    void aRejectedAliasRequestCannotBeApprovedOrCarriedOut() {
        fx.as("alice").governance().requestAlias(PolicyFixture.MODEL, "v2.0.0", "champion", "beats v1");
        PromotionRequest rejected = fx.as("carol").governance().rejectAlias(PolicyFixture.MODEL, "v2.0.0", "champion",
                "not yet");
        assertThat(rejected.status()).isEqualTo(RequestStatus.REJECTED);

        assertThatThrownBy(() -> fx.as("carol").governance().approveAlias(PolicyFixture.MODEL, "v2.0.0", "champion"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> fx.as("alice").aliases().set(PolicyFixture.MODEL, "champion", "v2.0.0", null))
                .isInstanceOf(PolicyDeniedException.class);
    }

    @Test
    void anAliasRequestFoundAmongStageRequestsIsReportedNotListedAsAStageRequest() throws Exception {
        fx.as("alice").governance().requestAlias(PolicyFixture.MODEL, "v2.0.0", "champion", "beats v1");
        Path misplaced = Files.createDirectories(dir.resolve("ws/models/requests/fraud_detector/v2.0.0"))
                .resolve("production.json");
        Files.copy(dir.resolve("ws/models/alias-requests/fraud_detector/v2.0.0/champion.json"), misplaced);

        RequestListing stages = fx.as("reader").governance().requests(null, true);

        assertThat(stages.requests()).isEmpty();
        assertThat(stages.problems()).singleElement()
                .satisfies(problem -> assertThat(problem.message()).contains("holds an alias request"));
        assertThat(fx.as("reader").governance().aliasRequests(null, true).requests()).hasSize(1);
    }

    @Test
    void aliasRequestsAreKeptApartSoStageRequestsAreUnchanged() throws Exception {
        fx.as("alice").governance().requestAlias(PolicyFixture.MODEL, "v2.0.0", "champion", "beats v1");
        fx.as("alice").governance().request(PolicyFixture.MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");

        assertThat(fx.as("reader").governance().requests(null, true).requests()).singleElement()
                .satisfies(request -> assertThat(request.toStage()).isEqualTo(ModelStage.PRODUCTION));
        assertThat(fx.as("reader").governance().aliasRequests(null, true).requests()).singleElement()
                .satisfies(request -> assertThat(request.alias()).isEqualTo("champion"));
        assertThat(Files.isRegularFile(dir.resolve("ws/models/alias-requests/fraud_detector/v2.0.0/champion.json")))
                .isTrue();
        fx.as("carol").governance().approve(PolicyFixture.MODEL, "v2.0.0", ModelStage.PRODUCTION);
        assertThat(fx.stageOf("v2.0.0")).isEqualTo(ModelStage.PRODUCTION);
        assertThat(fx.as("reader").aliases().list(PolicyFixture.MODEL)).isEmpty();
    }
}
