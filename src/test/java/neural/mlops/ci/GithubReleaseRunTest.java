package neural.mlops.ci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import neural.mlops.cli.CliRun;
import neural.mlops.deployment.TestEndpoint;
import neural.mlops.testing.SshKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shell steps of the generated GitHub workflow's staging, release and production jobs
 * with bash, against one local workspace and the real CLI (a launcher on PATH), the way GitHub
 * would: job and step env, {@code $GITHUB_ENV} carried from step to step. Only the steps that
 * need GitHub itself (tool download, checkout, artifact upload) are left out.
 */
class GithubReleaseRunTest {

    private static final String SHA = "3f9c2e1a7b5d4c6e8f0a1b2c3d4e5f60718293a4";
    private static final Set<String> PLATFORM_STEPS = Set.of("Install the neural-mlops tool", "Collect the audit trail",
            "Check that the tagged commit is on the main branch");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([^}]+?)\\s*}}");

    @TempDir
    Path dir;

    private TestEndpoint endpoint;
    private Path workspace;
    private Path bin;
    private SshKeys keys;

    @BeforeEach
    void setUp() throws IOException {
        keys = new SshKeys(Files.createDirectories(dir.resolve("keys")));
        endpoint = new TestEndpoint();
        workspace = dir.resolve("shared/mlops");
        bin = Files.createDirectories(dir.resolve("bin"));
        Path launcher = bin.resolve("neural-mlops");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -Xshare:auto -XX:TieredStopAtLevel=1 -Dneural.mlops.home='" + dir.resolve("home")
                + "' -cp '" + System.getProperty("java.class.path") + "' neural.mlops.Main \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path handoff = Files.createDirectories(dir.resolve("run/model-handoff"));
        Files.writeString(handoff.resolve("model.pt"), "weights of the build");
        Files.writeString(handoff.resolve("metrics.json"), "{\"accuracy\": 0.93}");
    }

    @AfterEach
    void tearDown() {
        endpoint.close();
    }

    @Test
    void everyReleaseStepRunsTwiceAndTheSecondRunLeavesTheRegistryAsItWas() throws Exception {
        Map<String, Object> workflow = workflow();
        Map<String, String> push = expressions("refs/heads/main", "main");
        Map<String, String> tag = expressions("refs/tags/v1.2.0", "v1.2.0");

        assertThat(runJob(workflow, "staging", push).status()).isZero();
        assertThat(runJob(workflow, "release", tag).status()).isZero();
        Run first = runJob(workflow, "production", tag);
        assertThat(first.status()).as(first.output()).isZero();
        Map<String, String> registry = digest(workspace.resolve("models"));

        for (String job : List.of("staging", "release", "production")) {
            Run again = runJob(workflow, job, job.equals("staging") ? push : tag);
            assertThat(again.status()).as(job + " again:\n" + again.output()).isZero();
        }
        Map<String, String> after = digest(workspace.resolve("models"));
        assertThat(after).as(() -> "changed: " + changed(registry, after)).isEqualTo(registry);
        assertThat(registry).isNotEmpty();
        CliRun production = CliRun.in(workspace, "anyone", "registry", "list", "--stage", "production");
        assertThat(production.out()).contains("build-7-3f9c2e1");
        assertThat(CliRun.in(workspace, "anyone", "registry", "list").out()).doesNotContain("v1.2.0");
    }

    @Test
    void withTheApprovalPolicyProductionFailsNamingTheApprovalUntilASecondUserApproves() throws Exception {
        Files.createDirectories(workspace);
        Files.writeString(workspace.resolve("workspace.yaml"), """
                name: fraud team
                policy:
                  roles:
                    ci-pipeline: [release]
                    carol: [approver]
                  stages:
                    production:
                      allowed: [release, approver]
                      requires_stage: staging
                      approvals: 2
                """);
        Map<String, Object> workflow = workflow();
        Map<String, String> tag = expressions("refs/tags/v1.2.0", "v1.2.0");
        assertThat(runJob(workflow, "staging", expressions("refs/heads/main", "main")).status()).isZero();
        Run release = runJob(workflow, "release", tag);
        assertThat(release.status()).as(release.output()).isZero();

        Run waiting = runJob(workflow, "production", tag);
        assertThat(waiting.status()).isNotZero();
        assertThat(waiting.output()).contains("my-model build-7-3f9c2e1 is not in production: the request has 1 of 2 "
                + "approvals (ci-pipeline), 1 more needed from another permitted user: neural-mlops --workspace "
                + workspace + " registry approve my-model build-7-3f9c2e1 --to production");
        // Queried as the pipeline user, who sees its own events: a user without an audit role would see none.
        CliRun violations = CliRun.in(workspace, "ci-pipeline", "audit", "query", "--type", "security_violation");
        assertThat(violations.status()).as(violations.err()).isZero();
        assertThat(violations.out()).doesNotContain("ci-pipeline");

        CliRun approved = CliRun.in(workspace, "carol", "registry", "approve", "my-model", "build-7-3f9c2e1", "--to",
                "production");
        assertThat(approved.status()).as(approved.err()).isZero();
        Run released = runJob(workflow, "production", tag);
        assertThat(released.status()).as(released.output()).isZero();
        assertThat(CliRun.in(workspace, "anyone", "deploy", "list", "--env", "production").out())
                .contains("build-7-3f9c2e1", "active");
    }

    @Test
    void withSignedProductionTheReleaseSignsWithTheKeyFromTheSecretStoreAndAuditVerifyAcceptsIt() throws Exception {
        Path key = signedWorkspace();
        String keyText = Files.readString(key, StandardCharsets.UTF_8);
        Map<String, Object> workflow = workflow("sign=true");
        Map<String, String> push = withSecret(expressions("refs/heads/main", "main"), keyText);
        Map<String, String> tag = withSecret(expressions("refs/tags/v1.2.0", "v1.2.0"), keyText);

        StringBuilder printed = new StringBuilder();
        for (String job : List.of("staging", "release", "production")) {
            Run run = runJob(workflow, job, job.equals("staging") ? push : tag);
            assertThat(run.status()).as(job + ":\n" + run.output()).isZero();
            printed.append(run.output());
            // The last step of every job removed the key file.
            assertThat(dir.resolve("runner-temp/neural-mlops-signing-key")).doesNotExist();
        }

        assertThat(CliRun.in(workspace, "anyone", "registry", "list", "--stage", "production").out()).contains("build-7-3f9c2e1");
        CliRun verify = CliRun.in(workspace, "anyone", "audit", "verify");
        assertThat(verify.status()).as(verify.err()).isZero();
        JsonNode promotion = productionPromotion();
        assertThat(promotion.path("user").asText()).isEqualTo("ci-pipeline");
        JsonNode signature = promotion.path("details").path("signature");
        // The sshsig blob (base64), which starts with its magic "SSHSIG".
        assertThat(new String(java.util.Base64.getDecoder().decode(signature.path("sshsig").asText()), StandardCharsets.ISO_8859_1))
                .startsWith("SSHSIG");
        assertThat(signature.path("payload").path("version").asText()).isEqualTo("build-7-3f9c2e1");
        assertThat(signature.path("payload").path("user").asText()).isEqualTo("ci-pipeline");
        assertThat(signature.path("key").asText()).endsWith(keys.fingerprint(key));
        for (String line : keyText.lines().filter(line -> !line.startsWith("-----")).toList()) {
            assertThat(printed.toString()).doesNotContain(line);
        }
    }

    @Test
    void withSignedProductionAndNoSecretTheProductionJobStopsNamingTheSecretAndPromotesNothing() throws Exception {
        Path key = signedWorkspace();
        Map<String, Object> workflow = workflow("sign=true");
        Map<String, String> push = withSecret(expressions("refs/heads/main", "main"), Files.readString(key));
        assertThat(runJob(workflow, "staging", push).status()).isZero();
        Map<String, String> tag = expressions("refs/tags/v1.2.0", "v1.2.0");
        tag.put("runner.temp", dir.resolve("runner-temp").toString());

        Run production = runJob(workflow, "production", tag);

        assertThat(production.status()).isEqualTo(1);
        assertThat(production.output()).contains("No signing key: the secret NEURAL_MLOPS_CI_SIGNING_KEY is missing or empty "
                + "in this job").doesNotContain("## Promote to production");
        assertThat(CliRun.in(workspace, "anyone", "registry", "list", "--stage", "production").out())
                .doesNotContain("build-7-3f9c2e1");
    }

    @Test
    void withSignedProductionAnUnsignedPipelinesPromotionIsRefusedByTheWorkspace() throws Exception {
        signedWorkspace();
        Map<String, Object> workflow = workflow();
        Map<String, String> tag = expressions("refs/tags/v1.2.0", "v1.2.0");
        assertThat(runJob(workflow, "staging", expressions("refs/heads/main", "main")).status()).isZero();
        assertThat(runJob(workflow, "release", tag).status()).isZero();

        Run production = runJob(workflow, "production", tag);

        assertThat(production.status()).isNotZero();
        assertThat(production.output()).contains("not signed");
        assertThat(CliRun.in(workspace, "anyone", "registry", "list", "--stage", "production").out())
                .doesNotContain("build-7-3f9c2e1");
        assertThat(CliRun.in(workspace, "ci-pipeline", "audit", "query", "--type", "security_violation").out())
                .contains("security_violation", "ci-pipeline");
    }

    /** A workspace whose production accepts signed actions only, listing a key made by ssh-keygen for ci-pipeline. */
    private Path signedWorkspace() throws IOException {
        Path key = keys.generate("ci-pipeline", "ed25519", 0);
        Files.createDirectories(workspace);
        Files.writeString(workspace.resolve("workspace.yaml"), "name: fraud team\n"
                + "identities:\n"
                + "  ci-pipeline: [\"" + keys.publicLine(key) + "\"]\n"
                + "policy:\n"
                + "  stages:\n"
                + "    production:\n"
                + "      require_signed: true\n");
        return key;
    }

    /** The expressions with the signing key as the repository secret and the runner's temporary folder. */
    private Map<String, String> withSecret(Map<String, String> expressions, String keyText) throws IOException {
        expressions.put("secrets.NEURAL_MLOPS_CI_SIGNING_KEY", keyText);
        expressions.put("runner.temp", Files.createDirectories(dir.resolve("runner-temp")).toString());
        return expressions;
    }

    /** The one audit event that moved the version into production. */
    private JsonNode productionPromotion() throws IOException {
        // As the pipeline user: a workspace with a policy shows a user who holds no role only their own events.
        CliRun query = CliRun.in(workspace, "ci-pipeline", "--json", "audit", "query", "--type", "model_promoted");
        List<JsonNode> promotions = new ArrayList<>();
        for (JsonNode event : new ObjectMapper().readTree(query.out())) {
            if (event.path("details").path("to_stage").asText().equals("production")) {
                promotions.add(event);
            }
        }
        assertThat(promotions).as(query.out()).hasSize(1);
        return promotions.get(0);
    }

    private record Run(int status, String output) {
    }

    private Map<String, Object> workflow(String... extra) {
        List<String> assignments = new ArrayList<>(List.of("workspace=" + workspace, "model_path=artifacts/model.pt",
                "staging_endpoint=" + endpoint.url("/ok"), "production_endpoint=" + endpoint.url("/ok")));
        assignments.addAll(List.of(extra));
        CiParameters parameters = CiParameters.parse(assignments);
        return PipelineScripts.yaml(new CiTemplateGenerator().generate(Platform.GITHUB, parameters));
    }

    private static Map<String, String> expressions(String ref, String refName) {
        Map<String, String> values = new HashMap<>();
        values.put("github.sha", SHA);
        values.put("github.ref_name", refName);
        values.put("github.ref", ref);
        values.put("github.server_url", "https://github.example");
        values.put("github.repository", "team/fraud");
        values.put("github.run_id", "991");
        values.put("github.token", "no-token");
        return values;
    }

    /** Runs the job's shell steps in order, in one checkout folder, stopping at the first failure. */
    @SuppressWarnings("unchecked")
    private Run runJob(Map<String, Object> workflow, String jobName, Map<String, String> expressions) throws Exception {
        Map<String, Object> job = (Map<String, Object>) ((Map<String, Object>) workflow.get("jobs")).get(jobName);
        Path runDir = dir.resolve("run");
        Path githubEnv = Files.writeString(dir.resolve("github-env-" + jobName), "");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("GITHUB_ENV", githubEnv.toString());
        env.put("GITHUB_PATH", dir.resolve("github-path").toString());
        env.put("GITHUB_RUN_NUMBER", "7");
        env.put("GITHUB_RUN_ID", "991");
        env.put("GITHUB_REPOSITORY", "team/fraud");
        env.put("GITHUB_API_URL", "http://127.0.0.1:9");
        env.put("GITHUB_REF_NAME", expressions.get("github.ref_name"));
        env.putAll(values((Map<String, Object>) workflow.get("env"), expressions));
        env.putAll(values((Map<String, Object>) job.get("env"), expressions));
        StringBuilder output = new StringBuilder();
        for (Map<String, Object> step : (List<Map<String, Object>>) job.get("steps")) {
            if (!(step.get("run") instanceof String script) || PLATFORM_STEPS.contains(String.valueOf(step.get("name")))) {
                continue;
            }
            Map<String, String> stepEnv = new LinkedHashMap<>(env);
            for (String line : Files.readAllLines(githubEnv)) {
                int eq = line.indexOf('=');
                stepEnv.put(line.substring(0, eq), line.substring(eq + 1));
            }
            stepEnv.putAll(values((Map<String, Object>) step.get("env"), expressions));
            Path file = Files.writeString(dir.resolve("step.sh"), substitute(script, expressions));
            ProcessBuilder builder = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", file.toString())
                    .directory(runDir.toFile()).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(stepEnv);
            Process process = builder.start();
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = process.waitFor();
            output.append("## ").append(step.get("name")).append('\n').append(printed);
            if (status != 0) {
                return new Run(status, output.toString());
            }
        }
        return new Run(0, output.toString());
    }

    private static Map<String, String> values(Map<String, Object> map, Map<String, String> expressions) {
        Map<String, String> values = new LinkedHashMap<>();
        if (map != null) {
            map.forEach((key, value) -> values.put(key, substitute(String.valueOf(value), expressions)));
        }
        return values;
    }

    private static String substitute(String text, Map<String, String> expressions) {
        Matcher matcher = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(expressions.getOrDefault(matcher.group(1), "")));
        }
        return matcher.appendTail(out).toString();
    }

    /**
     * Each file's SHA-256 by its path under {@code root}, leaving out the registry's own
     * bookkeeping ({@code .cache}, {@code .lock}), which a read may refresh.
     */
    private static Map<String, String> digest(Path root) throws IOException, NoSuchAlgorithmException {
        Map<String, String> digests = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).filter(file -> !hidden(root.relativize(file))).toList()) {
                digests.put(root.relativize(file).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            }
        }
        return digests;
    }

    private String changed(Map<String, String> before, Map<String, String> after) {
        StringBuilder out = new StringBuilder();
        for (String path : new java.util.TreeSet<>(after.keySet())) {
            if (!after.get(path).equals(before.get(path))) {
                try {
                    out.append(path).append(":\n").append(Files.readString(workspace.resolve("models").resolve(path))).append('\n');
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        return out.toString();
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
