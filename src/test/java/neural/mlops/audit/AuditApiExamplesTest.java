package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import neural.mlops.store.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java equivalents of the original's examples, as docs/api.md shows them, run end to end. */
class AuditApiExamplesTest {

    @TempDir
    Path dir;

    @Test
    void theExamplesOfTheApiPageRunAsShown() {
        Path auditLogs = dir.resolve("audit_logs");
        Path auditTrailJson = dir.resolve("audit_trail.json");

        AuditLogger audit = new AuditLogger(auditLogs);

        AuditEvent deployed = audit.logModelDeployment("fraud_detector", "v2.0.0", "devops@company.com", "production");

        AuditEvent violation = audit.logSecurityViolation("unknown@external.com", "model", "fraud_detector:v2.0.0",
                "unauthorized_access", Map.of("ip_address", "192.168.1.1"), "192.168.1.1");

        List<AuditEvent> events = audit.queryEvents(AuditFilter.all()
                .withType(EventType.MODEL_DEPLOYED)
                .withSince(Instant.now().minus(Duration.ofDays(7)))
                .withSeverity(EventSeverity.INFO));

        ComplianceReport report = audit.generateComplianceReport(Instant.now().minus(Duration.ofDays(90)), Instant.now());
        long total = report.totalEvents();
        int violations = report.securityViolations().size();

        ExportResult exported = audit.exportAuditTrail(auditTrailJson, ExportFormat.JSON,
                Instant.parse("2024-01-01T00:00:00Z"), Instant.now());

        IntegrityReport integrity = audit.verifyIntegrity();
        if (!integrity.intact()) {
            integrity.problems().forEach(System.err::println);
        }

        assertThat(deployed.resourceId()).isEqualTo("fraud_detector:v2.0.0");
        assertThat(violation.severity()).isEqualTo(EventSeverity.CRITICAL);
        assertThat(events).containsExactly(deployed);
        assertThat(total).isEqualTo(2);
        assertThat(violations).isEqualTo(1);
        assertThat(exported.count()).isEqualTo(3); // the two events and the report_generated event
        assertThat(Json.readObject(auditTrailJson).get("events")).hasSize(3);
        assertThat(integrity.intact()).isTrue();
        assertThat(integrity.headSeq()).isEqualTo(4); // and the export, audited
    }
}
