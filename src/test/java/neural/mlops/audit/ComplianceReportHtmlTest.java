package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import neural.mlops.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The printable HTML report: complete, self-contained, and inert whatever the events hold. */
class ComplianceReportHtmlTest {

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-01-15T12:00:00Z");

    AuditLogger audit() {
        return new AuditLogger(dir.resolve("audit_logs"), clock, Optional.empty());
    }

    @Test
    void hostileEventValuesAreEscapedSoThePageCarriesNoMarkupFromTheTrail() {
        AuditLogger audit = audit();
        audit.logEvent(new AuditRecord(EventType.SECURITY_VIOLATION, EventSeverity.CRITICAL,
                "<script>alert('x')</script>", "model\"><img src=x onerror=alert(1)>", "m&m:v1",
                "<b>steal</b>", Outcome.DENIED, "it's a \"test\" </td></tr></table>",
                Map.of("note", "<iframe src=//evil>"), "10.0.0.1"));
        audit.logAccessDenied("bob", "model", "credit:v1", "promote", "<style>body{display:none}</style>");
        clock.advance(Duration.ofMinutes(1));

        ComplianceReport report = audit.generateComplianceReport(Instant.parse("2024-01-15T00:00:00Z"), clock.instant(), "auditor");
        String html = ComplianceReportHtml.render(report);

        assertThat(html).doesNotContain("<script", "<img", "<b>", "<iframe", "<style>body");
        assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .contains("model&quot;&gt;&lt;img src=x onerror=alert(1)&gt; m&amp;m:v1")
                .contains("&lt;b&gt;steal&lt;/b&gt;")
                .contains("it&#39;s a &quot;test&quot; &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;")
                .contains("&lt;style&gt;body{display:none}&lt;/style&gt;");
        // Only the page's own style element, and nothing fetched from elsewhere.
        assertThat(html.split("<style", -1)).hasSize(2);
        assertThat(html).doesNotContain("<link", "src=\"", "href=\"http", "url(");
    }

    @Test
    void thePageShowsTheSummaryFiguresTheCountsTheEventTablesAndTheIntegrityResult() {
        AuditLogger audit = audit();
        audit.logModelDeployment("fraud_detector", "v2.0.0", "devops", "production");
        audit.logSecurityViolation("mallory", "model", "fraud_detector:v2.0.0", "unauthorized_access", Map.of());
        audit.logModelPromotion("fraud_detector", "v2.0.0", "carol", "staging", "production", "release");
        clock.advance(Duration.ofMinutes(1));

        ComplianceReport report = audit.generateComplianceReport(Instant.parse("2024-01-15T00:00:00Z"), clock.instant(), "auditor");
        String html = ComplianceReportHtml.render(report);

        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("<div class=\"value\">3</div><div class=\"label\">Total events</div>")
                .contains("<div class=\"value\">1</div><div class=\"label\">Security violations</div>")
                .contains("<h2>Security violations (1)</h2>")
                .contains("<td>mallory</td>")
                .contains("<td>model_deployed</td>")
                .contains("<span class=\"ok\">Intact</span>")
                .contains("2024-01-15")
                .contains(report.headHash());
    }

    @Test
    void saveWritesThePageAsUtf8AndCreatesMissingFolders() throws Exception {
        AuditLogger audit = audit();
        audit.logAccessDenied("zoë", "model", "m:v1", "promote", "naïve → refused");
        ComplianceReport report = audit.generateComplianceReport(null, null, "auditor");

        Path file = ComplianceReportHtml.save(report, dir.resolve("out/reports/report.html"));

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("zoë", "naïve → refused");
    }

    @Test
    void escapeLeavesPlainTextAloneAndTurnsControlCharactersIntoSpaces() {
        assertThat(ComplianceReportHtml.escape("fraud_detector v2.0.0")).isEqualTo("fraud_detector v2.0.0");
        assertThat(ComplianceReportHtml.escape("a\u0000b\u001bc")).isEqualTo("a b c");
        assertThat(ComplianceReportHtml.escape(null)).isEmpty();
    }
}
