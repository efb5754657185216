package neural.mlops.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.EventType;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code policy.aliases.<alias>}: who may change an alias and how many must agree, read strictly and enforced. */
class AliasPolicyTest {

    @TempDir
    Path dir;

    PolicyFixture fx;

    @BeforeEach
    void setUp() {
        fx = new PolicyFixture(dir);
    }

    @Test
    void theAliasRulesAreReadWithTheirRolesAndApprovals() {
        Policy policy = Policy.parse("""
                policy:
                  roles:
                    alice: [approver]
                  aliases:
                    champion:
                      allowed: [approver]
                      approvals: 2
                    challenger:
                """, dir.resolve("workspace.yaml"));

        assertThat(policy.aliasRule("champion")).isEqualTo(new AliasRule("champion", Optional.of(List.of("approver")), 2));
        assertThat(policy.aliasRule("challenger")).isEqualTo(AliasRule.open("challenger"));
        assertThat(policy.permitsAlias("alice", "champion")).isTrue();
        assertThat(policy.permitsAlias("bob", "champion")).isFalse();
        assertThat(policy.permitsAlias("bob", "other")).isTrue();
        assertThat(policy.describe()).contains("Aliases:", "  champion: allowed: approver; 2 approvals (the requester "
                + "counts as one)");
    }

    @Test
    void anUnknownKeyOrABadAliasUnderAliasesIsRefusedWithItsLine() {
        assertThatThrownBy(() -> Policy.parse("policy:\n  aliases:\n    champion:\n      alowed: [x]\n",
                dir.resolve("workspace.yaml"))).isInstanceOf(PolicyFileException.class)
                .hasMessageEndingWith("line 4: unknown key 'alowed' under policy.aliases.champion; did you mean 'allowed'?");
        assertThatThrownBy(() -> Policy.parse("policy:\n  aliases:\n    production: {allowed: [x]}\n",
                dir.resolve("workspace.yaml"))).isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("line 3: invalid alias 'production' under policy.aliases: it is a stage name");
        assertThatThrownBy(() -> Policy.parse("policy:\n  aliases:\n    champion: {approvals: 0}\n",
                dir.resolve("workspace.yaml"))).isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("policy.aliases.champion.approvals must be a whole number from 1 to 100");
        assertThatThrownBy(() -> Policy.parse("policy:\n  aliases: [champion]\n", dir.resolve("workspace.yaml")))
                .isInstanceOf(PolicyFileException.class).hasMessageContaining("policy.aliases must be a mapping");
    }

    @Test
    void aUserNotAllowedForAnAliasIsRefusedAndTheRefusalIsAudited() {
        fx.policy("""
                policy:
                  roles:
                    alice: [approver]
                  aliases:
                    champion:
                      allowed: [approver]
                """);
        Workspace bob = fx.as("bob");

        assertThatThrownBy(() -> bob.aliases().set(PolicyFixture.MODEL, "champion", "v2.0.0", "mine"))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("bob may not set alias fraud_detector@champion")
                .hasMessageContaining("policy.aliases.champion.allowed");
        assertThat(bob.aliases().list(PolicyFixture.MODEL)).isEmpty();
        List<AuditEvent> denied = fx.events(EventType.ACCESS_DENIED);
        assertThat(denied).singleElement().satisfies(event -> {
            assertThat(event.user()).isEqualTo("bob");
            assertThat(event.action()).isEqualTo("set_alias");
            assertThat(event.resourceId()).isEqualTo("fraud_detector:v2.0.0");
        });

        fx.as("alice").aliases().set(PolicyFixture.MODEL, "champion", "v2.0.0", "approved");
        bob.aliases().set(PolicyFixture.MODEL, "challenger", "v3.0.0", "an alias without rules is open");
        assertThat(bob.aliases().list(PolicyFixture.MODEL)).hasSize(2);
    }

    @Test
    void anAliasThatNeedsApprovalsCannotBeChangedDirectlyAndTheAttemptIsASecurityViolation() {
        fx.policy("""
                policy:
                  aliases:
                    champion:
                      approvals: 2
                """);

        assertThatThrownBy(() -> fx.as("alice").aliases().set(PolicyFixture.MODEL, "champion", "v2.0.0", null))
                .isInstanceOf(PolicyDeniedException.class)
                .hasMessageContaining("policy.aliases.champion.approvals");
        assertThat(fx.events(EventType.SECURITY_VIOLATION)).singleElement()
                .satisfies(event -> assertThat(event.action()).isEqualTo("set_alias"));
        assertThat(fx.as("reader").aliases().list(PolicyFixture.MODEL)).isEmpty();
    }
}
