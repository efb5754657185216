package neural.mlops.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The public endpoint check that forms use as the user types: the same rule createDeployment enforces. */
class EndpointProblemTest {

    @Test
    void acceptsHttpAndHttpsUrlsWithAHost() {
        assertThat(DeploymentManager.endpointProblem("http://localhost:8080/predict")).isEmpty();
        assertThat(DeploymentManager.endpointProblem("https://models.example.com/v1/fraud:predict")).isEmpty();
    }

    @Test
    void namesWhatIsWrongWithAnythingElse() {
        assertThat(DeploymentManager.endpointProblem("")).contains("it is empty");
        assertThat(DeploymentManager.endpointProblem("ftp://x/y")).hasValueSatisfying(p -> assertThat(p).contains("http and https"));
        assertThat(DeploymentManager.endpointProblem("http://user:secret@host/")).hasValueSatisfying(
                p -> assertThat(p).contains("user name or password"));
        assertThat(DeploymentManager.endpointProblem("http://host/a b")).hasValueSatisfying(p -> assertThat(p).contains("spaces"));
        assertThat(DeploymentManager.endpointProblem("localhost:8080")).isPresent();
    }
}
