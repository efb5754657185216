/**
 * The Deployments tab (SPEC 5): deployments by environment and status, New Deployment, activate,
 * deactivate and roll back, health probes, and the per-environment timeline. Uses the core's
 * {@code neural.mlops.deployment} and {@code neural.mlops.registry} and {@code app.common}; never
 * another tab.
 */
package neural.mlops.app.deployments;
