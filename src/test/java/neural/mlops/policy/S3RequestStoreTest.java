package neural.mlops.policy;

import neural.mlops.store.storage.TestStorages;

/** The promotion requests' contract with the workspace storage on the shared S3 test server, a fresh prefix per test. */
class S3RequestStoreTest extends RequestStoreContract {

    @Override
    TestStorages.Backend backend() {
        return TestStorages.Backend.S3;
    }
}
