/**
 * The audit trail (SPEC 2.3, 3.3): tamper-evident, fail-closed event log with query, compliance
 * report, export and verification. {@link neural.mlops.audit.AuditLogger} is the entry point;
 * the package-private classes split it into the write side (AppendLog), the layout on disk
 * (TrailLayout), the hashed form (Canonical), what may be written (Sanitizer), export and
 * verification. Depends on {@code neural.mlops.store}, Jackson, commons-csv and the JCS library.
 */
package neural.mlops.audit;
