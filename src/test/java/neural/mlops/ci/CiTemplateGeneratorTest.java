package neural.mlops.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import neural.mlops.ci.JenkinsfileParser.Node;
import neural.mlops.store.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@SuppressWarnings("unchecked")
class CiTemplateGeneratorTest {

    private final CiTemplateGenerator generator = new CiTemplateGenerator();
    private final CiParameters defaults = CiParameters.defaults();

    // ---- GitHub Actions

    @Test
    void githubWorkflowTriggersOnTheMainBranchReleaseTagsAndPullRequests() {
        Map<String, Object> workflow = PipelineScripts.yaml(generator.generateGithubActions(defaults));
        Map<String, Object> on = map(workflow.containsKey("on") ? workflow.get("on") : workflow.get(Boolean.TRUE));
        assertThat(map(on.get("push")).get("branches")).isEqualTo(List.of("main"));
        assertThat(map(on.get("push")).get("tags")).isEqualTo(List.of("v*"));
        assertThat(map(on.get("pull_request")).get("branches")).isEqualTo(List.of("main"));
        assertThat(map(workflow.get("permissions"))).isEqualTo(Map.of("contents", "read"));
    }

    @Test
    void githubJobsBuildThenStageOnMainThenReleaseOnTagsBehindTheProductionEnvironment() {
        Map<String, Object> jobs = map(PipelineScripts.yaml(generator.generateGithubActions(defaults)).get("jobs"));
        assertThat(jobs.keySet()).containsExactly("build", "staging", "release", "production");

        Map<String, Object> build = map(jobs.get("build"));
        assertThat(stepNames(build)).containsSubsequence("Install", "Test", "Train", "Evaluate");
        assertThat(runOf(build, "Install")).isEqualTo("pip install -r requirements.txt\n");
        assertThat(runOf(build, "Test")).startsWith("python -m pytest\n");
        assertThat(runOf(build, "Train")).startsWith("python train.py\n");
        assertThat(runOf(build, "Evaluate")).startsWith("python evaluate.py\n").contains("\"$METRICS_FILE\"");

        Map<String, Object> staging = map(jobs.get("staging"));
        assertThat(staging.get("needs")).isEqualTo("build");
        assertThat((String) staging.get("if")).contains("github.ref == 'refs/heads/main'", "github.event_name == 'push'")
                .doesNotContain("refs/tags/");
        assertThat((String) map(jobs.get("build")).get("if")).isEqualTo("github.ref_type != 'tag'");
        assertThat(map(staging.get("environment"))).containsEntry("name", "staging")
                .containsEntry("url", "https://staging.example.com/predict");
        String stagingScripts = String.join("\n", runs(staging));
        assertThat(stagingScripts).contains("registry register", "--lineage-commit \"$COMMIT_SHA\" --lineage-run \"$RUN_URL\"",
                "--to staging", "deploy create", "deploy activate", "deploy check", "deploy rollback");
        assertThat(stagingScripts.indexOf("audit verify")).isLessThan(stagingScripts.indexOf("--to staging"));
        assertThat(stagingScripts.indexOf("registry verify")).isLessThan(stagingScripts.indexOf("--to staging"));

        Map<String, Object> release = map(jobs.get("release"));
        assertThat((String) release.get("if")).contains("startsWith(github.ref, 'refs/tags/')");
        assertThat(String.join("\n", runs(release))).contains("git merge-base --is-ancestor \"$COMMIT_SHA\"",
                "--lineage-commit \"$COMMIT_SHA\"", "registry request", "--if-needed").doesNotContain("registry register");

        Map<String, Object> production = map(jobs.get("production"));
        assertThat(production.get("needs")).isEqualTo("release");
        assertThat(map(production.get("environment"))).containsEntry("name", "production");
        String productionScripts = String.join("\n", runs(production));
        assertThat(productionScripts).contains("--to production", "audit verify", "registry verify", "deploy check")
                .doesNotContain("registry register", "python train.py");
        assertThat(productionScripts.indexOf("registry verify")).isLessThan(productionScripts.indexOf("registry promote"));
    }

    @Test
    void githubPublishesTheAuditTrailOfEachReleaseJobEvenWhenItFails() {
        Map<String, Object> jobs = map(PipelineScripts.yaml(generator.generateGithubActions(defaults)).get("jobs"));
        for (String job : List.of("staging", "production")) {
            Map<String, Object> upload = steps(map(jobs.get(job))).stream()
                    .filter(step -> String.valueOf(step.get("uses")).startsWith("actions/upload-artifact@")
                            && map(step.get("with")).get("name").equals("audit-trail-" + job + "-${{ github.run_attempt }}"))
                    .findFirst().orElseThrow();
            assertThat(upload.get("if")).isEqualTo("always()");
            assertThat(map(upload.get("with")).get("path")).isEqualTo("audit-trail/");
            assertThat(map(upload.get("with")).get("retention-days")).isEqualTo(30);
        }
    }

    @Test
    void githubNeverInterpolatesExpressionsIntoScripts() {
        for (CiParameters parameters : variants()) {
            String workflow = generator.generateGithubActions(parameters);
            for (String run : PipelineScripts.of(Platform.GITHUB, workflow)) {
                assertThat(run).doesNotContain("${{");
            }
        }
    }

    @Test
    void gitlabReleasesOnlyAProtectedTagOnACommitOfTheMainBranch() {
        Map<String, Object> pipeline = PipelineScripts.yaml(generator.generateGitlabCi(defaults));
        assertThat(map(pipeline.get("variables"))).containsEntry("GIT_DEPTH", "0").containsEntry("MAIN_BRANCH", "main");
        String production = String.join("\n", (List<String>) map(pipeline.get("release")).get("script"));
        assertThat(production).contains("if [ \"${CI_COMMIT_REF_PROTECTED:-}\" != true ]; then",
                "git merge-base --is-ancestor \"$COMMIT_SHA\" \"refs/remotes/origin/$MAIN_BRANCH\"");
        assertThat(production.indexOf("CI_COMMIT_REF_PROTECTED")).isLessThan(production.indexOf("git merge-base"));
    }

    @Test
    void azureApprovalNamesItsApproversAndWhomToNotifyAndNobodyApprovesTheirOwnRun() {
        CiParameters named = defaults.with("azure_approvers", "[Fraud]\\Release Approvers, carol@example.com")
                .with("azure_notify_users", "release-team@example.com");
        Map<String, Object> stage = maps(PipelineScripts.yaml(generator.generateAzurePipelines(named)).get("stages")).get(3);
        Map<String, Object> inputs = map(maps(maps(stage.get("jobs")).get(0).get("steps")).get(0).get("inputs"));
        assertThat(inputs).containsEntry("approvers", "[Fraud]\\Release Approvers, carol@example.com")
                .containsEntry("notifyUsers", "release-team@example.com")
                .containsEntry("allowApproversToApproveTheirOwnRuns", false).containsEntry("onTimeout", "reject");
        for (String hostile : List.of("$(System.AccessToken)", "alice\nbob", "'quoted'")) {
            assertThatThrownBy(() -> defaults.with("azure_approvers", hostile)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("azure_approvers");
        }
    }

    @Test
    void githubProductionAlwaysRunsInItsEnvironmentAndNamesTheApproverOnlyWhenGithubReportsOne() {
        for (String approval : List.of("true", "false")) {
            Map<String, Object> production = map(map(PipelineScripts.yaml(generator.generateGithubActions(
                    defaults.with("require_approval", approval))).get("jobs")).get("production"));
            assertThat(map(production.get("environment"))).containsEntry("name", "production");
            assertThat(map(production.get("permissions"))).containsEntry("actions", "read");
            String approver = runOf(production, "Find who approved the environment, if GitHub says");
            assertThat(approver).contains("/actions/runs/$GITHUB_RUN_ID/approvals", "note=\"approved by $approver in the",
                    "note=\"environment gate, approver not recorded by the platform\"");
            assertThat(runOf(production, "Promote to production, or say which approvals are missing"))
                    .contains("--reason \"Release $RELEASE_TAG of commit $COMMIT_SHA ($RUN_URL); $APPROVAL_NOTE\"");
        }
    }

    @Test
    void aRelativeWorkspaceTravelsFromStagingToProductionAndASharedOneIsUsedInPlace() {
        Map<String, Object> jobs = map(PipelineScripts.yaml(generator.generateGithubActions(defaults)).get("jobs"));
        assertThat(uses(map(jobs.get("staging")))).filteredOn(uses -> uses.startsWith("actions/upload-artifact@")).hasSize(2);
        for (String job : List.of("release", "production")) {
            Map<String, Object> download = steps(map(jobs.get(job))).stream()
                    .filter(step -> String.valueOf(step.get("uses")).startsWith("actions/download-artifact@")).findFirst()
                    .orElseThrow();
            // From the main branch's run that staged the tagged commit: the tag run trains nothing.
            assertThat(map(download.get("with"))).containsEntry("path", "mlops-workspace")
                    .containsEntry("run-id", "${{ steps.build-run.outputs.run_id }}");
        }

        Map<String, Object> shared = map(PipelineScripts.yaml(generator.generateGithubActions(
                defaults.with("workspace", "/srv/mlops"))).get("jobs"));
        assertThat(uses(map(shared.get("production")))).noneMatch(uses -> uses.startsWith("actions/download-artifact@"));
        assertThat(map(PipelineScripts.yaml(generator.generateGithubActions(defaults.with("workspace", "/srv/mlops")))
                .get("env"))).containsEntry("NEURAL_MLOPS_WORKSPACE", "/srv/mlops");
    }

    // ---- GitLab CI

    @Test
    void gitlabHasThreeStagesWithNeedsRulesAndAManualProductionJob() {
        Map<String, Object> pipeline = PipelineScripts.yaml(generator.generateGitlabCi(defaults));
        assertThat(pipeline.get("stages")).isEqualTo(List.of("build", "staging", "release", "production"));
        assertThat(map(pipeline.get("default")).get("image")).isEqualTo("python:3.11@sha256:c7220863385ee39fb6d822da81f4469d0cd33ff893d92ce94105e5c3f4b95fe2");
        assertThat(ifs(map(pipeline.get("workflow")).get("rules"))).containsExactly(
                "$CI_PIPELINE_SOURCE == \"merge_request_event\"", "$CI_COMMIT_BRANCH == \"main\"",
                "$CI_COMMIT_TAG =~ /^v.*$/");

        Map<String, Object> build = map(pipeline.get("build"));
        assertThat(build.get("stage")).isEqualTo("build");
        assertThat((List<Object>) build.get("script")).contains("pip install -r requirements.txt\n", "python -m pytest\n",
                "python train.py\n", "python evaluate.py\n");
        assertThat(map(build.get("artifacts")).get("paths")).isEqualTo(List.of("artifacts/model.pt", "artifacts/metrics.json"));

        Map<String, Object> staging = map(pipeline.get("staging"));
        assertThat(staging.get("needs")).isEqualTo(List.of("build"));
        // A tag trains and registers nothing: its release job promotes the build of its commit.
        assertThat(ifs(staging.get("rules"))).containsExactly("$CI_COMMIT_BRANCH == \"main\"");
        assertThat(map(((List<Object>) build.get("rules")).get(0))).containsEntry("if", "$CI_COMMIT_TAG")
                .containsEntry("when", "never");
        Map<String, Object> release = map(pipeline.get("release"));
        assertThat(release.get("needs")).isEqualTo(List.of());
        assertThat(ifs(release.get("rules"))).containsExactly("$CI_COMMIT_TAG =~ /^v.*$/");
        String releaseScript = String.join("\n", (List<String>) release.get("script"));
        assertThat(releaseScript).contains("--lineage-commit \"$COMMIT_SHA\"", "registry request", "--if-needed")
                .doesNotContain("registry register", "registry promote");
        assertThat(map(staging.get("environment"))).containsEntry("name", "staging");
        assertThat(map(staging.get("artifacts"))).containsEntry("when", "always");
        assertThat((List<Object>) map(staging.get("artifacts")).get("paths")).contains("audit-trail/", "mlops-workspace");

        Map<String, Object> production = map(pipeline.get("production"));
        assertThat(production.get("needs")).isEqualTo(List.of("release"));
        Map<String, Object> rule = map(((List<Object>) production.get("rules")).get(0));
        assertThat(rule).containsEntry("if", "$CI_COMMIT_TAG =~ /^v.*$/").containsEntry("when", "manual");
        assertThat(map(production.get("environment"))).containsEntry("name", "production")
                .containsEntry("url", "https://models.example.com/predict");
        assertThat(String.join("\n", PipelineScripts.of(Platform.GITLAB, generator.generateGitlabCi(defaults))))
                .contains("--to production", "audit verify");
    }

    @Test
    void gitlabWithoutApprovalReleasesAutomatically() {
        Map<String, Object> production = map(PipelineScripts.yaml(generator.generateGitlabCi(
                defaults.with("require_approval", "false"))).get("production"));
        assertThat(map(((List<Object>) production.get("rules")).get(0))).doesNotContainKey("when");
    }

    @Test
    void gitlabTurnsTheTagGlobIntoAnAnchoredRegex() {
        Map<String, Object> pipeline = PipelineScripts.yaml(generator.generateGitlabCi(
                defaults.with("release_tag_pattern", "release-*.*").with("main_branch", "release/2024")));
        assertThat(ifs(map(pipeline.get("workflow")).get("rules"))).contains(
                "$CI_COMMIT_TAG =~ /^release-.*\\..*$/", "$CI_COMMIT_BRANCH == \"release/2024\"");
    }

    // ---- Jenkins

    @Test
    void deploymentsToAnEnvironmentAreSerialisedOnEveryPlatformAndNeverCancelled() {
        Map<String, Object> jobs = map(PipelineScripts.yaml(generator.generateGithubActions(defaults)).get("jobs"));
        assertThat(map(map(jobs.get("staging")).get("concurrency")))
                .containsEntry("group", "staging").containsEntry("cancel-in-progress", false);
        assertThat(map(map(jobs.get("production")).get("concurrency")))
                .containsEntry("group", "production").containsEntry("cancel-in-progress", false);

        Map<String, Object> gitlab = PipelineScripts.yaml(generator.generate(Platform.GITLAB, defaults));
        assertThat(map(gitlab.get("staging"))).containsEntry("resource_group", "staging");
        assertThat(map(gitlab.get("production"))).containsEntry("resource_group", "production");

        List<Map<String, Object>> stages = maps(PipelineScripts.yaml(generator.generateAzurePipelines(defaults)).get("stages"));
        assertThat(stages).filteredOn(stage -> List.of("staging", "production").contains(stage.get("stage")))
                .extracting(stage -> stage.get("lockBehavior")).containsExactly("sequential", "sequential");

        Node pipeline = JenkinsfileParser.parse(generator.generateJenkins(defaults)).get(0);
        assertThat(pipeline.child("options").orElseThrow().children()).extracting(Node::name)
                .contains("disableConcurrentBuilds");
    }

    @Test
    void jenkinsfileIsADeclarativePipelineWithStagesStepsAndAnInputGate() {
        String text = generator.generateJenkins(defaults);
        List<Node> top = JenkinsfileParser.parse(text);
        assertThat(top).extracting(Node::name).containsExactly("pipeline");
        Node pipeline = top.get(0);
        assertThat(pipeline.block()).isTrue();
        Node agent = pipeline.child("agent").orElseThrow();
        // No agent for the whole pipeline: the approval waits without holding an executor.
        assertThat(agent.headText()).isEqualTo("agent none");
        Node stages = pipeline.child("stages").orElseThrow();
        assertThat(stages.children()).extracting(stage -> stage.strings().get(0)).containsExactly(
                "Build and stage", "Check the tag and find its build", "Approve the release", "Promote to production and deploy");
        Node build = stages.children().get(0);
        assertThat(build.child("when").orElseThrow().child("not").orElseThrow().child("buildingTag")).isPresent();
        assertThat(build.child("agent").orElseThrow().child("docker").orElseThrow().child("image").orElseThrow().strings())
                .containsExactly("python:3.11@sha256:c7220863385ee39fb6d822da81f4469d0cd33ff893d92ce94105e5c3f4b95fe2");
        assertThat(build.child("stages").orElseThrow().children()).extracting(stage -> stage.strings().get(0)).containsExactly(
                "Install", "Test", "Train", "Evaluate", "Register, promote to staging and deploy");
        Node staging = jenkinsStage(text, "Register, promote to staging and deploy");
        assertThat(staging.child("when").orElseThrow().child("branch").orElseThrow().strings()).containsExactly("main");

        Node release = jenkinsStage(text, "Check the tag and find its build");
        assertThat(release.child("when").orElseThrow().child("tag").orElseThrow().strings()).containsExactly("v*", "GLOB");
        Node approval = jenkinsStage(text, "Approve the release");
        assertThat(approval.child("agent").orElseThrow().headText()).isEqualTo("agent none");
        assertThat(approval.child("when").orElseThrow().child("beforeInput")).isPresent();
        assertThat(approval.child("options").orElseThrow().child("timeout").orElseThrow().headText()).contains("3", "'DAYS'");
        Node input = approval.child("input").orElseThrow();
        assertThat(input.block()).isTrue();
        assertThat(input.child("message").orElseThrow().strings()).containsExactly("Promote my-model to production and deploy it?");
        assertThat(input.child("submitterParameter").orElseThrow().strings()).containsExactly("APPROVER");
        assertThat(input.child("submitter")).isEmpty();
        Node named = jenkinsStage(generator.generateJenkins(defaults.with("jenkins_submitter", "alice, release-managers")),
                "Approve the release").child("input").orElseThrow();
        assertThat(named.child("submitter").orElseThrow().strings()).containsExactly("alice, release-managers");

        Node production = jenkinsStage(text, "Promote to production and deploy");
        assertThat(production.child("when").orElseThrow().child("tag").orElseThrow().strings()).containsExactly("v*", "GLOB");
        assertThat(production.child("agent").orElseThrow().child("docker")).isPresent();
        String scripts = String.join("\n", JenkinsfileParser.shellScripts(text));
        assertThat(scripts).contains("git merge-base --is-ancestor", "--lineage-commit \"$COMMIT_SHA\" --lineage-run \"$RUN_URL\"",
                "registry request", "approved by $RELEASE_APPROVER in Jenkins", "deploy check", "deploy rollback");

        for (String name : List.of("Build and stage", "Check the tag and find its build", "Promote to production and deploy")) {
            Node always = jenkinsStage(text, name).child("post").orElseThrow().child("always").orElseThrow();
            assertThat(always.child("archiveArtifacts").orElseThrow().strings()).contains("audit-trail/**");
            assertThat(always.children()).extracting(Node::name).last().isEqualTo("cleanWs");
        }
    }

    @Test
    void jenkinsEnvironmentHoldsEveryValueAsAnUninterpolatedString() {
        CiParameters parameters = defaults.with("model_name", "fraud_detector").with("workspace", "/srv/mlops");
        Node pipeline = JenkinsfileParser.parse(generator.generateJenkins(parameters)).get(0);
        Node environment = pipeline.child("environment").orElseThrow();
        assertThat(environment.child("MODEL_NAME").orElseThrow().strings()).containsExactly("fraud_detector");
        assertThat(environment.child("NEURAL_MLOPS_WORKSPACE").orElseThrow().strings()).containsExactly("/srv/mlops");
        assertThat(environment.child("NEURAL_MLOPS_URL").orElseThrow().strings()).containsExactly(parameters.resolvedToolUrl());
        assertThat(pipeline.child("stages").orElseThrow().children("stage")).filteredOn(stage -> stage.child("agent")
                .flatMap(agent -> agent.child("docker")).isPresent()).hasSize(3).allSatisfy(stage -> assertThat(stage
                .child("agent").orElseThrow().child("docker").orElseThrow().child("args").orElseThrow().strings())
                .containsExactly("-v /srv/mlops:/srv/mlops"));
        assertThat(JenkinsfileParser.strings(generator.generateJenkins(parameters)))
                .allSatisfy(token -> assertThat(token.quote()).doesNotContain("\""));
    }

    @Test
    void jenkinsWithoutApprovalHasNoInput() {
        String text = generator.generateJenkins(defaults.with("require_approval", "false"));
        assertThat(JenkinsfileParser.parse(text).get(0).child("stages").orElseThrow().children())
                .extracting(stage -> stage.strings().get(0)).doesNotContain("Approve the release");
        assertThat(text).doesNotContain("APPROVER", "input {");
    }

    @Test
    void theJenkinsParserRefusesBrokenFiles() {
        assertThatThrownBy(() -> JenkinsfileParser.parse("pipeline {\n stages {\n }\n")).hasMessageContaining("not closed");
        assertThatThrownBy(() -> JenkinsfileParser.parse("pipeline {\n sh 'x\n}\n")).hasMessageContaining("Unterminated");
        assertThatThrownBy(() -> JenkinsfileParser.parse("}\n")).hasMessageContaining("Unexpected");
        assertThatThrownBy(() -> JenkinsfileParser.parse("a(b {\n}\n)")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- Azure Pipelines

    @Test
    void azureHasTriggersStagesADeploymentJobPerEnvironmentAndAnApprovalBeforeProduction() {
        Map<String, Object> pipeline = PipelineScripts.yaml(generator.generateAzurePipelines(defaults));
        Map<String, Object> trigger = map(pipeline.get("trigger"));
        assertThat(map(trigger.get("branches")).get("include")).isEqualTo(List.of("main"));
        assertThat(map(trigger.get("tags")).get("include")).isEqualTo(List.of("v*"));
        assertThat(map(map(pipeline.get("pr")).get("branches")).get("include")).isEqualTo(List.of("main"));
        assertThat(map(pipeline.get("variables"))).containsEntry("MODEL_NAME", "my-model");

        List<Map<String, Object>> stages = maps(pipeline.get("stages"));
        assertThat(stages).extracting(stage -> stage.get("stage")).containsExactly("build", "staging", "release", "production");
        assertThat((String) stages.get(0).get("condition")).contains("not(startsWith(variables['Build.SourceBranch'], 'refs/tags/'))");
        assertThat(stages.get(1).get("dependsOn")).isEqualTo("build");
        assertThat((String) stages.get(1).get("condition")).contains("eq(variables['Build.SourceBranch'], 'refs/heads/main')",
                "ne(variables['Build.Reason'], 'PullRequest')");
        assertThat(stages.get(2).get("dependsOn")).isEqualTo(List.of());
        Map<String, Object> releaseJob = maps(stages.get(2).get("jobs")).get(0);
        assertThat(maps(releaseJob.get("steps")).get(0)).containsEntry("checkout", "self").containsEntry("fetchDepth", 0)
                .containsEntry("persistCredentials", false);
        assertThat(maps(releaseJob.get("steps")).stream().map(CiTemplateGeneratorTest::azureScript).toList())
                .anySatisfy(script -> assertThat(script).contains("git merge-base --is-ancestor"))
                .anySatisfy(script -> assertThat(script).contains("--lineage-commit \"$COMMIT_SHA\""))
                .anySatisfy(script -> assertThat(script).contains("registry request", "--if-needed"))
                .noneSatisfy(script -> assertThat(script).contains("registry register"));
        stages = List.of(stages.get(0), stages.get(1), stages.get(3));
        assertThat(stages.get(2).get("dependsOn")).isEqualTo("release");
        assertThat((String) stages.get(2).get("condition")).contains("startsWith(variables['Build.SourceBranch'], 'refs/tags/')");

        Map<String, Object> stagingJob = maps(stages.get(1).get("jobs")).get(0);
        assertThat(stagingJob).containsEntry("deployment", "staging").containsEntry("environment", "staging");

        List<Map<String, Object>> productionJobs = maps(stages.get(2).get("jobs"));
        assertThat(productionJobs.get(0)).containsEntry("job", "approve").containsEntry("pool", "server");
        assertThat(maps(productionJobs.get(0).get("steps")).get(0)).containsEntry("task", "ManualValidation@1");
        assertThat(map(maps(productionJobs.get(0).get("steps")).get(0).get("inputs")))
                .containsEntry("allowApproversToApproveTheirOwnRuns", false).containsEntry("onTimeout", "reject")
                .containsEntry("approvers", "").containsEntry("notifyUsers", "");
        assertThat(productionJobs.get(1)).containsEntry("deployment", "production").containsEntry("environment", "production")
                .containsEntry("dependsOn", "approve");

        List<Map<String, Object>> productionSteps = maps(map(map(map(productionJobs.get(1).get("strategy")).get("runOnce"))
                .get("deploy")).get("steps"));
        Map<String, Object> publish = productionSteps.get(productionSteps.size() - 1);
        assertThat(publish).containsEntry("task", "PublishPipelineArtifact@1").containsEntry("condition", "always()");
        assertThat(map(publish.get("inputs"))).containsEntry("artifact", "audit-trail-production-$(System.JobAttempt)");
    }

    @Test
    void azureWithoutApprovalHasNoValidationJob() {
        Map<String, Object> pipeline = PipelineScripts.yaml(generator.generateAzurePipelines(defaults.with("require_approval", "false")));
        List<Map<String, Object>> productionJobs = maps(maps(pipeline.get("stages")).get(3).get("jobs"));
        assertThat(productionJobs).hasSize(1);
        assertThat(productionJobs.get(0)).containsEntry("deployment", "production").doesNotContainKey("dependsOn");
    }

    // ---- every platform

    @ParameterizedTest
    @EnumSource(Platform.class)
    void everyPipelineRunsEachStepOfTheReleaseAndKeepsTheAuditTrail(Platform platform) {
        for (CiParameters parameters : variants()) {
            String pipeline = generator.generate(platform, parameters);
            String scripts = String.join("\n", PipelineScripts.of(platform, pipeline));
            assertThat(scripts).contains(parameters.get("install_command"), parameters.get("test_command"),
                    parameters.get("train_command"), parameters.get("evaluate_command"),
                    "registry register", "--metrics-file", "registry promote", "--to staging", "--to production",
                    "deploy create", "deploy activate", "audit verify", "audit_logs", "dpkg-deb -x", "--version");
            assertThat(pipeline).contains("audit-trail");
        }
    }

    @ParameterizedTest
    @EnumSource(Platform.class)
    void everyPipelineIsWellFormedForEveryCombinationOfOptions(Platform platform) {
        for (CiParameters parameters : variants()) {
            String pipeline = generator.generate(platform, parameters);
            if (platform.yaml()) {
                assertThat(PipelineScripts.yaml(pipeline)).isNotEmpty();
            } else {
                assertThat(JenkinsfileParser.parse(pipeline)).hasSize(1);
            }
            assertThat(pipeline).doesNotContain("<%", "%>").endsWith("\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Platform.class)
    void commandsWithQuotesAndShellSyntaxReachTheScriptExactlyAsWritten(Platform platform) {
        String tricky = "python train.py --note \"it's \\\"quoted\\\"\" --glob '*.csv' $(date) `id` # x: y '''";
        CiParameters parameters = defaults.with("train_command", tricky);
        String pipeline = generator.generate(platform, parameters);
        assertThat(PipelineScripts.of(platform, pipeline)).anySatisfy(script ->
                assertThat(script.lines().map(String::strip).toList()).contains(tricky));
        if (platform.yaml()) {
            assertThat(PipelineScripts.yaml(pipeline).keySet()).isEqualTo(
                    PipelineScripts.yaml(generator.generate(platform, defaults)).keySet());
        } else {
            assertThat(JenkinsfileParser.parse(pipeline).get(0).child("stages").orElseThrow().children()).hasSize(4);
        }
    }

    @ParameterizedTest
    @EnumSource(Platform.class)
    void theModelVersionIsTheTagOnReleaseAndTheRunAndCommitOtherwiseByTheNameRule(Platform platform) {
        String scripts = String.join("\n", PipelineScripts.of(platform, generator.generate(platform, defaults)));
        assertThat(scripts).contains("MODEL_VERSION=\"build-$", "$RELEASE_TAG_PATTERN)");
        if (platform != Platform.GITHUB) {
            assertThat(scripts).contains("[!A-Za-z0-9]* | *[!A-Za-z0-9._-]* | *.)");
        }
    }

    @ParameterizedTest
    @EnumSource(Platform.class)
    void theToolIsPinnedAndItsVersionChecked(Platform platform) {
        CiParameters parameters = defaults.with("tool_version", "2.3.4").with("tool_sha256", "AB".repeat(32));
        String pipeline = generator.generate(platform, parameters);
        assertThat(pipeline).contains("releases/download/v2.3.4/neural-mlops_2.3.4-1_amd64.deb", "ab".repeat(32), "2.3.4");
        assertThat(String.join("\n", PipelineScripts.of(platform, pipeline)))
                .contains("sha256sum -c -", "!= \"neural-mlops $NEURAL_MLOPS_VERSION\"");
    }

    @ParameterizedTest
    @EnumSource(Platform.class)
    void inconsistentParametersAreRefusedBeforeAnythingIsRendered(Platform platform) {
        CiParameters clash = defaults.with("production_environment", "staging");
        assertThatThrownBy(() -> generator.generate(platform, clash)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("production_environment");
    }

    @Test
    void theTemplatesAreTheResourcesNamedAsInTheOriginal() {
        assertThat(Platform.GITHUB.templateName()).isEqualTo("ci_templates/github_actions.yml");
        assertThat(Platform.GITLAB.templateName()).isEqualTo("ci_templates/gitlab_ci.yml");
        assertThat(Platform.JENKINS.templateName()).isEqualTo("ci_templates/Jenkinsfile");
        assertThat(Platform.AZURE.templateName()).isEqualTo("ci_templates/azure_pipelines.yml");
        for (Platform platform : Platform.values()) {
            assertThat(CiTemplateGenerator.class.getResource("/neural/mlops/ci/" + platform.templateName())).isNotNull();
        }
        assertThat(Platform.GITHUB.conventionalPath()).isEqualTo(Path.of(".github/workflows/mlops.yml"));
        assertThat(Platform.GITLAB.conventionalPath()).isEqualTo(Path.of(".gitlab-ci.yml"));
        assertThat(Platform.JENKINS.conventionalPath()).isEqualTo(Path.of("Jenkinsfile"));
        assertThat(Platform.AZURE.conventionalPath()).isEqualTo(Path.of("azure-pipelines.yml"));
        assertThat(Platform.parse("GitHub")).isEqualTo(Platform.GITHUB);
        assertThatThrownBy(() -> Platform.parse("travis")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("github, gitlab, jenkins, azure");
    }

    @Test
    void theSameParametersAlwaysGiveTheSameFile() {
        for (Platform platform : Platform.values()) {
            assertThat(generator.generate(platform, defaults)).isEqualTo(new CiTemplateGenerator().generate(platform, defaults));
        }
    }

    @Test
    void savingCreatesTheFoldersAndReplacesTheFileAtomically(@TempDir Path repo) throws Exception {
        Path target = repo.resolve(Platform.GITHUB.conventionalPath());
        String first = generator.generateGithubActions(defaults);
        assertThat(generator.saveTemplate(first, target)).isEqualTo(target);
        assertThat(Files.readString(target, StandardCharsets.UTF_8)).isEqualTo(first);
        String second = generator.generateGithubActions(defaults.with("model_name", "other"));
        generator.saveTemplate(second, target);
        assertThat(Files.readString(target, StandardCharsets.UTF_8)).isEqualTo(second);
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void theApiDocumentationExampleRuns(@TempDir Path repo) throws Exception {
        // docs/api.md, neural.mlops.ci, with the paths under a temporary repository.
        CiParameters parameters = CiParameters.defaults()
                .with(CiParameters.MODEL_NAME, "fraud_detector")
                .with(CiParameters.PYTHON_VERSION, "3.10")
                .with(CiParameters.PYTHON_IMAGE, "python:3.10@sha256:c4015e4e509b1aae50f742d32798ab65b8d08863305f61da5a0b0072d0070348")
                .with(CiParameters.REQUIRE_APPROVAL, "true");
        CiTemplateGenerator generator = new CiTemplateGenerator();
        String github = generator.generateGithubActions(parameters);
        generator.saveTemplate(github, repo.resolve(".github/workflows/ml-pipeline.yml"));
        String gitlab = generator.generateGitlabCi(parameters);
        String jenkins = generator.generateJenkins(parameters);
        String azure = generator.generateAzurePipelines(parameters);
        Platform platform = Platform.parse("gitlab");
        generator.saveTemplate(generator.generate(platform, parameters), repo.resolve(platform.conventionalPath()));

        assertThat(Files.readString(repo.resolve(".github/workflows/ml-pipeline.yml"))).isEqualTo(github).contains("fraud_detector");
        assertThat(Files.readString(repo.resolve(".gitlab-ci.yml"))).isEqualTo(gitlab).contains("python:3.10@sha256:");
        assertThat(jenkins).contains("pipeline {");
        assertThat(azure).contains("ManualValidation@1");
    }

    // ---- a workspace in a bucket, secrets and the supply chain

    @Test
    void everyActionIsPinnedToAFullCommitShaWithItsVersionInAComment() {
        for (CiParameters parameters : variants()) {
            String workflow = generator.generateGithubActions(parameters);
            List<String> usesLines = workflow.lines().filter(line -> line.strip().matches("(- )?uses: .*")).toList();
            assertThat(usesLines).isNotEmpty().allSatisfy(line -> assertThat(line.strip())
                    .matches("(- )?uses: [A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+@[0-9a-f]{40} # v[0-9]+\\.[0-9]+\\.[0-9]+"));
            for (Object job : map(PipelineScripts.yaml(workflow).get("jobs")).values()) {
                assertThat(uses(map(job))).allSatisfy(uses -> assertThat(uses).matches(".+@[0-9a-f]{40}"));
            }
        }
    }

    @Test
    void githubChecksOutWithoutKeepingTheTokenAndCachesPipDownloads() {
        Map<String, Object> build = map(map(PipelineScripts.yaml(generator.generateGithubActions(
                defaults.with("dependency_file", "requirements/ci.txt"))).get("jobs")).get("build"));
        Map<String, Object> checkout = steps(build).stream()
                .filter(step -> String.valueOf(step.get("uses")).startsWith("actions/checkout@")).findFirst().orElseThrow();
        assertThat(map(checkout.get("with"))).containsEntry("persist-credentials", false);
        Map<String, Object> python = steps(build).stream()
                .filter(step -> String.valueOf(step.get("uses")).startsWith("actions/setup-python@")).findFirst().orElseThrow();
        assertThat(map(python.get("with"))).containsEntry("cache", "pip").containsEntry("cache-dependency-path", "requirements/ci.txt");
    }

    @Test
    void aTestReportIsPublishedOnEveryPlatformEvenWhenATestFailsAndOnlyWhenOneIsNamed() {
        CiParameters reporting = defaults.with("test_report", "reports/junit.xml");

        List<Map<String, Object>> githubSteps = steps(map(map(PipelineScripts.yaml(
                generator.generateGithubActions(reporting)).get("jobs")).get("build")));
        Map<String, Object> upload = githubSteps.stream()
                .filter(step -> map(step.getOrDefault("with", Map.of())).getOrDefault("name", "").toString()
                        .startsWith("test-report-")).findFirst().orElseThrow();
        assertThat(upload).containsEntry("if", "${{ !cancelled() }}");
        assertThat(map(upload.get("with"))).containsEntry("path", "reports/junit.xml");

        Map<String, Object> gitlabArtifacts = map(map(PipelineScripts.yaml(generator.generateGitlabCi(reporting))
                .get("build")).get("artifacts"));
        assertThat(gitlabArtifacts).containsEntry("when", "always");
        assertThat(map(gitlabArtifacts.get("reports"))).containsEntry("junit", "reports/junit.xml");

        Map<String, Object> azureBuild = maps(maps(PipelineScripts.yaml(generator.generateAzurePipelines(reporting))
                .get("stages")).get(0).get("jobs")).get(0);
        Map<String, Object> publish = maps(azureBuild.get("steps")).stream()
                .filter(step -> "PublishTestResults@2".equals(step.get("task"))).findFirst().orElseThrow();
        assertThat(publish).containsEntry("condition", "succeededOrFailed()");
        assertThat(map(publish.get("inputs"))).containsEntry("testResultsFormat", "JUnit")
                .containsEntry("testResultsFiles", "reports/junit.xml");

        assertThat(generator.generateJenkins(reporting))
                .contains("always {", "junit testResults: 'reports/junit.xml', allowEmptyResults: true");

        assertThat(generator.generateGithubActions(defaults)).doesNotContain("test-report-");
        assertThat(generator.generateGitlabCi(defaults)).doesNotContain("junit:");
        assertThat(generator.generateAzurePipelines(defaults)).doesNotContain("PublishTestResults");
        assertThat(generator.generateJenkins(defaults)).doesNotContain("junit ");
    }

    @ParameterizedTest
    @EnumSource(Platform.class)
    void theToolIsInstalledOnlyWhenItsSha256IsGivenAndMatches(Platform platform) {
        String scripts = String.join("\n", PipelineScripts.of(platform, generator.generate(platform, defaults)));
        assertThat(scripts).contains("if [ -z \"${NEURAL_MLOPS_SHA256:-}\" ]; then", "--set tool_sha256=", "exit 1")
                .doesNotContain("if [ -n \"${NEURAL_MLOPS_SHA256:-}\" ]");
    }

    @Test
    void theContainerImagesArePinnedByDigest() {
        String image = defaults.get("python_image");
        assertThat(image).matches("python:3\\.11@sha256:[0-9a-f]{64}");
        assertThat(map(PipelineScripts.yaml(generator.generateGitlabCi(defaults)).get("default"))).containsEntry("image", image);
        Node docker = jenkinsStage(generator.generateJenkins(defaults), "Build and stage").child("agent").orElseThrow()
                .child("docker").orElseThrow();
        assertThat(docker.child("image").orElseThrow().strings()).containsExactly(image);
    }

    @Test
    void theAuditKeyComesFromEachPlatformsSecretStoreIntoTheReleaseJobsOnly() {
        for (CiParameters parameters : variants()) {
            Map<String, Object> github = PipelineScripts.yaml(generator.generateGithubActions(parameters));
            assertThat(map(github.get("env"))).doesNotContainKey("NEURAL_MLOPS_AUDIT_KEY");
            Map<String, Object> jobs = map(github.get("jobs"));
            assertThat(map(jobs.get("build"))).doesNotContainKey("env");
            for (String job : List.of("staging", "production")) {
                assertThat(map(map(jobs.get(job)).get("env")))
                        .containsEntry("NEURAL_MLOPS_AUDIT_KEY", "${{ secrets.NEURAL_MLOPS_AUDIT_KEY }}");
            }

            Map<String, Object> gitlab = PipelineScripts.yaml(generator.generateGitlabCi(parameters));
            assertThat(map(gitlab.get("variables"))).doesNotContainKey("NEURAL_MLOPS_AUDIT_KEY");
            assertThat((List<Object>) map(gitlab.get("build")).get("before_script")).contains("unset NEURAL_MLOPS_AUDIT_KEY");

            List<Map<String, Object>> azureStages = maps(PipelineScripts.yaml(generator.generateAzurePipelines(parameters)).get("stages"));
            for (Map<String, Object> stage : azureStages.subList(1, 4)) {
                List<Map<String, Object>> azureSteps = azureWorkSteps(stage);
                assertThat(azureSteps).filteredOn(step -> azureScript(step).contains("--workspace \"$NEURAL_MLOPS_WORKSPACE\""))
                        .isNotEmpty().allSatisfy(step -> {
                            assertThat(map(step.get("env"))).containsEntry("NEURAL_MLOPS_AUDIT_KEY", "$(NEURAL_MLOPS_AUDIT_KEY)");
                            // An undefined secret arrives as the macro's own text, which must never be taken for a key.
                            assertThat(azureScript(step)).startsWith(
                                    "case \"${NEURAL_MLOPS_AUDIT_KEY:-}\" in '$('*) unset NEURAL_MLOPS_AUDIT_KEY ;; esac\n");
                        });
            }

            String jenkins = generator.generateJenkins(parameters);
            assertThat(jenkins).contains("string(credentialsId: 'neural-mlops-audit-key', variable: 'NEURAL_MLOPS_AUDIT_KEY')");
            assertThat(jenkins.split("withCredentials\\(", -1)).hasSize(parameters.remoteWorkspace() ? 7 : 4);
        }
        for (Platform platform : Platform.values()) {
            for (String script : PipelineScripts.of(platform, generator.generate(platform, defaults))) {
                assertThat(script).doesNotContain("set -x").doesNotContainPattern("echo[^\n]*NEURAL_MLOPS_AUDIT_KEY");
            }
        }
    }

    @Test
    void githubReachesABucketWithOidcAndHandsNoWorkspaceAround() {
        CiParameters bucket = defaults.with("workspace", "s3://team-bucket/mlops").with("aws_role_arn", ROLE)
                .with("aws_region", "eu-west-1");
        Map<String, Object> workflow = PipelineScripts.yaml(generator.generateGithubActions(bucket));
        assertThat(map(workflow.get("env"))).containsEntry("NEURAL_MLOPS_WORKSPACE", "s3://team-bucket/mlops");
        Map<String, Object> jobs = map(workflow.get("jobs"));
        assertThat(map(jobs.get("build"))).doesNotContainKey("permissions");
        for (String name : List.of("staging", "production")) {
            Map<String, Object> job = map(jobs.get(name));
            assertThat(map(job.get("permissions"))).containsEntry("id-token", "write").containsEntry("contents", "read");
            Map<String, Object> credentials = steps(job).stream()
                    .filter(step -> String.valueOf(step.get("uses")).startsWith("aws-actions/configure-aws-credentials@"))
                    .findFirst().orElseThrow();
            assertThat(map(credentials.get("with"))).containsEntry("role-to-assume", ROLE).containsEntry("aws-region", "eu-west-1");
            // The SDK refuses an empty endpoint variable, so it is exported only when the repository sets it.
            assertThat(map(job.get("env"))).doesNotContainKey("AWS_ENDPOINT_URL_S3");
            Map<String, Object> endpoint = steps(job).stream()
                    .filter(step -> String.valueOf(step.get("run")).contains("AWS_ENDPOINT_URL_S3=")).findFirst().orElseThrow();
            assertThat(map(endpoint.get("env"))).containsEntry("ENDPOINT_URL_S3", "${{ vars.AWS_ENDPOINT_URL_S3 }}");
            assertThat((String) endpoint.get("run")).contains("if [ -n \"$ENDPOINT_URL_S3\" ]; then", ">> \"$GITHUB_ENV\"");
            assertThat(steps(job)).noneMatch(step -> String.valueOf(step.get("with")).contains("neural-mlops-workspace"));
            assertThat(String.join("\n", runs(job))).doesNotContain("mkdir -p \"$NEURAL_MLOPS_WORKSPACE\"", "audit_logs/.")
                    .contains("audit export");
        }
        assertThat(generator.generateGithubActions(defaults)).doesNotContain("id-token", "configure-aws-credentials", "AWS_");
    }

    @Test
    void gitlabReachesABucketWithAnIdTokenFileAndHandsNoWorkspaceAround() {
        CiParameters bucket = defaults.with("workspace", "s3://team-bucket/mlops").with("aws_role_arn", ROLE);
        Map<String, Object> pipeline = PipelineScripts.yaml(generator.generateGitlabCi(bucket));
        assertThat(map(pipeline.get("build"))).doesNotContainKey("id_tokens");
        for (String name : List.of("staging", "production")) {
            Map<String, Object> job = map(pipeline.get(name));
            assertThat(map(map(job.get("id_tokens")).get("AWS_ID_TOKEN"))).containsEntry("aud", "sts.amazonaws.com");
            assertThat(map(job.get("variables"))).containsEntry("AWS_ROLE_ARN", ROLE).containsEntry("AWS_REGION", "us-east-1")
                    .containsKey("AWS_WEB_IDENTITY_TOKEN_FILE");
            assertThat(String.join("\n", (List<String>) job.get("before_script")))
                    .contains("\"$AWS_ID_TOKEN\" > \"$AWS_WEB_IDENTITY_TOKEN_FILE\"", "umask 077");
            assertThat((List<Object>) map(job.get("artifacts")).get("paths")).containsExactly("audit-trail/");
            assertThat(String.join("\n", (List<String>) job.get("script"))).doesNotContain("mkdir -p \"$NEURAL_MLOPS_WORKSPACE\"");
        }
        assertThat(generator.generateGitlabCi(defaults)).doesNotContain("id_tokens", "AWS_");
    }

    @Test
    void azureRunsEveryWorkspaceStepWithTheAwsServiceConnectionAndHandsNoWorkspaceAround() {
        CiParameters bucket = defaults.with("workspace", "s3://team-bucket/mlops").with("azure_aws_connection", "aws-ml");
        String text = generator.generateAzurePipelines(bucket);
        assertThat(text).doesNotContain("neural-mlops-workspace");
        List<Map<String, Object>> stages = maps(PipelineScripts.yaml(text).get("stages"));
        for (Map<String, Object> stage : stages.subList(1, 4)) {
            List<Map<String, Object>> azureSteps = azureWorkSteps(stage);
            List<Map<String, Object>> workspaceSteps = azureSteps.stream()
                    .filter(step -> azureScript(step).contains("--workspace \"$NEURAL_MLOPS_WORKSPACE\"")).toList();
            assertThat(workspaceSteps).isNotEmpty().allSatisfy(step -> {
                assertThat(step).containsEntry("task", "AWSShellScript@1").doesNotContainKey("script");
                assertThat(map(step.get("inputs"))).containsEntry("awsCredentials", "aws-ml")
                        .containsEntry("regionName", "us-east-1").containsEntry("scriptType", "inline");
            });
        }
        assertThat(generator.generateAzurePipelines(defaults)).doesNotContain("AWSShellScript", "awsCredentials");
    }

    @Test
    void jenkinsBindsTheAccessKeyCredentialOrUsesTheAgentsOwnRole() {
        CiParameters bucket = defaults.with("workspace", "s3://team-bucket/mlops").with("jenkins_aws_credentials", "aws-ml");
        String withKeys = generator.generateJenkins(bucket);
        Node pipeline = JenkinsfileParser.parse(withKeys).get(0);
        assertThat(pipeline.child("environment").orElseThrow().child("AWS_REGION").orElseThrow().strings())
                .containsExactly("us-east-1");
        assertThat(jenkinsStage(withKeys, "Build and stage").child("agent").orElseThrow().child("docker").orElseThrow()
                .child("args")).isEmpty();
        assertThat(withKeys).contains("usernamePassword(credentialsId: 'aws-ml', usernameVariable: 'AWS_ACCESS_KEY_ID', "
                + "passwordVariable: 'AWS_SECRET_ACCESS_KEY')");
        assertThat(String.join("\n", JenkinsfileParser.shellScripts(withKeys)))
                .doesNotContain("mkdir -p \"$NEURAL_MLOPS_WORKSPACE\"").contains("audit export");

        String agentRole = generator.generateJenkins(bucket.with("jenkins_aws_credentials", ""));
        assertThat(JenkinsfileParser.parse(agentRole)).hasSize(1);
        assertThat(agentRole).doesNotContain("usernamePassword", "AWS_ACCESS_KEY_ID");
        assertThat(generator.generateJenkins(defaults)).doesNotContain("usernamePassword", "AWS_REGION");
    }

    // ---- Signing with a key from the platform's secret store

    @Test
    void githubSignsInEachReleaseJobWithTheSecretInOneStepsEnvAndRemovesTheKeyFileAlways() {
        Map<String, Object> workflow = PipelineScripts.yaml(generator.generateGithubActions(signed()));
        assertThat(map(workflow.get("env"))).containsEntry("SIGNING_KEY_NAME", "FRAUD_KEY");
        Map<String, Object> jobs = map(workflow.get("jobs"));
        assertThat(stepNames(map(jobs.get("build")))).doesNotContain("Write the signing key from the secret store");
        assertThat(generator.generateGithubActions(signed()).split("secrets\\.FRAUD_KEY", -1)).hasSize(4);
        for (String name : List.of("staging", "release", "production")) {
            Map<String, Object> job = map(jobs.get(name));
            assertThat(map(job.get("env"))).doesNotContainKey("SIGNING_KEY_SECRET");
            List<String> names = stepNames(job);
            int write = names.indexOf("Write the signing key from the secret store");
            int remove = names.indexOf("Remove the signing key");
            assertThat(write).as(name).isPositive();
            // Before the first governed action, after the last one.
            assertThat(write).isLessThan(names.indexOf("Find the build of this commit that passed staging") < 0
                    ? names.indexOf("Register the model") : names.indexOf("Find the build of this commit that passed staging"));
            assertThat(remove).isGreaterThan(Math.max(names.indexOf("Promote to production, or say which approvals are missing"),
                    Math.max(names.indexOf("Promote to staging"), names.indexOf("File the production request if the workspace policy needs approvals"))));
            Map<String, Object> writeStep = namedStep(job, "Write the signing key from the secret store");
            assertThat(map(writeStep.get("env"))).containsEntry("SIGNING_KEY_SECRET", "${{ secrets.FRAUD_KEY }}")
                    .containsEntry("SIGNING_KEY_FILE", "${{ runner.temp }}/neural-mlops-signing-key");
            assertThat((String) writeStep.get("run")).contains("set +x", "umask 077", "chmod 600")
                    .endsWith("echo \"NEURAL_MLOPS_SIGNING_KEY=$NEURAL_MLOPS_SIGNING_KEY\" >> \"$GITHUB_ENV\"\n");
            Map<String, Object> removeStep = namedStep(job, "Remove the signing key");
            assertThat(removeStep).containsEntry("if", "always()").containsEntry("run", "rm -f \"$SIGNING_KEY_FILE\"");
            assertThat(map(removeStep.get("env"))).containsEntry("SIGNING_KEY_FILE", "${{ runner.temp }}/neural-mlops-signing-key");
        }
    }

    @Test
    void gitlabSignsInEachReleaseJobFromTheVariableAndRemovesTheKeyFileInAfterScript() {
        Map<String, Object> pipeline = PipelineScripts.yaml(generator.generateGitlabCi(signed()));
        assertThat(map(pipeline.get("variables"))).containsEntry("SIGNING_KEY_NAME", "FRAUD_KEY").doesNotContainKey("FRAUD_KEY");
        assertThat((List<Object>) map(pipeline.get("build")).get("before_script")).contains("unset FRAUD_KEY");
        assertThat(String.join("\n", (List<String>) map(pipeline.get("build")).get("script"))).doesNotContain("FRAUD_KEY");
        for (String name : List.of("staging", "release", "production")) {
            Map<String, Object> job = map(pipeline.get(name));
            List<String> script = (List<String>) job.get("script");
            int write = indexOfEntry(script, "SIGNING_KEY_SECRET=\"${FRAUD_KEY:-}\" "
                    + "SIGNING_KEY_FILE=\"$CI_PROJECT_DIR/.neural-mlops/signing-key\"\n");
            assertThat(write).as(name).isPositive()
                    .isLessThan(script.indexOf(script.stream().filter(entry -> entry.contains("neural-mlops --workspace"))
                            .findFirst().orElseThrow()));
            assertThat(script.get(write)).contains("set +x", "umask 077", "chmod 600");
            assertThat(String.join("\n", (List<String>) job.get("after_script")))
                    .contains("rm -f \"$CI_PROJECT_DIR/.neural-mlops/signing-key\"");
        }
    }

    @Test
    void azureSignsInEachReleaseStageWithTheSecureFileAndRemovesAnyCopyAlways() {
        Map<String, Object> pipeline = PipelineScripts.yaml(generator.generateAzurePipelines(signed()));
        assertThat(map(pipeline.get("variables"))).containsEntry("SIGNING_KEY_NAME", "FRAUD_KEY");
        List<Map<String, Object>> stages = maps(pipeline.get("stages"));
        assertThat(generator.generateAzurePipelines(signed())).doesNotContain("$(FRAUD_KEY)");
        assertThat(String.valueOf(stages.get(0))).doesNotContain("signingKey", "SIGNING_KEY");
        for (Map<String, Object> stage : stages.subList(1, 4)) {
            List<Map<String, Object>> azureSteps = azureWorkSteps(stage);
            Map<String, Object> download = azureSteps.stream().filter(step -> "DownloadSecureFile@1".equals(step.get("task")))
                    .findFirst().orElseThrow();
            assertThat(download).containsEntry("name", "signingKey");
            assertThat(map(download.get("inputs"))).containsEntry("secureFile", "FRAUD_KEY");
            int prepare = indexOfDisplayName(azureSteps, "Prepare the signing key");
            int firstGoverned = azureSteps.indexOf(azureSteps.stream()
                    .filter(step -> azureScript(step).contains("--workspace \"$NEURAL_MLOPS_WORKSPACE\"")).findFirst().orElseThrow());
            assertThat(azureSteps.indexOf(download)).isLessThan(prepare);
            assertThat(prepare).isLessThan(firstGoverned);
            Map<String, Object> prepareStep = azureSteps.get(prepare);
            assertThat(map(prepareStep.get("env"))).containsEntry("SIGNING_KEY_SECRET", "$(signingKey.secureFilePath)")
                    .containsEntry("SIGNING_KEY_FILE", "$(Agent.TempDirectory)/neural-mlops-signing-key");
            assertThat(azureScript(prepareStep)).contains("set +x", "umask 077", "chmod 600")
                    .endsWith("echo \"##vso[task.setvariable variable=NEURAL_MLOPS_SIGNING_KEY]$NEURAL_MLOPS_SIGNING_KEY\"\n");
            Map<String, Object> remove = azureSteps.get(indexOfDisplayName(azureSteps, "Remove the signing key"));
            assertThat(remove).containsEntry("condition", "always()")
                    .containsEntry("script", "rm -f \"$AGENT_TEMPDIRECTORY/neural-mlops-signing-key\"");
        }
    }

    @Test
    void jenkinsBindsTheSshKeyCredentialForEachReleaseStageAndRemovesAnyCopyOnExit() {
        String text = generator.generateJenkins(signed());
        assertThat(JenkinsfileParser.parse(text)).hasSize(1);
        assertThat(text.split("sshUserPrivateKey\\(credentialsId: 'FRAUD_KEY', keyFileVariable: 'SIGNING_KEY_SECRET'\\)", -1))
                .hasSize(4);
        assertThat(JenkinsfileParser.parse(text).get(0).child("environment").orElseThrow().child("SIGNING_KEY_NAME")
                .orElseThrow().strings()).containsExactly("FRAUD_KEY");
        List<String> signing = JenkinsfileParser.shellScripts(text).stream().filter(script -> script.contains("ssh-keygen -y"))
                .toList();
        assertThat(signing).hasSize(3).allSatisfy(script -> {
            assertThat(script).contains("SIGNING_KEY_FILE=\"$PWD/.neural-mlops/signing-key\"\n",
                    "trap 'rm -f \"$SIGNING_KEY_FILE\"' EXIT\n", "set +x", "umask 077", "chmod 600");
            assertThat(script.indexOf("ssh-keygen -y")).isLessThan(script.indexOf("registry "));
        });
        // With the access-key credential too, both are bound by the one withCredentials.
        String bucket = generator.generateJenkins(signed().with("workspace", "s3://team-bucket/mlops"));
        assertThat(JenkinsfileParser.parse(bucket)).hasSize(1);
        assertThat(bucket).contains("passwordVariable: 'AWS_SECRET_ACCESS_KEY'),\n",
                "sshUserPrivateKey(credentialsId: 'FRAUD_KEY', keyFileVariable: 'SIGNING_KEY_SECRET')]) {");
    }

    @ParameterizedTest
    @EnumSource(Platform.class)
    void theSigningKeyIsNeverPrintedAndUnsignedPipelinesNeverMentionIt(Platform platform) {
        List<String> scripts = PipelineScripts.of(platform, generator.generate(platform, signed()));
        assertThat(scripts).filteredOn(script -> script.contains("SIGNING_KEY_SECRET")).isNotEmpty().allSatisfy(script -> {
            assertThat(script).doesNotContain("set -x").doesNotContainPattern("(echo|printf)[^\n|>]*\\$\\{?SIGNING_KEY_SECRET")
                    .doesNotContainPattern("(echo|printf)[^\n]*\\$\\{?secret\\}?\"?\\s*($|;)");
            assertThat(script.indexOf("set +x")).isLessThan(script.indexOf("SIGNING_KEY_SECRET\""));
        });
        for (CiParameters parameters : variants()) {
            if (!parameters.sign()) {
                assertThat(generator.generate(platform, parameters))
                        .doesNotContain("SIGNING_KEY", "sshUserPrivateKey", "DownloadSecureFile", "ssh-keygen");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Platform.class)
    void withABucketEachReleaseJobKeepsItsOwnEventsAsAnArtifactInsteadOfCopyingTheFolder(Platform platform) {
        CiParameters bucket = defaults.with("workspace", "s3://team-bucket/mlops").with("aws_role_arn", ROLE);
        String pipeline = generator.generate(platform, bucket);
        List<List<String>> exports = PipelineScripts.of(platform, pipeline).stream()
                .flatMap(script -> PipelineScripts.invocations(script, Map.of("NEURAL_MLOPS_WORKSPACE", "s3://team-bucket/mlops",
                        "NEURAL_MLOPS_USER", "ci-pipeline")).stream())
                .filter(args -> args.contains("export")).toList();
        assertThat(exports).isNotEmpty().allSatisfy(args -> assertThat(args).containsSubsequence("--workspace",
                "s3://team-bucket/mlops", "--user", "ci-pipeline", "audit", "export", "--format", "jsonl", "--event-user",
                "ci-pipeline", "--out").satisfies(out -> assertThat(out.get(out.indexOf("--out") + 1))
                .startsWith("audit-trail/").endsWith("events.jsonl")));
        assertThat(String.join("\n", PipelineScripts.of(platform, pipeline))).doesNotContain("audit_logs/.");
        assertThat(String.join("\n", PipelineScripts.of(platform, generator.generate(platform, defaults))))
                .contains("audit_logs/.").doesNotContain("audit export");
    }

    @ParameterizedTest
    @EnumSource(value = Platform.class, names = {"GITHUB", "GITLAB"})
    void aBucketWorkspaceNeedsTheRoleWherePipelinesTradeAnOidcToken(Platform platform) {
        CiParameters bucket = defaults.with("workspace", "s3://team-bucket/mlops");
        assertThatThrownBy(() -> generator.generate(platform, bucket)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("aws_role_arn").hasMessageContaining("s3://team-bucket/mlops");
        assertThat(generator.generate(Platform.AZURE, bucket)).contains("AWSShellScript@1");
        assertThat(generator.generate(Platform.JENKINS, bucket)).contains("usernamePassword");
    }

    // ---- hygiene

    @Test
    void everyJobTimesOutAndTheArtifactsAreKeptForTheRetentionGiven() {
        CiParameters parameters = defaults.with("timeout_minutes", "45").with("artifact_retention_days", "14");
        Map<String, Object> jobs = map(PipelineScripts.yaml(generator.generateGithubActions(parameters)).get("jobs"));
        assertThat(jobs.values()).allSatisfy(job -> assertThat(map(job)).containsEntry("timeout-minutes", 45));
        assertThat(jobs.values()).allSatisfy(job -> assertThat(steps(map(job)))
                .filteredOn(step -> String.valueOf(step.get("uses")).startsWith("actions/upload-artifact@"))
                .allSatisfy(step -> {
                    Map<String, Object> with = map(step.get("with"));
                    assertThat(with).containsEntry("retention-days", 14);
                    // Per attempt: a new name each attempt, or the same name replaced by a re-run.
                    assertThat(String.valueOf(with.get("name")).endsWith("${{ github.run_attempt }}")
                            || Boolean.TRUE.equals(with.get("overwrite"))).as(String.valueOf(with)).isTrue();
                }));

        Map<String, Object> gitlab = PipelineScripts.yaml(generator.generateGitlabCi(parameters));
        for (String job : List.of("build", "staging", "release", "production")) {
            assertThat(map(gitlab.get(job))).containsEntry("timeout", "45 minutes");
            assertThat(map(map(gitlab.get(job)).get("artifacts"))).containsEntry("expire_in", "14 days");
        }
        assertThat(map(gitlab.get("build"))).containsEntry("interruptible", true);
        assertThat(map(gitlab.get("staging"))).containsEntry("interruptible", false);
        assertThat(map(gitlab.get("production"))).containsEntry("interruptible", false);
        assertThat(map(map(gitlab.get("staging")).get("artifacts"))).containsEntry("name", "audit-trail-staging-$CI_JOB_ID");
        assertThat(map(map(gitlab.get("staging")).get("environment"))).containsEntry("deployment_tier", "staging");
        assertThat(map(map(gitlab.get("production")).get("environment"))).containsEntry("deployment_tier", "production");
        assertThat(map(map(map(gitlab.get("build")).get("cache")).get("key"))).containsEntry("files", List.of("requirements.txt"));

        List<Map<String, Object>> azure = maps(PipelineScripts.yaml(generator.generateAzurePipelines(parameters)).get("stages"));
        assertThat(azure).flatMap(stage -> maps(stage.get("jobs")))
                .filteredOn(job -> !"server".equals(job.get("pool")))
                .allSatisfy(job -> assertThat(job).containsEntry("timeoutInMinutes", 45));
        assertThat(maps(maps(azure.get(0).get("jobs")).get(0).get("steps"))).anySatisfy(step ->
                assertThat(step).containsEntry("task", "Cache@2"));

        Node jenkins = JenkinsfileParser.parse(generator.generateJenkins(parameters)).get(0);
        Node options = jenkins.child("options").orElseThrow();
        assertThat(options.children()).extracting(Node::name)
                .containsExactly("disableConcurrentBuilds", "buildDiscarder", "timestamps");
        assertThat(options.child("buildDiscarder").orElseThrow().strings()).containsExactly("14", "14");
        String jenkinsText = generator.generateJenkins(parameters);
        for (String name : List.of("Install", "Test", "Train", "Evaluate", "Register, promote to staging and deploy",
                "Check the tag and find its build", "Promote to production and deploy")) {
            assertThat(jenkinsStage(jenkinsText, name).child("options").orElseThrow().child("timeout").orElseThrow().headText())
                    .contains("45", "'MINUTES'");
        }
        // The approval has its own, longer timeout, and holds no agent while it waits.
        assertThat(jenkinsStage(jenkinsText, "Approve the release").child("options").orElseThrow().child("timeout")
                .orElseThrow().headText()).contains("'DAYS'");
    }

    // ---- quoting

    @Test
    void yamlQuotingRoundTripsAnyString() {
        for (String value : List.of("plain", "a\"b", "back\\slash", "x: y # z", "new\nline", "tab\tand\u0007bell",
                "ünïcödé ✓ 🚀", "\u2028sep", "'single'", "${{ x }}", "- item", "[a, b]", "")) {
            Object parsed = PipelineScripts.yaml("k: " + Quoting.yaml(value) + "\n").get("k");
            assertThat(parsed).as(value).isEqualTo(value);
        }
    }

    @Test
    void groovyQuotingRoundTripsAnyString() {
        for (String value : List.of("plain", "it's", "back\\slash", "$HOME ${x}", "new\nline", "'''", "\"\"\"", "ünï 🚀")) {
            String source = "x " + Quoting.groovy(value) + "\ny '''" + Quoting.groovyEscaped(value) + "'''\n";
            List<JenkinsfileParser.Token> strings = JenkinsfileParser.strings(source);
            assertThat(strings).extracting(JenkinsfileParser.Token::text).as(value).containsExactly(value, value);
        }
    }

    @Test
    void expressionLiteralsDoubleTheirQuotesAndGitlabRegexesAreAnchored() {
        assertThat(Quoting.expressionLiteral("it's")).isEqualTo("'it''s'");
        assertThat(Quoting.gitlabRegex("v*")).isEqualTo("/^v.*$/");
        assertThat(Quoting.gitlabRegex("v*.*")).isEqualTo("/^v.*\\..*$/");
        assertThat(Quoting.gitlabRegex("a/b")).isEqualTo("/^a\\/b$/");
        assertThat(Quoting.gitlabLiteral("main")).isEqualTo("\"main\"");
        assertThatThrownBy(() -> Quoting.gitlabLiteral("a\"b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quoting.gitlabRegex("a b")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers

    static final String ROLE = PipelineVariants.ROLE;

    /** Every combination of options the platforms' validators check too. */
    static List<CiParameters> variants() {
        return PipelineVariants.list();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }

    private static List<Map<String, Object>> steps(Map<String, Object> job) {
        return maps(job.get("steps"));
    }

    private static List<String> stepNames(Map<String, Object> job) {
        return steps(job).stream().map(step -> step.get("name")).filter(Objects::nonNull).map(String::valueOf).toList();
    }

    private static List<String> uses(Map<String, Object> job) {
        return steps(job).stream().map(step -> step.get("uses")).filter(Objects::nonNull).map(String::valueOf).toList();
    }

    private static List<String> runs(Map<String, Object> job) {
        return steps(job).stream().map(step -> step.get("run")).filter(Objects::nonNull).map(String::valueOf).toList();
    }

    private static Map<String, Object> namedStep(Map<String, Object> job, String name) {
        return steps(job).stream().filter(step -> name.equals(step.get("name"))).findFirst().orElseThrow();
    }

    private static String runOf(Map<String, Object> job, String name) {
        return steps(job).stream().filter(step -> name.equals(step.get("name"))).map(step -> (String) step.get("run"))
                .findFirst().orElseThrow();
    }

    /** The script of an Azure step, written as {@code script} or as an AWS task's {@code inlineScript}. */
    /** The steps of a stage's deployment job, or of its regular job when it has no deployment. */
    private static List<Map<String, Object>> azureWorkSteps(Map<String, Object> stage) {
        Map<String, Object> job = maps(stage.get("jobs")).stream().filter(j -> j.containsKey("deployment")).findFirst()
                .orElseGet(() -> maps(stage.get("jobs")).get(0));
        return job.containsKey("deployment")
                ? maps(map(map(map(job.get("strategy")).get("runOnce")).get("deploy")).get("steps"))
                : maps(job.get("steps"));
    }

    /** The stage called {@code name} of a Jenkinsfile, nested stages included. */
    private static Node jenkinsStage(String text, String name) {
        return findStage(JenkinsfileParser.parse(text).get(0).child("stages").orElseThrow(), name)
                .orElseThrow(() -> new AssertionError("no stage " + name));
    }

    private static java.util.Optional<Node> findStage(Node stages, String name) {
        for (Node stage : stages.children("stage")) {
            if (stage.strings().get(0).equals(name)) {
                return java.util.Optional.of(stage);
            }
            java.util.Optional<Node> inner = stage.child("stages").flatMap(nested -> findStage(nested, name));
            if (inner.isPresent()) {
                return inner;
            }
        }
        return java.util.Optional.empty();
    }

    /** The defaults, signing with the key in the secret FRAUD_KEY. */
    private CiParameters signed() {
        return defaults.with("sign", "true").with("signing_key_secret", "FRAUD_KEY");
    }

    private static int indexOfEntry(List<String> script, String start) {
        for (int i = 0; i < script.size(); i++) {
            if (script.get(i).startsWith(start)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfDisplayName(List<Map<String, Object>> steps, String name) {
        for (int i = 0; i < steps.size(); i++) {
            if (name.equals(steps.get(i).get("displayName"))) {
                return i;
            }
        }
        throw new AssertionError("no step " + name + " in " + steps);
    }

    private static String azureScript(Map<String, Object> step) {
        if (step.get("script") instanceof String script) {
            return script;
        }
        return step.get("inputs") instanceof Map<?, ?> inputs && inputs.get("inlineScript") instanceof String script ? script : "";
    }

    private static List<String> ifs(Object rules) {
        return maps(rules).stream().map(rule -> String.valueOf(rule.get("if"))).toList();
    }
}
