package neural.mlops.audit;

import neural.mlops.store.storage.TestStorages;

/** The audit trail contract on a folder. */
class LocalAuditTrailTest extends AuditTrailContract {

    @Override
    protected TestStorages.Backend backend() {
        return TestStorages.Backend.LOCAL;
    }

    @Override
    protected int eventsPerWriter() {
        return 100;
    }
}
