package neural.mlops.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import neural.mlops.app.common.DialogService;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.workspace.Workspace;

/** Small real workspaces for the tabs' tests, built through the core as a user would. */
public final class TestWorkspaces {

    private TestWorkspaces() {
    }

    /**
     * fraud_detector v1.0.0 (archived) and v2.0.0 (production), v2.1.0 (staging); deployed to
     * production: v1.0.0 then v2.0.0 (so v2.0.0 replaced v1.0.0), and v2.1.0 pending in staging.
     */
    public static Workspace withDeployments(Path folder) throws IOException {
        Files.createDirectories(folder);
        Workspace workspace = Workspace.open(folder, "tester");
        Path artifact = Files.writeString(folder.resolveSibling(folder.getFileName() + "-model.pt"), "weights");
        for (String version : new String[] {"v1.0.0", "v2.0.0", "v2.1.0"}) {
            workspace.registry().registerModel(RegisterRequest.builder("fraud_detector", version, artifact)
                    .framework("pytorch").metrics(Map.of("accuracy", 0.9)).build());
        }
        workspace.registry().promoteModel("fraud_detector", "v1.0.0", ModelStage.PRODUCTION, "first release");
        String first = workspace.deployments().createDeployment("fraud_detector", "v1.0.0", "production",
                "http://127.0.0.1:9/predict").id();
        workspace.deployments().activateDeployment(first);
        workspace.registry().promoteModel("fraud_detector", "v2.0.0", ModelStage.PRODUCTION, "better");
        workspace.registry().promoteModel("fraud_detector", "v2.1.0", ModelStage.STAGING, "candidate");
        String second = workspace.deployments().createDeployment("fraud_detector", "v2.0.0", "production",
                "http://127.0.0.1:9/predict").id();
        workspace.deployments().activateDeployment(second);
        workspace.deployments().createDeployment("fraud_detector", "v2.1.0", "staging", "http://127.0.0.1:9/staging");
        return workspace;
    }

    /** A dialog service for tests that must not open any dialog: every call fails the test. */
    public static DialogService refusingDialogs() {
        return (DialogService) java.lang.reflect.Proxy.newProxyInstance(TestWorkspaces.class.getClassLoader(),
                new Class<?>[] {DialogService.class}, (proxy, method, args) -> {
                    throw new AssertionError("Unexpected dialog: " + method.getName() + " " + java.util.Arrays.toString(args));
                });
    }
}
