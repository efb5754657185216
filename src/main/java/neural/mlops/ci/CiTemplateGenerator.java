package neural.mlops.ci;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.reflect.ReflectionObjectHandler;
import com.github.mustachejava.util.Wrapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.MlopsException;
import neural.mlops.store.SafeYaml;

/**
 * Renders the pipeline of a {@link Platform} from its template resource (the original's
 * {@code CITemplateGenerator}). Templates are Mustache with {@code <% %>} delimiters, because
 * GitHub's and Azure's own {@code ${{ }}} would clash with the usual ones; HTML escaping is off
 * and every value is handed to the template already quoted for the target's syntax: YAML
 * double-quoted scalars, Groovy single-quoted strings, platform expression literals. Commands
 * are the user's own shell and are placed as lines of a script block (escaped for Groovy in
 * the Jenkinsfile).
 *
 * <p>Instances are thread-safe; templates are compiled once per generator.
 */
public final class CiTemplateGenerator {

    private static final String TEMPLATE_ROOT = "/neural/mlops/ci/";

    private final DefaultMustacheFactory factory = new RawMustacheFactory();
    private final Map<Platform, Mustache> templates = new EnumMap<>(Platform.class);

    public CiTemplateGenerator() {
        factory.setObjectHandler(new StrictObjectHandler());
    }

    /** The pipeline for {@code platform}, as the text of the file the platform reads. */
    public String generate(Platform platform, CiParameters parameters) {
        parameters.requireConsistent();
        requireCredentials(platform, parameters);
        StringWriter out = new StringWriter();
        template(platform).execute(out, context(platform, parameters));
        String text = out.toString();
        if (platform.yaml()) {
            requireYaml(platform, text);
        }
        return text;
    }

    /** GitHub Actions workflow ({@code generate_github_actions} in the original). */
    public String generateGithubActions(CiParameters parameters) {
        return generate(Platform.GITHUB, parameters);
    }

    /** GitLab CI pipeline ({@code generate_gitlab_ci} in the original). */
    public String generateGitlabCi(CiParameters parameters) {
        return generate(Platform.GITLAB, parameters);
    }

    /** Jenkins declarative pipeline ({@code generate_jenkins} in the original). */
    public String generateJenkins(CiParameters parameters) {
        return generate(Platform.JENKINS, parameters);
    }

    /** Azure Pipelines definition ({@code generate_azure_pipelines} in the original). */
    public String generateAzurePipelines(CiParameters parameters) {
        return generate(Platform.AZURE, parameters);
    }

    /**
     * Writes a generated pipeline to {@code outputPath} atomically, creating missing parent
     * folders (such as {@code .github/workflows}); returns the path written.
     */
    public Path saveTemplate(String content, Path outputPath) {
        AtomicFiles.write(outputPath, content.getBytes(StandardCharsets.UTF_8));
        return outputPath;
    }

    /** The values each template receives, already quoted for the platform's syntax. */
    static Map<String, Object> context(Platform platform, CiParameters parameters) {
        UnaryOperator<String> value = platform.yaml() ? Quoting::yaml : Quoting::groovy;
        UnaryOperator<String> command = platform.yaml() ? UnaryOperator.identity() : Quoting::groovyEscaped;
        Map<String, Object> context = new HashMap<>();
        for (Parameter parameter : CiParameters.definitions()) {
            String raw = parameters.get(parameter.name());
            boolean isCommand = parameter.type() == ParameterType.COMMAND || parameter.type() == ParameterType.OPTIONAL_COMMAND;
            context.put(parameter.name(), isCommand ? command.apply(raw) : value.apply(raw));
        }
        context.put("release_step", ReleaseSteps.lambda(parameters, command));
        String workspace = parameters.get(CiParameters.WORKSPACE);
        String branch = parameters.get(CiParameters.MAIN_BRANCH);
        String tagPattern = parameters.get(CiParameters.RELEASE_TAG_PATTERN);
        String model = parameters.get(CiParameters.MODEL_NAME);

        context.put(CiParameters.REQUIRE_APPROVAL, parameters.requireApproval());
        context.put(CiParameters.SIGN, parameters.sign());
        // Unquoted, for platform expressions and shell names (secrets.NAME, ${NAME}): its rule admits only [A-Za-z0-9_].
        context.put("signing_key_secret_name", parameters.get(CiParameters.SIGNING_KEY_SECRET));
        context.put("carry_workspace", !parameters.sharedWorkspace() && !parameters.remoteWorkspace());
        context.put("shared_workspace", parameters.sharedWorkspace());
        context.put("remote_workspace", parameters.remoteWorkspace());
        context.put(CiParameters.TOOL_URL, value.apply(parameters.resolvedToolUrl()));
        context.put("pipeline_name", value.apply(parameters.get(CiParameters.PROJECT_NAME) + " MLOps"));
        // Numbers stay unquoted: the platforms want a number where they take one (their rule allows digits only).
        context.put(CiParameters.TIMEOUT_MINUTES, parameters.get(CiParameters.TIMEOUT_MINUTES));
        context.put(CiParameters.ARTIFACT_RETENTION_DAYS, parameters.get(CiParameters.ARTIFACT_RETENTION_DAYS));
        context.put("handoff_model", value.apply("model-handoff/"
                + CiParameters.fileName(parameters.get(CiParameters.MODEL_PATH))));
        context.put("handoff_metrics", value.apply("model-handoff/"
                + CiParameters.fileName(parameters.get(CiParameters.METRICS_FILE))));
        context.put("test_report_given", !parameters.get(CiParameters.TEST_REPORT).isEmpty());
        String config = parameters.get(CiParameters.CONFIG_FILE);
        context.put("config_given", !config.isEmpty());
        context.put("handoff_config", value.apply(config.isEmpty() ? "" : "model-handoff/" + CiParameters.fileName(config)));

        switch (platform) {
            case GITHUB -> context.put("staging_if", Quoting.yaml("github.event_name == 'push' && github.ref == "
                    + Quoting.expressionLiteral("refs/heads/" + branch)));
            case GITLAB -> {
                context.put("main_branch_rule", Quoting.yaml("$CI_COMMIT_BRANCH == " + Quoting.gitlabLiteral(branch)));
                context.put("release_tag_rule", Quoting.yaml("$CI_COMMIT_TAG =~ " + Quoting.gitlabRegex(tagPattern)));
                context.put("expire_in", Quoting.yaml(parameters.get(CiParameters.ARTIFACT_RETENTION_DAYS) + " days"));
                context.put("job_timeout", Quoting.yaml(parameters.get(CiParameters.TIMEOUT_MINUTES) + " minutes"));
            }
            case AZURE -> {
                context.put("staging_condition", Quoting.yaml("and(succeeded(), ne(variables['Build.Reason'], "
                        + "'PullRequest'), or(eq(variables['Build.SourceBranch'], "
                        + Quoting.expressionLiteral("refs/heads/" + branch) + "), startsWith(variables['Build.SourceBranch'], "
                        + "'refs/tags/')))"));
                context.put("azure_workspace_path", Quoting.yaml("$(System.DefaultWorkingDirectory)/" + workspace));
                context.put("azure_cache_key", Quoting.yaml("pip | \"$(Agent.OS)\" | "
                        + parameters.get(CiParameters.DEPENDENCY_FILE)));
                context.put("azure_cache_restore", Quoting.yaml("pip | \"$(Agent.OS)\""));
                context.put("approval_instructions", Quoting.yaml("Approve the release of " + model
                        + " to production, or reject it."));
            }
            case JENKINS -> {
                context.put("input_message", Quoting.groovy("Promote " + model + " to production and deploy it?"));
                context.put("named_submitter", !parameters.get(CiParameters.JENKINS_SUBMITTER).isEmpty());
                context.put("docker_args", Quoting.groovy("-v " + workspace + ":" + workspace));
                context.put("jenkins_aws_keys", parameters.remoteWorkspace()
                        && !parameters.get(CiParameters.JENKINS_AWS_CREDENTIALS).isEmpty());
            }
        }
        return context;
    }

    /**
     * GitHub and GitLab reach a bucket by trading their OIDC token for a role's short-lived
     * credentials, so an s3:// workspace needs the role there; Azure and Jenkins name their stored
     * connection or credential instead, which has a default.
     */
    private static void requireCredentials(Platform platform, CiParameters parameters) {
        boolean oidc = platform == Platform.GITHUB || platform == Platform.GITLAB;
        if (oidc && parameters.remoteWorkspace() && parameters.get(CiParameters.AWS_ROLE_ARN).isEmpty()) {
            throw new InvalidInputException("Parameter " + CiParameters.AWS_ROLE_ARN + " is needed for the workspace "
                    + parameters.get(CiParameters.WORKSPACE) + " on " + platform.displayName() + ": the IAM role the "
                    + "release jobs assume with the platform's OIDC token (see docs/ci-templates.md)");
        }
    }

    private Mustache template(Platform platform) {
        synchronized (templates) {
            return templates.computeIfAbsent(platform, this::compile);
        }
    }

    private Mustache compile(Platform platform) {
        String resource = TEMPLATE_ROOT + platform.templateName();
        try (InputStream in = CiTemplateGenerator.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new MlopsException("The template " + resource + " is missing from the application; reinstall it");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return factory.compile(reader, platform.templateName(), "<%", "%>");
            }
        } catch (IOException e) {
            throw new MlopsException("Could not read the template " + resource + ": " + e.getMessage(), e);
        }
    }

    /** A last guard: a YAML pipeline that does not parse is a bug here, never the user's input. */
    private static void requireYaml(Platform platform, String text) {
        try {
            SafeYaml.loadMap(text, platform.templateName());
        } catch (InvalidInputException e) {
            throw new IllegalStateException("The generated " + platform.displayName() + " pipeline is not valid YAML: "
                    + e.getMessage(), e);
        }
    }

    /** Mustache without HTML escaping: values arrive quoted for YAML or Groovy, not for HTML. */
    private static final class RawMustacheFactory extends DefaultMustacheFactory {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Fails on a name the context does not hold, instead of rendering it as nothing. */
    private static final class StrictObjectHandler extends ReflectionObjectHandler {
        @Override
        public Wrapper find(String name, List<Object> scopes) {
            boolean known = scopes.stream().anyMatch(scope -> scope instanceof Map<?, ?> map && map.containsKey(name));
            if (!known) {
                throw new IllegalStateException("A CI template uses '" + name + "', which the generator does not provide");
            }
            return super.find(name, scopes);
        }
    }
}
