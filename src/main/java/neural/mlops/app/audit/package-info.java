/**
 * The Audit tab (SPEC 5): the events table with filters and a detail pane, the Compliance
 * Report window, the Export Audit Trail dialog and Verify Integrity. Uses the core's
 * {@code neural.mlops.audit} and {@code app.common}; never another tab.
 */
package neural.mlops.app.audit;
