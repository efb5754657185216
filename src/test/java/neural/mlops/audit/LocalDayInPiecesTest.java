package neural.mlops.audit;

import neural.mlops.store.storage.TestStorages;

/** A busy day exported in pieces from a folder. */
class LocalDayInPiecesTest extends DayInPiecesContract {

    @Override
    protected TestStorages.Backend backend() {
        return TestStorages.Backend.LOCAL;
    }
}
