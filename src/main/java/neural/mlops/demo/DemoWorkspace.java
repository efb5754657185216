package neural.mlops.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.EventType;
import neural.mlops.deployment.CreatedDeployment;
import neural.mlops.registry.Lineage;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.RegisterRequest;
import neural.mlops.store.AtomicFiles;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.StorePaths;
import neural.mlops.store.UserConfig;
import neural.mlops.workspace.Workspace;

/**
 * Builds the demo workspace: seven models from different frameworks with several versions each,
 * stage histories across all four stages, deployments in development, staging and production
 * (with a rollback), and 90 days of audit events including security violations and access
 * denials. Everything goes through the real core API, acting as several users on a clock that
 * moves through the 90 days, so the result is valid by construction and its audit chain verifies.
 */
public final class DemoWorkspace {

    static final int DAYS = 90;
    private static final String[] SCIENTISTS = {"alice", "bob", "dmitri"};
    private static final String LEAD = "carol";
    private static final String OPERATOR = "devops";
    private static final String CI = "ci-bot";
    /** Who appears in the demo; the creator's OS user is added as an approver only under another name. */
    private static final java.util.Set<String> DEMO_USERS = java.util.Set.of("alice", "bob", "carol", "dmitri", "erin",
            OPERATOR, CI, "unknown@external.com");
    /** The day the team adopts its policy: after every scripted stage move, so none of them needs approvals. */
    static final int POLICY_DAY = 87;

    private final Path folder;
    private final DemoClock clock;
    private final Random random = new Random(20240115L);
    private final Map<String, Workspace> asUser = new HashMap<>();
    private final List<Step> steps = new ArrayList<>();

    private DemoWorkspace(Path folder, Instant end) {
        this.folder = folder;
        this.clock = new DemoClock(end.minus(DAYS, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS));
    }

    /**
     * Creates the demo in {@code folder}, which must not exist or be empty. The 90 days end now.
     * Progress messages go to {@code progress}.
     */
    public static Path create(Path folder, Consumer<String> progress) {
        return create(folder, Instant.now(), progress);
    }

    static Path create(Path folder, Instant end, Consumer<String> progress) {
        Path absolute = folder.toAbsolutePath().normalize();
        try {
            StorePaths.createEmptyFolder(absolute, "for the demo");
            AtomicFiles.write(absolute.resolve(Workspace.SETTINGS),
                    "# Demo workspace created by Neural MLOps Desktop\nname: Demo workspace\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            DemoWorkspace demo = new DemoWorkspace(absolute, end);
            Path artifacts = Files.createTempDirectory("neural-mlops-demo-artifacts");
            try {
                demo.plan(artifacts);
                demo.run(progress);
            } finally {
                deleteTree(artifacts);
            }
            return absolute;
        } catch (IOException e) {
            throw StoreIOException.of("create the demo workspace in", absolute, e);
        }
    }

    private Workspace as(String user) {
        return asUser.computeIfAbsent(user, name -> Workspace.open(folder, name, clock, Optional.empty()));
    }

    // The plan: each model's versions, promotions and deployments, and the background events.

    private void plan(Path artifacts) throws IOException {
        for (DemoModel model : DemoModel.ALL) {
            planModel(model, artifacts);
        }
        planBackgroundEvents();
        planPolicy();
    }

    /**
     * Near the end of the 90 days the team adopts a governance policy (SPEC 8): roles, an open
     * staging for scientists and approvers, and production by request with a reason and two
     * approvals, so the approval workflow can be explored at once (credit_scoring v1.2.0 waits in
     * staging for it). The person who created the demo (their OS user) is an approver too, unless
     * that name is already a demo user. Adopting it is recorded as a config_changed event.
     */
    private void planPolicy() {
        at(POLICY_DAY, 9, "Adopting the governance policy", () -> {
            byte[] yaml = policyYaml(UserConfig.osUser()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            AtomicFiles.write(folder.resolve(Workspace.SETTINGS), yaml);
            as(LEAD).audit().logEvent(AuditRecords.configChanged(LEAD, "policy", sha256(yaml), true));
        });
    }

    private static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** workspace.yaml with the demo's policy; {@code creator} is made an approver unless a demo user has that name. */
    static String policyYaml(String creator) {
        StringBuilder yaml = new StringBuilder("""
                # Demo workspace created by Neural MLOps Desktop
                name: Demo workspace
                policy:
                  roles:
                    carol: [approver]
                    erin: [approver]
                    alice: [data_scientist]
                    bob: [data_scientist]
                    dmitri: [data_scientist]
                """);
        if (!DEMO_USERS.contains(creator)) {
            yaml.append("    \"").append(creator.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\": [approver]   # who created this demo\n");
        }
        yaml.append("""
                  stages:
                    staging:
                      allowed: [data_scientist, approver]
                    production:
                      allowed: [approver]
                      requires_stage: staging
                      require_reason: true
                      approvals: 2
                    archived:
                      allowed: [approver]
                # Lineage values as links in the details pane (docs/store-format.md, "Lineage links").
                links:
                  commit: "https://git.example.com/demo/commit/{commit}"
                  run: "https://ci.example.com/runs/{run}"
                """);
        return yaml.toString();
    }

    /**
     * A stand-in model file of about {@code size} bytes that reads as what its name says where the
     * inspector reads that format: a pickle ({@code .pt}, {@code .pkl}, {@code .bin}) holds an
     * OrderedDict of random weights and imports nothing else, so it scans "safe" as a real
     * state dict would; other formats (JSON, text, zip) are random bytes, which the inspector
     * rightly calls an unknown format.
     */
    private byte[] modelFile(String fileName, int size) {
        byte[] weights = new byte[size];
        random.nextBytes(weights);
        if (!fileName.endsWith(".pt") && !fileName.endsWith(".pkl") && !fileName.endsWith(".bin")) {
            return weights;
        }
        java.io.ByteArrayOutputStream pickle = new java.io.ByteArrayOutputStream(size + 64);
        pickle.write(0x80); // PROTO 4
        pickle.write(4);
        pickle.writeBytes("ccollections\nOrderedDict\n)R(".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        pickle.writeBytes(shortUnicode("weights"));
        pickle.write('B'); // BINBYTES: 4-byte little-endian length, then the bytes
        pickle.writeBytes(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(size).array());
        pickle.writeBytes(weights);
        pickle.write('u'); // SETITEMS
        pickle.write('.'); // STOP
        return pickle.toByteArray();
    }

    private static byte[] shortUnicode(String text) {
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] opcode = new byte[utf8.length + 2];
        opcode[0] = (byte) 0x8c; // SHORT_BINUNICODE
        opcode[1] = (byte) utf8.length;
        System.arraycopy(utf8, 0, opcode, 2, utf8.length);
        return opcode;
    }

    private void planModel(DemoModel model, Path artifacts) throws IOException {
        int count = model.versions().size();
        for (int i = 0; i < count; i++) {
            DemoModel.Version version = model.versions().get(i);
            int registeredDay = version.day();
            String scientist = SCIENTISTS[(model.name().length() + i) % SCIENTISTS.length];
            Path file = Files.createDirectories(artifacts.resolve(model.name()).resolve(version.version()))
                    .resolve(model.fileName());
            Files.write(file, modelFile(model.fileName(), 32 * 1024 + random.nextInt(96 * 1024)));
            String parent = i == 0 ? null : model.versions().get(i - 1).version();
            Map<String, Object> config = model.config(i);
            Lineage lineage = new Lineage(commit(model.name(), i), "run-" + (1000 + registeredDay * 7 + i),
                    model.dataset(), parent);
            at(registeredDay, 10, "Registering " + model.name() + " " + version.version(), () -> as(scientist).registry()
                    .registerModel(RegisterRequest.builder(model.name(), version.version(), file)
                            .framework(model.framework())
                            .createdBy(scientist)
                            .description(version.note())
                            .metrics(version.metrics())
                            .tags(model.tags())
                            .config(config)
                            .lineage(lineage)
                            .build()));
            for (DemoModel.Move move : version.moves()) {
                String who = move.to() == ModelStage.PRODUCTION ? LEAD : scientist;
                at(move.day(), 14, "Moving " + model.name() + " " + version.version() + " to " + move.to().value(),
                        () -> as(who).registry().promoteModel(model.name(), version.version(), move.to(), move.reason()));
            }
            for (DemoModel.Deploy deploy : version.deployments()) {
                planDeployment(model, version, deploy);
            }
        }
    }

    private void planDeployment(DemoModel model, DemoModel.Version version, DemoModel.Deploy deploy) {
        String endpoint = "http://localhost:" + deploy.port() + "/v1/models/" + model.name() + ":predict";
        String[] id = new String[1];
        at(deploy.day(), 16, "Deploying " + model.name() + " " + version.version() + " to " + deploy.environment(), () -> {
            CreatedDeployment created = as(OPERATOR).deployments()
                    .createDeployment(model.name(), version.version(), deploy.environment(), endpoint);
            id[0] = created.id();
            as(OPERATOR).deployments().activateDeployment(id[0], "Release " + version.version());
        });
        if (deploy.rollbackDay() > 0) {
            at(deploy.rollbackDay(), 11, "Rolling back " + model.name() + " in " + deploy.environment(), () ->
                    as(OPERATOR).deployments().rollback(model.name(), deploy.environment(),
                            "Latency regression after release " + version.version()));
        }
    }

    private void planBackgroundEvents() {
        String[] readers = {"alice", "bob", "carol", "dmitri", "erin", CI};
        for (int day = 0; day < DAYS; day++) {
            int accesses = 2 + random.nextInt(4);
            for (int n = 0; n < accesses; n++) {
                String reader = readers[random.nextInt(readers.length)];
                DemoModel model = DemoModel.ALL.get(random.nextInt(DemoModel.ALL.size()));
                String version = model.versions().get(0).version();
                int hour = 8 + random.nextInt(10);
                at(day, hour, null, () -> as(reader).audit().logEvent(AuditRecords.modelAccessed(reader,
                        AuditRecords.modelId(model.name(), version), "download", "offline evaluation", null)));
            }
            if (day % 7 == 6) {
                at(day, 23, null, () -> as(CI).audit().checkIntegrity(CI));
            }
        }
        int[] violationDays = {12, 33, 34, 58, 81};
        for (int day : violationDays) {
            at(day, 3, null, () -> as("unknown@external.com").audit().logEvent(AuditRecords.intrusion("unknown@external.com",
                    AuditRecords.modelId("fraud_detector", "v2.0.0"), "unauthorized_access", "Request without a valid token",
                    "203.0.113." + (10 + day), 3 + day % 4, null)));
        }
        int[] deniedDays = {20, 45, 71, 86};
        for (int day : deniedDays) {
            at(day, 15, null, () -> as("bob").audit().logEvent(AuditRecords.accessDenied("bob", AuditRecords.MODEL,
                    AuditRecords.modelId("credit_scoring", "v1.2.0"), "promote", "Only approvers may promote to production",
                    "production", null)));
        }
        at(40, 9, null, () -> as(LEAD).audit().logEvent(AuditRecords.configChanged(LEAD, "require_reason", true, false)));
        at(30, 17, null, () -> as(LEAD).audit().logEvent(AuditRecords.failed(AuditRecords.deploymentChanged(
                EventType.DEPLOYMENT_ACTIVATED, OPERATOR, "deploy_failed_canary", "activate", null,
                new AuditRecords.DeploymentFacts("fraud_detector", "v2.0.0", "staging",
                        "http://staging.internal:8080/fraud_detector/predict", null), null),
                "Health check failed after activation")));
    }

    // Running the plan in time order.

    private void at(int day, int hour, String message, Runnable action) {
        Instant when = clock.instant().plus(day, ChronoUnit.DAYS).plus(hour, ChronoUnit.HOURS)
                .plus(random.nextInt(50), ChronoUnit.MINUTES);
        steps.add(new Step(when, steps.size(), message, action));
    }

    private void run(Consumer<String> progress) {
        steps.sort(Comparator.comparing(Step::when).thenComparing(Step::order));
        for (Step step : steps) {
            clock.moveTo(step.when());
            clock.advance(Duration.ofSeconds(1));
            if (step.message() != null) {
                progress.accept(step.message());
            }
            step.action().run();
        }
        progress.accept("Demo workspace ready: " + folder);
    }

    private record Step(Instant when, int order, String message, Runnable action) {
    }

    private static String commit(String name, int index) {
        return Integer.toHexString((name.hashCode() * 31 + index) & 0x7fffffff) + "a1c9e0";
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The first day of the demo's 90 days ending at {@code end}, for tests. */
    static LocalDate firstDay(Instant end) {
        return LocalDate.ofInstant(end.minus(DAYS, ChronoUnit.DAYS), ZoneOffset.UTC);
    }

    static Map<String, Double> metrics(Object... pairs) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            metrics.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return metrics;
    }
}
