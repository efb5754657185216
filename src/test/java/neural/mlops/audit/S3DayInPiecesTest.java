package neural.mlops.audit;

import neural.mlops.store.storage.TestStorages;

/** A busy day exported in pieces from S3 (the shared in-process S3Mock server, a fresh prefix per test). */
class S3DayInPiecesTest extends DayInPiecesContract {

    @Override
    protected TestStorages.Backend backend() {
        return TestStorages.Backend.S3;
    }
}
