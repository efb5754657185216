package neural.mlops.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import neural.mlops.cli.CliRun;
import neural.mlops.deployment.TestEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the shell steps of the generated GitLab, Jenkins and Azure pipelines' release jobs with the
 * shell each platform uses (GitLab: one bash per job; Jenkins: {@code sh -e}, here dash, per
 * {@code sh} step; Azure: bash per step, {@code ##vso} variables carried to the next), in a real
 * git checkout with an origin, against one shared workspace and the real CLI (a launcher on
 * PATH). Only the tool download is left out: the launcher stands for the installed tool.
 */
class PipelineRunTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))");
    private static final Pattern SET_VARIABLE = Pattern.compile("^##vso\\[task\\.setvariable variable=([^;\\]]+)[^\\]]*](.*)$");
    private static final Pattern PREPEND_PATH = Pattern.compile("^##vso\\[task\\.prependpath](.*)$");

    @org.junit.jupiter.api.io.TempDir
    Path dir;

    private TestEndpoint endpoint;
    private Path workspace;
    private Path bin;
    private Path checkout;
    private String sha;
    private String tag = "v1.2.0";
    private String run = "7";

    @BeforeEach
    void setUp() throws Exception {
        endpoint = new TestEndpoint();
        workspace = dir.resolve("shared/mlops");
        bin = Files.createDirectories(dir.resolve("bin"));
        Path launcher = bin.resolve("neural-mlops");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -Xshare:auto -XX:TieredStopAtLevel=1 -Dneural.mlops.home='" + dir.resolve("home")
                + "' -cp '" + System.getProperty("java.class.path") + "' neural.mlops.Main \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

        // A repository whose main branch holds the tagged commit, as a release's checkout sees it.
        Path origin = dir.resolve("origin.git");
        git(dir, "init", "--quiet", "--bare", "-b", "main", origin.toString());
        checkout = Files.createDirectories(dir.resolve("run"));
        git(checkout, "init", "--quiet", "-b", "main");
        Files.writeString(checkout.resolve("train.py"), "print('trained')\n");
        git(checkout, "add", "train.py");
        git(checkout, "-c", "user.name=dev", "-c", "user.email=dev@example.com", "commit", "--quiet", "-m", "Train");
        git(checkout, "remote", "add", "origin", origin.toString());
        git(checkout, "push", "--quiet", "origin", "main");
        git(checkout, "tag", "v1.2.0");
        sha = git(checkout, "rev-parse", "HEAD").strip();
        for (String folder : List.of("artifacts", "model-handoff")) {
            Files.createDirectories(checkout.resolve(folder));
            Files.writeString(checkout.resolve(folder + "/model.pt"), "weights of the build");
            Files.writeString(checkout.resolve(folder + "/metrics.json"), "{\"accuracy\": 0.93}");
        }
    }

    @AfterEach
    void tearDown() {
        endpoint.close();
    }

    @ParameterizedTest
    @EnumSource(value = Platform.class, names = {"GITLAB", "JENKINS", "AZURE"})
    void everyReleaseJobRunsTwiceAndTheSecondRunLeavesTheRegistryAsItWas(Platform platform) throws Exception {
        String pipeline = pipeline(platform);
        assertSucceeds(run(platform, pipeline, Job.STAGING));
        assertSucceeds(run(platform, pipeline, Job.RELEASE));
        assertSucceeds(run(platform, pipeline, Job.PRODUCTION));
        Map<String, String> registry = digest(workspace.resolve("models"));

        for (Job job : Job.values()) {
            Run again = run(platform, pipeline, job);
            assertThat(again.status()).as(job + " again:\n" + again.output()).isZero();
        }
        assertThat(digest(workspace.resolve("models"))).isEqualTo(registry).isNotEmpty();
        String build = "build-7-" + sha.substring(0, 7);
        assertThat(CliRun.in(workspace, "anyone", "registry", "list", "--stage", "production").out()).contains(build);
        assertThat(CliRun.in(workspace, "anyone", "registry", "list").out()).doesNotContain("v1.2.0");
        String shown = CliRun.in(workspace, "anyone", "registry", "show", "my-model", build).out();
        assertThat(shown).contains(sha);
        assertThat(CliRun.in(workspace, "anyone", "deploy", "list", "--env", "production").out()).contains(build, "active");
    }

    // The approval and gate steps are the same shared release steps on every platform (ReleaseSteps); each
    // runs on one platform here, Jenkins' dash and Azure's variable hand-over being the likeliest to differ,
    // and every platform's own job structure runs twice above. A run is ~50 s of CLI starts on two cores.
    @ParameterizedTest
    @EnumSource(value = Platform.class, names = {"JENKINS"})
    void withTheApprovalPolicyProductionFailsNamingTheApprovalUntilASecondUserApproves(Platform platform) throws Exception {
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
        String pipeline = pipeline(platform);
        String build = "build-7-" + sha.substring(0, 7);
        assertSucceeds(run(platform, pipeline, Job.STAGING));
        assertSucceeds(run(platform, pipeline, Job.RELEASE));

        Run waiting = run(platform, pipeline, Job.PRODUCTION);
        assertThat(waiting.status()).as(waiting.output()).isNotZero();
        assertThat(waiting.output()).contains("my-model " + build + " is not in production: the request has 1 of 2 "
                + "approvals (ci-pipeline), 1 more needed from another permitted user: neural-mlops --workspace "
                + workspace + " registry approve my-model " + build + " --to production");
        // Queried as the pipeline user, who sees its own events: a user without an audit role would see none.
        CliRun violations = CliRun.in(workspace, "ci-pipeline", "audit", "query", "--type", "security_violation");
        assertThat(violations.status()).as(violations.err()).isZero();
        assertThat(violations.out()).doesNotContain("ci-pipeline");

        CliRun approved = CliRun.in(workspace, "carol", "registry", "approve", "my-model", build, "--to", "production");
        assertThat(approved.status()).as(approved.err()).isZero();
        assertSucceeds(run(platform, pipeline, Job.PRODUCTION));
        assertThat(CliRun.in(workspace, "anyone", "deploy", "list", "--env", "production").out()).contains(build, "active");
    }

    @ParameterizedTest
    @EnumSource(value = Platform.class, names = {"AZURE"})
    void aReleaseWorseThanProductionAtTheGateMetricStopsBeforeAnythingIsFiled(Platform platform) throws Exception {
        String pipeline = pipeline(platform, "gate_metric=accuracy");
        String champion = "build-7-" + sha.substring(0, 7);
        assertSucceeds(run(platform, pipeline, Job.STAGING));
        assertSucceeds(run(platform, pipeline, Job.RELEASE));
        assertSucceeds(run(platform, pipeline, Job.PRODUCTION));

        // The next commit of the main branch trains a worse model; it is staged, then tagged.
        Files.writeString(checkout.resolve("train.py"), "print('trained again')\n");
        git(checkout, "-c", "user.name=dev", "-c", "user.email=dev@example.com", "commit", "--quiet", "-am", "Retrain");
        git(checkout, "push", "--quiet", "origin", "main");
        git(checkout, "tag", "v1.3.0");
        sha = git(checkout, "rev-parse", "HEAD").strip();
        tag = "v1.3.0";
        run = "8";
        for (String folder : List.of("artifacts", "model-handoff")) {
            Files.writeString(checkout.resolve(folder + "/model.pt"), "weights of the next build");
            Files.writeString(checkout.resolve(folder + "/metrics.json"), "{\"accuracy\": 0.8}");
        }
        String challenger = "build-8-" + sha.substring(0, 7);
        assertSucceeds(run(platform, pipeline, Job.STAGING));
        Run gated = run(platform, pipeline, Job.RELEASE);
        assertThat(gated.status()).as(gated.output()).isNotZero();
        assertThat(gated.output()).contains("my-model " + challenger + " has accuracy 0.8, worse than " + champion
                + " in production (0.93; higher is better): it is not released");
        assertThat(CliRun.in(workspace, "anyone", "registry", "list", "--stage", "production").out()).contains(champion)
                .doesNotContain(challenger);
        assertThat(CliRun.in(workspace, "anyone", "registry", "requests", "--all").out()).doesNotContain(challenger);
    }

    private enum Job {
        STAGING, RELEASE, PRODUCTION;

        String name(Platform platform) {
            if (platform != Platform.JENKINS) {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
            return switch (this) {
                case STAGING -> "Register, promote to staging and deploy";
                case RELEASE -> "Check the tag and find its build";
                case PRODUCTION -> "Promote to production and deploy";
            };
        }
    }

    private record Run(int status, String output) {
    }

    private static void assertSucceeds(Run run) {
        assertThat(run.status()).as(run.output()).isZero();
    }

    private String pipeline(Platform platform, String... more) {
        List<String> assignments = new ArrayList<>(List.of("workspace=" + workspace,
                "staging_endpoint=" + endpoint.url("/ok"), "production_endpoint=" + endpoint.url("/ok")));
        assignments.addAll(List.of(more));
        CiParameters parameters = CiParameters.parse(assignments);
        return new CiTemplateGenerator().generate(platform, parameters);
    }

    /** What the platform itself defines for a job of a main-branch push or of the tag's pipeline. */
    private Map<String, String> platformVariables(Platform platform, boolean release) {
        Map<String, String> env = new LinkedHashMap<>();
        switch (platform) {
            case GITLAB -> {
                env.put("CI_COMMIT_SHA", sha);
                env.put(release ? "CI_COMMIT_TAG" : "CI_COMMIT_BRANCH", release ? tag : "main");
                env.put("CI_COMMIT_REF_PROTECTED", "true");
                env.put("CI_PIPELINE_IID", run);
                env.put("CI_PIPELINE_URL", "https://gitlab.example/team/fraud/-/pipelines/991");
                env.put("CI_PROJECT_DIR", checkout.toString());
                env.put("CI_JOB_ID", "55");
                env.put("GITLAB_USER_LOGIN", "alice");
            }
            case JENKINS -> {
                env.put("GIT_COMMIT", sha);
                env.put("BUILD_NUMBER", run);
                env.put("BUILD_URL", "https://jenkins.example/job/fraud/" + run + "/");
                env.put(release ? "TAG_NAME" : "BRANCH_NAME", release ? tag : "main");
                // What the approval stage hands on (env.RELEASE_APPROVER = APPROVER).
                env.put("RELEASE_APPROVER", "alice");
            }
            case AZURE -> {
                env.put("BUILD_SOURCEVERSION", sha);
                env.put("BUILD_BUILDID", run);
                env.put("BUILD_SOURCEBRANCH", release ? "refs/tags/" + tag : "refs/heads/main");
                env.put("SYSTEM_COLLECTIONURI", "https://dev.azure.com/team/");
                env.put("SYSTEM_TEAMPROJECT", "fraud");
                env.put("AGENT_TEMPDIRECTORY", dir.resolve("agent-temp").toString());
            }
            default -> throw new IllegalArgumentException(platform.toString());
        }
        return env;
    }

    /** Runs a job's shell steps as the platform would, stopping at the first that fails. */
    private Run run(Platform platform, String pipeline, Job job) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("HOME", dir.resolve("home").toString());
        Map<String, String> predefined = platformVariables(platform, job != Job.STAGING);
        env.putAll(predefined);
        PipelineScripts.variables(platform, pipeline).forEach((key, value) -> env.put(key, expand(value, predefined)));
        List<PipelineScripts.Step> steps = new ArrayList<>(PipelineScripts.steps(platform, pipeline, job.name(platform)));
        steps.removeIf(step -> step.script().contains("dpkg-deb"));
        assertThat(steps).as("steps of " + job).isNotEmpty();
        StringBuilder output = new StringBuilder();
        if (platform == Platform.GITLAB) {
            // GitLab's runner runs a job's script items in one shell.
            StringBuilder script = new StringBuilder();
            steps.forEach(step -> script.append(step.script()).append('\n'));
            steps.get(0).env().forEach((key, value) -> env.put(key, expand(value, predefined)));
            return execute(List.of("bash", "--noprofile", "--norc", "-eo", "pipefail"), script.toString(), env, output, job.name());
        }
        for (PipelineScripts.Step step : steps) {
            Map<String, String> stepEnv = new LinkedHashMap<>(env);
            step.env().forEach((key, value) -> stepEnv.put(key, expand(value, predefined)));
            List<String> shell = platform == Platform.JENKINS ? List.of("/bin/sh", "-e") : List.of("bash", "--noprofile", "--norc");
            Run ran = execute(shell, step.script(), stepEnv, output, step.name());
            if (ran.status() != 0) {
                return ran;
            }
            if (platform == Platform.AZURE) {
                for (String line : ran.output().split("\n")) {
                    Matcher set = SET_VARIABLE.matcher(line);
                    Matcher path = PREPEND_PATH.matcher(line);
                    if (set.matches()) {
                        env.put(set.group(1).toUpperCase(java.util.Locale.ROOT), set.group(2));
                    } else if (path.matches()) {
                        env.put("PATH", path.group(1) + ":" + env.get("PATH"));
                    }
                }
            }
        }
        return new Run(0, output.toString());
    }

    private Run execute(List<String> shell, String script, Map<String, String> env, StringBuilder log, String name)
            throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("step.sh"), script);
        List<String> command = new ArrayList<>(shell);
        command.add(file.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(checkout.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        log.append("## ").append(name).append('\n').append(printed);
        return new Run(status, status == 0 ? printed : log.toString());
    }

    /** $NAME and ${NAME} in a variable's value, as GitLab expands them from its own variables. */
    private static String expand(String value, Map<String, String> predefined) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            matcher.appendReplacement(out, Matcher.quoteReplacement(predefined.getOrDefault(name, matcher.group())));
        }
        return matcher.appendTail(out).toString();
    }

    private static String git(Path in, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("git " + String.join(" ", arguments) + ": " + printed);
        }
        return printed;
    }

    /** Each file's SHA-256 by its path under {@code root}, without the registry's own bookkeeping (.cache, .lock). */
    private static Map<String, String> digest(Path root) throws IOException, NoSuchAlgorithmException {
        Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path relative = root.relativize(file);
                boolean hidden = false;
                for (Path part : relative) {
                    hidden |= part.toString().startsWith(".");
                }
                if (!hidden) {
                    digests.put(relative.toString(), HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
                }
            }
        }
        return digests;
    }
}
