package neural.mlops.registry;

import neural.mlops.store.storage.TestStorages;

/** The registry contract on a folder. */
class LocalRegistryStoreTest extends RegistryStoreContract {

    @Override
    protected TestStorages.Backend backend() {
        return TestStorages.Backend.LOCAL;
    }
}
