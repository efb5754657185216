package neural.mlops.audit;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.ConditionFailedException;
import neural.mlops.store.storage.ForwardingStorage;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.Version;

/**
 * A storage whose critical section is no section at all (the body runs at once, as under an S3
 * lease that expired under a stalled holder), so that only the conditional writes keep writers
 * apart; and which can answer a create it carried out with "already exists", as an SDK does when
 * it retried a request whose first attempt had in fact succeeded.
 */
final class WithoutLockStorage extends ForwardingStorage {

    private final Predicate<Key> createThenReportLost;

    WithoutLockStorage(Storage storage, Predicate<Key> createThenReportLost) {
        super(storage);
        this.createThenReportLost = createThenReportLost;
    }

    @Override
    public Version write(Key key, byte[] content, Condition condition) {
        Version written = real.write(key, content, condition);
        if (condition instanceof Condition.Absent && createThenReportLost.test(key)) {
            throw new ConditionFailedException(key, key + " already exists");
        }
        return written;
    }

    @Override
    public <T> T exclusively(Key lock, Duration wait, Supplier<T> body) {
        return body.get();
    }
}
