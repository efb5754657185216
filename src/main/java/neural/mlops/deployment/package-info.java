/**
 * The deployment tracker (SPEC 2.2, 3.2): which model version is deployed to which environment and
 * endpoint, with activation, deactivation, rollback and an HTTP health probe. One JSON document per
 * deployment at the root of the tracker's {@link neural.mlops.store.storage.Storage} (a folder or a
 * bucket prefix); read-modify-writes are the store's critical section and write conditionally on
 * the versions they read.
 *
 * <p>Depends on {@code neural.mlops.store}, {@code neural.mlops.audit} and {@code neural.mlops.identity}
 * (the payload a change is signed over) only. The model registry is reached through
 * {@link neural.mlops.deployment.ModelCatalog} and the policy through
 * {@link neural.mlops.deployment.DeploymentGuard}, so this package depends on neither.
 */
package neural.mlops.deployment;
