package neural.mlops.registry;

import neural.mlops.store.storage.TestStorages;

/** The registry contract on an S3 prefix (the shared in-process S3Mock server). */
class S3RegistryStoreTest extends RegistryStoreContract {

    @Override
    protected TestStorages.Backend backend() {
        return TestStorages.Backend.S3;
    }
}
