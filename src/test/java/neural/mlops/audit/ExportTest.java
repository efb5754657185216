package neural.mlops.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Json;
import neural.mlops.testing.TestClock;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports: streamed, atomic, audited, and safe to open in a spreadsheet. */
class ExportTest {

    @TempDir
    Path dir;

    final TestClock clock = TestClock.at("2024-01-15T12:00:00Z");

    AuditLogger audit() {
        return new AuditLogger(dir.resolve("audit_logs"), clock, Optional.empty());
    }

    @Test
    void exportAuditTrailToJsonForADateRangeWritesTheHeaderTheStoredEventsAndTheCount() throws IOException {
        AuditLogger audit = audit();
        audit.logModelDeployment("fraud_detector", "v1.0.0", "devops", "staging");
        clock.advance(Duration.ofDays(3));
        audit.logModelDeployment("fraud_detector", "v2.0.0", "devops@company.com", "production");
        AuditEvent newest = audit.logSecurityViolation("unknown@external.com", "model", "fraud_detector:v2.0.0", "unauthorized_access",
                Map.of("ip_address", "192.168.1.1"));
        Path out = dir.resolve("exports/audit_trail.json");

        ExportResult result = audit.exportAuditTrail(out, ExportFormat.JSON,
                Instant.parse("2024-01-16T00:00:00Z"), clock.instant());

        assertThat(result.count()).isEqualTo(2);
        assertThat(result.path()).isEqualTo(out.toAbsolutePath());
        assertThat(result.bytes()).isEqualTo(Files.size(out));
        assertThat(result.sha256()).isEqualTo(sha256(out));
        JsonNode export = Json.readObject(out);
        assertThat(export.at("/export/period/start").asText()).isEqualTo("2024-01-16T00:00:00.000000Z");
        assertThat(export.at("/export/head/seq").asLong()).isEqualTo(3);
        assertThat(export.at("/export/head/hash").asText()).isEqualTo(newest.hash());
        assertThat(export.get("count").asLong()).isEqualTo(2);
        assertThat(export.get("events")).hasSize(2);
        // Oldest first, each event exactly as stored, so the chain can be checked from the export alone.
        JsonNode first = export.get("events").get(0);
        assertThat(first.get("seq").asLong()).isEqualTo(2);
        assertThat(first.get("hash").asText()).isEqualTo(Canonical.sha256Hex(withoutHash(first)));
        assertThat(export.get("events").get(1).get("prev_hash")).isEqualTo(first.get("hash"));

        // The export is itself audited with its count and the SHA-256 of the file.
        AuditEvent exported = audit.queryEvents(AuditFilter.all().withType(EventType.AUDIT_EXPORTED)).get(0);
        assertThat(exported.details()).containsEntry("sha256", result.sha256()).containsEntry("format", "json");
        assertThat(exported.details().get("count").toString()).isEqualTo("2");
    }

    @Test
    void jsonLinesHoldOneStoredEventPerLine() throws IOException {
        AuditLogger audit = audit();
        audit.logModelDeployment("a", "v1", "devops", "production");
        audit.logModelDeployment("b", "v1", "devops", "production");
        Path out = dir.resolve("trail.jsonl");

        ExportResult result = audit.exportAuditTrail(out, ExportFormat.JSONL, AuditFilter.all().withResourceId("b:v1"), "auditor");

        assertThat(result.count()).isEqualTo(1);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(1);
        assertThat(Json.mapper().readTree(lines.get(0)).get("resource_id").asText()).isEqualTo("b:v1");
    }

    @Test
    void csvNeutralisesFormulaCellsAndRoundTripsThroughCommonsCsv() throws IOException {
        AuditLogger audit = audit();
        List<String> hostile = List.of("=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR");
        for (String value : hostile) {
            audit.logEvent(new AuditRecord(EventType.ACCESS_DENIED, EventSeverity.WARNING, "bob", "model", "a:v1",
                    "promote", Outcome.DENIED, value, Map.of("note", value, "multi", "line one\nline \"two\", three"), null));
        }
        Path out = dir.resolve("trail.csv");

        ExportResult result = audit.exportAuditTrail(out, ExportFormat.CSV);

        assertThat(result.count()).isEqualTo(hostile.size());
        try (Reader reader = Files.newBufferedReader(out, StandardCharsets.UTF_8);
             CSVParser csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
            assertThat(csv.getHeaderNames()).containsExactlyElementsOf(Exporter.CSV_COLUMNS);
            List<CSVRecord> rows = csv.getRecords();
            assertThat(rows).hasSize(hostile.size());
            for (int i = 0; i < hostile.size(); i++) {
                CSVRecord row = rows.get(i);
                String reason = hostile.get(i).startsWith("\r") ? hostile.get(i).substring(1) : hostile.get(i);
                assertThat(row.get("seq")).isEqualTo(String.valueOf(i + 1));
                assertThat(row.get("reason")).isEqualTo(Exporter.neutralise(reason));
                assertThat(row.get("details")).startsWith("{");
                JsonNode details = Json.mapper().readTree(row.get("details"));
                assertThat(details.get("note").asText()).isEqualTo(hostile.get(i));
                assertThat(details.get("multi").asText()).isEqualTo("line one\nline \"two\", three");
                for (String cell : row.values()) {
                    assertThat(cell).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("-")
                            .doesNotStartWith("@").doesNotStartWith("\t").doesNotStartWith("\r");
                }
            }
        }
        assertThat(Exporter.neutralise("=1+1")).isEqualTo("'=1+1");
        assertThat(Exporter.neutralise("fine")).isEqualTo("fine");
        assertThat(Exporter.neutralise("")).isEmpty();
    }

    @Test
    void csvEscapesTerminalControlsAndInvisibleCharactersWhileDetailsStayTheSameJson() throws IOException {
        AuditLogger audit = audit();
        String note = "\u202egnp.exe\u2028\u001b[2J\u0085\u200b";
        audit.logEvent(new AuditRecord(EventType.ACCESS_DENIED, EventSeverity.WARNING, "bob", "model", "a:v1",
                "promote", Outcome.DENIED, "why \u202egnp\nsecond line", Map.of("note", note), null));
        Path out = dir.resolve("trail.csv");

        audit.exportAuditTrail(out, ExportFormat.CSV);

        assertThat(Files.readString(out)).doesNotContain("\u202e", "\u2028", "\u001b", "\u0085", "\u200b");
        try (Reader reader = Files.newBufferedReader(out, StandardCharsets.UTF_8);
             CSVParser csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
            CSVRecord row = csv.getRecords().get(0);
            assertThat(row.get("reason")).isEqualTo("why \\u202egnp\nsecond line");
            assertThat(Json.mapper().readTree(row.get("details")).get("note").asText()).isEqualTo(note);
        }
        assertThat(Exporter.csvCell("\u001b=cmd")).isEqualTo("\\u001b=cmd");
        assertThat(Exporter.csvCell("=\u202e")).isEqualTo("'=\\u202e");
        assertThat(Exporter.csvCell("\rCR")).isEqualTo("\\u000dCR");
    }

    @Test
    void anExportThatCannotBeAuditedLeavesNoFile() throws IOException {
        AuditLogger signed = new AuditLogger(dir.resolve("audit_logs"), clock, Optional.of(AuditKey.of("the key of this trail 123")));
        signed.logModelDeployment("a", "v1", "devops", "production");
        Path out = dir.resolve("trail.json");

        // Without the key the export cannot be recorded in the signed trail: fail closed.
        assertThatThrownBy(() -> audit().exportAuditTrail(out, ExportFormat.JSON)).hasMessageContaining("is signed");

        assertThat(out).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.filter(neural.mlops.store.AtomicFiles::isTemporary)).isEmpty();
        }
    }

    @Test
    void anExportReplacesAnOlderFileWholeOnlyWhenAllowedAndRefusesAFolder() throws IOException {
        AuditLogger audit = audit();
        audit.logModelDeployment("a", "v1", "devops", "production");
        Path out = Files.writeString(dir.resolve("trail.jsonl"), "old content\n");
        assertThatThrownBy(() -> audit.exportAuditTrail(out, ExportFormat.JSONL))
                .isInstanceOf(neural.mlops.store.ConflictException.class).hasMessageContaining("already exists");
        assertThat(Files.readString(out)).isEqualTo("old content\n");
        audit.exportAuditTrail(out, ExportFormat.JSONL, AuditFilter.all(), "devops", true, ExportListener.NONE);
        assertThat(Files.readString(out)).doesNotContain("old content").contains("\"a:v1\"");
        assertThatThrownBy(() -> audit.exportAuditTrail(dir, ExportFormat.CSV))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is a folder");
        assertThatThrownBy(() -> ExportFormat.parse("xml")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("expected one of json, jsonl, csv, yaml");
    }

    private static JsonNode withoutHash(JsonNode event) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = event.deepCopy();
        copy.remove("hash");
        return copy;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
