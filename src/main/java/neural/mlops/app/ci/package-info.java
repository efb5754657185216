/**
 * The CI Templates tab (SPEC 5): platform picker, parameter form from the core's definitions,
 * live syntax-coloured preview, Save As and Copy. Uses the core's {@code neural.mlops.ci} and
 * {@code app.common}; never another tab.
 */
package neural.mlops.app.ci;
