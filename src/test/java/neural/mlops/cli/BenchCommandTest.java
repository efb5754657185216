package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import neural.mlops.audit.AuditFilter;
import neural.mlops.audit.EventType;
import neural.mlops.store.Json;
import neural.mlops.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench generate makes a workspace; bench run times it without damaging it, and prints every SPEC 7 row. */
class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void generateThenRunPrintsEveryOperationAndLeavesAWorkspaceThatVerifies() throws Exception {
        Path workspace = dir.resolve("bench");
        CliRun generated = CliRun.of("--json", "bench", "generate", workspace.toString(), "--models", "4", "--versions", "3",
                "--events", "300", "--days", "5");
        assertThat(generated.status()).as(generated.err()).isZero();
        JsonNode summary = Json.mapper().readTree(generated.out());
        assertThat(summary.path("events").asLong()).isEqualTo(300);
        assertThat(summary.path("versions").asInt()).isEqualTo(12);

        Path baseline = dir.resolve("baseline");
        assertThat(CliRun.of("bench", "generate", baseline.toString(), "--models", "2", "--versions", "2",
                "--events", "100", "--days", "5").status()).isZero();

        CliRun run = CliRun.of("bench", "run", workspace.toString(), "--runs", "1", "--warmups", "0", "--threads", "2",
                "--appends", "3", "--baseline", baseline.toString());

        // Timings are the benchmark's business, not the test's: exit 0 (all met) or 1 (one missed), never 2.
        assertThat(run.status()).as(run.err()).isIn(0, 1);
        assertThat(run.out()).contains("| operation | median | floor | vs floor | SPEC 7 target | met |",
                "registry: list", "registry: search", "registry: list, new process", "registry: search, new process",
                "registry: list --json, new process",
                "registry: promote to production", "registry: compare two versions",
                "audit: 30-day query", "audit: one-year compliance report", "audit: one-year CSV export",
                "audit: durable appends, 1 process", "audit: 2 processes appending",
                "audit: 30-day query, against the baseline", "audit: one-year report, against the baseline");
        // The baseline rows compare time per event of the period: the trails' days hold different numbers of events.
        assertThat(cells(run.out(), "audit: 30-day query, against the baseline")[1]).endsWith(" µs/event");
        assertThat(cells(run.out(), "audit: one-year report, against the baseline")[2]).endsWith(" µs/event");
        assertThat(run.out()).contains("- audit: 30-day query, against the baseline: the 30-day query's time over the "
                + "events of its period: ");
        // Asked for one run and no warm-up, the comparison still takes its least: one round is the JIT's noise.
        assertThat(run.out()).contains("; medians of 5 runs after 3 warm-ups, the two trails taking turns to lead");
        assertThat(run.out().lines().filter(line -> line.startsWith("| audit: 2 processes appending")))
                .singleElement().satisfies(line -> assertThat(line).endsWith("| yes |"));
        // The JSON listing's floor is the text listing measured in the same run: its floor cell is that row's median.
        assertThat(cells(run.out(), "registry: list --json, new process")[2])
                .isEqualTo(cells(run.out(), "registry: list, new process")[1]);
        assertThat(run.err()).contains("Load average at the start: ", "Load average at the end: ",
                "The 30-day query and the one-year report, in turn with the baseline " + baseline);
        assertThat(workspace.resolve(".bench-scratch")).doesNotExist();

        Workspace opened = Workspace.open(workspace, "tester", java.time.Clock.systemUTC(), Optional.empty());
        assertThat(opened.audit().verifyIntegrity().problems()).isEmpty();
        // The appends were timed on a trail of their own: the workspace's trail does not grow by them run after run.
        for (String user : List.of("bench", "bench-p1", "bench-p2")) {
            assertThat(opened.audit().queryEvents(AuditFilter.all().withUser(user)))
                    .as(user).noneMatch(event -> event.eventType() == EventType.MODEL_ACCESSED);
        }
        assertThat(opened.registry().snapshot().problems()).isEmpty();
        assertThat(opened.registry().snapshot().versions()).hasSize(12);
        Workspace base = Workspace.open(baseline, "tester", java.time.Clock.systemUTC(), Optional.empty());
        assertThat(base.audit().verifyIntegrity().problems()).isEmpty();
    }

    @Test
    void runRefusesABaselineThatIsNotAWorkspaceBeforeMeasuringAnything() throws Exception {
        Path workspace = dir.resolve("bench");
        assertThat(CliRun.of("bench", "generate", workspace.toString(), "--models", "2", "--versions", "2",
                "--events", "50", "--days", "2").status()).isZero();

        CliRun run = CliRun.of("bench", "run", workspace.toString(), "--baseline", dir.resolve("missing").toString());

        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.err()).contains("The baseline", "missing", "holds no audit_logs/");
        assertThat(run.err()).doesNotContain("Registry:");
    }

    @Test
    void runRefusesAFolderThatIsNotAWorkspace() {
        CliRun run = CliRun.of("bench", "run", dir.toString());

        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.err()).contains("bench generate");
    }

    @Test
    void generateRefusesOptionsOutOfRange() {
        CliRun run = CliRun.of("bench", "generate", dir.resolve("x").toString(), "--models", "0");

        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.err()).contains("--models");
    }

    /** The cells of the table row of {@code operation}: operation, median, floor, ratio, target, met. */
    private static String[] cells(String table, String operation) {
        String line = table.lines().filter(l -> l.startsWith("| " + operation + " |")).findFirst().orElseThrow();
        return java.util.Arrays.stream(line.substring(2, line.length() - 2).split(" \\| ")).map(String::strip)
                .toArray(String[]::new);
    }
}
