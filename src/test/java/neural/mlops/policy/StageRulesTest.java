package neural.mlops.policy;

import static neural.mlops.policy.PolicyFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every stage rule of SPEC 8, enforced by the core: refused, told why, recorded, nothing changed. */
class StageRulesTest {

    @TempDir
    Path dir;

    PolicyFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new PolicyFixture(dir);
    }

    private PolicyDeniedException refused(Workspace workspace, String version, ModelStage target, String reason) {
        return catchThrowableOfType(PolicyDeniedException.class,
                () -> workspace.registry().promoteModel(MODEL, version, target, reason));
    }

    private AuditEvent lastDenial(EventType type) {
        List<AuditEvent> events = fixture.events(type);
        assertThat(events).isNotEmpty();
        return events.get(events.size() - 1);
    }

    @Test
    void aStageWithoutRulesIsOpenToEveryone() {
        fixture.policy("policy:\n  roles: {alice: [approver]}\n  stages:\n    production: {allowed: [approver]}\n");
        Workspace carol = fixture.as("carol");

        carol.registry().promoteModel(MODEL, "v4.0.0", ModelStage.STAGING, null);
        carol.registry().promoteModel(MODEL, "v4.0.0", ModelStage.ARCHIVED, null);

        assertThat(fixture.stageOf("v4.0.0")).isEqualTo(ModelStage.ARCHIVED);
        assertThat(fixture.events(EventType.ACCESS_DENIED)).isEmpty();
    }

    @Test
    void allowedRefusesAUserWithoutAPermittedRoleAndNamesWhoMay() {
        fixture.policy("""
                policy:
                  roles: {alice: [approver], bob: [data_scientist], carol: [viewer]}
                  stages:
                    staging: {allowed: [data_scientist, approver]}
                """);

        PolicyDeniedException error = refused(fixture.as("carol"), "v4.0.0", ModelStage.STAGING, "try");

        assertThat(error).hasMessage("carol may not move fraud_detector v4.0.0 to staging under the workspace policy: "
                + "policy.stages.staging.allowed: carol is not allowed to move versions into staging "
                + "(allowed: data_scientist, approver; carol's roles: viewer); ask a permitted user (alice, bob)");
        assertThat(error.recordedAs()).isEqualTo(EventType.ACCESS_DENIED);
        assertThat(fixture.stageOf("v4.0.0")).isEqualTo(ModelStage.DEVELOPMENT);
        AuditEvent denial = lastDenial(EventType.ACCESS_DENIED);
        assertThat(denial.user()).isEqualTo("carol");
        assertThat(denial.severity()).isEqualTo(EventSeverity.WARNING);
        assertThat(denial.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(denial.action()).isEqualTo("promote");
        assertThat(denial.resourceId()).isEqualTo("fraud_detector:v4.0.0");
        assertThat(denial.details()).containsEntry("rule", "policy.stages.staging.allowed")
                .containsEntry("from_stage", "development").containsEntry("to_stage", "staging");
        assertThat(denial.details().get("policy_sha256")).asString().hasSize(64);
        assertThat(denial.reason()).contains("carol is not allowed");

        fixture.as("bob").registry().promoteModel(MODEL, "v4.0.0", ModelStage.STAGING, null);
        assertThat(fixture.stageOf("v4.0.0")).isEqualTo(ModelStage.STAGING);
    }

    @Test
    void allowedAcceptsAUserNamedInTheList() {
        fixture.policy("policy:\n  stages:\n    staging: {allowed: [dave]}\n");
        assertThat(refused(fixture.as("erin"), "v4.0.0", ModelStage.STAGING, null))
                .hasMessageContaining("erin has no role").hasMessageContaining("ask a permitted user (dave)");
        fixture.as("dave").registry().promoteModel(MODEL, "v4.0.0", ModelStage.STAGING, null);
        assertThat(fixture.stageOf("v4.0.0")).isEqualTo(ModelStage.STAGING);
    }

    @Test
    void anEmptyAllowedListSaysNobodyMay() {
        fixture.policy("policy:\n  stages:\n    archived: {allowed: []}\n");
        assertThat(refused(fixture.as("alice"), "v3.0.0", ModelStage.ARCHIVED, null))
                .hasMessageContaining("alice is not allowed to move versions into archived (nobody is)")
                .hasMessageContaining("the owner of workspace.yaml must grant one");
    }

    @Test
    void requiresStageRefusesAVersionThatSkipsIt() {
        fixture.policy("policy:\n  stages:\n    production: {requires_stage: staging}\n");

        PolicyDeniedException error = refused(fixture.as("alice"), "v4.0.0", ModelStage.PRODUCTION, "fast track");

        assertThat(error).hasMessageEndingWith("policy.stages.production.requires_stage: fraud_detector v4.0.0 is in "
                + "development, but production requires it to be in staging first; move it to staging first");
        assertThat(fixture.stageOf("v4.0.0")).isEqualTo(ModelStage.DEVELOPMENT);
        assertThat(fixture.stageOf("v1.0.0")).isEqualTo(ModelStage.PRODUCTION);
        assertThat(lastDenial(EventType.ACCESS_DENIED).details()).containsEntry("rule", "policy.stages.production.requires_stage");

        fixture.as("alice").registry().promoteModel(MODEL, "v2.0.0", ModelStage.PRODUCTION, "through staging");
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.PRODUCTION);
    }

    @Test
    void requireReasonRefusesAMoveWithoutOne() {
        fixture.policy("policy:\n  stages:\n    production: {require_reason: true}\n");

        assertThat(refused(fixture.as("alice"), "v2.0.0", ModelStage.PRODUCTION, "  "))
                .hasMessageEndingWith("policy.stages.production.require_reason: moving a version into production requires "
                        + "a reason; give a reason; it is recorded in the stage history and the audit trail");
        assertThat(lastDenial(EventType.ACCESS_DENIED).details()).containsEntry("rule", "policy.stages.production.require_reason");
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.STAGING);

        fixture.as("alice").registry().promoteModel(MODEL, "v2.0.0", ModelStage.PRODUCTION, "beats v1");
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.PRODUCTION);
    }

    @Test
    void metricGatesCompareWithProductionKnowingLowerIsBetterMetrics() {
        fixture.policy("policy:\n  stages:\n    production:\n      metric_gates: {accuracy: no_worse, loss: better}\n");

        PolicyDeniedException error = refused(fixture.as("alice"), "v3.0.0", ModelStage.PRODUCTION, null);

        assertThat(error.violations()).extracting(Violation::path).containsExactly(
                "policy.stages.production.metric_gates.accuracy", "policy.stages.production.metric_gates.loss");
        assertThat(error).hasMessageContaining("accuracy of v3.0.0 is 0.85, worse than production v1.0.0 (0.9); "
                + "the gate no_worse needs accuracy at least 0.9");
        assertThat(error).hasMessageContaining("loss of v3.0.0 is 0.35, not better than production v1.0.0 (0.3); "
                + "lower is better; the gate better needs loss below 0.3");
        AuditEvent denial = lastDenial(EventType.ACCESS_DENIED);
        assertThat(denial.details()).containsEntry("rules", List.of("policy.stages.production.metric_gates.accuracy",
                "policy.stages.production.metric_gates.loss"));
        assertThat(fixture.stageOf("v3.0.0")).isEqualTo(ModelStage.STAGING);

        fixture.as("alice").registry().promoteModel(MODEL, "v2.0.0", ModelStage.PRODUCTION, null);
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.PRODUCTION);
    }

    @Test
    void anEqualValuePassesNoWorseButNotBetter() {
        MetricGate noWorse = MetricGate.NO_WORSE;
        MetricGate better = MetricGate.BETTER;
        assertThat(noWorse.passes(0.9, 0.9, false)).isTrue();
        assertThat(better.passes(0.9, 0.9, false)).isFalse();
        assertThat(better.passes(0.2, 0.3, true)).isTrue();
        assertThat(better.passes(0.4, 0.3, true)).isFalse();
        assertThat(noWorse.passes(0.3, 0.3, true)).isTrue();
        assertThat(noWorse.passes(0.31, 0.3, true)).isFalse();
    }

    @Test
    void aGatedMetricTheCandidateLacksFailsTheGateAndOneProductionLacksCannotFail() throws IOException {
        fixture.policy("policy:\n  stages:\n    production:\n      metric_gates: {auc: better}\n");
        Workspace alice = fixture.as("alice");
        alice.registry().promoteModel(MODEL, "v2.0.0", ModelStage.PRODUCTION, null); // v1 has no auc: nothing to beat

        Path model = Files.writeString(dir.resolve("m.pt"), "w");
        alice.registry().registerModel(RegisterRequest.builder(MODEL, "v5.0.0", model).framework("pytorch")
                .metric("auc", 0.9).build());
        alice.registry().updateModel(MODEL, "v2.0.0", neural.mlops.registry.ModelUpdate.builder()
                .metric("auc", 0.8).build());
        assertThat(refused(alice, "v4.0.0", ModelStage.PRODUCTION, null))
                .hasMessageContaining("policy.stages.production.metric_gates.auc: v4.0.0 has no auc to compare with "
                        + "production v2.0.0 (0.8); record auc for v4.0.0 before moving it");
        alice.registry().promoteModel(MODEL, "v5.0.0", ModelStage.PRODUCTION, null);
        assertThat(fixture.stageOf("v5.0.0")).isEqualTo(ModelStage.PRODUCTION);
    }

    @Test
    void aDirectMoveIntoAStageThatNeedsApprovalsIsAnAttemptToBypassThem() {
        fixture.policy("policy:\n  roles: {alice: [approver]}\n  stages:\n    production: {allowed: [approver], approvals: 2}\n");

        PolicyDeniedException error = refused(fixture.as("alice"), "v2.0.0", ModelStage.PRODUCTION, "urgent");

        assertThat(error.recordedAs()).isEqualTo(EventType.SECURITY_VIOLATION);
        assertThat(error).hasMessageEndingWith("policy.stages.production.approvals: production needs 2 approvals (the "
                + "requester counts as one), and a direct move would skip them; request the promotion (registry request "
                + "fraud_detector v2.0.0 --to production --reason R) and have 1 other permitted user approve it");
        AuditEvent violation = lastDenial(EventType.SECURITY_VIOLATION);
        assertThat(violation.severity()).isEqualTo(EventSeverity.CRITICAL);
        assertThat(violation.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(violation.user()).isEqualTo("alice");
        assertThat(violation.details()).containsEntry("rule", "policy.stages.production.approvals");
        assertThat(fixture.stageOf("v2.0.0")).isEqualTo(ModelStage.STAGING);
        assertThat(fixture.events(EventType.ACCESS_DENIED)).isEmpty();
    }

    @Test
    void aRefusalThatAlsoBypassesApprovalsIsOneSecurityViolationListingEveryRule() {
        fixture.policy(PolicyFileTest.SPEC_EXAMPLE);

        PolicyDeniedException error = refused(fixture.as("bob"), "v3.0.0", ModelStage.PRODUCTION, null);

        assertThat(error.violations()).extracting(Violation::rule).containsExactly(Rule.ALLOWED, Rule.REQUIRE_REASON,
                Rule.METRIC_GATES, Rule.METRIC_GATES, Rule.APPROVALS);
        assertThat(fixture.events(EventType.SECURITY_VIOLATION)).singleElement().satisfies(event ->
                assertThat(event.details().get("rules")).asList().hasSize(5));
        assertThat(fixture.events(EventType.ACCESS_DENIED)).isEmpty();
    }

    @Test
    void registeringStraightIntoAGuardedStageIsRefusedAndLeavesNothingBehind() throws IOException {
        fixture.policy("policy:\n  stages:\n    production: {approvals: 2}\n    staging: {allowed: [alice]}\n");
        Path model = Files.writeString(dir.resolve("new.pt"), "w");
        Workspace bob = fixture.as("bob");

        assertThatThrownBy(() -> bob.registry().registerModel(RegisterRequest.builder(MODEL, "v9.0.0", model)
                .framework("pytorch").stage(ModelStage.PRODUCTION).build()))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("registration straight into it would skip them")
                .hasMessageContaining("register it into an earlier stage, then request the promotion");
        assertThat(fixture.events(EventType.SECURITY_VIOLATION)).singleElement()
                .satisfies(event -> assertThat(event.action()).isEqualTo("register"));

        assertThatThrownBy(() -> bob.registry().registerModel(RegisterRequest.builder(MODEL, "v9.0.0", model)
                .framework("pytorch").stage(ModelStage.STAGING).build()))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("policy.stages.staging.allowed");
        assertThat(fixture.events(EventType.ACCESS_DENIED)).singleElement()
                .satisfies(event -> assertThat(event.details()).containsEntry("from_stage", null));

        assertThat(Files.exists(fixture.folder.resolve("models/models/fraud_detector/v9.0.0"))).isFalse();
        assertThat(bob.registry().listVersions(MODEL)).extracting(v -> v.version()).doesNotContain("v9.0.0");
        assertThat(fixture.events(EventType.MODEL_REGISTERED)).extracting(AuditEvent::resourceId)
                .doesNotContain("fraud_detector:v9.0.0");
    }

    @Test
    void registeringIntoDevelopmentIsWhereVersionsEnterAndIsNotGoverned() throws IOException {
        fixture.policy("policy:\n  stages:\n    development: {allowed: [alice]}\n");
        Path model = Files.writeString(dir.resolve("new.pt"), "w");
        Workspace bob = fixture.as("bob");

        bob.registry().registerModel(RegisterRequest.builder(MODEL, "v9.0.0", model).framework("pytorch").build());

        assertThat(fixture.stageOf("v9.0.0")).isEqualTo(ModelStage.DEVELOPMENT);
        assertThat(refused(bob, "v3.0.0", ModelStage.DEVELOPMENT, null))
                .hasMessageContaining("policy.stages.development.allowed");
    }

    @Test
    void aPolicyChangedOnDiskRulesTheNextActionOfAnOpenWorkspace() {
        Workspace carol = fixture.as("carol");
        carol.registry().promoteModel(MODEL, "v4.0.0", ModelStage.STAGING, null);

        fixture.policy("policy:\n  stages:\n    archived: {allowed: [alice]}\n");
        assertThat(catchThrowableOfType(PolicyDeniedException.class,
                () -> carol.registry().promoteModel(MODEL, "v4.0.0", ModelStage.ARCHIVED, null)))
                .hasMessageContaining("policy.stages.archived.allowed");

        fixture.policy("policy:\n  stages:\n    archived: {alowed: [alice]}\n");
        assertThatThrownBy(() -> carol.registry().promoteModel(MODEL, "v4.0.0", ModelStage.ARCHIVED, null))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("line 3: unknown key 'alowed' under policy.stages.archived; did you mean 'allowed'?");
        assertThat(carol.registry().getModel(MODEL, "v4.0.0").stage()).isEqualTo(ModelStage.STAGING);
    }

    @Test
    void theGovernanceTellsBeforeTheClickWhatAMoveNeeds() {
        fixture.policy(PolicyFileTest.SPEC_EXAMPLE);
        Governance alice = fixture.as("alice").governance();
        Governance bob = fixture.as("bob").governance();
        var versions = alice.registry().listVersions(MODEL);
        var v2 = alice.registry().getModel(MODEL, "v2.0.0");
        var v4 = alice.registry().getModel(MODEL, "v4.0.0");

        Verdict needsRequest = alice.assess(v2, ModelStage.PRODUCTION, "ok", versions);
        assertThat(needsRequest.needsRequest()).isTrue();
        assertThat(needsRequest.approvalsRequired()).isEqualTo(2);
        assertThat(bob.assess(v2, ModelStage.PRODUCTION, "ok", versions).blockingViolations())
                .extracting(Violation::rule).containsExactly(Rule.ALLOWED);
        assertThat(bob.assess(v4, ModelStage.STAGING, null, versions).allowed()).isTrue();
    }
}
