package neural.mlops.store.storage;

/**
 * A small document as read, with the version to pass to {@link Condition#matches} when writing it back.
 *
 * @param key where it is
 * @param content its bytes (the caller's to keep; never changed by the storage)
 * @param version the version the content belongs to
 */
public record Document(Key key, byte[] content, Version version) {
}
