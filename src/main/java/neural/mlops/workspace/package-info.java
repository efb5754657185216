/**
 * A workspace (SPEC 2): the folder holding the three stores and {@code workspace.yaml}. Opens the
 * registry, the deployment tracker and the audit trail together, wired so that every lifecycle
 * action is audited, and tells when another process changed something. Core: no JavaFX.
 */
package neural.mlops.workspace;
