package neural.mlops.store.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A storage that hands every call to another, for tests that change one behaviour of a real
 * backend (count its requests, drop its conditions, skip its critical section) and keep the rest.
 * {@link #requireConditionalWrites} is not forwarded: the probe must meet the changed behaviour.
 */
public abstract class ForwardingStorage implements Storage {

    protected final Storage real;

    protected ForwardingStorage(Storage real) {
        this.real = real;
    }

    @Override
    public String location() {
        return real.location();
    }

    @Override
    public Optional<Document> read(Key key, long maxBytes) {
        return real.read(key, maxBytes);
    }

    @Override
    public Optional<StoredObject> stat(Key key) {
        return real.stat(key);
    }

    @Override
    public Optional<InputStream> openStream(Key key, long offset) {
        return real.openStream(key, offset);
    }

    @Override
    public Version write(Key key, byte[] content, Condition condition) {
        return real.write(key, content, condition);
    }

    @Override
    public void requireWritable(Key key) {
        real.requireWritable(key);
    }

    @Override
    public Version upload(Key key, InputStream source, long sizeBytes, Condition condition, TransferListener listener) {
        return real.upload(key, source, sizeBytes, condition, listener);
    }

    @Override
    public boolean delete(Key key, Condition condition) {
        return real.delete(key, condition);
    }

    @Override
    public Stream<StoredObject> list(String folder) {
        return real.list(folder);
    }

    @Override
    public Stream<StoredObject> listNamed(String folder, String namePrefix) {
        return real.listNamed(folder, namePrefix);
    }

    @Override
    public Stream<String> folders(String folder) {
        return real.folders(folder);
    }

    @Override
    public int abortUnfinishedUploads(String folder, Duration olderThan) {
        return real.abortUnfinishedUploads(folder, olderThan);
    }

    @Override
    public ChangeMarker changeMarker() {
        return real.changeMarker();
    }

    @Override
    public <T> T exclusively(Key lock, Duration wait, Supplier<T> body) {
        return real.exclusively(lock, wait, body);
    }

    @Override
    public Optional<Path> localFile(Key key) {
        return real.localFile(key);
    }

    @Override
    public boolean versionsIdentifyContent() {
        return real.versionsIdentifyContent();
    }

    @Override
    public Traffic traffic() {
        return real.traffic();
    }

    /** Does nothing: the wrapped storage is closed by its owner. */
    @Override
    public void close() {
    }
}
