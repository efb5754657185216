package neural.mlops.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import neural.mlops.registry.ModelStage;
import neural.mlops.store.InvalidInputException;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the policy of workspace.yaml: SPEC 8's example, and every kind of mistake with its line. */
class PolicyFileTest {

    static final String SPEC_EXAMPLE = """
            name: fraud team
            policy:
              roles:                         # user name -> roles
                alice: [approver]
                bob: [data_scientist]
              stages:
                staging:
                  allowed: [data_scientist, approver]   # roles or user names
                production:
                  allowed: [approver]
                  requires_stage: staging    # the version must be in this stage first
                  require_reason: true
                  metric_gates: {accuracy: no_worse, loss: better}   # against the current production version
                  approvals: 2               # distinct permitted users; the requester counts as one
            """;

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("workspace.yaml"), yaml);
    }

    private PolicyFileException refused(String yaml) throws IOException {
        Path file = write(yaml);
        try {
            Policy.read(file);
        } catch (PolicyFileException e) {
            return e;
        }
        throw new AssertionError("The policy was accepted:\n" + yaml);
    }

    @Test
    void readsTheExampleOfTheSpecification() throws IOException {
        Policy policy = Policy.read(write(SPEC_EXAMPLE));

        assertThat(policy.roles()).containsExactly(Map.entry("alice", List.of("approver")),
                Map.entry("bob", List.of("data_scientist")));
        assertThat(policy.stages()).containsOnlyKeys(ModelStage.STAGING, ModelStage.PRODUCTION);
        StageRule production = policy.rule(ModelStage.PRODUCTION);
        assertThat(production.allowed()).contains(List.of("approver"));
        assertThat(production.requiresStage()).contains(ModelStage.STAGING);
        assertThat(production.requireReason()).isTrue();
        assertThat(production.metricGates()).containsExactly(Map.entry("accuracy", MetricGate.NO_WORSE),
                Map.entry("loss", MetricGate.BETTER));
        assertThat(production.approvals()).isEqualTo(2);
        assertThat(policy.rule(ModelStage.STAGING).allowed()).contains(List.of("data_scientist", "approver"));
        assertThat(policy.rule(ModelStage.DEVELOPMENT).isOpen()).isTrue();
        assertThat(policy.sha256()).get().asString().hasSize(64);
        assertThat(policy.isOpen()).isFalse();
    }

    @Test
    void permitsByUserNameOrByRoleAndNamesWhoIsPermitted() throws IOException {
        Policy policy = Policy.read(write("""
                policy:
                  roles: {alice: [approver], bob: [data_scientist], carol: []}
                  stages:
                    production: {allowed: [approver, dave]}
                """));
        assertThat(policy.permits("alice", ModelStage.PRODUCTION)).isTrue();
        assertThat(policy.permits("dave", ModelStage.PRODUCTION)).isTrue();
        assertThat(policy.permits("bob", ModelStage.PRODUCTION)).isFalse();
        assertThat(policy.permits("bob", ModelStage.STAGING)).isTrue();
        assertThat(policy.permittedUsers(ModelStage.PRODUCTION)).containsExactly("alice", "dave");
    }

    @Test
    void anEmptyAllowedListLetsNobodyInWhileAStageWithoutRulesIsOpen() throws IOException {
        Policy policy = Policy.read(write("""
                policy:
                  stages:
                    archived: {allowed: []}
                    staging:
                """));
        assertThat(policy.permits("alice", ModelStage.ARCHIVED)).isFalse();
        assertThat(policy.rule(ModelStage.STAGING).isOpen()).isTrue();
        assertThat(policy.permits("alice", ModelStage.STAGING)).isTrue();
    }

    @Test
    void noFileNoPolicyOrAnEmptyFileIsOpen() throws IOException {
        assertThat(Policy.read(dir.resolve("missing.yaml"))).isSameAs(Policy.OPEN);
        assertThat(Policy.read(write("")).isOpen()).isTrue();
        assertThat(Policy.read(write("name: team\n")).isOpen()).isTrue();
        assertThat(Policy.read(write("name: team\npolicy:\n")).isOpen()).isTrue();
        assertThat(Policy.OPEN.describe()).containsExactly("No policy: every stage is open to everyone.");
    }

    @Test
    void anUnknownKeyNamesTheFileTheLineAndTheNearestKey() throws IOException {
        PolicyFileException error = refused("""
                name: fraud team
                policy:
                  roles:
                    alice: [approver]
                  stages:
                    production:
                      aproval: 2
                """);
        assertThat(error).hasMessage(dir.resolve("workspace.yaml") + " line 7: unknown key 'aproval' under "
                + "policy.stages.production; did you mean 'approvals'?");
        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(7);
            assertThat(problem.key()).isEqualTo("policy.stages.production.aproval");
        });
        assertThat(error).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aMisspeltPolicyKeyAtTheTopLevelIsNotIgnored() throws IOException {
        assertThat(refused("name: x\npolcy:\n  stages: {}\n"))
                .hasMessageEndingWith("line 2: unknown key 'polcy' at the top level; did you mean 'policy'?");
        assertThat(refused("policy:\n  stage: {}\n"))
                .hasMessageEndingWith("line 2: unknown key 'stage' under policy; did you mean 'stages'?");
        assertThat(refused("policy:\n  owners: {}\n"))
                .hasMessageEndingWith("line 2: unknown key 'owners' under policy; expected one of roles, stages, aliases, deployments");
    }

    @Test
    void aBadStageNameIsRefusedWithTheStagesThereAre() throws IOException {
        assertThat(refused("policy:\n  stages:\n    prod: {approvals: 2}\n"))
                .hasMessageEndingWith("line 3: unknown stage 'prod' under policy.stages; did you mean 'production'?");
        assertThat(refused("policy:\n  stages:\n    qa: {approvals: 2}\n"))
                .hasMessageEndingWith("expected one of development, staging, production, archived");
    }

    @Test
    void approvalsMustBeAWholeNumberFromOne() throws IOException {
        assertThat(refused("policy:\n  stages:\n    production:\n      approvals: two\n"))
                .hasMessageEndingWith("line 4: policy.stages.production.approvals must be a whole number from 1 to 100 "
                        + "(distinct permitted users, the requester counts as one), not 'two'");
        assertThat(refused("policy:\n  stages:\n    production:\n      approvals: 0\n")).hasMessageContaining("not '0'");
        assertThat(refused("policy:\n  stages:\n    production:\n      approvals: 1.5\n")).hasMessageContaining("not '1.5'");
        assertThat(refused("policy:\n  stages:\n    production:\n      approvals: '2'\n")).hasMessageContaining("not '2'");
    }

    @Test
    void aBadMetricGateValueSaysWhichGatesThereAre() throws IOException {
        assertThat(refused("policy:\n  stages:\n    production:\n      metric_gates: {accuracy: higher}\n"))
                .hasMessageEndingWith("line 4: policy.stages.production.metric_gates.accuracy must be no_worse or better, "
                        + "not 'higher'");
        assertThat(refused("policy:\n  stages:\n    production:\n      metric_gates: {accuracy: no-worse}\n"))
                .hasMessageEndingWith("not 'no-worse'; did you mean 'no_worse'?");
        assertThat(refused("policy:\n  stages:\n    production:\n      metric_gates: [accuracy]\n"))
                .hasMessageContaining("metric_gates must be a mapping of metric names to no_worse or better");
    }

    @Test
    void rolesMustBeAMappingOfUsersToLists() throws IOException {
        assertThat(refused("policy:\n  roles: [alice, bob]\n"))
                .hasMessageEndingWith("line 2: policy.roles must be a mapping of user names to lists of roles "
                        + "(alice: [approver]), not a list");
        assertThat(refused("policy:\n  roles:\n    alice: approver\n"))
                .hasMessageEndingWith("line 3: policy.roles.alice must be a list of role names, e.g. [approver], not 'approver'");
        assertThat(refused("policy:\n  roles:\n    alice: [approver, [x]]\n"))
                .hasMessageContaining("invalid entry a list in policy.roles.alice");
    }

    @Test
    void otherRulesOfTheWrongTypeAreRefused() throws IOException {
        assertThat(refused("policy:\n  stages:\n    production:\n      require_reason: sometimes\n"))
                .hasMessageEndingWith("line 4: policy.stages.production.require_reason must be true or false, not 'sometimes'");
        assertThat(refused("policy:\n  stages:\n    production:\n      requires_stage: stagging\n"))
                .hasMessageEndingWith("not 'stagging'; did you mean 'staging'?");
        assertThat(refused("policy:\n  stages:\n    production:\n      requires_stage: production\n"))
                .hasMessageContaining("requires_stage cannot be production itself");
        assertThat(refused("policy:\n  stages:\n    production:\n      allowed: approver\n"))
                .hasMessageEndingWith("policy.stages.production.allowed must be a list of roles or user names, "
                        + "e.g. [approver], not 'approver'");
        assertThat(refused("policy:\n  stages:\n    production: [approver]\n"))
                .hasMessageContaining("policy.stages.production must be a mapping of rules");
        assertThat(refused("policy: [roles, stages]\n")).hasMessageContaining("policy must be a mapping");
        assertThat(refused("name: [a, b]\n")).hasMessageEndingWith("line 1: name must be text, not a list");
        assertThat(refused("- a\n- b\n")).hasMessageContaining("expected a mapping of keys (name, policy, defaults)");
    }

    @Test
    void aDuplicatedKeyIsRefusedWithBothLines() throws IOException {
        assertThat(refused("policy:\n  stages:\n    production:\n      approvals: 2\n      approvals: 1\n"))
                .hasMessageEndingWith("line 5: duplicate key 'approvals' under policy.stages.production (first at line 4)");
    }

    @Test
    void everyProblemIsCollectedInLineOrder() throws IOException {
        PolicyFileException error = refused("""
                policy:
                  roles: {alice: approver}
                  stages:
                    production:
                      approvals: many
                      require_reasons: true
                """);
        assertThat(error.problems()).extracting(PolicyProblem::line).containsExactly(2, 5, 6);
        assertThat(error.getMessage()).endsWith("(and 2 more: line 5, line 6)");
    }

    @Test
    void aTypeTagOrAnAliasBombIsRefusedWithoutConstructingAnything() throws IOException {
        Path tagged = write("policy:\n  stages:\n    production:\n      approvals: !!javax.script.ScriptEngineManager [x]\n");
        assertThatThrownBy(() -> Policy.read(tagged)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("line 4").hasMessageContaining("tag is not allowed");
        assertThat(refused("policy:\n  stages:\n    production:\n      approvals: !!str 2\n"))
                .hasMessageContaining("approvals must be a whole number");
        StringBuilder bomb = new StringBuilder("defaults:\n  a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            bomb.append("  ").append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p)
                    .append(", *").append(p).append(", *").append(p).append(", *").append(p).append(", *").append(p)
                    .append(", *").append(p).append(", *").append(p).append("]\n");
        }
        Path file = write(bomb.toString());
        assertThatThrownBy(() -> Policy.read(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("workspace.yaml");
    }

    @Test
    void invalidYamlSaysWhere() throws IOException {
        Path file = write("policy:\n  stages: {production: [\n");
        assertThatThrownBy(() -> Policy.read(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("invalid YAML at line");
    }

    @Test
    void openingAWorkspaceWithABrokenPolicyStopsBeforeAnythingIsWritten() throws IOException {
        write("policy:\n  stages:\n    production:\n      aproval: 2\n");
        assertThatThrownBy(() -> Workspace.open(dir, "alice"))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("line 4: unknown key 'aproval'");
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("workspace.yaml");
        }
    }

    @Test
    void describesThePolicyForPeople() throws IOException {
        Policy policy = Policy.read(write(SPEC_EXAMPLE));
        assertThat(policy.describe()).containsExactly(
                "Roles:",
                "  alice: approver",
                "  bob: data_scientist",
                "Stages:",
                "  development: open to everyone",
                "  staging: allowed: data_scientist, approver",
                "  production: allowed: approver; must be in staging first; a reason is required; "
                        + "accuracy no worse than production; loss better than production; "
                        + "2 approvals (the requester counts as one)",
                "  archived: open to everyone");
        assertThat(Optional.of(policy.source().orElseThrow().getFileName().toString())).contains("workspace.yaml");
    }
}
