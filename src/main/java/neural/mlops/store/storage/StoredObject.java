package neural.mlops.store.storage;

/**
 * One entry of a listing or a stat: enough to decide whether to read it (size) and to write it
 * back conditionally (version) without fetching it.
 *
 * @param key where it is
 * @param sizeBytes its size
 * @param version its current version
 */
public record StoredObject(Key key, long sizeBytes, Version version) {
}
