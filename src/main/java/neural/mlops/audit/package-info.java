/**
 * The audit trail (SPEC 2.3, 3.3): tamper-evident, fail-closed event log with query, compliance
 * report, export and verification. Depends on {@code neural.mlops.store} only.
 */
package neural.mlops.audit;
