package neural.mlops.audit;

import neural.mlops.store.storage.TestStorages;

/** Adoption and archive on S3 (the shared in-process S3Mock server, a fresh prefix per test). */
class S3RetentionTest extends RetentionContract {

    @Override
    protected TestStorages.Backend backend() {
        return TestStorages.Backend.S3;
    }
}
