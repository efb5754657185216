/**
 * The deployment tracker (SPEC 2.2, 3.2): which model version is deployed to which environment and
 * endpoint, with activation, deactivation, rollback and an HTTP health probe. One JSON document per
 * deployment under the tracker's root; read-modify-writes hold the store's lock.
 *
 * <p>Depends on {@code neural.mlops.store} and {@code neural.mlops.audit} only. The model registry is
 * reached through {@link neural.mlops.deployment.ModelCatalog}, so this package does not depend on it.
 */
package neural.mlops.deployment;
