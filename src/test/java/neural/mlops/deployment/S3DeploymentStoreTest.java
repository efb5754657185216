package neural.mlops.deployment;

import neural.mlops.store.storage.TestStorages;

/** The deployment tracker's contract on the shared S3 test server, a fresh prefix per test. */
class S3DeploymentStoreTest extends DeploymentStoreContract {

    @Override
    TestStorages.Backend backend() {
        return TestStorages.Backend.S3;
    }
}
