package neural.mlops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import neural.mlops.app.common.ActingUser;
import neural.mlops.app.common.AppPreferences;
import neural.mlops.app.common.ScriptedDialogs;
import neural.mlops.app.common.SigningStatus;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.identity.SigningKey;
import neural.mlops.policy.PromotionRequest;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.testing.SshKeys;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desktop's signing key (issue 24): chosen in Preferences (else NEURAL_MLOPS_SIGNING_KEY), it
 * signs the governed actions of the workspace the window opens, and the status says whether
 * workspace.yaml lists it for the acting user. Keys are made by ssh-keygen.
 */
class SigningKeyPreferenceTest {

    private static final ActingUser ALICE = new ActingUser("alice", ActingUser.Source.COMMAND_LINE);

    @TempDir
    Path dir;

    private SshKeys keys;
    private Path alice;
    private Path mallory;
    private Path folder;
    private AppPreferences preferences;
    private final ScriptedDialogs dialogs = new ScriptedDialogs();

    @BeforeEach
    void setUp() throws IOException {
        keys = new SshKeys(Files.createDirectories(dir.resolve("keys")));
        alice = keys.generate("alice", "ed25519", 0);
        mallory = keys.generate("mallory", "ecdsa", 256);
        folder = Files.createDirectories(dir.resolve("ws"));
        Workspace setup = Workspace.open(folder, "tester");
        Path model = Files.writeString(dir.resolve("model.pt"), "weights");
        setup.registry().registerModel(RegisterRequest.builder("fraud_detector", "v1.0.0", model)
                .framework("pytorch").createdBy("alice").metric("accuracy", 0.9).build());
        Files.writeString(folder.resolve("workspace.yaml"), "identities:\n"
                + "  alice: [\"" + keys.publicLine(alice) + "\"]\n"
                + "policy:\n"
                + "  stages:\n"
                + "    production: {approvals: 2, require_signed: true}\n");
        preferences = new AppPreferences(dir.resolve("preferences.json"));
    }

    private MainViewModel windowAsAlice(Map<String, String> environment) {
        MainViewModel model = new MainViewModel(dialogs, TaskExecutor.CURRENT_THREAD, preferences, "alice", environment);
        model.open(folder);
        assertThat(dialogs.errors).isEmpty();
        return model;
    }

    private PreferencesViewModel preferencesAsAlice(Workspace open, Map<String, String> environment) {
        return new PreferencesViewModel(preferences, TaskExecutor.CURRENT_THREAD, open == null ? null : open.governance(),
                ALICE, dialogs, environment);
    }

    @Test
    void aKeyChosenInPreferencesIsSavedAndSignsTheRequestsOfTheReopenedWorkspace() {
        PreferencesViewModel chooser = preferencesAsAlice(null, Map.of());
        dialogs.path(alice);
        chooser.chooseSigningKey();
        assertThat(chooser.signingKeyChanged()).isTrue();
        chooser.apply();

        assertThat(new AppPreferences(dir.resolve("preferences.json")).signingKey()).contains(alice.toAbsolutePath());
        MainViewModel window = windowAsAlice(Map.of());
        window.workspaceProperty().get().governance().request("fraud_detector", "v1.0.0", ModelStage.PRODUCTION,
                "signed from the desktop");

        PromotionRequest request = window.workspaceProperty().get().governance().requests(null, false).requests().get(0);
        assertThat(request.requestSignature()).as("the request carries alice's signature").isNotNull();
        assertThat(request.requestSignature().signature().publicKey().fingerprint()).isEqualTo(keys.fingerprint(alice));
    }

    @Test
    void theStatusSaysSignedAsTheUserWithTheKeysKindAndFingerprintWhenTheKeyIsListedForThem() {
        preferences.setSigningKey(java.util.Optional.of(alice));

        SigningStatus status = windowAsAlice(Map.of()).signingProperty().get();

        assertThat(status).isEqualTo(new SigningStatus("signed as alice (ed25519 " + keys.fingerprint(alice) + ")", false));
        assertThat(preferencesAsAlice(Workspace.open(folder, "alice"), Map.of()).signingProperty().get()).isEqualTo(status);
    }

    @Test
    void aKeyNotListedForTheUserIsAWarningAndNoKeyIsUnsigned() {
        preferences.setSigningKey(java.util.Optional.of(mallory));
        assertThat(windowAsAlice(Map.of()).signingProperty().get())
                .isEqualTo(new SigningStatus("key not listed for alice", true));

        preferences.setSigningKey(java.util.Optional.empty());
        assertThat(windowAsAlice(Map.of()).signingProperty().get()).isEqualTo(new SigningStatus("unsigned", false));
    }

    @Test
    void theVariablesKeySignsWhenNoneIsChosenAndAChosenKeyWinsOverIt() {
        Map<String, String> environment = Map.of(SigningKey.VARIABLE, mallory.toString());

        assertThat(windowAsAlice(environment).signingProperty().get().text()).isEqualTo("key not listed for alice");
        PreferencesViewModel shown = preferencesAsAlice(null, environment);
        assertThat(shown.signingKeySourceProperty().get())
                .isEqualTo("Now: from $" + SigningKey.VARIABLE + ": " + mallory);

        preferences.setSigningKey(java.util.Optional.of(alice));
        assertThat(windowAsAlice(environment).signingProperty().get().text()).startsWith("signed as alice (ed25519 ");
        assertThat(preferencesAsAlice(null, environment).signingKeySourceProperty().get()).isEmpty();
    }

    @Test
    void aPublicKeyFileIsAcceptedSinceTheAgentSignsWithIt() {
        PreferencesViewModel model = preferencesAsAlice(Workspace.open(folder, "alice"), Map.of());

        model.signingKeyProperty().set(Path.of(alice + ".pub"));

        assertThat(model.signingKeyProblemProperty().get()).isNull();
        assertThat(model.canApplyProperty().get()).isTrue();
        assertThat(model.signingProperty().get().text()).isEqualTo("signed as alice (ed25519 " + keys.fingerprint(alice) + ")");
    }

    @Test
    void aFileThatIsNotAnSshKeyIsRefusedWithItsNameAndNothingIsSaved() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "not a key\n");
        PreferencesViewModel model = preferencesAsAlice(null, Map.of());

        model.signingKeyProperty().set(notes);

        assertThat(model.signingKeyProblemProperty().get()).contains(notes.toString()).contains("not an OpenSSH key");
        assertThat(model.canApplyProperty().get()).isFalse();
        model.apply();
        assertThat(new AppPreferences(dir.resolve("preferences.json")).signingKey()).isEmpty();

        model.signingKeyProperty().set(dir.resolve("missing"));
        assertThat(model.signingKeyProblemProperty().get()).contains("is not a file");
        model.clearSigningKey();
        assertThat(model.signingKeyProblemProperty().get()).isNull();
        assertThat(model.canApplyProperty().get()).isTrue();
    }

    @Test
    void aKeyThatCannotBeUsedAnyMoreLeavesTheWorkspaceOpenAndSaysItIsUnsigned() throws IOException {
        Path moved = Files.copy(alice, dir.resolve("moved"));
        preferences.setSigningKey(java.util.Optional.of(moved));
        Files.delete(moved);

        MainViewModel window = windowAsAlice(Map.of());

        assertThat(window.workspaceProperty().get()).isNotNull();
        assertThat(window.signingProperty().get()).isEqualTo(new SigningStatus("unsigned: the signing key cannot be used", true));
    }
}
