package neural.mlops.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import neural.mlops.ci.PipelineScripts.Step;
import neural.mlops.testing.SshKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the generated signing step of each platform for real (bash, or sh for Jenkins), with the
 * secret handed over as that platform hands it: GitHub a value in the step's env, GitLab a File
 * variable holding the key's base64 (how a masked key is stored), Azure a downloaded secure file,
 * Jenkins the file the SSH-key credential binding writes. Shell tracing is on, so a key that any
 * line printed would show in the output. Keys are made by ssh-keygen.
 */
class SigningKeyStepTest {

    private static final String SECRET = "FRAUD_KEY";

    @TempDir
    Path dir;

    private Path key;
    private String keyText;
    private String publicKey;

    @BeforeEach
    void setUp() throws IOException {
        SshKeys keys = new SshKeys(Files.createDirectories(dir.resolve("keys")));
        key = keys.generate("ci-pipeline", "ed25519", 0);
        keyText = Files.readString(key, StandardCharsets.UTF_8);
        String[] words = keys.publicLine(key).split(" ");
        publicKey = words[0] + " " + words[1];
    }

    @Test
    void githubWritesTheSecretValueToAFileOnlyTheUserCanReadForTheLaterStepsAndTheLastStepRemovesIt() throws Exception {
        Path runnerTemp = Files.createDirectories(dir.resolve("runner-temp"));
        Path githubEnv = Files.writeString(dir.resolve("github-env"), "");
        Map<String, String> replacements = Map.of("${{ secrets." + SECRET + " }}", keyText,
                "${{ runner.temp }}", runnerTemp.toString());
        List<Step> steps = PipelineScripts.steps(Platform.GITHUB, pipeline(Platform.GITHUB), "production");

        Run written = run(Platform.GITHUB, step(steps, "Write the signing key from the secret store"), replacements,
                Map.of("GITHUB_ENV", githubEnv.toString()));

        assertThat(written.status()).as(written.output()).isZero();
        Path file = runnerTemp.resolve("neural-mlops-signing-key");
        assertKeyFile(file);
        assertThat(written.output()).contains("Signing as ci-pipeline with " + publicKey);
        assertNotPrinted(written.output());
        assertThat(Files.readAllLines(githubEnv)).containsExactly("NEURAL_MLOPS_SIGNING_KEY=" + file);

        Run removed = run(Platform.GITHUB, step(steps, "Remove the signing key"), replacements, Map.of());
        assertThat(removed.status()).as(removed.output()).isZero();
        assertThat(file).doesNotExist();
    }

    @Test
    void gitlabDecodesAMaskedBase64FileVariableToAFileOnlyTheUserCanReadAndAfterScriptRemovesIt() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        // GitLab masks single-line values only, so the key is stored as its base64 in a File variable.
        Path variableFile = Files.writeString(dir.resolve("gitlab-tmp-" + SECRET),
                Base64.getEncoder().encodeToString(keyText.getBytes(StandardCharsets.UTF_8)));
        String pipeline = pipeline(Platform.GITLAB);
        Step entry = PipelineScripts.steps(Platform.GITLAB, pipeline, "production").stream()
                .filter(step -> step.script().contains("ssh-keygen -y")).findFirst().orElseThrow();
        // The runner runs the job's script items in one shell: the next item sees the exported key.
        Step withNext = new Step(entry.name(), entry.script() + "\necho \"next item signs with $NEURAL_MLOPS_SIGNING_KEY\"\n",
                entry.env());

        Run written = run(Platform.GITLAB, withNext, Map.of(),
                Map.of(SECRET, variableFile.toString(), "CI_PROJECT_DIR", project.toString()));

        assertThat(written.status()).as(written.output()).isZero();
        Path file = project.resolve(".neural-mlops/signing-key");
        assertKeyFile(file);
        assertThat(written.output()).contains("next item signs with " + file);
        assertNotPrinted(written.output());

        @SuppressWarnings("unchecked")
        List<String> afterScript = (List<String>) ((Map<String, Object>) PipelineScripts.yaml(pipeline).get("production"))
                .get("after_script");
        Run after = run(Platform.GITLAB, new Step("after_script", String.join("\n", afterScript), Map.of()), Map.of(),
                Map.of("CI_PROJECT_DIR", project.toString()));
        assertThat(after.status()).as(after.output()).isZero();
        assertThat(file).doesNotExist();
    }

    @Test
    void azureUsesTheDownloadedSecureFileInPlaceReadableByTheJobsUserAlone() throws Exception {
        Path secureFile = Files.createDirectories(dir.resolve("agent/_temp")).resolve(SECRET);
        Files.writeString(secureFile, keyText);
        Files.setPosixFilePermissions(secureFile, PosixFilePermissions.fromString("rw-r--r--"));
        Path agentTemp = dir.resolve("agent/_temp");
        Map<String, String> replacements = Map.of("$(signingKey.secureFilePath)", secureFile.toString(),
                "$(Agent.TempDirectory)", agentTemp.toString());
        List<Step> steps = PipelineScripts.steps(Platform.AZURE, pipeline(Platform.AZURE), "production");

        Run prepared = run(Platform.AZURE, step(steps, "Prepare the signing key"), replacements, Map.of());

        assertThat(prepared.status()).as(prepared.output()).isZero();
        assertKeyFile(secureFile);
        assertThat(agentTemp.resolve("neural-mlops-signing-key")).doesNotExist();
        assertThat(prepared.output()).contains("##vso[task.setvariable variable=NEURAL_MLOPS_SIGNING_KEY]" + secureFile);
        assertNotPrinted(prepared.output());
    }

    @Test
    void jenkinsUsesTheFileTheCredentialBindingWroteEvenWhenShTraces() throws Exception {
        Path bound = Files.createDirectories(dir.resolve("workspace@tmp")).resolve("secretFiles-key");
        Files.writeString(bound, keyText);
        Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("r--------"));
        Path workspace = Files.createDirectories(dir.resolve("workspace"));
        String script = PipelineScripts.steps(Platform.JENKINS, pipeline(Platform.JENKINS), "Promote to production and deploy")
                .stream().map(Step::script).filter(text -> text.contains("ssh-keygen -y")).findFirst().orElseThrow();
        // From the key's set-up to its announcement: the steps after it need the tool and a workspace.
        int start = script.indexOf("SIGNING_KEY_FILE=");
        int end = script.indexOf('\n', script.indexOf("echo \"Signing as"));
        String signing = script.substring(start, end + 1) + "echo \"then signs with $NEURAL_MLOPS_SIGNING_KEY\"\n";

        Run run = run(Platform.JENKINS, new Step("sh", signing, Map.of()), Map.of(),
                Map.of("SIGNING_KEY_SECRET", bound.toString()), workspace);

        assertThat(run.status()).as(run.output()).isZero();
        assertKeyFile(bound);
        assertThat(run.output()).contains("then signs with " + bound, "Signing as ci-pipeline with " + publicKey);
        assertNotPrinted(run.output());
        assertThat(workspace.resolve(".neural-mlops/signing-key")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(value = Platform.class, names = {"GITHUB", "GITLAB", "AZURE"})
    void aMissingSecretStopsTheJobNamingTheSecretAndWritesNothing(Platform platform) throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Map<String, String> replacements = Map.of("${{ secrets." + SECRET + " }}", "", "${{ runner.temp }}", project.toString(),
                "$(signingKey.secureFilePath)", "", "$(Agent.TempDirectory)", project.toString());
        Step step = PipelineScripts.steps(platform, pipeline(platform), "production").stream()
                .filter(candidate -> candidate.script().contains("ssh-keygen -y")).findFirst().orElseThrow();

        Run run = run(platform, step, replacements, Map.of("CI_PROJECT_DIR", project.toString(),
                "GITHUB_ENV", dir.resolve("github-env").toString()));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.output()).contains("No signing key: the secret " + SECRET + " is missing or empty in this job");
        try (var files = Files.walk(project)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void aSecretThatIsNotAPrivateKeyWithoutPassphraseIsRefusedWithoutPrintingIt() throws Exception {
        Path runnerTemp = Files.createDirectories(dir.resolve("runner-temp"));
        Path locked = dir.resolve("keys/locked");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "a passphrase", "-f", locked.toString())
                .redirectErrorStream(true).start();
        keygen.getInputStream().readAllBytes();
        assertThat(keygen.waitFor()).isZero();
        Step step = step(PipelineScripts.steps(Platform.GITHUB, pipeline(Platform.GITHUB), "production"),
                "Write the signing key from the secret store");

        for (String secret : List.of(Files.readString(locked), "not a key at all", keyText.replace("-----BEGIN", "-----BOGUS"))) {
            Run run = run(Platform.GITHUB, step, Map.of("${{ secrets." + SECRET + " }}", secret,
                    "${{ runner.temp }}", runnerTemp.toString()), Map.of("GITHUB_ENV", dir.resolve("github-env").toString()));
            assertThat(run.status()).isEqualTo(1);
            assertThat(run.output()).contains("The secret " + SECRET + " is not an SSH private key without a passphrase");
            for (String line : secret.lines().filter(line -> line.length() > 20).toList()) {
                assertThat(run.output()).doesNotContain(line);
            }
        }
    }

    private record Run(int status, String output) {
    }

    private String pipeline(Platform platform) {
        return new CiTemplateGenerator().generate(platform,
                CiParameters.defaults().with("sign", "true").with("signing_key_secret", SECRET));
    }

    private static Step step(List<Step> steps, String name) {
        return steps.stream().filter(step -> step.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + name));
    }

    private Run run(Platform platform, Step step, Map<String, String> replacements, Map<String, String> extra)
            throws IOException, InterruptedException {
        return run(platform, step, replacements, extra, Files.createDirectories(dir.resolve("checkout")));
    }

    /**
     * Runs {@code step} as its platform would (Jenkins: {@code sh -xe}; the others: bash, traced
     * here), with the pipeline's variables, the step's env and {@code extra}, each platform
     * expression in them replaced as {@code replacements} say.
     */
    private Run run(Platform platform, Step step, Map<String, String> replacements, Map<String, String> extra, Path cwd)
            throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.putAll(PipelineScripts.variables(platform, pipeline(platform)));
        env.putAll(step.env());
        env.replaceAll((name, value) -> {
            String replaced = value;
            for (Map.Entry<String, String> replacement : replacements.entrySet()) {
                replaced = replaced.replace(replacement.getKey(), replacement.getValue());
            }
            return replaced;
        });
        env.putAll(extra);
        Path file = Files.writeString(dir.resolve("step.sh"), step.script());
        List<String> command = new ArrayList<>(platform == Platform.JENKINS ? List.of("sh", "-xe")
                : List.of("bash", "--noprofile", "--norc", "-x", "-eo", "pipefail"));
        command.add(file.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), output);
    }

    /** The key, byte for byte (line ends aside), in a file only its owner can read or write. */
    private void assertKeyFile(Path file) throws IOException {
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file, StandardCharsets.UTF_8).strip()).isEqualTo(keyText.strip());
    }

    private void assertNotPrinted(String output) {
        String encoded = Base64.getEncoder().encodeToString(keyText.getBytes(StandardCharsets.UTF_8));
        assertThat(output).doesNotContain(encoded.substring(0, 40));
        for (String line : keyText.lines().filter(line -> !line.startsWith("-----")).toList()) {
            assertThat(output).doesNotContain(line);
        }
    }
}
