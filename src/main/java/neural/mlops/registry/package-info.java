/**
 * The model registry (SPEC 2, 2.1, 3.1): versioned model files with metadata documents, stage
 * promotion, comparison and artifact verification, on the original {@code models/} layout, in a
 * folder or an S3 prefix alike.
 *
 * <p>{@link neural.mlops.registry.ModelRegistry} is the entry point. Depends on
 * {@code neural.mlops.store} (documents and model files are read and written through its
 * {@code storage.Storage}) and the {@code AuditSink} interface of
 * {@code neural.mlops.audit}; never on JavaFX, the CLI or the app.
 */
package neural.mlops.registry;
