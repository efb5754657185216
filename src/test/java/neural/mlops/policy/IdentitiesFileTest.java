package neural.mlops.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import neural.mlops.registry.ModelStage;
import neural.mlops.testing.SshKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** workspace.yaml's identities and require_signed, read as strictly as the rest of the policy. */
class IdentitiesFileTest {

    private static final Path FILE = Path.of("workspace.yaml");

    @TempDir
    Path dir;

    @Test
    void identitiesAndRequireSignedAreRead() {
        SshKeys keys = new SshKeys(dir);
        String alice = keys.publicLine(keys.generate("alice", "ed25519", 0));

        Policy policy = Policy.parse("identities:\n  alice: [\"" + alice + "\"]\n"
                + "policy:\n  stages:\n    production: {require_signed: true}\n", FILE);

        assertThat(policy.identities().lines()).containsOnlyKeys("alice");
        assertThat(policy.identities().describe("alice")).singleElement().asString().startsWith("ed25519 SHA256:");
        assertThat(policy.rule(ModelStage.PRODUCTION).requireSigned()).isTrue();
        assertThat(policy.rule(ModelStage.PRODUCTION).describe()).contains("signed actions only");
    }

    @Test
    void aKeyThatCannotBeReadIsReportedWithItsLine() {
        assertThatThrownBy(() -> Policy.parse("name: team\nidentities:\n  alice:\n    - ssh-ed25519 bm90IGEga2V5\n",
                FILE))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("line 4")
                .hasMessageContaining("invalid key in identities.alice");
    }

    @Test
    void identitiesMustBeAMappingOfUsersToNonEmptyLists() {
        assertThatThrownBy(() -> Policy.parse("identities: [alice]\n", FILE))
                .hasMessageContaining("identities must be a mapping of user names to lists of SSH public keys");
        assertThatThrownBy(() -> Policy.parse("identities:\n  alice: []\n", FILE))
                .hasMessageContaining("identities.alice must be a non-empty list");
    }

    @Test
    void requireSignedMustBeTrueOrFalse() {
        assertThatThrownBy(() -> Policy.parse("policy:\n  stages:\n    production: {require_signed: always}\n", FILE))
                .hasMessageContaining("policy.stages.production.require_signed must be true or false, not 'always'");
    }

    @Test
    void requireSignedWithoutAnyIdentityIsRefusedWithItsLine() {
        assertThatThrownBy(() -> Policy.parse("policy:\n  stages:\n    production:\n      require_signed: true\n", FILE))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("line 4")
                .hasMessageContaining("lists no identities");
    }

    @Test
    void aMisspeltRequireSignedIsAnUnknownKey() {
        assertThatThrownBy(() -> Policy.parse("policy:\n  stages:\n    production: {require_signd: true}\n", FILE))
                .hasMessageContaining("did you mean 'require_signed'?");
    }
}
