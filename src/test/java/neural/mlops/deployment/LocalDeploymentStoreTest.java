package neural.mlops.deployment;

import neural.mlops.store.storage.TestStorages;

/** The deployment tracker's contract on a local folder. */
class LocalDeploymentStoreTest extends DeploymentStoreContract {

    @Override
    TestStorages.Backend backend() {
        return TestStorages.Backend.LOCAL;
    }
}
