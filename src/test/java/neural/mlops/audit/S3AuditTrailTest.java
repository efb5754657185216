package neural.mlops.audit;

import neural.mlops.store.storage.TestStorages;

/** The audit trail contract on S3 (the shared in-process S3Mock server, a fresh prefix per test). */
class S3AuditTrailTest extends AuditTrailContract {

    @Override
    protected TestStorages.Backend backend() {
        return TestStorages.Backend.S3;
    }

    @Override
    protected int eventsPerWriter() {
        return 50;
    }
}
