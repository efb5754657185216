package neural.mlops.store.storage;

import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** A storage that counts the reads, stats and listings that reach it: what a store costs, on any backend. */
public final class CountingStorage extends ForwardingStorage {
    public final AtomicInteger reads = new AtomicInteger();
    public final AtomicInteger stats = new AtomicInteger();
    public final AtomicInteger lists = new AtomicInteger();
    /** Objects the listings handed out, as far as their callers read them. */
    public final AtomicInteger listedObjects = new AtomicInteger();
    public final AtomicInteger folderListings = new AtomicInteger();

    public CountingStorage(Storage real) {
        super(real);
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
        listedObjects.set(0);
        folderListings.set(0);
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

    @Override
    public Optional<InputStream> openStream(Key key, long offset) {
        reads.incrementAndGet();
        return real.openStream(key, offset);
    }

    @Override
    public Stream<StoredObject> list(String folder) {
        lists.incrementAndGet();
        return real.list(folder).peek(object -> listedObjects.incrementAndGet());
    }

    @Override
    public Stream<StoredObject> listNamed(String folder, String namePrefix) {
        lists.incrementAndGet();
        return real.listNamed(folder, namePrefix).peek(object -> listedObjects.incrementAndGet());
    }

    @Override
    public Stream<String> folders(String folder) {
        folderListings.incrementAndGet();
        return real.folders(folder);
    }
}
