package neural.mlops.registry;

/**
 * Tells the registry whether a version is actively deployed, so that deleting it is refused. The
 * registry does not know deployments; the workspace sets this hook when it opens both stores.
 */
@FunctionalInterface
public interface ActiveDeployments {

    ActiveDeployments NONE = (name, version) -> false;

    boolean isActive(String name, String version);

    /**
     * Whether a deployment of the version is pending (created, not yet serving): deleting a whole
     * model is refused then as well. A hook that does not track pending deployments says no.
     */
    default boolean isPending(String name, String version) {
        return false;
    }
}
