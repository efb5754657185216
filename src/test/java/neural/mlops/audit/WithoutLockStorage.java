package neural.mlops.audit;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import neural.mlops.store.storage.ChangeMarker;
import neural.mlops.store.storage.Condition;
import neural.mlops.store.storage.ConditionFailedException;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.StoredObject;
import neural.mlops.store.storage.TransferListener;
import neural.mlops.store.storage.Version;

/**
 * A storage whose critical section is no section at all (the body runs at once, as under an S3
 * lease that expired under a stalled holder), so that only the conditional writes keep writers
 * apart; and which can answer a create it carried out with "already exists", as an SDK does when
 * it retried a request whose first attempt had in fact succeeded.
 */
final class WithoutLockStorage implements Storage {

    private final Storage storage;
    private final Predicate<Key> createThenReportLost;

    WithoutLockStorage(Storage storage, Predicate<Key> createThenReportLost) {
        this.storage = storage;
        this.createThenReportLost = createThenReportLost;
    }

    @Override
    public String location() {
        return storage.location();
    }

    @Override
    public Optional<Document> read(Key key, long maxBytes) {
        return storage.read(key, maxBytes);
    }

    @Override
    public Optional<StoredObject> stat(Key key) {
        return storage.stat(key);
    }

    @Override
    public Optional<InputStream> openStream(Key key) {
        return storage.openStream(key);
    }

    @Override
    public Version write(Key key, byte[] content, Condition condition) {
        Version written = storage.write(key, content, condition);
        if (condition instanceof Condition.Absent && createThenReportLost.test(key)) {
            throw new ConditionFailedException(key, key + " already exists");
        }
        return written;
    }

    @Override
    public Version upload(Key key, InputStream source, long sizeBytes, Condition condition, TransferListener listener) {
        return storage.upload(key, source, sizeBytes, condition, listener);
    }

    @Override
    public boolean delete(Key key, Condition condition) {
        return storage.delete(key, condition);
    }

    @Override
    public Stream<StoredObject> list(String folder) {
        return storage.list(folder);
    }

    @Override
    public int abortUnfinishedUploads(String folder, java.time.Duration olderThan) {
        return storage.abortUnfinishedUploads(folder, olderThan);
    }

    @Override
    public ChangeMarker changeMarker() {
        return storage.changeMarker();
    }

    @Override
    public <T> T exclusively(Key lock, Duration wait, Supplier<T> body) {
        return body.get();
    }

    @Override
    public Optional<Path> localFile(Key key) {
        return storage.localFile(key);
    }

    @Override
    public void close() {
        // The wrapped storage is closed by its owner.
    }
}
