package neural.mlops.deployment;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.TestStorages;

/**
 * The other process of {@link DeploymentStoreContract}'s activation race: opens the same workspace
 * storage, says it is ready, waits for "go" on stdin so that both start together, then activates
 * each deployment id it was given in turn.
 *
 * <p>Arguments: the workspace storage ({@link TestStorages#arguments}), then the deployment ids.
 */
public final class DeploymentActivationChild {

    static final String READY = "ready";

    private DeploymentActivationChild() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        int used = TestStorages.argumentCount(arguments);
        try (Storage workspace = TestStorages.open(arguments)) {
            DeploymentManager manager = new DeploymentManager(workspace.under("deployments"));
            manager.listDeployments(null, null, null); // the first request loads the SDK: not part of the race
            System.out.println(READY);
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            for (String id : arguments.subList(used, arguments.size())) {
                manager.activateDeployment(id, "child activation");
            }
        }
    }
}
