package neural.mlops.ci;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import neural.mlops.store.BuildInfo;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;
import neural.mlops.store.storage.S3Location;

/**
 * The values a pipeline is generated from: every parameter of {@link #definitions()}, each valid
 * by its type's rule. Immutable; {@link #with} returns a changed copy. Values that depend on each
 * other are checked by {@link #requireConsistent()}, which the generator calls.
 */
public final class CiParameters {

    public static final String PROJECT_NAME = "project_name";
    public static final String MODEL_NAME = "model_name";
    public static final String FRAMEWORK = "framework";
    public static final String PYTHON_VERSION = "python_version";
    public static final String INSTALL_COMMAND = "install_command";
    public static final String TEST_COMMAND = "test_command";
    public static final String TRAIN_COMMAND = "train_command";
    public static final String EVALUATE_COMMAND = "evaluate_command";
    public static final String MODEL_PATH = "model_path";
    public static final String METRICS_FILE = "metrics_file";
    public static final String WORKSPACE = "workspace";
    public static final String CI_USER = "ci_user";
    public static final String STAGING_ENVIRONMENT = "staging_environment";
    public static final String STAGING_ENDPOINT = "staging_endpoint";
    public static final String PRODUCTION_ENVIRONMENT = "production_environment";
    public static final String PRODUCTION_ENDPOINT = "production_endpoint";
    public static final String MAIN_BRANCH = "main_branch";
    public static final String RELEASE_TAG_PATTERN = "release_tag_pattern";
    public static final String REQUIRE_APPROVAL = "require_approval";
    public static final String TOOL_VERSION = "tool_version";
    public static final String TOOL_URL = "tool_url";
    public static final String TOOL_SHA256 = "tool_sha256";
    public static final String PYTHON_IMAGE = "python_image";
    public static final String DEPENDENCY_FILE = "dependency_file";
    public static final String TIMEOUT_MINUTES = "timeout_minutes";
    public static final String ARTIFACT_RETENTION_DAYS = "artifact_retention_days";
    public static final String AWS_REGION = "aws_region";
    public static final String AWS_ROLE_ARN = "aws_role_arn";
    public static final String AZURE_AWS_CONNECTION = "azure_aws_connection";
    public static final String JENKINS_AWS_CREDENTIALS = "jenkins_aws_credentials";
    public static final String DEPLOY_COMMAND = "deploy_command";
    public static final String AZURE_APPROVERS = "azure_approvers";
    public static final String AZURE_NOTIFY_USERS = "azure_notify_users";
    public static final String JENKINS_SUBMITTER = "jenkins_submitter";
    public static final String CONFIG_FILE = "config_file";
    public static final String TEST_REPORT = "test_report";
    public static final String GATE_METRIC = "gate_metric";
    public static final String GATE_DIRECTION = "gate_direction";
    public static final String SIGN = "sign";
    public static final String SIGNING_KEY_SECRET = "signing_key_secret";

    /** Stands for the tool version inside {@code tool_url}. */
    public static final String VERSION_PLACEHOLDER = "{version}";

    /** The version pinned when this build's own version is unknown (a build outside Maven). */
    static final String FALLBACK_TOOL_VERSION = "0.1.0";

    /**
     * python:3.11 as the Docker official image index listed it on 2026-07-14
     * (docker-library/repo-info, repos/python/remote/3.11.md): a digest, because a tag can be moved.
     */
    static final String DEFAULT_PYTHON_IMAGE =
            "python:3.11@sha256:c7220863385ee39fb6d822da81f4469d0cd33ff893d92ce94105e5c3f4b95fe2";

    private static final List<Parameter> DEFINITIONS = List.of(
            new Parameter(PROJECT_NAME, "The project: names the pipeline and each registered version's description.",
                    "my-project", ParameterType.NAME),
            new Parameter(MODEL_NAME, "The model's name in the registry.", "my-model", ParameterType.NAME),
            new Parameter(FRAMEWORK, "The model's framework, recorded at registration.", "pytorch", ParameterType.NAME),
            new Parameter(PYTHON_VERSION, "Python used to install, test, train and evaluate.", "3.11",
                    ParameterType.PYTHON_VERSION),
            new Parameter(INSTALL_COMMAND, "Installs the project's dependencies.", "pip install -r requirements.txt",
                    ParameterType.COMMAND),
            new Parameter(TEST_COMMAND, "Runs the project's tests.", "python -m pytest", ParameterType.COMMAND),
            new Parameter(TRAIN_COMMAND, "Trains the model and writes the model file (model_path).", "python train.py",
                    ParameterType.COMMAND),
            new Parameter(EVALUATE_COMMAND, "Evaluates the model and writes the metrics file (metrics_file).",
                    "python evaluate.py", ParameterType.COMMAND),
            new Parameter(MODEL_PATH, "The model file that training writes, relative to the repository.",
                    "artifacts/model.pt", ParameterType.RELATIVE_PATH),
            new Parameter(METRICS_FILE, "The evaluation metrics, a JSON object of metric names to numbers.",
                    "artifacts/metrics.json", ParameterType.RELATIVE_PATH),
            new Parameter(WORKSPACE, "The neural-mlops workspace: relative (kept in the checkout and handed from job "
                    + "to job), absolute (a shared folder the agents mount) or s3://bucket/prefix (a team workspace "
                    + "in a bucket, reached with the platform's own credentials).", "mlops-workspace",
                    ParameterType.WORKSPACE_PATH),
            new Parameter(CI_USER, "The user the pipeline acts as in the audit trail (--user).", "ci-pipeline",
                    ParameterType.NAME),
            new Parameter(STAGING_ENVIRONMENT, "The deployment environment for staging.", "staging", ParameterType.NAME),
            new Parameter(STAGING_ENDPOINT, "The staging endpoint recorded with each staging deployment.",
                    "https://staging.example.com/predict", ParameterType.URL),
            new Parameter(PRODUCTION_ENVIRONMENT, "The deployment environment for production.", "production",
                    ParameterType.NAME),
            new Parameter(PRODUCTION_ENDPOINT, "The production endpoint recorded with each production deployment.",
                    "https://models.example.com/predict", ParameterType.URL),
            new Parameter(MAIN_BRANCH, "Pushes to this branch are registered, promoted to staging and deployed.",
                    "main", ParameterType.BRANCH),
            new Parameter(RELEASE_TAG_PATTERN, "Tags matching this pattern are released to production; the tag is "
                    + "the model version.", "v*", ParameterType.TAG_PATTERN),
            new Parameter(REQUIRE_APPROVAL, "Wait for a person's approval before production.", "true",
                    ParameterType.BOOLEAN),
            new Parameter(TOOL_VERSION, "The neural-mlops release the pipeline installs.", defaultToolVersion(),
                    ParameterType.VERSION),
            new Parameter(TOOL_URL, "Where the pipeline downloads the neural-mlops Debian package; {version} stands "
                    + "for tool_version.", "https://github.com/neural-mlops/neural-mlops/releases/download/v{version}/"
                    + "neural-mlops_{version}-1_amd64.deb", ParameterType.TOOL_URL),
            new Parameter(TOOL_SHA256, "The package's SHA-256 (published beside it); required: the pipeline refuses "
                    + "to install a package without it or with another digest.", "", ParameterType.SHA256),
            new Parameter(PYTHON_IMAGE, "The container image of the GitLab and Jenkins jobs, pinned by digest; its "
                    + "tag must match python_version.", DEFAULT_PYTHON_IMAGE, ParameterType.IMAGE),
            new Parameter(DEPENDENCY_FILE, "The file whose content keys the pip download cache.", "requirements.txt",
                    ParameterType.RELATIVE_PATH),
            new Parameter(TIMEOUT_MINUTES, "Each job is stopped after this many minutes.", "60", ParameterType.MINUTES),
            new Parameter(ARTIFACT_RETENTION_DAYS, "Days the platform keeps the audit-trail and hand-off artifacts.",
                    "30", ParameterType.DAYS),
            new Parameter(AWS_REGION, "The bucket's region, for an s3:// workspace.", "us-east-1",
                    ParameterType.AWS_REGION),
            new Parameter(AWS_ROLE_ARN, "For an s3:// workspace on GitHub Actions and GitLab CI: the IAM role the "
                    + "release jobs assume with the platform's OIDC token.", "", ParameterType.ROLE_ARN),
            new Parameter(AZURE_AWS_CONNECTION, "For an s3:// workspace on Azure Pipelines: the AWS service connection "
                    + "(AWS Toolkit) the release steps use.", "neural-mlops-aws", ParameterType.NAME),
            new Parameter(JENKINS_AWS_CREDENTIALS, "For an s3:// workspace on Jenkins: the id of a username/password "
                    + "credential holding an access key; empty to use the agent's own role.", "neural-mlops-aws",
                    ParameterType.OPTIONAL_NAME),
            new Parameter(DEPLOY_COMMAND, "Runs the real deployment of MODEL_NAME MODEL_VERSION to "
                    + "DEPLOY_ENVIRONMENT "
                    + "(DEPLOY_ENDPOINT), between recording the deployment and activating it; empty to only record it.",
                    "", ParameterType.OPTIONAL_COMMAND),
            new Parameter(AZURE_APPROVERS, "Azure Pipelines: who may approve the release (users or groups, "
                    + "comma-separated); empty lets anyone with access approve. Nobody approves their own run.", "",
                    ParameterType.PEOPLE),
            new Parameter(AZURE_NOTIFY_USERS, "Azure Pipelines: who is e-mailed when a release waits for approval "
                    + "(users or groups, comma-separated).", "", ParameterType.PEOPLE),
            new Parameter(JENKINS_SUBMITTER, "Jenkins: who may approve the release (user ids or groups, "
                    + "comma-separated); empty lets anyone who can build the job approve.", "", ParameterType.PEOPLE),
            new Parameter(CONFIG_FILE, "The training configuration (YAML) registered with each build (--config), "
                    + "relative to the repository; empty for none.", "", ParameterType.OPTIONAL_RELATIVE_PATH),
            new Parameter(TEST_REPORT, "The JUnit XML report test_command writes (e.g. pytest --junitxml=...), "
                    + "relative to the repository; published by the platform even when a test fails; empty for none.",
                    "", ParameterType.OPTIONAL_RELATIVE_PATH),
            new Parameter(GATE_METRIC, "The metric a release must not make worse than the version in production "
                    + "(registry compare); empty for no metric gate.", "", ParameterType.OPTIONAL_NAME),
            new Parameter(GATE_DIRECTION, "Which way gate_metric improves: higher or lower.", "higher",
                    ParameterType.DIRECTION),
            new Parameter(SIGN, "Sign the pipeline user's governed actions (promotions, requests) with its SSH key "
                    + "from the platform's secret store (signing_key_secret), as a workspace whose policy has "
                    + "require_signed needs; the key's public half must be listed for ci_user under identities in "
                    + "workspace.yaml.", "false", ParameterType.BOOLEAN),
            new Parameter(SIGNING_KEY_SECRET, "Where the pipeline user's SSH private key is kept when sign is true: "
                    + "the GitHub secret, the GitLab CI/CD variable, the Azure secure file or the Jenkins credential "
                    + "(SSH Username with private key) of this name.", "NEURAL_MLOPS_CI_SIGNING_KEY",
                    ParameterType.SECRET_NAME));

    private static final Map<String, Parameter> BY_NAME = DEFINITIONS.stream()
            .collect(Collectors.toUnmodifiableMap(Parameter::name, p -> p));

    private final Map<String, String> values;

    private CiParameters(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Every parameter, in the order a form shows them. */
    public static List<Parameter> definitions() {
        return DEFINITIONS;
    }

    /** The parameter called {@code name}; an unknown name is refused with the known ones listed. */
    public static Parameter definition(String name) {
        Parameter parameter = BY_NAME.get(name);
        if (parameter == null) {
            throw new InvalidInputException("Unknown parameter " + Names.quote(name) + "; known parameters: "
                    + DEFINITIONS.stream().map(Parameter::name).collect(Collectors.joining(", ")));
        }
        return parameter;
    }

    /** Every parameter at its default. */
    public static CiParameters defaults() {
        Map<String, String> values = new LinkedHashMap<>();
        DEFINITIONS.forEach(p -> values.put(p.name(), p.defaultValue()));
        return new CiParameters(values);
    }

    /**
     * The defaults overridden by {@code overrides}, applied in order: unknown keys and invalid
     * values are refused naming the key, then the values are checked together.
     */
    public static CiParameters of(Map<String, String> overrides) {
        CiParameters parameters = defaults();
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            parameters = parameters.with(entry.getKey(), entry.getValue());
        }
        parameters.requireConsistent();
        return parameters;
    }

    /**
     * Parses {@code KEY=VALUE} assignments (as {@code --set} gives them) over the defaults; the
     * value is everything after the first '='.
     */
    public static CiParameters parse(List<String> assignments) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int equals = assignment.indexOf('=');
            if (equals <= 0) {
                throw new InvalidInputException("Expected KEY=VALUE, got " + Names.quote(assignment)
                        + "; see 'neural-mlops ci list' for the keys");
            }
            String key = assignment.substring(0, equals);
            definition(key);
            overrides.remove(key); // the last assignment of a key wins, in its own position
            overrides.put(key, assignment.substring(equals + 1));
        }
        return of(overrides);
    }

    /** A copy with {@code name} set to {@code value}, which must be valid by the parameter's rule. */
    public CiParameters with(String name, String value) {
        Parameter parameter = definition(name);
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(name, parameter.validate(value));
        return new CiParameters(copy);
    }

    /** The (valid, canonical) value of {@code name}. */
    public String get(String name) {
        definition(name);
        return values.get(name);
    }

    /** Every value, by parameter name, in definition order. */
    public Map<String, String> asMap() {
        return values;
    }

    public boolean requireApproval() {
        return Boolean.parseBoolean(values.get(REQUIRE_APPROVAL));
    }

    /** True when the pipeline signs its governed actions with the key of {@link #SIGNING_KEY_SECRET}. */
    public boolean sign() {
        return Boolean.parseBoolean(values.get(SIGN));
    }

    /** True when the workspace is an absolute path: a shared folder used in place by every job. */
    public boolean sharedWorkspace() {
        return values.get(WORKSPACE).startsWith("/");
    }

    /** True when the workspace is a bucket, {@code s3://bucket/prefix}: every job reaches it in place. */
    public boolean remoteWorkspace() {
        return S3Location.isS3(values.get(WORKSPACE));
    }

    /** {@code tool_url} with the tool version in place of {@value #VERSION_PLACEHOLDER}. */
    public String resolvedToolUrl() {
        return values.get(TOOL_URL).replace(VERSION_PLACEHOLDER, values.get(TOOL_VERSION));
    }

    /** Refuses values that are each valid but do not make sense together, naming the key to change. */
    public void requireConsistent() {
        if (fileName(values.get(MODEL_PATH)).equals(fileName(values.get(METRICS_FILE)))) {
            throw new InvalidInputException("Invalid value " + Names.quote(values.get(METRICS_FILE))
                    + " for parameter " + METRICS_FILE + ": the model file and the metrics file need different "
                    + "file names, because the pipeline hands both to the release jobs in one folder");
        }
        String config = values.get(CONFIG_FILE);
        if (!config.isEmpty() && (fileName(config).equals(fileName(values.get(MODEL_PATH)))
                || fileName(config).equals(fileName(values.get(METRICS_FILE))))) {
            throw new InvalidInputException("Invalid value " + Names.quote(config) + " for parameter " + CONFIG_FILE
                    + ": its file name must differ from those of model_path and metrics_file, because the pipeline "
                    + "hands all three to the release jobs in one folder");
        }
        // Case ignored: GitHub and Azure take Staging and staging for one environment.
        if (values.get(STAGING_ENVIRONMENT).equalsIgnoreCase(values.get(PRODUCTION_ENVIRONMENT))) {
            throw new InvalidInputException("Invalid value " + Names.quote(values.get(PRODUCTION_ENVIRONMENT))
                    + " for parameter " + PRODUCTION_ENVIRONMENT + ": it must differ from " + STAGING_ENVIRONMENT
                    + " (case is ignored)");
        }
        String image = values.get(PYTHON_IMAGE);
        String tag = pythonImageTag(image);
        String python = values.get(PYTHON_VERSION);
        if (tag != null && !(tag.equals(python) || tag.startsWith(python + "-"))) {
            throw new InvalidInputException("Invalid value " + Names.quote(image) + " for parameter " + PYTHON_IMAGE
                    + ": its tag " + tag + " is not Python " + python + " (python_version); give the digest of python:"
                    + python);
        }
    }

    /** The tag of an official python image ({@code python:3.11-slim@sha256:...} gives 3.11-slim), else null. */
    private static String pythonImageTag(String image) {
        String name = image.substring(0, image.indexOf('@'));
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        if (colon <= slash || !name.substring(slash + 1, colon).equals("python")) {
            return null;
        }
        return name.substring(colon + 1);
    }

    static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String defaultToolVersion() {
        String version = BuildInfo.version();
        return ParameterType.VERSION.problemOf(version) == null ? version : FALLBACK_TOOL_VERSION;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CiParameters that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    @Override
    public String toString() {
        return "CiParameters" + values;
    }
}
