/**
 * The storage seam (SPEC 9, issue 16): one small interface, {@link neural.mlops.store.storage.Storage},
 * that every store can be written against once, and its two backends: a local folder
 * ({@link neural.mlops.store.storage.LocalStorage}, atomic files and a lock) and an S3-compatible
 * bucket ({@link neural.mlops.store.storage.S3Storage}, conditional writes). Keys are the SPEC 2
 * relative paths; concurrency is expressed as conditions on writes, never as locks held by callers.
 *
 * <p>Depends on the JDK, {@code neural.mlops.store} and the AWS SDK for Java v2; nothing above the store layer.
 */
package neural.mlops.store.storage;
