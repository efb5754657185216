package neural.mlops.audit;

/** The forms a copy of a compliance report is saved in ({@link AuditLogger#saveReport}). */
public enum ReportFormat {
    /** The report's JSON, as saved under {@code reports/} (SPEC 3.3). */
    JSON,
    /** A printable, self-contained HTML page ({@link ComplianceReportHtml}). */
    HTML
}
