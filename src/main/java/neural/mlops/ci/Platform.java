package neural.mlops.ci;

import java.nio.file.Path;
import neural.mlops.store.Enums;
import neural.mlops.store.Valued;

/**
 * The CI platforms a pipeline can be generated for (SPEC 3.4), each with its template resource
 * (named as in the original module) and the path where the platform looks for its pipeline.
 */
public enum Platform implements Valued {

    GITHUB("github", "GitHub Actions", "github_actions.yml", ".github/workflows/mlops.yml"),
    GITLAB("gitlab", "GitLab CI", "gitlab_ci.yml", ".gitlab-ci.yml"),
    JENKINS("jenkins", "Jenkins", "Jenkinsfile", "Jenkinsfile"),
    AZURE("azure", "Azure Pipelines", "azure_pipelines.yml", "azure-pipelines.yml");

    private final String id;
    private final String displayName;
    private final String templateName;
    private final String conventionalPath;

    Platform(String id, String displayName, String templateName, String conventionalPath) {
        this.id = id;
        this.displayName = displayName;
        this.templateName = templateName;
        this.conventionalPath = conventionalPath;
    }

    /** The platform's id on the command line ({@code --platform github}). */
    @Override
    public String value() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    /** The template's name as in the original module, e.g. {@code ci_templates/github_actions.yml}. */
    public String templateName() {
        return "ci_templates/" + templateName;
    }

    /** Where the platform expects the pipeline, relative to the repository root. */
    public Path conventionalPath() {
        return Path.of(conventionalPath);
    }

    /** True for the platforms whose pipeline is YAML (all but Jenkins). */
    public boolean yaml() {
        return this != JENKINS;
    }

    /** The platform with the given id, case-insensitively; anything else is refused listing the ids. */
    public static Platform parse(String id) {
        return Enums.parse(Platform.class, id, "platform");
    }
}
