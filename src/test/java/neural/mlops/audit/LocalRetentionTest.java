package neural.mlops.audit;

import neural.mlops.store.storage.TestStorages;

/** Adoption and archive on a folder. */
class LocalRetentionTest extends RetentionContract {

    @Override
    protected TestStorages.Backend backend() {
        return TestStorages.Backend.LOCAL;
    }
}
