package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.EventType;
import neural.mlops.demo.DemoWorkspace;
import neural.mlops.store.Json;
import neural.mlops.store.UtcTime;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code registry compare} of N versions, {@code history}, {@code at}, {@code archive} and {@code delete --all}. */
class RegistryDepthCommandTest {

    @TempDir
    Path workspace;

    @BeforeEach
    void setUp() throws Exception {
        Path model = Files.writeString(workspace.resolve("model.pt"), "weights");
        Path other = Files.writeString(workspace.resolve("other.pt"), "other weights");
        Path config1 = Files.writeString(workspace.resolve("c1.yaml"), "optimizer:\n  lr: 0.01\n  name: adam\nepochs: 10\n");
        Path config2 = Files.writeString(workspace.resolve("c2.yaml"), "optimizer:\n  lr: 0.005\n  name: adam\nepochs: 10\nseed: 7\n");
        Path config3 = Files.writeString(workspace.resolve("c3.yaml"), "optimizer:\n  name: adam\nepochs: 20\n");
        register("fraud", "v1", model, config1, "accuracy=0.9", "loss=0.3");
        register("fraud", "v2", other, config2, "accuracy=0.93", "loss=0.3");
        register("fraud", "v3", other, config3, "accuracy=0.95", "loss=0.25");
        register("fraud_challenger", "v1", model, config1, "accuracy=0.96");
    }

    private void register(String name, String version, Path file, Path config, String... metrics) {
        List<String> args = new ArrayList<>(List.of("registry", "register", "--name", name, "--version", version,
                "--model-path", file.toString(), "--framework", "pytorch", "--config", config.toString()));
        for (String metric : metrics) {
            args.addAll(List.of("--metric", metric));
        }
        CliRun run = run(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isZero();
    }

    @Test
    void comparingTwoVersionsShowsTheConfigurationDiffAndDifferencesOnlyLeavesOutWhatIsTheSame() throws Exception {
        CliRun full = run("registry", "compare", "fraud", "v1", "v2");
        assertThat(full.status()).as(full.err()).isZero();
        assertThat(full.out()).contains("fraud: v1 -> v2", "~ optimizer.lr: 0.01 -> 0.005", "+ seed: 7",
                "  optimizer.name: adam", "loss (lower is better)", "sha256:        changed");

        CliRun differences = run("registry", "compare", "fraud", "v1", "v2", "--differences-only");
        assertThat(differences.out()).contains("~ optimizer.lr", "+ seed: 7", "accuracy")
                .doesNotContain("optimizer.name", "loss", "framework:");

        JsonNode json = Json.mapper().readTree(run("--json", "registry", "compare", "fraud", "v1", "v2",
                "--differences-only").out());
        assertThat(json.at("/config_comparison/changed/optimizer.lr/version2").asDouble()).isEqualTo(0.005);
        assertThat(json.at("/config_comparison/added/seed").asInt()).isEqualTo(7);
        assertThat(json.at("/metrics_comparison/accuracy/difference").asDouble()).isEqualTo(0.03);
        assertThat(json.at("/metrics_comparison").has("loss")).isFalse();
        assertThat(json.at("/artifact_comparison/sha256/status").asText()).isEqualTo("changed");
    }

    @Test
    void comparingThreeVersionsAgainstAChosenBaselineAndAcrossModels() throws Exception {
        CliRun table = run("registry", "compare", "fraud", "v1", "v2", "v3", "--baseline", "v3");
        assertThat(table.status()).as(table.err()).isZero();
        assertThat(table.out()).contains("fraud: v1, v2, v3 (baseline)", "0.9 (-0.05)", "0.93 (-0.02)");
        assertThat(table.out().lines().filter(line -> line.startsWith("epochs")).findFirst().orElseThrow())
                .contains("10", "20");

        JsonNode json = Json.mapper().readTree(run("--json", "registry", "compare", "fraud", "v1", "v2", "v3",
                "--baseline", "v3").out());
        assertThat(json.get("baseline").asText()).isEqualTo("fraud:v3");
        assertThat(json.get("comparisons")).hasSize(2);
        assertThat(json.at("/comparisons/0/version1").asText()).isEqualTo("v3");
        assertThat(json.at("/comparisons/0/version2").asText()).isEqualTo("v1");
        assertThat(json.at("/comparisons/0/config_comparison/added/optimizer.lr").asDouble()).isEqualTo(0.01);

        CliRun across = run("--json", "registry", "compare", "fraud", "v3", "fraud_challenger:v1");
        assertThat(across.status()).as(across.err()).isZero();
        JsonNode pair = Json.mapper().readTree(across.out());
        assertThat(pair.get("name2").asText()).isEqualTo("fraud_challenger");
        assertThat(pair.at("/metrics_comparison/accuracy/better").asText()).isEqualTo("version2");
        assertThat(run("registry", "compare", "fraud:v1", "fraud_challenger:v1").out())
                .contains("fraud:v1 -> fraud_challenger:v1");
    }

    @Test
    void badCompareArgumentsGetOneClearMessage() {
        CliRun unknownBaseline = run("registry", "compare", "fraud", "v1", "v2", "--baseline", "v9");
        assertThat(unknownBaseline.status()).isEqualTo(2);
        assertThat(unknownBaseline.err()).contains("The baseline 'v9' is not one of the versions compared");
        CliRun noModel = run("registry", "compare", "fraud:v1", "v2");
        assertThat(noModel.status()).isEqualTo(2);
        assertThat(noModel.err()).contains("Version 'v2' has no model");
        CliRun one = run("registry", "compare", "fraud", "v1");
        assertThat(one.status()).isEqualTo(2);
        CliRun twice = run("registry", "compare", "fraud", "v1", "v1");
        assertThat(twice.err()).contains("chosen twice");
    }

    @Test
    void historyArchiveAndDeleteAllWorkOnTheWholeModel() throws Exception {
        assertThat(run("registry", "promote", "fraud", "v2", "--to", "production").status()).isZero();
        JsonNode history = Json.mapper().readTree(run("--json", "registry", "history", "fraud").out());
        assertThat(history.get(0).get("version").asText()).isEqualTo("v2");
        assertThat(history.get(0).get("to_stage").asText()).isEqualTo("production");
        assertThat(history).hasSize(4);
        assertThat(run("registry", "history", "fraud").out()).contains("development -> production");

        CliRun refused = run("registry", "delete", "fraud", "--all", "--reason", "retired");
        assertThat(refused.status()).isNotZero();
        assertThat(refused.err()).contains("v2 is in production");
        CliRun noReason = run("registry", "delete", "fraud", "--all");
        assertThat(noReason.status()).isEqualTo(2);
        assertThat(noReason.err()).contains("--all needs --reason");

        assertThat(run("registry", "archive", "fraud", "--reason", "end of life").out())
                .isEqualTo("Archived fraud: v1, v2, v3\n");
        CliRun deleted = run("registry", "delete", "fraud", "--all", "--reason", "retired");
        assertThat(deleted.status()).as(deleted.err()).isZero();
        assertThat(deleted.out()).isEqualTo("Deleted fraud and its 3 versions: v1, v2, v3\n");
        JsonNode events = Json.mapper().readTree(run("--json", "audit", "query", "--type", "model_deleted").out());
        assertThat(events).hasSize(1);
        assertThat(events.get(0).at("/details/versions").toString()).isEqualTo("[\"v1\",\"v2\",\"v3\"]");
        assertThat(events.get(0).get("reason").asText()).isEqualTo("retired");
        JsonNode models = Json.mapper().readTree(run("--json", "registry", "list", "--models").out());
        assertThat(models).hasSize(1);
    }

    @Test
    void atAnswersOnTheDemoWorkspaceAsTheAuditTrailsPromotionEventsDoAtTenTimesFromItsHistory(@TempDir Path dir) throws Exception {
        Path demo = DemoWorkspace.create(dir.resolve("demo"), message -> { });
        List<AuditEvent> events = new ArrayList<>();
        try (Workspace opened = Workspace.open(demo, "reviewer")) {
            for (EventType type : List.of(EventType.MODEL_REGISTERED, EventType.MODEL_PROMOTED)) {
                events.addAll(opened.audit().queryEvents(AuditFilter.all().withType(type)));
            }
        }
        events.sort(Comparator.comparing(AuditEvent::timestamp).thenComparingLong(AuditEvent::seq));
        List<Instant> promotions = events.stream().filter(e -> e.eventType() == EventType.MODEL_PROMOTED)
                .map(AuditEvent::timestamp).distinct().toList();
        assertThat(promotions).hasSizeGreaterThanOrEqualTo(10);
        List<Instant> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // A minute after every tenth promotion: the board then is what that promotion made it.
            samples.add(promotions.get(i * (promotions.size() - 1) / 9).plusSeconds(60));
        }
        int productionAnswers = 0;
        for (Instant at : samples) {
            CliRun run = CliRun.of("--workspace", demo.toString(), "--json", "registry", "at", UtcTime.format(at));
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.err()).isEmpty();
            JsonNode answer = Json.mapper().readTree(run.out());
            assertThat(answer.get("agrees_with_audit").asBoolean()).as(run.out()).isTrue();
            Map<String, TreeSet<String>> expected = productionFromTheTrail(events, at);
            Map<String, TreeSet<String>> answered = new TreeMap<>();
            for (JsonNode model : answer.get("models")) {
                TreeSet<String> production = new TreeSet<>();
                model.get("production").forEach(version -> production.add(version.asText()));
                if (!production.isEmpty()) {
                    answered.put(model.get("name").asText(), production);
                }
            }
            assertThat(answered).as("at " + at).isEqualTo(expected);
            productionAnswers += answered.size();
        }
        assertThat(productionAnswers).isPositive();
    }

    /** Which versions the audit trail's registration and promotion events put in production by {@code at}. */
    private static Map<String, TreeSet<String>> productionFromTheTrail(List<AuditEvent> events, Instant at) {
        Map<String, String> stageById = new HashMap<>();
        for (AuditEvent event : events) {
            if (event.timestamp().isAfter(at)) {
                break;
            }
            Object stage = event.eventType() == EventType.MODEL_PROMOTED ? event.details().get(AuditRecords.TO_STAGE)
                    : event.details().get(AuditRecords.STAGE);
            stageById.put(event.resourceId(), String.valueOf(stage));
        }
        Map<String, TreeSet<String>> production = new TreeMap<>();
        stageById.forEach((id, stage) -> {
            if (stage.equals("production")) {
                String[] parts = id.split(":", 2);
                production.computeIfAbsent(parts[0], name -> new TreeSet<>()).add(parts[1]);
            }
        });
        return production;
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("--workspace", workspace.toString()));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }
}
