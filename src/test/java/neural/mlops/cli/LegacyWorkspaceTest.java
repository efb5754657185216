package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import neural.mlops.audit.EventType;
import neural.mlops.audit.OriginalShape;
import neural.mlops.store.Json;
import neural.mlops.store.SafeYaml;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line on a workspace written by the original Python module exactly as SPEC 10 says
 * (src/test/resources/legacy: naive local times, counters restarting at 000001, relative model
 * paths, all nine event types, a saved report, NaN metrics, two production versions, a failed
 * deployment with no endpoint).
 */
class LegacyWorkspaceTest {

    static final int LEGACY_EVENTS = 9;
    static final List<String> ORIGINAL_TYPES = List.of("model_registered", "model_promoted", "model_deployed",
            "model_archived", "access_granted", "access_revoked", "configuration_changed", "security_violation",
            "data_access");

    @TempDir
    Path workspace;

    @TempDir
    Path outside;

    @BeforeEach
    void copyTheFixture() throws IOException, URISyntaxException {
        copyLegacyFixture(workspace);
    }

    /** Copies the legacy fixture workspace into {@code target}. */
    static void copyLegacyFixture(Path target) throws IOException, URISyntaxException {
        Path source = Path.of(LegacyWorkspaceTest.class.getResource("/legacy").toURI());
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
    }

    /** Runs as the OS user: a global --user would filter 'audit query' to that user's events. */
    CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--workspace";
        all[1] = workspace.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.of(all);
    }

    JsonNode json(CliRun run) throws IOException {
        assertThat(run.status()).as(run.err()).isZero();
        return Json.mapper().readTree(run.out());
    }

    @Test
    void theReportCountsEveryEventTheOriginalWrote() throws IOException {
        JsonNode report = json(run("--json", "audit", "report", "--since", "2024-01-01", "--until", "2024-01-31"));

        assertThat(report.get("total_events").asLong()).isEqualTo(LEGACY_EVENTS);
        Set<String> types = new HashSet<>();
        report.get("events_by_type").fieldNames().forEachRemaining(types::add);
        assertThat(types).containsExactlyInAnyOrderElementsOf(ORIGINAL_TYPES);
        assertThat(report.get("events_by_user").get("admin").asLong()).isEqualTo(3);
        assertThat(report.get("security_violations")).hasSize(1);
        assertThat(report.get("critical_events")).hasSize(1);
        // The original's keys beside the product's, so that scripts written for either read the report.
        assertThat(report.get("period_start").asText()).startsWith("2024-01-");
        assertThat(report.get("summary").get("total_security_violations").asInt()).isEqualTo(1);
        // alice and admin have three events each: the tie goes to the first by name.
        assertThat(report.get("summary").get("most_active_user").asText()).isEqualTo("admin");
    }

    @Test
    void noLegacyEventIsSkippedAsMalformed() {
        CliRun query = run("audit", "query", "--limit", "0");

        assertThat(query.status()).as(query.err()).isZero();
        assertThat(query.err()).doesNotContain("skipped");
        assertThat(query.out().lines().skip(1).count()).isEqualTo(LEGACY_EVENTS);
    }

    @Test
    void everyEventIsExportedInAllFourFormatsWithItsTags() throws IOException {
        JsonNode jsonExport = Json.mapper().readTree(export("json").toFile());
        assertThat(jsonExport.get("events")).hasSize(LEGACY_EVENTS);
        assertThat(jsonExport.get("count").asInt()).isEqualTo(LEGACY_EVENTS);

        List<String> lines = Files.readAllLines(export("jsonl"));
        assertThat(lines).hasSize(LEGACY_EVENTS);

        List<CSVRecord> rows;
        try (CSVParser csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(Files.newBufferedReader(export("csv")))) {
            rows = csv.getRecords();
        }
        assertThat(rows).hasSize(LEGACY_EVENTS);
        assertThat(rows).filteredOn(row -> row.get("event_type").equals("security_violation"))
                .singleElement().satisfies(row -> assertThat(row.get("tags")).isEqualTo("[\"security\",\"violation\"]"));

        Map<String, Object> yaml = SafeYaml.loadMap(Files.readString(export("yaml")), "export.yaml");
        assertThat((List<?>) yaml.get("events")).hasSize(LEGACY_EVENTS);
        assertThat(yaml.get("count")).isEqualTo(LEGACY_EVENTS);
    }

    private Path export(String format) {
        Path file = outside.resolve("export." + format);
        CliRun run = run("audit", "export", "--format", format, "--out", file.toString(), "--until", "2024-12-31");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("Exported " + LEGACY_EVENTS + " events");
        return file;
    }

    @Test
    void theOriginalShapeOfAnExportHasExactlyTheOriginalKeysNewestFirst() throws IOException {
        Path file = outside.resolve("original.json");
        assertThat(run("audit", "export", "--format", "json", "--shape", "original", "--out", file.toString())
                .status()).isZero();

        JsonNode events = Json.mapper().readTree(file.toFile());
        assertThat(events.isArray()).isTrue();
        List<String> timestamps = new ArrayList<>();
        for (JsonNode event : events) {
            List<String> keys = new ArrayList<>();
            event.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactlyElementsOf(OriginalShape.EVENT_KEYS);
            assertThat(ORIGINAL_TYPES).contains(event.get("event_type").asText());
            if (event.get("timestamp").asText().startsWith("2024")) {
                timestamps.add(event.get("timestamp").asText());
            }
        }
        assertThat(timestamps).hasSize(LEGACY_EVENTS).isSortedAccordingTo((a, b) -> b.compareTo(a));
        // Naive times are written back as the original wrote them (the fixture is read in the same zone).
        assertThat(timestamps).contains("2024-01-16T09:31:00", "2024-01-15T23:59:59.999999");

        Path yamlFile = outside.resolve("original.yaml");
        assertThat(run("audit", "export", "--format", "yaml", "--shape", "original", "--out", yamlFile.toString())
                .status()).isZero();
        List<Object> yaml = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
                new org.yaml.snakeyaml.LoaderOptions())).load(new StringReader(Files.readString(yamlFile)));
        assertThat(yaml).hasSize(events.size() + 1); // and the json export's audit_exported event
    }

    @Test
    void theOriginalShapeIsRefusedForFormatsThatHaveOneShape() {
        CliRun run = run("audit", "export", "--format", "csv", "--shape", "original",
                "--out", outside.resolve("x.csv").toString());

        assertThat(run.status()).isNotZero();
        assertThat(run.err()).contains("json or yaml");
        assertThat(outside.resolve("x.csv")).doesNotExist();
    }

    @Test
    void theOriginalShapeOfAReportHasExactlyTheOriginalKeys() throws IOException {
        JsonNode report = json(run("--json", "audit", "report", "--shape", "original",
                "--since", "2024-01-01", "--until", "2024-01-31"));

        List<String> keys = new ArrayList<>();
        report.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyElementsOf(OriginalShape.REPORT_KEYS);
        List<String> summaryKeys = new ArrayList<>();
        report.get("summary").fieldNames().forEachRemaining(summaryKeys::add);
        assertThat(summaryKeys).containsExactlyElementsOf(OriginalShape.SUMMARY_KEYS);
        assertThat(report.get("total_events").asInt()).isEqualTo(LEGACY_EVENTS);
        assertThat(report.get("critical_events").get(0).get("event_id").asText())
                .isEqualTo("event_20240116_093100_000002");
        report.get("events_by_type").fieldNames().forEachRemaining(type -> assertThat(ORIGINAL_TYPES).contains(type));
    }

    @Test
    void queryByTagTakesEventsCarryingAnyOfTheTags() throws IOException {
        JsonNode events = json(run("--json", "audit", "query", "--tag", "security"));

        assertThat(events).extracting(event -> event.get("event_type").asText())
                .containsExactly("access_revoked", "security_violation");
        JsonNode either = json(run("--json", "audit", "query", "--tag", "pii,violation"));
        assertThat(either).hasSize(2);
    }

    @Test
    void theOriginalsSavedReportIsListedAndReadable() throws IOException {
        JsonNode reports = json(run("--json", "audit", "reports"));

        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.get("report_id").asText()).isEqualTo("report_20240117_120000");
            assertThat(report.get("writer").asText()).isEqualTo("original");
            assertThat(report.get("total_events").asInt()).isEqualTo(LEGACY_EVENTS);
        });
        JsonNode shown = json(run("--json", "audit", "reports", "--show", "report_20240117_120000"));
        assertThat(shown.get("summary").get("most_active_user").asText()).isEqualTo("alice"); // as Python's max() had it
    }

    @Test
    void registryVerifyPassesForEveryLegacyVersionWhoseFileIsPresent() {
        for (String version : List.of("v1.0.0", "v2.0.0")) {
            CliRun verify = run("registry", "verify", "fraud_detector", version);
            assertThat(verify.status()).as(verify.err()).isZero();
            assertThat(verify.out()).contains("models/fraud_detector/" + version + "/model.pt").contains("is present");
        }
        CliRun missing = run("registry", "verify", "churn_model", "v0.1.0");
        assertThat(missing.status()).isNotZero();
        assertThat(missing.err()).contains("missing");
    }

    @Test
    void nonFiniteMetricsAreShownWithoutHidingTheVersion() throws IOException {
        CliRun list = run("registry", "list");
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out()).contains("churn_model");
        assertThat(list.err()).doesNotContain("churn_model");

        CliRun show = run("registry", "show", "churn_model", "v0.1.0");
        assertThat(show.status()).as(show.err()).isZero();
        assertThat(show.out()).contains("NaN").contains("Infinity");
    }

    @Test
    void bothProductionVersionsAreListed() throws IOException {
        JsonNode versions = json(run("--json", "registry", "list", "--stage", "production"));

        assertThat(versions).extracting(version -> version.get("version").asText())
                .containsExactlyInAnyOrder("v1.0.0", "v2.0.0");
    }

    @Test
    void theFailedDeploymentIsShownWithItsReason() {
        CliRun show = run("deploy", "show", "deploy_20240116_093000_fraud_detector_v2.0.0");

        assertThat(show.status()).as(show.err()).isZero();
        assertThat(show.out()).contains("status         failed: Health check timed out").contains("endpoint       -");
        CliRun list = run("deploy", "list", "--status", "failed");
        assertThat(list.out()).contains("deploy_20240116_093000_fraud_detector_v2.0.0");
    }

    @Test
    void failingADeploymentRecordsTheReasonAndIsAudited() throws IOException {
        String id = "deploy_20240116_100000_fraud_detector_v2.0.0";
        JsonNode failed = json(run("--json", "deploy", "fail", id, "--reason", "OOM on start"));

        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("metadata").get("failure_reason").asText()).isEqualTo("OOM on start");
        assertThat(failed.get("metadata").get("replicas").asInt()).isEqualTo(2);
        JsonNode events = json(run("--json", "audit", "query", "--resource", id));
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.get("action").asText()).isEqualTo("fail");
            assertThat(event.get("reason").asText()).isEqualTo("OOM on start");
        });
        CliRun again = run("deploy", "fail", id, "--reason", "again");
        assertThat(again.status()).isNotZero();
        assertThat(again.err()).contains("is failed");
    }

    @Test
    void aSecurityViolationShortcutHasTheOriginalHelpersDefaults() throws IOException {
        JsonNode event = json(run("--json", "audit", "log", "--type", "security_violation", "--model", "fraud_detector",
                "--model-version", "v2.0.0", "--action", "download"));

        assertThat(event.get("severity").asText()).isEqualTo("critical");
        assertThat(event.get("outcome").asText()).isEqualTo("denied");
        assertThat(event.get("resource_id").asText()).isEqualTo("fraud_detector:v2.0.0");
        assertThat(event.get("tags")).extracting(JsonNode::asText).containsExactly("security", "violation");

        JsonNode deployment = json(run("--json", "audit", "log", "--type", "model_deployed", "--model", "fraud_detector",
                "--model-version", "v2.0.0", "--environment", "staging"));
        assertThat(deployment.get("action").asText()).isEqualTo("deploy");
        assertThat(deployment.get("details").get("environment").asText()).isEqualTo("staging");
    }

    @Test
    void theOriginalsEventTypesAreKnownToTheCommandLine() throws IOException {
        for (String type : ORIGINAL_TYPES) {
            assertThat(EventType.parse(type).original().value()).isEqualTo(type);
        }
        JsonNode archived = json(run("--json", "audit", "query", "--type", "model_archived"));
        assertThat(archived).singleElement()
                .satisfies(event -> assertThat(event.get("resource_id").asText()).isEqualTo("fraud_detector:v1.0.0"));
    }
}
