package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import neural.mlops.registry.TreeSnapshot;
import neural.mlops.store.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryCommandTest {

    @TempDir
    Path workspace;

    Path model;

    @BeforeEach
    void setUp() throws Exception {
        model = Files.writeString(workspace.resolve("model.pt"), "weights");
    }

    @Test
    void listByLineageCommitFindsTheVersionBuiltFromThatCommitByItsShortOrFullSha() throws Exception {
        String sha = "3f9c2e1a7b5d4c6e8f0a1b2c3d4e5f60718293a4";
        for (String[] version : new String[][] {{"build-1-3f9c2e1", sha}, {"build-2-9d8e7f6", "9d8e7f6a5b4c3d2e1f0"}}) {
            assertThat(run("registry", "register", "--name", "fraud_detector", "--version", version[0], "--model-path",
                    model.toString(), "--framework", "pytorch", "--lineage-commit", version[1]).status()).isZero();
        }
        for (String commit : List.of(sha, "3F9C2E1", sha.substring(0, 12))) {
            JsonNode found = Json.mapper().readTree(run("--json", "registry", "list", "--lineage-commit", commit).out());
            assertThat(found).as(commit).hasSize(1);
            assertThat(found.get(0).get("version").asText()).isEqualTo("build-1-3f9c2e1");
        }
        assertThat(Json.mapper().readTree(run("--json", "registry", "list", "--lineage-commit", "0000000").out())).isEmpty();
        CliRun tooShort = run("registry", "list", "--lineage-commit", "3f9c");
        assertThat(tooShort.status()).isEqualTo(2);
        assertThat(tooShort.err()).contains("--lineage-commit needs at least 7 characters");
    }

    @Test
    void registerPromoteAndCompareAsAPipelineDoesWithJson() throws Exception {
        Path metrics = Files.writeString(workspace.resolve("metrics.json"), "{\"accuracy\": 0.96, \"f1\": 0.90}");
        assertThat(run("registry", "register", "--name", "fraud_detector", "--version", "v1.0.0",
                "--model-path", model.toString(), "--framework", "pytorch", "--metric", "accuracy=0.95").status()).isZero();
        CliRun registered = run("--json", "registry", "register", "--name", "fraud_detector", "--version", "v2.0.0",
                "--model-path", model.toString(), "--framework", "pytorch", "--metrics-file", metrics.toString(),
                "--metric", "f1=0.94", "--tag", "fraud", "--tag", "production-ready", "--description", "Improved",
                "--lineage-commit", "abc123", "--lineage-run", "run-9", "--lineage-dataset", "tx-2024-01",
                "--parent-version", "v1.0.0");
        assertThat(registered.status()).as(registered.err()).isZero();
        JsonNode doc = Json.mapper().readTree(registered.out());
        assertThat(doc.get("metrics").toString()).isEqualTo("{\"accuracy\":0.96,\"f1\":0.94}");
        assertThat(doc.get("lineage").get("parent_version").asText()).isEqualTo("v1.0.0");
        assertThat(doc.get("model_path").asText()).isEqualTo("models/fraud_detector/v2.0.0/model.pt");

        assertThat(run("registry", "promote", "fraud_detector", "v1.0.0", "--to", "production").out())
                .isEqualTo("Promoted fraud_detector v1.0.0 from development to production\n");
        CliRun promoted = run("registry", "promote", "fraud_detector", "v2.0.0", "--to", "Production", "--reason", "better");
        assertThat(promoted.out()).isEqualTo("Promoted fraud_detector v2.0.0 from development to production; archived v1.0.0\n");

        CliRun compared = run("--json", "registry", "compare", "fraud_detector", "v1.0.0", "v2.0.0");
        assertThat(compared.status()).isZero();
        JsonNode comparison = Json.mapper().readTree(compared.out());
        assertThat(comparison.at("/metrics_comparison/accuracy/difference").asDouble()).isEqualTo(0.01);
        assertThat(comparison.at("/metrics_comparison/f1/version1").isNull()).isTrue();
        assertThat(comparison.at("/stage_comparison/version1").asText()).isEqualTo("archived");
        assertThat(compared.err()).isEmpty();
    }

    @Test
    void listShowsAnAlignedTableAndShowPrintsTheDetails() {
        register("churn", "1", "--tag", "retention");
        register("fraud_detector", "v1.9.0");
        register("fraud_detector", "v1.10.0");

        CliRun list = run("--user", "bob", "registry", "list");
        assertThat(list.status()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("NAME            VERSION  STAGE        FRAMEWORK");
        assertThat(lines.get(2)).startsWith("fraud_detector  v1.9.0   development  pytorch");
        assertThat(lines.get(3)).startsWith("fraud_detector  v1.10.0  development");
        assertThat(lines.get(1)).endsWith("retention");

        CliRun models = run("registry", "list", "--models", "--name", "fraud");
        assertThat(models.out().lines().toList()).containsExactly(
                "NAME            VERSIONS  LATEST   PRODUCTION  ALIASES  FRAMEWORKS  TAGS",
                "fraud_detector  2         v1.10.0  -           -        pytorch     -");

        CliRun show = run("registry", "show", "churn", "1");
        assertThat(show.out()).startsWith("churn 1\n  stage:        development\n")
                .contains("  tags:         retention\n", "sha256:", "stage history:", "(new) -> development");
    }

    @Test
    void listFiltersByStageTagFrameworkAndText() {
        register("a", "1", "--tag", "x");
        register("b", "1", "--description", "needle in here");
        run("registry", "promote", "a", "1", "--to", "staging");

        assertThat(names(run("--json", "registry", "list", "--stage", "staging"))).containsExactly("a:1");
        assertThat(names(run("--json", "registry", "list", "--tag", "X"))).containsExactly("a:1");
        assertThat(names(run("--json", "registry", "list", "--search", "needle"))).containsExactly("b:1");
        assertThat(names(run("--json", "registry", "list", "--framework", "onnx"))).isEmpty();
        CliRun none = run("registry", "list", "--framework", "onnx");
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).contains("No model versions match");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil", "a/b", "", ".", "..", "has space", "CON",
        "x12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678"})
    void aBadNameOrVersionExitsTwoWithOneLineAndChangesNothing(String bad) {
        register("fraud_detector", "v1.0.0");
        Map<String, String> before = TreeSnapshot.of(workspace);

        for (String[] args : List.of(
                registerArgs(bad, "v1"), registerArgs("ok", bad),
                new String[] {"registry", "promote", bad, "v1.0.0", "--to", "staging"},
                new String[] {"registry", "show", "fraud_detector", bad},
                new String[] {"registry", "delete", bad, "v1.0.0"})) {
            CliRun run = run(args);
            assertThat(run.status()).as(String.join(" ", args)).isEqualTo(Cli.BAD_INPUT);
            assertThat(run.errLines()).hasSize(1);
            assertThat(run.errLines().get(0)).startsWith("neural-mlops: Invalid ");
            assertThat(run.out()).isEmpty();
        }
        assertThat(TreeSnapshot.of(workspace)).isEqualTo(before);
    }

    @Test
    void badInputToRegisterExitsTwoAndWritesNothing() throws Exception {
        Files.createDirectories(workspace.resolve("folder.pt"));
        Files.writeString(workspace.resolve("strings.json"), "{\"accuracy\": \"high\"}");
        Files.writeString(workspace.resolve("broken.json"), "{\"accuracy\": NaN}");
        Files.writeString(workspace.resolve("bad.yaml"), "a: [1, 2\n");
        Map<String, String> before = TreeSnapshot.of(workspace);

        List<List<String>> cases = List.of(
                List.of("--model-path", "missing.pt"),
                List.of("--model-path", "folder.pt"),
                List.of("--metric", "accuracy=NaN"),
                List.of("--metric", "accuracy=Infinity"),
                List.of("--metric", "accuracy=abc"),
                List.of("--metric", "accuracy=1e999"),
                List.of("--metric", "accuracy"),
                List.of("--metrics-file", "strings.json"),
                List.of("--metrics-file", "broken.json"),
                List.of("--metrics-file", "none.json"),
                List.of("--config", "bad.yaml"),
                List.of("--config", "none.yaml"),
                List.of("--stage", "limbo"));
        for (List<String> extra : cases) {
            List<String> args = new ArrayList<>(List.of("--workspace", workspace.toString(), "registry", "register",
                    "--name", "m", "--version", "1", "--framework", "pytorch"));
            if (!extra.contains("--model-path")) {
                args.addAll(List.of("--model-path", model.toString()));
            }
            extra.forEach(arg -> args.add(arg.endsWith(".pt") || arg.endsWith(".json") || arg.endsWith(".yaml")
                    ? workspace.resolve(arg).toString() : arg));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.status()).as(extra.toString()).isEqualTo(Cli.BAD_INPUT);
            assertThat(run.errLines()).as(extra.toString()).hasSize(1);
        }
        assertThat(TreeSnapshot.of(workspace)).isEqualTo(before);
    }

    @Test
    void anUnknownStageExitsTwo() {
        register("m", "1");
        CliRun promote = run("registry", "promote", "m", "1", "--to", "limbo");
        assertThat(promote.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(promote.err()).contains("Unknown stage 'limbo'; expected one of development, staging, production, archived");
        assertThat(run("registry", "list", "--stage", "limbo").status()).isEqualTo(Cli.BAD_INPUT);
    }

    @Test
    void aDuplicateNameAndVersionWithOtherContentExitsOneAndChangesNothing(@TempDir Path elsewhere) throws Exception {
        register("m", "1");
        Map<String, String> before = TreeSnapshot.of(workspace);

        CliRun otherMetric = run(concat(registerArgs("m", "1"), "--metric", "accuracy=0.5"));
        Path retrained = Files.writeString(elsewhere.resolve("model.pt"), "other weights");
        CliRun otherFile = run("registry", "register", "--name", "m", "--version", "1", "--model-path",
                retrained.toString(), "--framework", "pytorch");

        assertThat(otherMetric.status()).isEqualTo(Cli.FAILED);
        assertThat(otherMetric.errLines()).containsExactly(
                "neural-mlops: Version 1 of m already exists with a different metrics; choose a new version");
        assertThat(otherFile.status()).isEqualTo(Cli.FAILED);
        assertThat(otherFile.err()).contains("already exists with a different model file (sha256 ");
        assertThat(TreeSnapshot.of(workspace)).isEqualTo(before);
    }

    @Test
    void aPipelineReRunRegistersAndPromotesAgainWithoutChangingAnything() throws Exception {
        String[] registration = concat(registerArgs("m", "1"), "--metric", "accuracy=0.9", "--tag", "fraud");
        assertThat(run(registration).status()).isZero();
        assertThat(run("registry", "promote", "m", "1", "--to", "staging").status()).isZero();
        Map<String, String> before = TreeSnapshot.of(workspace);

        CliRun again = run(registration);
        CliRun promoteAgain = run("registry", "promote", "m", "1", "--to", "staging");
        JsonNode json = Json.mapper().readTree(run(concat(new String[] {"--json"}, registration)).out());

        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out()).startsWith("Already registered, identical: m 1 (staging)");
        assertThat(promoteAgain.status()).as(promoteAgain.err()).isZero();
        assertThat(promoteAgain.out()).isEqualTo("m 1 is already in staging; nothing changed\n");
        assertThat(json.get("already_registered").asBoolean()).isTrue();
        assertThat(TreeSnapshot.of(workspace)).isEqualTo(before);
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void aCorruptMetadataDocumentIsAWarningAndTheRestStillLists() throws Exception {
        register("good", "1");
        Path broken = Files.writeString(workspace.resolve("models/metadata/bad_1.json"), "{ not json");

        CliRun list = run("registry", "list");

        assertThat(list.status()).isZero();
        assertThat(list.out()).contains("good");
        assertThat(list.errLines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("neural-mlops: warning: ").contains(broken.toString()).contains("not a valid document"));
        assertThat(run("--json", "registry", "list").out()).contains("\"good\"");
    }

    @Test
    void verifyExitsOneWhenTheArtifactChangedOrIsMissing() throws Exception {
        register("m", "1");
        CliRun intact = run("registry", "verify", "m", "1");
        assertThat(intact.status()).isZero();
        assertThat(intact.out()).contains("is intact");

        Path artifact = workspace.resolve("models/models/m/1/model.pt");
        Files.writeString(artifact, "changed");
        CliRun changed = run("--json", "registry", "verify", "m", "1");
        assertThat(changed.status()).isEqualTo(Cli.FAILED);
        assertThat(Json.mapper().readTree(changed.out()).get("status").asText()).isEqualTo("modified");

        Files.delete(artifact);
        CliRun missing = run("registry", "verify", "m", "1");
        assertThat(missing.status()).isEqualTo(Cli.FAILED);
        assertThat(missing.errLines()).singleElement().satisfies(line -> assertThat(line).contains("is missing"));
    }

    @Test
    void gcRemovesTheFilesOfUnregisteredVersionsAndStaleUploadsAndKeepsEveryVersion() throws Exception {
        register("m", "1");
        Path abandoned = Files.createDirectories(workspace.resolve("models/models/m/2"));
        Files.writeString(abandoned.resolve("model.pt"), "copied, never registered");
        // A copy killed three hours ago, never retried.
        Path stale = Files.writeString(Files.createDirectories(workspace.resolve("models/models/m/3"))
                .resolve(".model.pt.0a1b2c3d.tmp"), "half a copy");
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(3))));

        CliRun young = run("--json", "registry", "gc", "--older-than", "4h");
        CliRun old = run("registry", "gc");

        assertThat(young.status()).as(young.err()).isZero();
        JsonNode collected = Json.mapper().readTree(young.out());
        assertThat(collected.get("uploads_aborted").asInt()).isZero();
        assertThat(collected.get("folders_removed").toString()).isEqualTo("[\"models/m/2\"]");
        assertThat(old.out()).startsWith("Aborted 1 unfinished upload; removed 0 folders");
        assertThat(workspace.resolve("models/models/m/2")).doesNotExist();
        assertThat(workspace.resolve("models/models/m/3")).doesNotExist();
        assertThat(run("registry", "verify", "m", "1").status()).isZero();
    }

    @Test
    void gcRefusesAnAgeItCannotRead() {
        CliRun bad = run("registry", "gc", "--older-than", "soon");

        assertThat(bad.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(bad.errLines()).singleElement().satisfies(line -> assertThat(line).contains("soon", "1h"));
    }

    @Test
    void deletingTheProductionVersionNeedsForce() {
        register("m", "1");
        run("registry", "promote", "m", "1", "--to", "production");

        CliRun refused = run("registry", "delete", "m", "1");
        assertThat(refused.status()).isEqualTo(Cli.FAILED);
        assertThat(refused.err()).contains("is in production");

        CliRun forced = run("registry", "delete", "m", "1", "--force");
        assertThat(forced.status()).isZero();
        assertThat(forced.out()).isEqualTo("Deleted m 1 (was production)\n");
        assertThat(run("registry", "show", "m", "1").status()).isEqualTo(Cli.FAILED);
    }

    @Test
    void aConfigFileAndAStageAreStored() throws Exception {
        Path config = Files.writeString(workspace.resolve("train.yaml"), "optimizer: adam\nepochs: 10\n");
        CliRun run = run("--user", "ci-bot", "--json", "registry", "register", "--name", "m", "--version", "1",
                "--model-path", model.toString(), "--framework", "sklearn", "--config", config.toString(),
                "--stage", "staging", "--reason", "nightly build");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode doc = Json.mapper().readTree(run.out());
        assertThat(doc.get("stage").asText()).isEqualTo("staging");
        assertThat(doc.get("created_by").asText()).isEqualTo("ci-bot");
        assertThat(doc.get("config").toString()).isEqualTo("{\"optimizer\":\"adam\",\"epochs\":10}");
        assertThat(doc.at("/stage_history/0/reason").asText()).isEqualTo("nightly build");
        assertThat(workspace.resolve("models/models/m/1/config.yaml")).hasContent("optimizer: adam\nepochs: 10");
    }

    @Test
    void theGroupWithoutACommandIsBadUsage() {
        CliRun run = run("registry");
        assertThat(run.status()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.errLines()).singleElement().satisfies(line -> assertThat(line).contains("Missing command"));
        assertThat(run("registry", "--help").out()).contains("register", "promote", "compare", "verify");
    }

    @Test
    void everyCommandHasHelpEvenRegisterWhoseVersionOptionIsTheModelVersion() {
        for (String command : List.of("register", "list", "show", "promote", "compare", "delete", "verify")) {
            CliRun help = run("registry", command, "--help");
            assertThat(help.status()).as(command).isZero();
            assertThat(help.out()).startsWith("Usage: neural-mlops registry " + command);
        }
        assertThat(run("registry", "register", "--help").out()).contains("--metrics-file", "--version=V");
    }

    @Test
    void aDeletionWhoseMetadataCannotBeRemovedExitsOneLeavesTheVersionWholeAndAuditsTheFailure() throws Exception {
        register("m", "1");
        Path metadata = workspace.resolve("models/metadata/m_1.json");
        org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", metadata) == 0, "chattr +i is not supported here");
        try {
            Map<String, String> before = TreeSnapshot.of(workspace.resolve("models"));

            CliRun deleted = run("registry", "delete", "m", "1");

            assertThat(deleted.status()).isEqualTo(Cli.FAILED);
            assertThat(deleted.errLines()).singleElement().satisfies(line -> assertThat(line).contains(metadata.toString()));
            assertThat(TreeSnapshot.of(workspace.resolve("models"))).isEqualTo(before);
            JsonNode events = Json.mapper().readTree(run("--json", "audit", "query", "--type", "model_deleted").out());
            assertThat(events.findValuesAsText("outcome")).containsExactly("failure", "success");
        } finally {
            chattr("-i", metadata);
        }
        assertThat(run("registry", "delete", "m", "1").status()).isZero();
        assertThat(workspace.resolve("models/models/m")).doesNotExist();
    }

    private static int chattr(String flag, Path file) throws Exception {
        try {
            return new ProcessBuilder("chattr", flag, file.toString()).inheritIO().start().waitFor();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private void register(String name, String version, String... extra) {
        List<String> args = new ArrayList<>(List.of(registerArgs(name, version)));
        args.addAll(List.of(extra));
        CliRun run = run(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isZero();
    }

    private String[] registerArgs(String name, String version) {
        return new String[] {"registry", "register", "--name", name, "--version", version,
            "--model-path", model.toString(), "--framework", "pytorch"};
    }

    @Test
    void showPrintsTheConfigurationFromConfigYamlAsTheDesktopDoes() throws Exception {
        Path config = Files.writeString(workspace.resolve("train.yaml"), "optimizer: adam\n");
        assertThat(run("registry", "register", "--name", "m", "--version", "1", "--model-path", model.toString(),
                "--framework", "pytorch", "--config", config.toString()).status()).isZero();
        // Another tool (the original module) rewrote config.yaml after registration.
        Files.writeString(workspace.resolve("models/models/m/1/config.yaml"), "optimizer: sgd\nepochs: 3\n");

        CliRun shown = run("registry", "show", "m", "1");

        assertThat(shown.out()).contains("config:\n  optimizer: sgd\n  epochs: 3\n");
    }

    @Test
    void showPrintsTheLineageAsLinksWhenWorkspaceYamlHasTemplatesAndJsonIncludesThem() throws Exception {
        Files.writeString(workspace.resolve("workspace.yaml"), """
                links:
                  commit: "https://github.com/org/repo/commit/{commit}"
                  run: "https://ci.example.com/runs/{run}"
                """);
        assertThat(run("registry", "register", "--name", "fraud_detector", "--version", "v1.0.0", "--model-path",
                model.toString(), "--framework", "pytorch", "--lineage-commit", "3f9c2e1", "--lineage-run", "run 9",
                "--lineage-dataset", "tx-2024").status()).isZero();

        CliRun shown = run("registry", "show", "fraud_detector", "v1.0.0");
        assertThat(shown.out()).contains("commit link:  https://github.com/org/repo/commit/3f9c2e1")
                .contains("run link:     https://ci.example.com/runs/run%209").doesNotContain("dataset link:");
        JsonNode json = Json.mapper().readTree(run("--json", "registry", "show", "fraud_detector", "v1.0.0").out());
        assertThat(json.get("links").get("commit").asText()).isEqualTo("https://github.com/org/repo/commit/3f9c2e1");
        assertThat(json.get("links").get("run").asText()).isEqualTo("https://ci.example.com/runs/run%209");
        assertThat(json.get("links").has("dataset")).isFalse();
    }

    @Test
    void showWithoutTemplatesHasNoLinksAndABrokenTemplateIsAWarningThatNamesTheKey() throws Exception {
        assertThat(run("registry", "register", "--name", "fraud_detector", "--version", "v1.0.0", "--model-path",
                model.toString(), "--framework", "pytorch", "--lineage-commit", "3f9c2e1").status()).isZero();
        assertThat(Json.mapper().readTree(run("--json", "registry", "show", "fraud_detector", "v1.0.0").out()).has("links"))
                .isFalse();

        Files.writeString(workspace.resolve("workspace.yaml"), "links:\n  commit: \"https://github.com/{sha}\"\n");
        CliRun shown = run("registry", "show", "fraud_detector", "v1.0.0");

        assertThat(shown.status()).isZero();
        assertThat(shown.out()).contains("commit 3f9c2e1").doesNotContain("commit link:");
        assertThat(shown.err()).contains("Warning: the lineage links cannot be shown").contains("links.commit");
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("--workspace", workspace.toString()));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    private static List<String> names(CliRun run) {
        try {
            List<String> ids = new ArrayList<>();
            Json.mapper().readTree(run.out()).forEach(v -> ids.add(v.get("name").asText() + ":" + v.get("version").asText()));
            return ids;
        } catch (Exception e) {
            throw new AssertionError(run.out(), e);
        }
    }
}
