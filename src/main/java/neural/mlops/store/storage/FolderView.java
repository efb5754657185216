package neural.mlops.store.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A storage's objects under one folder, seen as a storage rooted there ({@link Storage#under}):
 * every key is prefixed on the way in and stripped on the way out. Nothing is held of its own;
 * closing the view leaves the storage open (the workspace owns it).
 */
final class FolderView implements Storage {

    private final Storage storage;
    private final String prefix;

    FolderView(Storage storage, String folder) {
        this.storage = storage;
        this.prefix = Key.folder(folder);
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("A folder view needs a folder; use the storage itself for its root");
        }
        Key.of(prefix + "probe"); // a reserved folder is refused here, not at the first read
    }

    @Override
    public String location() {
        String location = storage.location();
        return location + (location.endsWith("/") ? "" : "/") + prefix.substring(0, prefix.length() - 1);
    }

    @Override
    public Optional<Document> read(Key key, long maxBytes) {
        return storage.read(outer(key), maxBytes).map(document -> new Document(key, document.content(), document.version()));
    }

    @Override
    public Optional<StoredObject> stat(Key key) {
        return storage.stat(outer(key)).map(object -> new StoredObject(key, object.sizeBytes(), object.version()));
    }

    @Override
    public Optional<InputStream> openStream(Key key, long offset) {
        return storage.openStream(outer(key), offset);
    }

    @Override
    public Version write(Key key, byte[] content, Condition condition) {
        return storage.write(outer(key), content, condition);
    }

    @Override
    public List<Version> createEach(List<Key> keys, List<byte[]> contents) {
        List<Key> outer = keys.stream().map(this::outer).toList();
        try {
            return storage.createEach(outer, contents);
        } catch (ConditionFailedException taken) {
            int index = outer.indexOf(taken.key());
            if (index < 0) {
                throw taken;
            }
            ConditionFailedException named = new ConditionFailedException(keys.get(index), taken.getMessage());
            named.initCause(taken);
            throw named;
        }
    }

    @Override
    public Version writeDerived(Key key, byte[] content, Condition condition) {
        return storage.writeDerived(outer(key), content, condition);
    }

    @Override
    public void requireWritable(Key key) {
        storage.requireWritable(outer(key));
    }

    @Override
    public Version upload(Key key, InputStream source, long sizeBytes, Condition condition, TransferListener listener) {
        return storage.upload(outer(key), source, sizeBytes, condition, listener);
    }

    @Override
    public boolean delete(Key key, Condition condition) {
        return storage.delete(outer(key), condition);
    }

    @Override
    public Stream<StoredObject> list(String folder) {
        String inner = Key.folder(folder);
        return storage.list(prefix + inner).map(this::inner);
    }

    /** An object of the storage as this view names it. */
    private StoredObject inner(StoredObject object) {
        return new StoredObject(Key.of(object.key().value().substring(prefix.length())), object.sizeBytes(),
                object.version());
    }

    @Override
    public Stream<StoredObject> listNamed(String folder, String namePrefix) {
        return storage.listNamed(prefix + Key.folder(folder), namePrefix).map(this::inner);
    }

    @Override
    public Stream<String> folders(String folder) {
        return storage.folders(prefix + Key.folder(folder));
    }

    @Override
    public int abortUnfinishedUploads(String folder, Duration olderThan) {
        return storage.abortUnfinishedUploads(prefix + Key.folder(folder), olderThan);
    }

    @Override
    public ChangeMarker changeMarker() {
        return storage.changeMarker();
    }

    @Override
    public void requireConditionalWrites() {
        storage.requireConditionalWrites();
    }

    @Override
    public <T> T exclusively(Key lock, Duration wait, Supplier<T> body) {
        return storage.exclusively(outer(lock), wait, body);
    }

    @Override
    public Optional<Path> localFile(Key key) {
        return storage.localFile(outer(key));
    }

    @Override
    public Storage under(String folder) {
        return new FolderView(storage, prefix + Key.folder(folder));
    }

    @Override
    public boolean versionsIdentifyContent() {
        return storage.versionsIdentifyContent();
    }

    @Override
    public Traffic traffic() {
        return storage.traffic();
    }

    @Override
    public void close() {
        // The view holds nothing; the storage it looks into is closed by its owner.
    }

    private Key outer(Key key) {
        return Key.of(prefix + key.value());
    }
}
