package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import neural.mlops.ci.CiParameters;
import neural.mlops.ci.CiTemplateGenerator;
import neural.mlops.ci.PipelineScripts;
import neural.mlops.ci.Platform;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Every {@code neural-mlops} command line in every generated pipeline, with its shell variables
 * replaced by sample values, is one the real CLI accepts: a pipeline must work the first time it
 * is committed.
 */
class CiPipelineCommandsTest {

    private static final List<CiParameters> VARIANTS = List.of(
            CiParameters.defaults(),
            CiParameters.parse(List.of("require_approval=false", "workspace=/srv/mlops/fraud", "model_name=fraud_detector",
                    "staging_environment=pre-prod", "production_environment=prod", "model_path=out/fraud.onnx",
                    "metrics_file=out/eval.json")),
            CiParameters.parse(List.of("workspace=s3://team-bucket/mlops", "aws_role_arn=arn:aws:iam::123456789012:role/ci")));

    @ParameterizedTest
    @EnumSource(Platform.class)
    void everyPipelineDrivesTheReleaseThroughTheCliWithGlobalOptionsFirst(Platform platform) {
        for (CiParameters parameters : VARIANTS) {
            List<List<String>> invocations = invocations(platform, parameters);
            String workspace = parameters.get("workspace");
            String user = parameters.get("ci_user");

            List<String> commands = invocations.stream().map(CiPipelineCommandsTest::commandPath).toList();
            assertThat(commands).as(platform + " commands").contains("--version", "registry register", "registry promote",
                    "deploy create", "deploy activate", "audit verify");
            assertThat(commands.stream().filter("registry register"::equals)).hasSize(1);
            assertThat(commands.stream().filter("registry promote"::equals)).hasSize(2);
            assertThat(commands.stream().filter("deploy create"::equals)).hasSize(2);
            assertThat(commands.stream().filter("deploy activate"::equals)).hasSize(2);
            // Every platform shares the release steps: verify before staging, in the release job and before production.
            assertThat(commands.stream().filter("audit verify"::equals)).hasSize(3);
            assertThat(commands.stream().filter("registry verify"::equals)).hasSize(3);
            assertThat(commands.stream().filter("deploy check"::equals)).hasSize(2);
            assertThat(commands.stream().filter("deploy rollback"::equals)).hasSize(2);
            assertThat(find(invocations, "registry request")).hasSize(2)
                    .allSatisfy(args -> assertThat(args).contains("--if-needed", "production"));
            // Found by its commit in the release job and again in the production job; never trained again.
            assertThat(find(invocations, "registry list")).filteredOn(args -> args.contains("--lineage-commit")).hasSize(2)
                    .allSatisfy(args -> assertThat(optionValue(args, "--lineage-commit")).isEqualTo(SAMPLE_COMMIT));
            assertThat(String.join(" ", find(invocations, "registry register").get(0))).contains("--lineage-commit " + SAMPLE_COMMIT,
                    "--lineage-run " + SAMPLE_RUN_URL);
            // The metric gate compares with production before the request and before the promotion.
            assertThat(find(invocations, "registry compare")).hasSize(2);

            for (List<String> args : invocations) {
                if (!args.equals(List.of("--version"))) {
                    assertThat(args.subList(0, 4)).as(String.join(" ", args)).containsExactly("--workspace", workspace, "--user", user);
                }
            }
            List<String> register = find(invocations, "registry register").get(0);
            assertThat(String.join(" ", register)).contains("--name " + parameters.get("model_name"),
                    "--version v1.2.0", "--framework pytorch", "--model-path ", "--metrics-file ");
            assertThat(optionValue(register, "--model-path")).endsWith(fileName(parameters.get("model_path")));
            assertThat(optionValue(register, "--metrics-file")).endsWith(fileName(parameters.get("metrics_file")));

            List<List<String>> promotions = find(invocations, "registry promote");
            assertThat(promotions).extracting(args -> optionValue(args, "--to")).containsExactly("staging", "production");
            assertThat(promotions).allSatisfy(args -> assertThat(args).contains(parameters.get("model_name"), "v1.2.0", "--reason"));

            List<List<String>> deployments = find(invocations, "deploy create");
            // One deploy step for both environments: the job sets DEPLOY_ENVIRONMENT and DEPLOY_ENDPOINT.
            assertThat(deployments).extracting(args -> optionValue(args, "--env")).containsOnly(SAMPLE_DEPLOY_ENVIRONMENT);
            assertThat(find(invocations, "deploy activate")).allSatisfy(args -> assertThat(args).endsWith(SAMPLE_DEPLOYMENT));
        }
    }

    /**
     * Parses each command line with the real parser. Until the registry, deployment and audit
     * command groups are merged (they are built on their own branches), this fails on exactly
     * those subcommands; {@code --version} already parses.
     */
    @ParameterizedTest
    @EnumSource(Platform.class)
    void everyNeuralMlopsCommandInThePipelineIsAcceptedByTheCliParser(Platform platform) {
        List<String> refused = new ArrayList<>();
        for (CiParameters parameters : VARIANTS) {
            for (List<String> args : invocations(platform, parameters)) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                try {
                    ParseResult parsed = Cli.commandLine(new PrintWriter(out), new PrintWriter(err))
                            .parseArgs(args.toArray(String[]::new));
                    String problem = problem(parsed, args);
                    if (problem != null) {
                        refused.add("neural-mlops " + String.join(" ", args) + "\n    -> " + problem);
                    }
                } catch (ParameterException e) {
                    refused.add("neural-mlops " + String.join(" ", args) + "\n    -> " + e.getMessage());
                }
            }
        }
        assertThat(refused).as("command lines of the " + platform.displayName() + " pipeline refused by the CLI").isEmpty();
    }

    /**
     * What is wrong with a parse that did not throw: picocli stops complaining once a help option
     * matched, so {@code registry register ... --version V} would "parse" at the root, as a
     * request for the tool's version, while {@code registry} does not exist. The command path
     * must be the one written, with no help or version request along it.
     */
    private static String problem(ParseResult parsed, List<String> args) {
        if (args.equals(List.of("--version"))) {
            return parsed.isVersionHelpRequested() ? null : "--version was not taken as the version request";
        }
        List<String> path = new ArrayList<>();
        for (ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (level.isVersionHelpRequested() || level.isUsageHelpRequested()) {
                return "taken as a help or version request at '" + level.commandSpec().qualifiedName() + "'";
            }
            if (!level.unmatched().isEmpty()) {
                return "unmatched arguments " + level.unmatched();
            }
            if (level != parsed) {
                path.add(level.commandSpec().name());
            }
        }
        String expected = commandPath(args);
        return String.join(" ", path).equals(expected) ? null
                : "parsed as '" + String.join(" ", path) + "' instead of '" + expected + "'";
    }

    private static final String SAMPLE_DEPLOYMENT = "deploy_20240115_120000_model_v1.2.0";
    private static final String SAMPLE_COMMIT = "3f9c2e1a7b5d4c6e8f0a1b2c3d4e5f60718293a4";
    private static final String SAMPLE_RUN_URL = "https://ci.example/runs/7";
    private static final String SAMPLE_DEPLOY_ENVIRONMENT = "the-job's-environment";

    private static List<List<String>> invocations(Platform platform, CiParameters parameters) {
        String pipeline = new CiTemplateGenerator().generate(platform, parameters);
        Map<String, String> samples = samples(parameters);
        List<List<String>> invocations = new ArrayList<>();
        for (String script : PipelineScripts.of(platform, pipeline)) {
            invocations.addAll(PipelineScripts.invocations(script, samples));
        }
        return invocations;
    }

    /** What the pipeline's variables hold at run time, for a release of tag v1.2.0. */
    private static Map<String, String> samples(CiParameters p) {
        Map<String, String> samples = new HashMap<>();
        samples.put("PROJECT_NAME", p.get("project_name"));
        samples.put("MODEL_NAME", p.get("model_name"));
        samples.put("MODEL_FRAMEWORK", p.get("framework"));
        samples.put("MODEL_PATH", p.get("model_path"));
        samples.put("METRICS_FILE", p.get("metrics_file"));
        samples.put("HANDOFF_MODEL", "model-handoff/" + fileName(p.get("model_path")));
        samples.put("HANDOFF_METRICS", "model-handoff/" + fileName(p.get("metrics_file")));
        // What each platform's staging job hands the shared register step: its model and metrics files.
        samples.put("REGISTER_MODEL", "model-handoff/" + fileName(p.get("model_path")));
        samples.put("REGISTER_METRICS", "model-handoff/" + fileName(p.get("metrics_file")));
        samples.put("NEURAL_MLOPS_WORKSPACE", p.get("workspace"));
        samples.put("NEURAL_MLOPS_USER", p.get("ci_user"));
        samples.put("NEURAL_MLOPS_VERSION", p.get("tool_version"));
        samples.put("STAGING_ENVIRONMENT", p.get("staging_environment"));
        samples.put("STAGING_ENDPOINT", p.get("staging_endpoint"));
        samples.put("PRODUCTION_ENVIRONMENT", p.get("production_environment"));
        samples.put("PRODUCTION_ENDPOINT", p.get("production_endpoint"));
        samples.put("MODEL_VERSION", "v1.2.0");
        samples.put("DEPLOYMENT_ID", SAMPLE_DEPLOYMENT);
        samples.put("APPROVER", "alice");
        samples.put("GITLAB_USER_LOGIN", "alice");
        samples.put("COMMIT_SHA", SAMPLE_COMMIT);
        samples.put("RUN_URL", SAMPLE_RUN_URL);
        samples.put("RELEASE_TAG", "v1.2.0");
        samples.put("DEPLOY_ENVIRONMENT", SAMPLE_DEPLOY_ENVIRONMENT);
        samples.put("DEPLOY_ENDPOINT", "https://models.example.com/predict");
        return samples;
    }

    private static String commandPath(List<String> args) {
        List<String> words = args.size() >= 6 && args.get(0).equals("--workspace") ? args.subList(4, 6) : args.subList(0, 1);
        return String.join(" ", words);
    }

    private static List<List<String>> find(List<List<String>> invocations, String command) {
        return invocations.stream().filter(args -> commandPath(args).equals(command)).toList();
    }

    private static String optionValue(List<String> args, String option) {
        int index = args.indexOf(option);
        assertThat(index).as(option + " in " + args).isNotNegative();
        return args.get(index + 1);
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
