package neural.mlops.ci;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The combinations of options that change what a generated pipeline contains: approval or not, a
 * relative, shared or bucket workspace, the optional deploy command, training configuration, metric
 * gate and named approvers, signing with a key from the platform's secret store, and unusual but
 * valid values. The generator's tests and the platforms'
 * own validators (.ci/validate-pipelines, through {@link WritePipelines}) go over the same list, so
 * a case added here is checked by both.
 */
final class PipelineVariants {

    static final String ROLE = "arn:aws:iam::123456789012:role/neural-mlops-ci";

    private PipelineVariants() {
    }

    /** Every variant by a name that can be a folder name, in a stable order. */
    static Map<String, CiParameters> all() {
        CiParameters defaults = CiParameters.defaults();
        CiParameters shared = defaults.with("workspace", "/mnt/shared/mlops");
        CiParameters bucket = defaults.with("workspace", "s3://team-bucket/mlops/fraud").with("aws_role_arn", ROLE);
        Map<String, CiParameters> variants = new LinkedHashMap<>();
        variants.put("defaults", defaults);
        variants.put("no-approval", defaults.with("require_approval", "false"));
        variants.put("shared", shared);
        variants.put("shared-no-approval", shared.with("require_approval", "false"));
        variants.put("bucket", bucket);
        variants.put("bucket-no-approval-agent-role", defaults.with("workspace", "s3://team-bucket")
                .with("aws_role_arn", ROLE).with("require_approval", "false").with("jenkins_aws_credentials", ""));
        variants.put("unusual-values", CiParameters.parse(List.of("project_name=fraud.team", "model_name=fraud_detector",
                "python_version=3.12.1", "python_image=registry.example.com:5000/ml/python:3.12.1-slim@sha256:" + "0".repeat(64),
                "install_command=pip install -e '.[dev]' && echo \"done: yes\"", "main_branch=release/2024",
                "release_tag_pattern=model-v*", "staging_endpoint=http://10.0.0.7:8080/v1/models/fraud:predict?x=1&y=2",
                "model_path=out/fraud.onnx", "metrics_file=out/eval.json",
                "tool_url=https://mirror.example.com/nm/{version}/nm.deb")));
        variants.put("every-option", everyOption(defaults));
        variants.put("every-option-shared-no-approval", everyOption(shared).with("require_approval", "false"));
        variants.put("every-option-bucket", everyOption(bucket).with("jenkins_aws_credentials", ""));
        variants.put("signed", defaults.with("sign", "true"));
        variants.put("signed-bucket-no-approval", bucket.with("sign", "true").with("require_approval", "false")
                .with("signing_key_secret", "RELEASE_BOT_KEY"));
        return variants;
    }

    /** The same, without their names. */
    static List<CiParameters> list() {
        return List.copyOf(all().values());
    }

    /** Every optional parameter set: each adds lines or blocks to the pipeline. */
    private static CiParameters everyOption(CiParameters base) {
        return base.with("deploy_command", "./deploy.sh \"$MODEL_NAME\" \"$MODEL_VERSION\" --to \"$DEPLOY_ENVIRONMENT\"")
                .with("config_file", "configs/train.yaml")
                .with("test_command", "python -m pytest --junitxml=reports/junit.xml")
                .with("test_report", "reports/junit.xml")
                .with("gate_metric", "f1").with("gate_direction", "lower")
                .with("azure_approvers", "[Fraud]\\Release Approvers, carol@example.com")
                .with("azure_notify_users", "release-team@example.com")
                .with("jenkins_submitter", "release-managers,alice")
                .with("tool_sha256", "ab".repeat(32))
                .with("sign", "true").with("signing_key_secret", "FRAUD_SIGNING_KEY")
                .with("timeout_minutes", "90").with("artifact_retention_days", "7");
    }
}
