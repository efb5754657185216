package neural.mlops.store.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** A storage that counts the reads, stats and listings that reach it: what a store costs, on any backend. */
public final class CountingStorage implements Storage {
    public final AtomicInteger reads = new AtomicInteger();
    public final AtomicInteger stats = new AtomicInteger();
    public final AtomicInteger lists = new AtomicInteger();
    private final Storage real;

    public CountingStorage(Storage real) {
        this.real = real;
    }

    @Override
    public String location() {
        return real.location();
    }

    @Override
    public Optional<Document> read(Key key, long maxBytes) {
        reads.incrementAndGet();
        return real.read(key, maxBytes);
    }

    @Override
    public Optional<StoredObject> stat(Key key) {
        stats.incrementAndGet();
        return real.stat(key);
    }

    /** Reads and stats together: every request for one object. */
    public int readsAndStats() {
        return reads.get() + stats.get();
    }

    /** Starts counting again from zero. */
    public void reset() {
        reads.set(0);
        stats.set(0);
        lists.set(0);
    }

    @Override
    public Optional<InputStream> openStream(Key key) {
        reads.incrementAndGet();
        return real.openStream(key);
    }

    @Override
    public Version write(Key key, byte[] content, Condition condition) {
        return real.write(key, content, condition);
    }

    @Override
    public boolean versionsIdentifyContent() {
        return real.versionsIdentifyContent();
    }

    @Override
    public void requireWritable(Key key) {
        real.requireWritable(key);
    }

    @Override
    public Version upload(Key key, InputStream source, long sizeBytes, Condition condition,
                          TransferListener listener) {
        return real.upload(key, source, sizeBytes, condition, listener);
    }

    @Override
    public boolean delete(Key key, Condition condition) {
        return real.delete(key, condition);
    }

    @Override
    public Stream<StoredObject> list(String folder) {
        lists.incrementAndGet();
        return real.list(folder);
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
    public void close() {
        // The counted storage belongs to the test.
    }
}
