/**
 * The desktop application (SPEC 5): the main window and its launcher. One sub-package per tab
 * ({@code app.registry}, {@code app.deployments}, {@code app.audit}, {@code app.ci}) plus
 * {@code app.common}. Views are built in code; view models use only JavaFX beans, collections
 * and concurrency, never the scene graph. Uses the core; never {@code neural.mlops.cli}.
 */
package neural.mlops.app;
