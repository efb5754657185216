package neural.mlops.store.storage;

/**
 * A token that changes whenever anything is written through a storage, by any process: the
 * desktop's live refresh compares two of them (one small read or HEAD) instead of listing the stores.
 *
 * @param token opaque; only equality means anything
 */
public record ChangeMarker(String token) {

    /** The marker of a storage that has never been written through. */
    public static final ChangeMarker NEVER_WRITTEN = new ChangeMarker("never-written");
}
