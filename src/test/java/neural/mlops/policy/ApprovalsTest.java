package neural.mlops.policy;

import static neural.mlops.policy.PolicyFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditSink;
import neural.mlops.audit.EventType;
import neural.mlops.registry.ModelRegistry;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.StageTransition;
import neural.mlops.store.ConflictException;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.MlopsException;
import neural.mlops.store.NotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two-person approval (SPEC 8): requests, approvals, rejections, and what they record. */
class ApprovalsTest {

    static final String POLICY = """
            policy:
              roles:
                alice: [approver]
                carol: [approver]
                dave: [approver]
                bob: [data_scientist]
              stages:
                staging:
                  allowed: [data_scientist, approver]
                production:
                  allowed: [approver]
                  requires_stage: staging
                  require_reason: true
                  metric_gates: {accuracy: no_worse, loss: better}
                  approvals: 2
            """;

    @TempDir
    Path dir;

    PolicyFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new PolicyFixture(dir);
        fixture.policy(POLICY);
    }

    private Governance as(String user) {
        return fixture.as(user).governance();
    }

    @Test
    void aRequestThenAnotherApproversApprovalCarriesThePromotionOut() {
        PromotionRequest request = as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1 on recall");

        assertThat(request.status()).isEqualTo(RequestStatus.OPEN);
        assertThat(request.agreed()).containsExactly("alice");
        assertThat(request.approvalsRequired()).isEqualTo(2);
        assertThat(request.fromStage()).isEqualTo(ModelStage.STAGING);
        assertThat(fixture.folder.resolve("models/requests/fraud_detector/v2.0.0/production.json")).isRegularFile();
        assertThat(as("bob").requests(null, false).requests()).singleElement()
                .satisfies(open -> assertThat(open.requestId()).isEqualTo(request.requestId()));
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.STAGING);

        ApprovalOutcome outcome = as("carol").approve(MODEL, "v2.0.0", ModelStage.PRODUCTION);

        assertThat(outcome.promoted()).isTrue();
        assertThat(outcome.promotion().orElseThrow().archived()).extracting(v -> v.version()).containsExactly("v1.0.0");
        assertThat(outcome.request().status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(outcome.request().agreed()).containsExactly("alice", "carol");
        assertThat(outcome.request().closedBy()).isEqualTo("carol");
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.PRODUCTION);
        assertThat(fixture.stageOf("v1.0.0")).isEqualTo(ModelStage.ARCHIVED);
        StageTransition last = as("reader").registry().getModel(MODEL, "v2.0.0").stageHistory().get(2);
        assertThat(last.by()).isEqualTo("carol");
        assertThat(last.reason()).isEqualTo("beats v1 on recall (requested by alice, approved by carol)");
        assertThat(as("bob").requests(null, false).requests()).isEmpty();
        assertThat(as("bob").requests(MODEL, true).requests()).singleElement()
                .satisfies(closed -> assertThat(closed.status()).isEqualTo(RequestStatus.APPROVED));
    }

    @Test
    void requestsAndApprovalsAreAuditedBeforeThePromotion() {
        int before = fixture.events().size();
        as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");
        as("carol").approve(MODEL, "v2.0.0", ModelStage.PRODUCTION);

        List<AuditEvent> all = fixture.events();
        List<AuditEvent> events = all.subList(before, all.size());
        assertThat(events).extracting(AuditEvent::eventType, AuditEvent::action, AuditEvent::user).containsExactly(
                tuple(EventType.MODEL_UPDATED, "request_promotion", "alice"),
                tuple(EventType.MODEL_UPDATED, "approve_promotion", "carol"),
                tuple(EventType.MODEL_PROMOTED, "promote", "carol"),
                tuple(EventType.MODEL_PROMOTED, "archive", "carol"));
        AuditEvent request = events.get(0);
        assertThat(request.resourceId()).isEqualTo("fraud_detector:v2.0.0");
        assertThat(request.reason()).isEqualTo("beats v1");
        assertThat(request.details()).containsEntry("to_stage", "production").containsEntry("from_stage", "staging")
                .containsEntry("approvals_required", 2).containsKey("request_id").containsKey("policy_sha256");
        assertThat(events.get(1).details()).containsEntry("completes", true).containsEntry("approvals_counted", 2)
                .containsEntry("agreed", List.of("alice", "carol"));
    }

    @Test
    void theRequesterCannotApproveTheirOwnRequest() {
        as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");

        PolicyDeniedException error = catchThrowableOfType(PolicyDeniedException.class,
                () -> as("alice").approve(MODEL, "v2.0.0", ModelStage.PRODUCTION));

        assertThat(error).hasMessage("alice may not approve moving fraud_detector v2.0.0 to production under the "
                + "workspace policy: policy.stages.production.approvals: alice requested this promotion and cannot also "
                + "approve it (the requester already counts as one approval); ask another permitted user to approve it");
        assertThat(error.recordedAs()).isEqualTo(EventType.SECURITY_VIOLATION);
        assertThat(fixture.events(EventType.SECURITY_VIOLATION)).singleElement().satisfies(event -> {
            assertThat(event.user()).isEqualTo("alice");
            assertThat(event.action()).isEqualTo("approve_promotion");
        });
        assertThat(as("reader").requests(MODEL, false).requests()).singleElement()
                .satisfies(open -> assertThat(open.approvals()).isEmpty());
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.STAGING);
    }

    @Test
    void aUserNotPermittedForTheStageCannotApprove() {
        as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");

        assertThat(catchThrowableOfType(PolicyDeniedException.class, () -> as("bob").approve(MODEL, "v2.0.0",
                ModelStage.PRODUCTION)))
                .hasMessageContaining("policy.stages.production.allowed: bob is not allowed to approve moves into "
                        + "production (allowed: approver; bob's roles: data_scientist); ask a permitted user (alice, carol, dave)");
        assertThat(fixture.events(EventType.ACCESS_DENIED)).singleElement()
                .satisfies(event -> assertThat(event.action()).isEqualTo("approve_promotion"));
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.STAGING);
    }

    @Test
    void withThreeRequiredEachApproverCountsOnceAndTheLastCarriesItOut() {
        fixture.policy(POLICY.replace("approvals: 2", "approvals: 3"));
        as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");

        ApprovalOutcome second = as("carol").approve(MODEL, "v2.0.0", ModelStage.PRODUCTION);
        assertThat(second.promoted()).isFalse();
        assertThat(second.request().agreed()).containsExactly("alice", "carol");
        assertThat(catchThrowableOfType(PolicyDeniedException.class,
                () -> as("carol").approve(MODEL, "v2.0.0", ModelStage.PRODUCTION)))
                .hasMessageContaining("carol already approved this request; another permitted user must approve it");
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.STAGING);

        ApprovalOutcome third = as("dave").approve(MODEL, "v2.0.0", ModelStage.PRODUCTION);
        assertThat(third.promoted()).isTrue();
        assertThat(third.request().agreed()).containsExactly("alice", "carol", "dave");
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.PRODUCTION);
    }

    @Test
    void aRequestIsRefusedWhenTheRequesterOrTheVersionBreaksARule() {
        assertThat(catchThrowableOfType(PolicyDeniedException.class,
                () -> as("bob").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "please")))
                .hasMessageContaining("policy.stages.production.allowed");
        assertThat(catchThrowableOfType(PolicyDeniedException.class,
                () -> as("alice").request(MODEL, "v3.0.0", ModelStage.PRODUCTION, "please")))
                .hasMessageContaining("policy.stages.production.metric_gates.accuracy");
        assertThat(catchThrowableOfType(PolicyDeniedException.class,
                () -> as("alice").request(MODEL, "v4.0.0", ModelStage.PRODUCTION, "please")))
                .hasMessageContaining("policy.stages.production.requires_stage");
        assertThat(fixture.events(EventType.ACCESS_DENIED)).hasSize(3)
                .allSatisfy(event -> assertThat(event.action()).isEqualTo("request_promotion"));
        assertThat(as("reader").requests(null, true).requests()).isEmpty();
    }

    @Test
    void aRequestNeedsAReasonAStageThatNeedsApprovalsAndNoOpenRequestAlready() {
        assertThatThrownBy(() -> as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, " "))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs a reason");
        assertThatThrownBy(() -> as("alice").request(MODEL, "v4.0.0", ModelStage.STAGING, "ready"))
                .isInstanceOf(ConflictException.class)
                .hasMessage("staging needs no approval under the workspace policy; promote fraud_detector v4.0.0 directly");
        assertThatThrownBy(() -> as("alice").request(MODEL, "v9.0.0", ModelStage.PRODUCTION, "ready"))
                .isInstanceOf(NotFoundException.class);
        as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");
        assertThatThrownBy(() -> as("carol").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "me too"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("was already requested by alice at 2024-03-01T")
                .hasMessageContaining("(1 of 2 approvals); approve or reject that request");
        assertThatThrownBy(() -> as("carol").approve(MODEL, "v3.0.0", ModelStage.PRODUCTION))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("There is no open request to move fraud_detector v3.0.0 to production");
    }

    @Test
    void theLastApprovalChecksEveryRuleAgainAndLeavesTheRequestOpenWhenOneFails() {
        as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");
        fixture.as("bob").registry().promoteModel(MODEL, "v2.0.0", ModelStage.DEVELOPMENT, "more training");

        PolicyDeniedException error = catchThrowableOfType(PolicyDeniedException.class,
                () -> as("carol").approve(MODEL, "v2.0.0", ModelStage.PRODUCTION));

        assertThat(error).hasMessageContaining("policy.stages.production.requires_stage");
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.DEVELOPMENT);
        assertThat(as("reader").requests(MODEL, false).requests()).singleElement()
                .satisfies(open -> assertThat(open.approvals()).isEmpty());
        assertThat(fixture.events(EventType.MODEL_UPDATED)).extracting(AuditEvent::action)
                .containsExactly("request_promotion");
    }

    @Test
    void aPermittedUserRejectsAndTheRequesterWithdraws() {
        as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");
        assertThat(catchThrowableOfType(PolicyDeniedException.class,
                () -> as("bob").reject(MODEL, "v2.0.0", ModelStage.PRODUCTION, "no")))
                .hasMessageContaining("bob is not allowed to reject requests to move versions into production");

        PromotionRequest rejected = as("carol").reject(MODEL, "v2.0.0", ModelStage.PRODUCTION, "wait for the A/B test");

        assertThat(rejected.status()).isEqualTo(RequestStatus.REJECTED);
        assertThat(rejected.closedBy()).isEqualTo("carol");
        assertThat(rejected.closeReason()).isEqualTo("wait for the A/B test");
        assertThatThrownBy(() -> as("dave").approve(MODEL, "v2.0.0", ModelStage.PRODUCTION))
                .isInstanceOf(NotFoundException.class);

        PromotionRequest again = as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "A/B test passed");
        assertThat(again.requestId()).isNotEqualTo(rejected.requestId());
        PromotionRequest withdrawn = as("alice").reject(MODEL, "v2.0.0", ModelStage.PRODUCTION, null);
        assertThat(withdrawn.status()).isEqualTo(RequestStatus.WITHDRAWN);

        assertThat(fixture.events(EventType.MODEL_UPDATED)).extracting(AuditEvent::action).containsExactly(
                "request_promotion", "reject_promotion", "request_promotion", "withdraw_promotion");
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.STAGING);
    }

    @Test
    void anUnreadableRequestDocumentIsReportedAndTheOthersStillList() throws Exception {
        as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");
        Path broken = Files.createDirectories(fixture.folder.resolve("models/requests/other/v1/"))
                .resolve("production.json");
        Files.writeString(broken, "{ not json");

        RequestListing listing = as("reader").requests(null, false);

        assertThat(listing.requests()).hasSize(1);
        assertThat(listing.problems()).singleElement().satisfies(problem -> assertThat(problem.path()).isEqualTo(broken));
    }

    @Test
    void unknownFieldsOfARequestDocumentSurviveAnApproval() throws Exception {
        fixture.policy(POLICY.replace("approvals: 2", "approvals: 3"));
        as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");
        Path file = fixture.folder.resolve("models/requests/fraud_detector/v2.0.0/production.json");
        Files.writeString(file, Files.readString(file).replaceFirst("\\{", "{\n  \"ticket\" : \"JIRA-42\","));

        as("carol").approve(MODEL, "v2.0.0", ModelStage.PRODUCTION);

        assertThat(Files.readString(file)).contains("\"ticket\" : \"JIRA-42\"").contains("\"by\" : \"carol\"");
    }

    @Test
    void aRequestThatCannotBeAuditedIsNotMade() throws Exception {
        AuditSink broken = records -> {
            throw new MlopsException("disk full");
        };
        PolicyGuard guard = PolicyGuard.of(fixture.folder.resolve("models"), fixture.folder.resolve("workspace.yaml"),
                broken);
        ModelRegistry registry = new ModelRegistry(fixture.folder.resolve("models"), AuditSink.NONE, "alice",
                Clock.systemUTC(), guard, neural.mlops.registry.ActiveDeployments.NONE);
        Governance governance = new Governance(registry, guard, Clock.systemUTC());

        assertThatThrownBy(() -> governance.request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1"))
                .hasMessageContaining("the audit trail could not record it (disk full); nothing was changed");
        assertThat(fixture.folder.resolve("models/requests/fraud_detector/v2.0.0/production.json")).doesNotExist();
    }

    @Test
    void approvalsAreCountedAgainstThePolicyInForceWhenTheLastIsGiven() {
        fixture.policy(POLICY.replace("approvals: 2", "approvals: 3"));
        as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");
        as("carol").approve(MODEL, "v2.0.0", ModelStage.PRODUCTION);
        fixture.policy(POLICY.replace("alice: [approver]", "alice: [data_scientist]").replace("approvals: 2", "approvals: 3"));

        ApprovalOutcome outcome = as("dave").approve(MODEL, "v2.0.0", ModelStage.PRODUCTION);

        assertThat(outcome.promoted()).isFalse();
        assertThat(outcome.request().agreed()).containsExactly("alice", "carol", "dave");
    }

    @Test
    void aPromotionNamingARequestThatLacksItsApprovalsIsABypassAttempt() {
        fixture.policy(POLICY);
        PromotionRequest request = as("alice").request(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");

        // The requester names her own open request: the guard counts the stored approvals, not the claim.
        PolicyDeniedException ownRequest = catchThrowableOfType(PolicyDeniedException.class,
                () -> fixture.as("alice").registry().promoteModel(MODEL, "v2.0.0", ModelStage.PRODUCTION, "now",
                        request.requestId()));
        assertThat(ownRequest.recordedAs()).isEqualTo(EventType.SECURITY_VIOLATION);
        // Another approver names a request id that does not exist.
        PolicyDeniedException forged = catchThrowableOfType(PolicyDeniedException.class,
                () -> fixture.as("carol").registry().promoteModel(MODEL, "v2.0.0", ModelStage.PRODUCTION, "now",
                        "00000000-0000-0000-0000-000000000000"));
        assertThat(forged.recordedAs()).isEqualTo(EventType.SECURITY_VIOLATION);

        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.STAGING);
        assertThat(fixture.events(EventType.SECURITY_VIOLATION)).extracting(AuditEvent::user)
                .containsExactly("alice", "carol");
        // The same approver, through the approval itself, carries the request out.
        assertThat(as("carol").approve(MODEL, "v2.0.0", ModelStage.PRODUCTION).promoted()).isTrue();
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.PRODUCTION);
    }
}
