/**
 * The audit trail (SPEC 2.3, 3.3): tamper-evident, fail-closed event log with query, compliance
 * report, export and verification. {@link neural.mlops.audit.AuditLogger} is the entry point;
 * the package-private classes split it into the write side (AppendLog), the key layout
 * (TrailLayout), the hashed form (Canonical), what may be written (Sanitizer), export and
 * verification. Every read and write of the trail goes through one
 * {@link neural.mlops.store.storage.Storage} (a folder or a bucket); only exports and copies of
 * reports, which go to files the user chose, and the bulk writer of new local trails use files.
 * Depends on {@code neural.mlops.store}, Jackson, commons-csv and the JCS library.
 */
package neural.mlops.audit;
