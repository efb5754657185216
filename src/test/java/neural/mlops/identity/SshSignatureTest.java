package neural.mlops.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import neural.mlops.store.InvalidInputException;
import neural.mlops.testing.SshKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Signatures made by ssh-keygen, verified with the JDK's own algorithms against allowed_signers lines. */
class SshSignatureTest {

    private static final Instant SIGNED_AT = Instant.parse("2026-03-01T09:00:00Z");

    @TempDir
    Path folder;

    private ActionPayload approval(String user, String version) {
        return new ActionPayload("approve_promotion", user, "fraud_detector", version, "production", "r-1", SIGNED_AT);
    }

    private SignedAction signed(Path key, ActionPayload payload) {
        return new SignedAction(payload, new KeyFileSigner(key).sign(payload.canonical()).orElseThrow());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"ed25519,0", "ecdsa,256", "ecdsa,384", "ecdsa,521", "rsa,2048"})
    void aSignatureByAListedKeyOfEachTypeSpeaksForItsUser(String type, int bits) {
        SshKeys keys = new SshKeys(folder);
        Path alice = keys.generate("alice", type, bits);
        Identities identities = new Identities(Map.of("alice", List.of(keys.publicLine(alice))));

        SignedAction action = signed(alice, approval("alice", "v2.0.0"));

        Verification verification = identities.verify(action);
        assertThat(verification.problem()).isEmpty();
        assertThat(verification.key().kind()).isEqualTo(type);
        assertThat(verification.key().fingerprint()).startsWith("SHA256:");
    }

    @Test
    void theFingerprintIsTheOneSshKeygenPrints() {
        SshKeys keys = new SshKeys(folder);
        Path alice = keys.generate("alice", "ed25519", 0);
        String printed = keys.fingerprint(alice);

        assertThat(new KeyFileSigner(alice).publicKey().orElseThrow().fingerprint()).isEqualTo(printed);
    }

    @Test
    void aForgedSignatureIsRefused() {
        SshKeys keys = new SshKeys(folder);
        Path alice = keys.generate("alice", "ed25519", 0);
        Identities identities = new Identities(Map.of("alice", List.of(keys.publicLine(alice))));
        SignedAction genuine = signed(alice, approval("alice", "v2.0.0"));
        byte[] bytes = Base64.getDecoder().decode(genuine.signature().encoded());
        bytes[bytes.length - 5] ^= 0x01; // inside the Ed25519 signature itself

        SignedAction forged = new SignedAction(genuine.payload(),
                SshSignature.parse(Base64.getEncoder().encodeToString(bytes)));

        assertThat(identities.verify(forged).problem()).hasValueSatisfying(problem ->
                assertThat(problem).contains("does not match the signed content"));
    }

    @Test
    void aSignatureOverAnotherVersionDoesNotSpeakForThisOne() {
        SshKeys keys = new SshKeys(folder);
        Path alice = keys.generate("alice", "ecdsa", 256);
        Identities identities = new Identities(Map.of("alice", List.of(keys.publicLine(alice))));
        SignedAction forV2 = signed(alice, approval("alice", "v2.0.0"));

        SignedAction movedToV3 = new SignedAction(approval("alice", "v3.0.0"), forV2.signature());

        assertThat(identities.verify(movedToV3).isValid()).isFalse();
    }

    @Test
    void aliceSignatureClaimingToBeBobIsRefused() {
        SshKeys keys = new SshKeys(folder);
        Path alice = keys.generate("alice", "ed25519", 0);
        Path bob = keys.generate("bob", "ed25519", 0);
        Identities identities = new Identities(Map.of("alice", List.of(keys.publicLine(alice)),
                "bob", List.of(keys.publicLine(bob))));

        SignedAction claimingBob = signed(alice, approval("bob", "v2.0.0"));

        assertThat(identities.verify(claimingBob).problem()).hasValueSatisfying(problem ->
                assertThat(problem).contains("is not one of bob's listed keys"));
    }

    @Test
    void aSignatureInAnotherNamespaceIsRefused() {
        SshKeys keys = new SshKeys(folder);
        Path alice = keys.generate("alice", "ed25519", 0);
        Identities identities = new Identities(Map.of("alice", List.of(keys.publicLine(alice))));
        ActionPayload payload = approval("alice", "v2.0.0");

        SignedAction gitSignature = new SignedAction(payload,
                SshSignature.parse(keys.sign(alice, "git", payload.canonical())));

        assertThat(identities.verify(gitSignature).problem()).hasValueSatisfying(problem ->
                assertThat(problem).contains("namespace 'git'"));
    }

    @Test
    void aCertificateFromTheListedAuthorityInItsValidityPeriodSpeaksForItsPrincipal() {
        SshKeys keys = new SshKeys(folder);
        Path authority = keys.generate("ca", "ed25519", 0);
        Path alice = keys.generate("alice", "ecdsa", 384);
        Path certificate = keys.certify(authority, alice, "alice", "20260101:20270101");
        Identities identities = new Identities(Map.of("alice", List.of("cert-authority " + keys.publicLine(authority))));
        ActionPayload payload = approval("alice", "v2.0.0");

        SignedAction action = new SignedAction(payload, SshSignature.parse(keys.sign(certificate, SshSignature.NAMESPACE,
                payload.canonical())));

        assertThat(action.signature().publicKey().certificate()).isPresent();
        assertThat(identities.verify(action).problem()).isEmpty();
    }

    @Test
    void anExpiredCertificateIsRefused() {
        SshKeys keys = new SshKeys(folder);
        Path authority = keys.generate("ca", "ed25519", 0);
        Path alice = keys.generate("alice", "ed25519", 0);
        Path certificate = keys.certify(authority, alice, "alice", "20250101:20260201");
        Identities identities = new Identities(Map.of("alice", List.of("cert-authority " + keys.publicLine(authority))));
        ActionPayload payload = approval("alice", "v2.0.0");

        SignedAction action = new SignedAction(payload, SshSignature.parse(keys.sign(certificate, SshSignature.NAMESPACE,
                payload.canonical())));

        assertThat(identities.verify(action).problem()).hasValueSatisfying(problem ->
                assertThat(problem).contains("certificate expired at 2026-02-01"));
    }

    @Test
    void aCertificateForAnotherPrincipalOrByAnotherAuthorityIsRefused() {
        SshKeys keys = new SshKeys(folder);
        Path authority = keys.generate("ca", "ed25519", 0);
        Path rogue = keys.generate("rogue", "ed25519", 0);
        Path alice = keys.generate("alice", "ed25519", 0);
        Path forCarol = keys.certify(authority, alice, "carol", "20260101:20270101");
        Identities identities = new Identities(Map.of("alice", List.of("cert-authority " + keys.publicLine(authority))));
        ActionPayload payload = approval("alice", "v2.0.0");
        SignedAction carolsCertificate = new SignedAction(payload,
                SshSignature.parse(keys.sign(forCarol, SshSignature.NAMESPACE, payload.canonical())));
        Path byRogue = keys.certify(rogue, alice, "alice", "20260101:20270101");
        SignedAction rogueCertificate = new SignedAction(payload,
                SshSignature.parse(keys.sign(byRogue, SshSignature.NAMESPACE, payload.canonical())));

        assertThat(identities.verify(carolsCertificate).problem()).hasValueSatisfying(problem ->
                assertThat(problem).contains("certificate is for carol, not alice"));
        assertThat(identities.verify(rogueCertificate).isValid()).isFalse();
    }

    @Test
    void aKeyOutsideItsValidBeforeDateIsRefused() {
        SshKeys keys = new SshKeys(folder);
        Path alice = keys.generate("alice", "ed25519", 0);
        Identities identities = new Identities(Map.of("alice",
                List.of("valid-before=\"20260201Z\" " + keys.publicLine(alice))));

        assertThat(identities.verify(signed(alice, approval("alice", "v2.0.0"))).problem())
                .hasValueSatisfying(problem -> assertThat(problem).contains("valid only until 2026-02-01T00:00:00Z"));
    }

    @Test
    void allowedSignersLinesAreReadWithPrincipalsOptionsAndComments() {
        SshKeys keys = new SshKeys(folder);
        Path alice = keys.generate("alice", "ed25519", 0);
        String file = "# team keys\n\nalice@example.com,ops-* namespaces=\"git,neural-mlops\",valid-after=20250101 "
                + keys.publicLine(alice) + "\n";

        AllowedSigner signer = AllowedSigners.parse(file).signers().get(0);

        assertThat(signer.principals()).containsExactly("alice@example.com", "ops-*");
        assertThat(signer.speaksFor("ops-team")).isTrue();
        assertThat(signer.speaksFor("bob")).isFalse();
        assertThat(signer.allowsNamespace("neural-mlops")).isTrue();
        assertThat(signer.allowsNamespace("file")).isFalse();
        assertThat(signer.validAfter()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Test
    void aMalformedLineIsRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> AllowedSigners.parse("alice ssh-ed25519 bm90IGEga2V5"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("allowed_signers line 1");
        assertThatThrownBy(() -> AllowedSigners.parseKeyOf("alice", "expires=20250101 ssh-ed25519 AAAA"))
                .hasMessageContaining("unknown option 'expires'");
        assertThatThrownBy(() -> AllowedSigners.parseKeyOf("alice", "ssh-dss AAAAB3NzaC1kc3M="))
                .hasMessageContaining("unsupported key type 'ssh-dss'");
        assertThatThrownBy(() -> SshSignature.parse("-----BEGIN SSH SIGNATURE-----\nAAAA\n"))
                .hasMessageContaining("has no -----END SSH SIGNATURE-----");
    }

    @Test
    void theSignedBytesAreTheCanonicalJsonOfThePayload() {
        String json = new String(approval("alice", "v2.0.0").canonical(), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"action\":\"approve_promotion\",\"model\":\"fraud_detector\",\"request_id\":\"r-1\","
                + "\"target\":\"production\",\"time\":\"2026-03-01T09:00:00.000000Z\",\"user\":\"alice\",\"version\":\"v2.0.0\"}");
    }

    @Test
    void aMissingKeyFileIsRefusedBeforeAnythingIsSigned() {
        assertThatThrownBy(() -> new KeyFileSigner(folder.resolve("nope")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not a file");
    }
}
