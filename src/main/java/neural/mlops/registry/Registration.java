package neural.mlops.registry;

/**
 * The result of {@link ModelRegistry#registerOrConfirm}: the version as registered, and whether it
 * was registered before (the same model file and metadata), in which case nothing was written.
 */
public record Registration(ModelVersion version, boolean alreadyRegistered) {
}
