package neural.mlops.app.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import neural.mlops.app.TestWorkspaces;
import neural.mlops.app.common.DialogService;
import neural.mlops.app.common.TaskExecutor;
import neural.mlops.deployment.Deployment;
import neural.mlops.deployment.DeploymentStatus;
import neural.mlops.registry.ModelVersion;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The New Deployment dialog's view model: pickers, defaults, validation as you type, creation. */
class NewDeploymentViewModelTest {

    @TempDir
    Path dir;

    Workspace workspace;
    DeploymentsViewModel deployments;

    @BeforeEach
    void open() throws Exception {
        workspace = TestWorkspaces.withDeployments(dir.resolve("ws"));
        deployments = new DeploymentsViewModel(TaskExecutor.CURRENT_THREAD, mock(DialogService.class));
        deployments.showWorkspace(workspace);
    }

    @Test
    void theVersionDefaultsToTheProductionVersionAndTheEndpointToTheLastOneThere() {
        NewDeploymentViewModel model = deployments.newDeployment();

        assertThat(model.models()).containsExactly("fraud_detector");
        assertThat(model.modelProperty().get()).isEqualTo("fraud_detector");
        assertThat(model.versions()).extracting(ModelVersion::version).containsExactly("v2.1.0", "v2.0.0", "v1.0.0");
        assertThat(model.versionProperty().get()).isEqualTo("v2.0.0");
        assertThat(model.environmentProperty().get()).isEqualTo("staging");
        assertThat(model.endpointProperty().get()).isEqualTo("http://127.0.0.1:9/staging");
        assertThat(model.environments()).contains("development", "staging", "production");

        model.environmentProperty().set("production");
        assertThat(model.endpointProperty().get()).isEqualTo("http://127.0.0.1:9/predict");
        assertThat(model.canCreateProperty().get()).isTrue();
    }

    @Test
    void theEndpointIsCheckedAsTheUserTypes() {
        NewDeploymentViewModel model = deployments.newDeployment();

        model.endpointProperty().set("ftp://models");
        assertThat(model.endpointProblemProperty().get()).contains("only http and https");
        assertThat(model.canCreateProperty().get()).isFalse();

        model.endpointProperty().set("http://user:pw@host/predict");
        assertThat(model.endpointProblemProperty().get()).contains("user name or password");

        model.endpointProperty().set("https://models.example.com/predict");
        assertThat(model.endpointProblemProperty().get()).isNull();
        assertThat(model.canCreateProperty().get()).isTrue();
    }

    @Test
    void badEnvironmentsAndUnknownVersionsAreRefusedBeforeAnythingIsWritten() {
        NewDeploymentViewModel model = deployments.newDeployment();

        model.environmentProperty().set("prod env");
        assertThat(model.environmentProblemProperty().get()).startsWith("Invalid environment");
        model.environmentProperty().set("qa");
        model.versionProperty().set("v9.9.9");

        assertThat(model.modelProblemProperty().get()).isEqualTo("fraud_detector has no version 'v9.9.9'.");
        assertThat(model.canCreateProperty().get()).isFalse();
    }

    @Test
    void deployingANonProductionVersionToProductionWarnsButIsAllowed() {
        NewDeploymentViewModel model = deployments.newDeployment();
        model.environmentProperty().set("production");

        model.versionProperty().set("v2.1.0");

        assertThat(model.warningProperty().get()).contains("v2.1.0 is in stage staging, not production");
        assertThat(model.canCreateProperty().get()).isTrue();
    }

    @Test
    void createRecordsAPendingDeploymentOrAnActiveOneWhenAsked() {
        NewDeploymentViewModel model = deployments.newDeployment();
        model.environmentProperty().set("qa");
        model.endpointProperty().set("http://qa.example.com/predict");
        List<Deployment> created = new ArrayList<>();

        model.create(created::add);
        model.activateNowProperty().set(true);
        model.endpointProperty().set("http://qa.example.com/v2");
        model.create(created::add);

        assertThat(created).extracting(Deployment::status).containsExactly(DeploymentStatus.PENDING, DeploymentStatus.ACTIVE);
        assertThat(workspace.deployments().listDeployments("qa", null, null)).hasSize(2);
        deployments.created(created.get(1));
        assertThat(deployments.selectedProperty().get().deploymentId()).isEqualTo(created.get(1).deploymentId());
    }
}
