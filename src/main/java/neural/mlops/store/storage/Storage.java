package neural.mlops.store.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The one interface every store is written against (SPEC 9): a workspace's documents by
 * {@link Key}, read with their {@link Version} and written back under a {@link Condition}.
 * Read-modify-write never holds a lock across calls: read, modify, write with
 * {@code Condition.matches(version)}, and on {@link ConditionFailedException} read again and retry.
 * A write that claims something (a new model version, an audit seq) is a create with
 * {@code Condition.absent()}, which exactly one writer wins, across threads and processes.
 *
 * <p>Every write is atomic: a reader sees the old content or the new, never part of it, and a
 * write that fails or is cancelled leaves the key as it was. Every write and delete also changes
 * the {@link #changeMarker()}. Implementations are thread-safe.
 */
public interface Storage extends AutoCloseable {

    /** Where this storage is, for messages: a folder or {@code s3://bucket/prefix}. Never holds credentials. */
    String location();

    /**
     * Reads a small document whole, with its version; empty when the key does not exist.
     * A document larger than {@code maxBytes} is refused with {@code InvalidInputException}.
     */
    Optional<Document> read(Key key, long maxBytes);

    /** The key's size and version without reading it; empty when it does not exist. */
    Optional<StoredObject> stat(Key key);

    /** Opens a large object (a model file) for streaming; empty when it does not exist. The caller closes the stream. */
    default Optional<InputStream> openStream(Key key) {
        return openStream(key, 0);
    }

    /**
     * Opens the object for streaming from byte {@code offset} on (past its end, a stream that ends at
     * once), so that a reader can take a large object a piece at a time, in any order; empty when it
     * does not exist. The caller closes the stream.
     */
    Optional<InputStream> openStream(Key key, long offset);

    /**
     * Writes {@code content} at {@code key} when {@code condition} holds and returns the new version;
     * throws {@link ConditionFailedException}, having written nothing, when it does not.
     */
    Version write(Key key, byte[] content, Condition condition);

    /**
     * {@link #write} of a derived object, one its readers check and can do without (the audit
     * trail's day indexes and its append hint), which a backend may leave unflushed: after a power
     * cut it may be missing, empty or an earlier version, never a mix of two. A process that stops
     * part-way leaves it as {@link #write} would. A bucket has nothing to flush: the same as write.
     */
    default Version writeDerived(Key key, byte[] content, Condition condition) {
        return write(key, content, condition);
    }

    /**
     * Refuses at once a write to {@code key} that this storage would refuse for where the key leads
     * (on a folder: through a symbolic link out of the root, SPEC 2), so that a store can check it
     * before it records its audit events and a refused change leaves no trace. Nothing to check on
     * an object store.
     */
    default void requireWritable(Key key) {
    }

    /** Creates {@code key}, or throws {@link ConditionFailedException} when it exists. */
    default Version create(Key key, byte[] content) {
        return write(key, content, Condition.absent());
    }

    /**
     * Creates each of {@code keys} with the content at the same place in {@code contents}, as
     * {@link #create} would one after the other, and returns their versions in that order: a reader
     * never sees one of them without those before it. All or nothing for the caller: when a key
     * exists (or is named twice), throws {@link ConditionFailedException} naming it, and when a write
     * fails, throws that failure; either way the objects this call created are removed again, newest
     * first. When one cannot be removed, it and those before it stay, and an exception suppressed in
     * the one thrown names it. A backend may write them together: on a folder their contents are
     * flushed in parallel and each folder once (an audit group's events); a bucket has nothing to
     * flush and creates them one by one.
     */
    default List<Version> createEach(List<Key> keys, List<byte[]> contents) {
        if (keys.size() != contents.size()) {
            throw new IllegalArgumentException(keys.size() + " keys but " + contents.size() + " contents");
        }
        List<Version> created = new ArrayList<>(keys.size());
        try {
            for (int i = 0; i < keys.size(); i++) {
                created.add(create(keys.get(i), contents.get(i)));
            }
            return created;
        } catch (RuntimeException failed) {
            for (int i = created.size() - 1; i >= 0; i--) {
                try {
                    delete(keys.get(i), Condition.matches(created.get(i)));
                } catch (RuntimeException stays) {
                    failed.addSuppressed(stays);
                    break; // those before it stay too
                }
            }
            throw failed;
        }
    }

    /** Replaces {@code key} if it still has {@code expected}, or throws {@link ConditionFailedException}. */
    default Version replace(Key key, byte[] content, Version expected) {
        return write(key, content, Condition.matches(expected));
    }

    /**
     * Streams a large object into {@code key} (multipart on S3), reporting progress and honouring
     * cancellation through {@code listener}; the object appears whole when the upload completes and
     * under {@code condition}, or not at all. {@code sizeBytes} is the expected size, -1 when unknown.
     * Throws {@link TransferCancelledException} when cancelled or interrupted.
     */
    Version upload(Key key, InputStream source, long sizeBytes, Condition condition, TransferListener listener);

    /**
     * Deletes {@code key} when {@code condition} holds ({@code none()}: whatever it holds; {@code matches}:
     * only that version). Returns false when the key did not exist (and the condition did not demand it).
     */
    boolean delete(Key key, Condition condition);

    /**
     * Every object under {@code folder} (see {@link Key#folder}; {@code ""} for everything), at any
     * depth, in no particular order, without reading them; the storage's own objects and unfinished
     * writes are never listed. The stream is lazy (large trails are paged) and must be closed.
     */
    Stream<StoredObject> list(String folder);

    /**
     * The names of the folders directly under {@code folder} ({@code ""} for the top), in no
     * particular order, without listing the objects in them: one folder read on disk, one
     * delimiter listing (per 1,000 names) on a bucket. A folder is named when some object is under
     * it; on disk a folder left empty (by a process killed between removing its last object and
     * the folder) may be named too, so a caller that needs objects lists the folder. The storage's
     * own folder, and names no key can hold, are never given. The stream must be closed.
     */
    Stream<String> folders(String folder);

    /**
     * The objects directly in {@code folder} whose names start with {@code namePrefix} (a model's
     * documents, {@code fraud_detector_}), as {@link #list} gives them: one folder read on disk,
     * where only the names that match are looked at, one prefix listing on a bucket. What it costs
     * follows the answer, not the folder, wherever names can be filtered before objects are read.
     * The stream must be closed.
     */
    Stream<StoredObject> listNamed(String folder, String namePrefix);

    /**
     * Removes what writers that died left of their unfinished uploads under {@code folder} ({@code ""}
     * for everything), when started more than {@code olderThan} ago: a folder's temporary files, an
     * object store's multipart uploads, which are never listed yet take space (and are billed on S3).
     * Younger ones may belong to an upload still under way in another process and are left alone.
     * Returns how many were removed; best effort for each one.
     */
    int abortUnfinishedUploads(String folder, Duration olderThan);

    /** The current change marker: one small read (one HEAD on S3). */
    ChangeMarker changeMarker();

    /**
     * Checks on a scratch key that this storage refuses a create over an existing key and a replace
     * with a stale version; throws {@link UnsafeStorageException} when it does not. Called when a
     * workspace is opened for writing.
     */
    default void requireConditionalWrites() {
        ConditionalWriteProbe.check(this);
    }

    /**
     * Runs {@code body}, one read-modify-write of a store, as that store's critical section. On a
     * folder it holds the store's inter-process lock file at {@code lock} (SPEC 2: the GUI and a
     * pipeline's CLI never lose each other's changes, and earlier releases of this product, which
     * take the same lock files, are kept out too), waiting at most {@code wait}. An object store has
     * no lock: the body runs at once and its conditional writes decide, so the body must read
     * fresh and be safe to run again when one of its writes fails its condition; wrap the call in
     * {@link Optimistic#retry}, which is what every store does, so no store branches on the backend.
     */
    <T> T exclusively(Key lock, Duration wait, Supplier<T> body);

    /** {@link #exclusively(Key, Duration, Supplier)} with the default wait of 15 s. */
    default <T> T exclusively(Key lock, Supplier<T> body) {
        return exclusively(lock, Optimistic.LOCK_WAIT, body);
    }

    /**
     * The file behind {@code key} when this storage is a folder, for showing it to the user (open its
     * folder in the file manager); empty on an object store. Stores never read or write through it.
     */
    Optional<Path> localFile(Key key);

    /**
     * The objects under {@code folder} as a storage of their own, keys relative to it: how a
     * workspace hands each store its root ({@code models}, {@code deployments}, {@code audit_logs}).
     * Writes through the view change this storage's change marker.
     */
    default Storage under(String folder) {
        return new FolderView(this, folder);
    }

    /**
     * Whether a key's {@link Version} changes with every write that changes its content, however
     * close together the writes (S3 ETags and object versions do). A file's stamp does not: two
     * writes within one tick of the file system's clock can leave the same size and time, so a
     * parse cached under a file's stamp is trusted only once that tick has passed.
     */
    default boolean versionsIdentifyContent() {
        return false;
    }

    /** The requests and bytes this storage has cost on the network so far; {@link Traffic#NONE} for a folder. */
    default Traffic traffic() {
        return Traffic.NONE;
    }

    /** Releases connections; the storage is not used afterwards. */
    @Override
    void close();
}
