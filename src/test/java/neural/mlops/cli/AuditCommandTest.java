package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import neural.mlops.audit.AuditKey;
import neural.mlops.audit.AuditLogger;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.EventType;
import neural.mlops.store.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit log | query | report | export | verify} through the real command line. */
class AuditCommandTest {

    @TempDir
    Path workspace;

    CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--workspace";
        all[1] = workspace.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.of(all);
    }

    void logTwo() {
        assertThat(run("--user", "devops@company.com", "audit", "log", "--type", "model_deployed", "--resource-type", "model",
                "--resource-id", "fraud_detector:v2.0.0", "--action", "deploy",
                "--details", "{\"environment\": \"production\", \"api_token\": \"tok-123-secret\"}").status()).isZero();
        assertThat(run("--user", "unknown@external.com", "audit", "log", "--type", "security_violation", "--severity", "critical",
                "--resource-type", "model", "--resource-id", "fraud_detector:v2.0.0", "--action", "unauthorized_access",
                "--outcome", "denied", "--ip", "192.168.1.1").status()).isZero();
    }

    @Test
    void logRecordsAnEventAsTheActingUser() throws IOException {
        CliRun run = run("--user", "alice", "--json", "audit", "log", "--type", "config_changed", "--resource-type", "config",
                "--resource-id", "workspace", "--action", "update", "--reason", "rotate credentials",
                "--details", "{\"db\": {\"password\": \"hunter2\"}}");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode event = Json.mapper().readTree(run.out());
        assertThat(event.get("user").asText()).isEqualTo("alice");
        assertThat(event.get("seq").asLong()).isEqualTo(1);
        assertThat(event.at("/details/db/password").asText()).startsWith("redacted:hmac-sha256:");
        assertThat(allFiles()).doesNotContain("hunter2");
        assertThat(workspace.resolve("audit_logs/head.json")).exists();
        assertThat(run("audit", "log", "--type", "config_changed").out()).startsWith("Recorded config_changed as seq 2");
    }

    @Test
    void logRefusesBadInputWithStatusTwoAndWritesNothing() {
        assertThat(run("audit", "log", "--type", "model_exploded").status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run("audit", "log", "--type", "model_exploded").errLines()).singleElement()
                .satisfies(line -> assertThat(line).contains("Unknown event type 'model_exploded'"));
        assertThat(run("audit", "log").status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run("audit", "log", "--type", "config_changed", "--severity", "loud").status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run("audit", "log", "--type", "config_changed", "--details", "{not json").status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run("audit", "log", "--type", "config_changed", "--details", "[1, 2]").status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run("audit", "log", "--type", "config_changed", "--ip", "example.com").status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run("audit", "log", "--type", "config_changed", "--ip", "300.1.1.1").status()).isEqualTo(Cli.BAD_INPUT);
        String oversize = "{\"blob\": \"" + "x".repeat(70 * 1024) + "\"}";
        CliRun big = run("audit", "log", "--type", "config_changed", "--details", oversize);
        assertThat(big.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(big.err()).contains("4096");
        StringBuilder wide = new StringBuilder("{");
        for (int i = 0; i < 40; i++) {
            wide.append(i == 0 ? "" : ",").append("\"f").append(i).append("\": \"").append("y".repeat(2000)).append('"');
        }
        CliRun tooMuch = run("audit", "log", "--type", "config_changed", "--details", wide.append('}').toString());
        assertThat(tooMuch.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(tooMuch.err()).contains("at most 65536");
        assertThat(workspace.resolve("audit_logs")).doesNotExist();
        assertThat(run("audit", "log", "--type", "config_changed", "--ip", "2001:db8::1").status()).isZero();
    }

    @Test
    void addressesWrittenTheOneUsualWayAreRecordedExactlyAsGiven() throws IOException {
        for (String ip : List.of("0.0.0.0", "10.0.0.1", "255.255.255.255", "192.168.100.20", "::1", "2001:db8::1",
                "::ffff:10.2.3.4")) {
            CliRun logged = run("--json", "audit", "log", "--type", "config_changed", "--ip", ip);
            assertThat(logged.status()).as(ip + ": " + logged.err()).isZero();
            assertThat(Json.mapper().readTree(logged.out()).get("ip_address").asText()).isEqualTo(ip);
        }
    }

    @Test
    void queryPrintsATableNewestFirstAndJsonWithJson() throws IOException {
        logTwo();

        CliRun table = run("audit", "query");
        assertThat(table.status()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("TIME").contains("SEQ", "TYPE", "SEVERITY", "USER", "RESOURCE", "ACTION", "OUTCOME");
        assertThat(lines.get(1)).contains("security_violation", "critical", "unknown@external.com", "denied");
        assertThat(lines.get(2)).contains("model_deployed", "devops@company.com", "fraud_detector:v2.0.0");

        CliRun json = run("--json", "audit", "query", "--type", "model_deployed", "--since", "1d");
        JsonNode events = Json.mapper().readTree(json.out());
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("event_type").asText()).isEqualTo("model_deployed");

        assertThat(Json.mapper().readTree(run("--json", "audit", "query", "--user", "UNKNOWN@external.com").out())).hasSize(1);
        assertThat(Json.mapper().readTree(run("--json", "audit", "query", "--event-user", "devops@company.com").out())).hasSize(1);
        assertThat(Json.mapper().readTree(run("--json", "audit", "query", "--severity", "critical").out())).hasSize(1);
        assertThat(Json.mapper().readTree(run("--json", "audit", "query", "--resource", "fraud_detector:v2.0.0",
                "--limit", "1").out())).hasSize(1);
        assertThat(Json.mapper().readTree(run("--json", "audit", "query", "--text", "unauthorized").out())).hasSize(1);
        assertThat(Json.mapper().readTree(run("--json", "audit", "query", "--until", "2000-01-01").out())).isEmpty();
        assertThat(run("audit", "query", "--text", "nothing").err()).contains("No events match");
    }

    @Test
    void queryRefusesBadDatesAndLimitsWithStatusTwo() {
        assertThat(run("audit", "query", "--since", "yesterday").status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run("audit", "query", "--since", "yesterday").err()).contains("Invalid date 'yesterday'");
        assertThat(run("audit", "query", "--since", "2024-02-01", "--until", "2024-01-01").status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run("audit", "query", "--limit", "-1").status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run("audit", "query", "--type", "nope").status()).isEqualTo(Cli.BAD_INPUT);
    }

    @Test
    void reportPrintsTheSummarySavesItAndWritesOut() throws IOException {
        logTwo();
        Path out = workspace.resolve("report.json");

        CliRun run = run("--user", "auditor", "audit", "report", "--since", "2d", "--out", out.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("Total events:        2", "Security violations: 1", "Integrity:           intact",
                "Chain head:          seq 2");
        JsonNode report = Json.readObject(out);
        assertThat(report.get("total_events").asLong()).isEqualTo(2);
        assertThat(report.get("security_violations")).hasSize(1);
        try (Stream<Path> saved = Files.list(workspace.resolve("audit_logs/reports"))) {
            assertThat(saved).hasSize(1);
        }
        JsonNode json = Json.mapper().readTree(run("--json", "audit", "report").out());
        assertThat(json.get("total_events").asLong()).isEqualTo(3); // the first report is an event too
        assertThat(json.at("/events_by_type/report_generated").asLong()).isEqualTo(1);
        assertThat(run("audit", "report", "--since", "soon").status()).isEqualTo(Cli.BAD_INPUT);
    }

    @Test
    void exportWritesEachFormatAndSaysWhatItWrote() throws IOException {
        logTwo();
        for (String format : List.of("json", "jsonl", "csv")) {
            Path out = workspace.resolve("export." + format);
            CliRun run = run("--user", "auditor", "audit", "export", "--out", out.toString(), "--format", format,
                    "--since", "1d", "--type", "security_violation");
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).contains("Exported 1 events to " + out.toAbsolutePath()).contains("sha256 ");
            assertThat(Files.readString(out)).contains("unauthorized_access").doesNotContain("tok-123-secret");
        }
        JsonNode json = Json.mapper().readTree(run("--json", "audit", "export", "--out",
                workspace.resolve("all.jsonl").toString(), "--format", "jsonl").out());
        assertThat(json.get("count").asLong()).isEqualTo(5); // two events and the three exports before
        assertThat(json.get("sha256").asText()).hasSize(64);

        assertThat(run("audit", "export", "--out", "x.csv").status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run("audit", "export", "--out", "x.xml", "--format", "xml").status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run("audit", "export", "--out", "x.csv", "--format", "csv", "--until", "never").status())
                .isEqualTo(Cli.BAD_INPUT);
    }

    @Test
    void verifyExitsZeroWhenIntactAndOneAfterTampering() throws IOException {
        logTwo();
        String headHash = Json.readObject(workspace.resolve("audit_logs/head.json")).get("last_hash").asText();
        CliRun intact = run("audit", "verify");
        assertThat(intact.status()).isZero();
        assertThat(intact.out()).contains("Audit trail intact").contains(headHash);
        // The check itself is recorded, by the core, as the desktop's is.
        assertThat(run("--json", "audit", "query", "--type", "integrity_check").out()).contains("\"result\" : \"intact\"");

        Path first;
        try (Stream<Path> files = Files.walk(workspace.resolve("audit_logs/events"))) {
            first = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        Files.writeString(first, Files.readString(first).replace("production", "staging"));

        CliRun tampered = run("audit", "verify");
        assertThat(tampered.status()).isEqualTo(Cli.FAILED);
        assertThat(tampered.out()).contains("MODIFIED seq 1").contains(first.toString()).contains("NOT intact");
        JsonNode json = Json.mapper().readTree(run("--json", "audit", "verify").out());
        assertThat(json.get("intact").asBoolean()).isFalse();
        assertThat(json.at("/problems/0/kind").asText()).isEqualTo("modified");
        assertThat(json.at("/problems/0/seq").asLong()).isEqualTo(1);
    }

    @Test
    void verifySinceNamesItsWindowInTextAndJsonAndRecordsIt() throws IOException {
        logTwo();

        CliRun window = run("audit", "verify", "--since", "30d");
        assertThat(window.status()).isZero();
        assertThat(window.out()).contains("on (older days not read) intact").contains("the window from");
        JsonNode json = Json.mapper().readTree(run("--json", "audit", "verify", "--since", "30d").out());
        assertThat(json.get("intact").asBoolean()).isTrue();
        assertThat(json.at("/period/start").asText()).isNotEmpty();
        assertThat(json.at("/verified/chain").asText()).contains("the days before the window not read");
        assertThat(run("--json", "audit", "query", "--type", "integrity_check").out()).contains("\"since\"");
    }

    @Test
    void verifySinceWithAnArchiveIsRefusedWithOneMessage() {
        CliRun run = run("audit", "verify", "--since", "30d", "--archive", "x.zip");
        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.err()).contains("--since verifies a window of the trail, --archive an archive");
    }

    @Test
    void verifyOfAWorkspaceWithoutAuditTrailIsIntact() {
        CliRun run = run("audit", "verify");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("Audit trail intact: 0 chained events");
    }

    @Test
    void auditIsListedInTheHelp() {
        assertThat(CliRun.of("--help").out()).contains("audit");
        assertThat(CliRun.of("audit", "--help").out()).contains("log", "query", "report", "export", "verify");
    }

    // Adopt and archive (issue 18)

    /** An event as the original Python module writes it: no seq, no hash. */
    Path legacyEvent(String day, String name, String user) throws IOException {
        Path file = workspace.resolve("audit_logs/events/" + day.replace('-', '/') + "/" + name + ".json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"event_id\": \"" + name + "\", \"event_type\": \"model_registered\", \"timestamp\": \""
                + day + "T10:00:00Z\", \"user\": \"" + user + "\", \"severity\": \"info\", \"tags\": []}");
        return file;
    }

    @Test
    void adoptThenVerifyExitsZeroAndAnEditedAdoptedFileMakesItExitOneNamingIt() throws IOException {
        threePastDays(Optional.empty());
        Path legacy = legacyEvent("2024-01-10", "event_20240110_100000_000001", "alice");
        assertThat(run("audit", "verify").status()).isEqualTo(Cli.FAILED);
        assertThat(run("audit", "adopt").status()).isEqualTo(Cli.BAD_INPUT); // --reason is required

        CliRun adopt = run("--user", "carol", "--json", "audit", "adopt", "--reason", "migrated");

        assertThat(adopt.status()).as(adopt.err()).isZero();
        assertThat(Json.mapper().readTree(adopt.out()).get("adopted").asLong()).isEqualTo(1);
        CliRun verify = run("audit", "verify");
        assertThat(verify.status()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("1 adopted");
        Files.writeString(legacy, Files.readString(legacy).replace("alice", "eve"));
        CliRun tampered = run("audit", "verify");
        assertThat(tampered.status()).isEqualTo(Cli.FAILED);
        assertThat(tampered.out()).contains("MODIFIED").contains(legacy.getFileName().toString());
    }

    @Test
    void archiveThenVerifyAndVerifyArchiveExitZero() throws IOException {
        threePastDays(Optional.empty());
        Path zip = workspace.getParent().resolve(workspace.getFileName() + "-archive.zip");
        try {
            assertThat(run("audit", "archive", "--before", "2024-01-17", "--out", workspace.resolve("audit_logs/a.zip").toString(),
                    "--reason", "r").status()).isEqualTo(Cli.BAD_INPUT);
            assertThat(run("audit", "archive", "--before", "yesterday", "--out", zip.toString(), "--reason", "r").status())
                    .isEqualTo(Cli.BAD_INPUT);

            CliRun archive = run("--json", "audit", "archive", "--before", "2024-01-17", "--out", zip.toString(),
                    "--reason", "keep 30 days");

            assertThat(archive.status()).as(archive.err()).isZero();
            JsonNode json = Json.mapper().readTree(archive.out());
            assertThat(json.get("days")).hasSize(2);
            CliRun verify = run("audit", "verify");
            assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
            assertThat(verify.err()).contains("archived in " + zip.getFileName());
            CliRun verifyArchive = run("audit", "verify", "--archive", zip.toString());
            assertThat(verifyArchive.status()).as(verifyArchive.out()).isZero();
            assertThat(verifyArchive.out()).startsWith("Verified:").contains("Archive intact");
            CliRun export = run("audit", "export", "--out", workspace.getParent().resolve(workspace.getFileName() + ".jsonl")
                    .toString(), "--format", "jsonl", "--since", "2024-01-01", "--until", "2024-01-31");
            assertThat(export.err()).contains("archived in " + zip.getFileName());
        } finally {
            Files.deleteIfExists(zip);
            Files.deleteIfExists(workspace.getParent().resolve(workspace.getFileName() + ".jsonl"));
        }
    }

    // Derived files (index, day summaries) and what verification says it checked

    /** Three past days through the core (the CLI cannot backdate): alice reads, and mallory's violation on the first day. */
    void threePastDays(Optional<AuditKey> key) {
        Path root = workspace.resolve("audit_logs");
        Instant at = Instant.parse("2024-01-15T08:00:00Z");
        for (int day = 0; day < 3; day++) {
            for (int n = 0; n < 3; n++) {
                at = at.plus(Duration.ofMinutes(41));
                new AuditLogger(root, Clock.fixed(at, ZoneOffset.UTC), key).logEvent(AuditRecord.of(EventType.MODEL_ACCESSED,
                        "alice", "model", "fraud_detector:v" + n, "read", Map.of("rows", n)));
            }
            if (day == 0) {
                new AuditLogger(root, Clock.fixed(at.plusSeconds(1), ZoneOffset.UTC), key).logSecurityViolation("mallory",
                        "model", "fraud_detector:v1", "unauthorized_access", Map.of());
            }
            at = at.plus(Duration.ofDays(1));
        }
    }

    Path firstDayIndex(String suffix) {
        return workspace.resolve("audit_logs/index/2024/01/15" + suffix);
    }

    /** Hides mallory's violation in the first day's summary, leaving its seal as it was. */
    void hideTheViolationInTheSummary() throws IOException {
        ObjectNode summary = (ObjectNode) Json.mapper().readTree(Files.readString(firstDayIndex(".summary.json")));
        ArrayNode listed = (ArrayNode) summary.get("listed");
        listed.removeAll();
        ((ObjectNode) summary.get("by_type")).remove("security_violation");
        ((ObjectNode) summary.get("by_user")).remove("mallory");
        summary.put("events", summary.get("events").asLong() - 1);
        summary.set("sum", summary.remove("sum"));
        Files.writeString(firstDayIndex(".summary.json"),
                Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary) + "\n");
    }

    /** Rewrites the first day's index so that trudy, not mallory, committed the violation. */
    void blameTrudyInTheIndex() throws IOException {
        Path index = firstDayIndex(".jsonl");
        Files.writeString(index, Files.readString(index).replace("\"mallory\"", "\"trudy\""));
    }

    @Test
    void anEditedDaySummaryIsNotUsedByReportAndFailsVerify() throws IOException {
        threePastDays(Optional.empty());
        assertThat(run("audit", "report", "--since", "2024-01-15", "--until", "2024-01-17").status()).isZero();
        hideTheViolationInTheSummary();

        CliRun report = run("audit", "report", "--since", "2024-01-15", "--until", "2024-01-17");

        assertThat(report.status()).as(report.err()).isZero();
        assertThat(report.out()).contains("Security violations: 1").contains("By user:             alice 9, mallory 1")
                .contains("Integrity:           NOT intact, 1 problem(s)")
                .contains("Verified:            Chain: from the index").contains("Derived files: index lines");
        hideTheViolationInTheSummary();
        CliRun verify = run("audit", "verify");
        assertThat(verify.status()).isEqualTo(Cli.FAILED);
        assertThat(verify.out()).contains("DERIVED").contains("15.summary.json").contains("NOT intact");
        assertThat(run("audit", "verify").status()).as("the edited summary was dropped, to be made again").isZero();
    }

    @Test
    void anEditedIndexLineIsNotUsedByQueryOrExportAndFailsVerify() throws IOException {
        threePastDays(Optional.empty());
        blameTrudyInTheIndex();

        CliRun query = run("--json", "audit", "query", "--type", "security_violation", "--since", "2024-01-01");

        assertThat(query.status()).as(query.err()).isZero();
        assertThat(Json.mapper().readTree(query.out()).findValuesAsText("user")).containsExactly("mallory");
        assertThat(query.errLines()).singleElement().satisfies(line -> assertThat(line).startsWith("Warning: ")
                .contains("15.jsonl").contains("does not match its seal"));
        blameTrudyInTheIndex();
        Path export = workspace.resolve("export.jsonl");
        assertThat(run("audit", "export", "--out", export.toString(), "--format", "jsonl", "--since", "2024-01-01",
                "--until", "2024-01-31").status()).isZero();
        assertThat(Files.readString(export)).contains("\"mallory\"").doesNotContain("trudy");
        blameTrudyInTheIndex();
        CliRun verify = run("--json", "audit", "verify");
        assertThat(verify.status()).isEqualTo(Cli.FAILED);
        JsonNode json = Json.mapper().readTree(verify.out());
        assertThat(json.findValuesAsText("kind")).containsExactly("derived");
        assertThat(json.at("/verified/derived_files").asText()).contains("compared with the day's events");
    }

    @Test
    void aTruncatedEventIsNotQueriedAsIntactAndFailsVerify() throws IOException {
        threePastDays(Optional.empty());
        Path event;
        try (Stream<Path> files = Files.list(workspace.resolve("audit_logs/events/2024/01/15"))) {
            event = files.sorted().toList().get(3); // mallory's violation, the day's fourth
        }
        byte[] bytes = Files.readAllBytes(event);
        Files.write(event, Arrays.copyOf(bytes, bytes.length / 2));

        CliRun query = run("--json", "audit", "query", "--since", "2024-01-01", "--limit", "0");

        assertThat(query.status()).isZero();
        assertThat(Json.mapper().readTree(query.out())).hasSize(9);
        assertThat(query.out()).doesNotContain("mallory");
        assertThat(query.err()).contains("Warning: skipped").contains(event.getFileName().toString());
        CliRun verify = run("audit", "verify");
        assertThat(verify.status()).isEqualTo(Cli.FAILED);
        assertThat(verify.out()).contains("MALFORMED");
    }

    @Test
    void verifyOfASignedTrailWithoutItsKeySaysSoAndRequireSignaturesFails() throws IOException {
        threePastDays(Optional.of(AuditKey.of("correct horse battery staple 42")));

        CliRun plain = run("audit", "verify");
        CliRun required = run("audit", "verify", "--require-signatures");

        assertThat(plain.status()).isZero();
        assertThat(plain.err()).contains("Note: head.json is signed").contains("the signatures were not checked");
        assertThat(plain.out()).contains("Signatures: not checked: no key").contains("Audit trail intact");
        assertThat(required.status()).isEqualTo(Cli.FAILED);
        assertThat(required.errLines()).last().satisfies(line -> assertThat(line)
                .startsWith("Signatures required, but no key was given"));
        JsonNode json = Json.mapper().readTree(run("--json", "audit", "verify").out());
        assertThat(json.get("trail_signed").asBoolean()).isTrue();
        assertThat(json.get("signed").asBoolean()).isFalse();
    }

    @Test
    void verifyRequiringSignaturesFailsOnAnUnsignedTrail() {
        logTwo();

        assertThat(run("audit", "verify").status()).isZero();
        assertThat(run("audit", "verify", "--require-signatures").status()).isEqualTo(Cli.FAILED);
    }

    private String allFiles() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(workspace)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }
}
