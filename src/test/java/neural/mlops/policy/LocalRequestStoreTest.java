package neural.mlops.policy;

import neural.mlops.store.storage.TestStorages;

/** The promotion requests' contract with the workspace storage on a local folder. */
class LocalRequestStoreTest extends RequestStoreContract {

    @Override
    TestStorages.Backend backend() {
        return TestStorages.Backend.LOCAL;
    }
}
