package neural.mlops.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.BulkAppender;
import neural.mlops.audit.ChainHead;
import neural.mlops.audit.EventType;
import neural.mlops.deployment.Deployment;
import neural.mlops.deployment.DeploymentStatus;
import neural.mlops.deployment.HealthCheck;
import neural.mlops.deployment.StatusChange;
import neural.mlops.registry.Lineage;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.StageTransition;
import neural.mlops.store.ConflictException;
import neural.mlops.store.Json;
import neural.mlops.store.MlopsException;
import neural.mlops.store.SafeYaml;
import neural.mlops.store.StoreIOException;
import neural.mlops.store.StorePaths;
import neural.mlops.store.UtcTime;
import neural.mlops.workspace.Workspace;

/**
 * Builds a large synthetic workspace (SPEC 7) fast: models with realistic frameworks, metrics,
 * tags, configs, lineage and stage histories (registered, staged, promoted, archived when
 * superseded), the deployments those promotions caused (with replacements and rollbacks), and an
 * audit trail of every event type and severity over the period: the lifecycle events of the
 * registry and deployments, plus the daily background of a busy team (reads, updates, canary
 * deploys, exports, reports, integrity checks, access denials and a few security violations).
 *
 * <p>Every document goes through the real codecs ({@link ModelVersion#toJson()},
 * {@link Deployment#toJson()}) and every event through the real checks, redaction and hash chain
 * ({@link BulkAppender}); what makes it fast is that files are written without a flush each, and
 * head.json last. The result verifies ({@code audit verify}) and loads with no problem. An
 * interrupted run leaves a folder to delete, not a workspace.
 */
public final class WorkspaceGenerator {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** Hour-of-day weights (UTC) of the background events: a working day with a night tail. */
    private static final int[] HOUR_WEIGHTS = {2, 1, 1, 1, 1, 2, 4, 8, 14, 18, 20, 20, 16, 18, 20, 20, 18, 14, 10, 7, 5,
        4, 3, 2};

    private final Path folder;
    private final GenerateOptions options;
    private final Random random;
    private final Instant start;
    private final Instant end;
    private final Consumer<String> progress;
    private final List<Planned> lifecycle = new ArrayList<>();
    private final Set<String> deploymentIds = new HashSet<>();
    private final List<String> modelIds = new ArrayList<>();
    private int deploymentCount;

    private WorkspaceGenerator(Path folder, GenerateOptions options, Consumer<String> progress) {
        this.folder = folder;
        this.options = options;
        this.random = new Random(options.seed());
        this.end = options.end().truncatedTo(ChronoUnit.SECONDS);
        this.start = end.minus(options.days(), ChronoUnit.DAYS);
        this.progress = progress;
    }

    /**
     * Generates the workspace in {@code folder}, which must not exist or be empty. Progress
     * messages go to {@code progress}.
     */
    public static GeneratedWorkspace generate(Path folder, GenerateOptions options, Consumer<String> progress) {
        long began = System.nanoTime();
        Path absolute = folder.toAbsolutePath().normalize();
        prepare(absolute);
        WorkspaceGenerator generator = new WorkspaceGenerator(absolute, options, progress);
        generator.writeSettings();
        generator.writeRegistry();
        generator.progress.accept("Registry and deployments written: " + options.models() + " models, "
                + (long) options.models() * options.versions() + " versions, " + generator.deploymentCount + " deployments");
        AuditSummary audit = generator.writeAudit();
        return new GeneratedWorkspace(absolute, options.models(), options.models() * options.versions(),
                generator.deploymentCount, audit.events(), audit.violations(), audit.head().hash(),
                Duration.ofNanos(System.nanoTime() - began));
    }

    private static void prepare(Path folder) {
        try {
            if (Files.exists(folder)) {
                if (!Files.isDirectory(folder)) {
                    throw new ConflictException(folder + " exists and is not a folder; choose a new folder");
                }
                try (var entries = Files.list(folder)) {
                    if (entries.findAny().isPresent()) {
                        throw new ConflictException(folder + " is not empty; choose a new or empty folder");
                    }
                }
            }
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw StoreIOException.of("create", folder, e);
        }
    }

    private void writeSettings() {
        String yaml = "# Synthetic workspace generated by 'neural-mlops bench generate' (SPEC 7)\n"
                + "name: Synthetic workspace (" + options.models() + " models x " + options.versions() + " versions, "
                + options.events() + " events, " + options.days() + " days)\n";
        writeNew(folder.resolve(Workspace.SETTINGS), yaml.getBytes(StandardCharsets.UTF_8));
    }

    // The registry and the deployments

    private void writeRegistry() {
        Path registry = folder.resolve(Workspace.MODELS);
        Path metadata = StorePaths.forWrite(registry, "metadata");
        Path deployments = folder.resolve(Workspace.DEPLOYMENTS);
        try {
            Files.createDirectories(metadata);
            Files.createDirectories(deployments);
        } catch (IOException e) {
            throw StoreIOException.of("create", metadata, e);
        }
        int step = Math.max(1, options.models() / 10);
        for (int index = 0; index < options.models(); index++) {
            new ModelPlan(index).write(registry, metadata, deployments);
            if ((index + 1) % step == 0) {
                progress.accept("Models: " + (index + 1) + " of " + options.models());
            }
        }
    }

    /** One model: its versions, their stage changes in time order, and the deployments those caused. */
    private final class ModelPlan {
        private final String name;
        private final Vocabulary.Framework framework;
        private final String owner;
        private final String domain;
        private final List<VersionState> versions = new ArrayList<>();
        private final Map<String, List<DeploymentState>> byEnvironment = new LinkedHashMap<>();

        ModelPlan(int index) {
            this.name = Vocabulary.modelName(index);
            this.framework = Vocabulary.FRAMEWORKS.get(random.nextInt(Vocabulary.FRAMEWORKS.size()));
            this.owner = Vocabulary.pick(random, Vocabulary.SCIENTISTS);
            this.domain = Vocabulary.domainOf(name);
        }

        void write(Path registry, Path metadata, Path deploymentsFolder) {
            plan();
            for (VersionState version : versions) {
                writeVersion(registry, metadata, version);
            }
            for (List<DeploymentState> list : byEnvironment.values()) {
                for (DeploymentState deployment : list) {
                    writeDeployment(deploymentsFolder, deployment);
                }
            }
        }

        private void plan() {
            long period = Duration.between(start, end).getSeconds();
            Instant birth = start.plusSeconds((long) (period * 0.6 * random.nextDouble()));
            long span = Duration.between(birth, end.minus(Duration.ofHours(2))).getSeconds();
            int count = options.versions();
            List<Move> moves = new ArrayList<>();
            int major = 1;
            int minor = 0;
            int patch = 0;
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    double bump = random.nextDouble();
                    if (bump < 0.15) {
                        major++;
                        minor = 0;
                        patch = 0;
                    } else if (bump < 0.7) {
                        minor++;
                        patch = 0;
                    } else {
                        patch++;
                    }
                }
                Instant created = birth.plusSeconds((long) (span * (i + 0.8 * random.nextDouble()) / count));
                String scientist = random.nextInt(4) == 0 ? Vocabulary.pick(random, Vocabulary.SCIENTISTS) : owner;
                VersionState version = new VersionState("v" + major + "." + minor + "." + patch, created, scientist, i);
                versions.add(version);
                lifecycle.add(new Planned(created, registered(version), Vocabulary.pick(random, Vocabulary.HOSTS)));
                modelIds.add(name + ":" + version.version);
                Instant staged = created.plus(hours(2, 48));
                if (random.nextDouble() < 0.75 && staged.isBefore(end)) {
                    moves.add(new Move(staged, version, ModelStage.STAGING, scientist, "Passed offline evaluation"));
                    Instant released = staged.plus(hours(4, 96));
                    if (random.nextDouble() < 0.55 && released.isBefore(end)) {
                        moves.add(new Move(released, version, ModelStage.PRODUCTION,
                                Vocabulary.pick(random, Vocabulary.APPROVERS), "Approved for release"));
                    }
                }
            }
            for (int i = 0; i + 1 < count; i++) {
                Instant shelved = versions.get(i + 1).created.plus(hours(24, 240));
                if (random.nextDouble() < 0.25 && shelved.isBefore(end)) {
                    moves.add(new Move(shelved, versions.get(i), ModelStage.ARCHIVED, versions.get(i).createdBy,
                            "Superseded experiment"));
                }
            }
            moves.sort(Comparator.comparing(Move::at));
            VersionState production = null;
            for (Move move : moves) {
                VersionState version = move.version();
                if (version.stage == ModelStage.ARCHIVED || version.stage == move.to()) {
                    continue; // shelved before it could move on
                }
                if (move.to() == ModelStage.ARCHIVED && version.stage == ModelStage.PRODUCTION) {
                    continue; // the production version stays until it is superseded
                }
                if (move.to() == ModelStage.PRODUCTION) {
                    if (production != null) {
                        change(production, ModelStage.ARCHIVED, move.at(), move.by(),
                                "superseded by " + version.version + " in production", "archive");
                    }
                    production = version;
                }
                change(version, move.to(), move.at(), move.by(), move.reason(), "promote");
                if (move.to() == ModelStage.STAGING || move.to() == ModelStage.PRODUCTION) {
                    deploy(version, move.to() == ModelStage.PRODUCTION ? "production" : "staging", move.at());
                }
            }
        }

        private void change(VersionState version, ModelStage to, Instant at, String by, String reason, String action) {
            ModelStage from = version.stage;
            version.stage = to;
            version.updated = at;
            version.history.add(new StageTransition(from, to, at, by, reason));
            lifecycle.add(new Planned(at, AuditRecords.stageChanged(by, AuditRecords.modelId(name, version.version), action,
                    from.value(), to.value(), reason), Vocabulary.pick(random, Vocabulary.HOSTS)));
        }

        /** A new deployment of {@code version} in {@code environment}, replacing the active one there; sometimes rolled back. */
        private void deploy(VersionState version, String environment, Instant promoted) {
            Instant created = promoted.plus(MINUTE.multipliedBy(3 + random.nextInt(10)));
            Instant activated = created.plus(MINUTE.multipliedBy(2 + random.nextInt(10)));
            if (!activated.isBefore(end)) {
                return;
            }
            List<DeploymentState> list = byEnvironment.computeIfAbsent(environment, env -> new ArrayList<>());
            String operator = Vocabulary.pick(random, Vocabulary.OPERATORS);
            DeploymentState fresh = new DeploymentState(deploymentId(created, version.version), version.version,
                    environment, URI.create("https://" + environment + ".models.example.com/v1/" + name + "/"
                    + version.version + ":predict"), created, operator);
            fresh.history.add(new StatusChange(DeploymentStatus.PENDING, created, operator, null));
            lifecycle.add(new Planned(created, deploymentRecord(EventType.DEPLOYMENT_CREATED, operator, fresh, "create",
                    null), Vocabulary.pick(random, Vocabulary.HOSTS)));
            DeploymentState previous = list.stream().filter(d -> d.status == DeploymentStatus.ACTIVE).findFirst().orElse(null);
            if (previous != null) {
                previous.status = DeploymentStatus.INACTIVE;
                previous.deactivated = activated;
                previous.history.add(new StatusChange(DeploymentStatus.INACTIVE, activated, operator, "replaced by " + fresh.id));
                fresh.replaces = previous.id;
            }
            fresh.status = DeploymentStatus.ACTIVE;
            fresh.activated = activated;
            String reason = "Release " + version.version;
            fresh.history.add(new StatusChange(DeploymentStatus.ACTIVE, activated, operator, reason));
            lifecycle.add(new Planned(activated, deploymentRecord(EventType.DEPLOYMENT_ACTIVATED, operator, fresh,
                    "activate", reason), Vocabulary.pick(random, Vocabulary.HOSTS)));
            list.add(fresh);
            Instant rollback = activated.plus(MINUTE.multipliedBy(20 + random.nextInt(100)));
            if (previous != null && "production".equals(environment) && random.nextDouble() < 0.08
                    && rollback.isBefore(end)) {
                String why = "Latency regression after release " + version.version;
                fresh.status = DeploymentStatus.ROLLED_BACK;
                fresh.deactivated = rollback;
                fresh.history.add(new StatusChange(DeploymentStatus.ROLLED_BACK, rollback, operator,
                        "rolled back to " + previous.id + ": " + why));
                previous.status = DeploymentStatus.ACTIVE;
                previous.activated = rollback;
                previous.deactivated = null;
                previous.history.add(new StatusChange(DeploymentStatus.ACTIVE, rollback, operator,
                        "restored by rolling back " + fresh.id + ": " + why));
                lifecycle.add(new Planned(rollback, AuditRecords.deploymentRolledBack(operator, fresh.id, why,
                        facts(fresh), previous.id, previous.version), Vocabulary.pick(random, Vocabulary.HOSTS)));
            }
        }

        private String deploymentId(Instant created, String version) {
            String base = "deploy_" + UtcTime.fileStamp(created) + "_" + name + "_" + version;
            String id = base;
            for (int n = 2; !deploymentIds.add(id); n++) {
                id = base + "_" + n;
            }
            return id;
        }

        private AuditRecord deploymentRecord(EventType type, String user, DeploymentState deployment, String action,
                                             String reason) {
            return AuditRecords.deploymentChanged(type, user, deployment.id, action, reason, facts(deployment), null);
        }

        private AuditRecords.DeploymentFacts facts(DeploymentState deployment) {
            return new AuditRecords.DeploymentFacts(name, deployment.version, deployment.environment,
                    deployment.endpoint.toString(), deployment.replaces);
        }

        private AuditRecord registered(VersionState version) {
            version.artifact = artifact();
            version.history.add(new StageTransition(null, ModelStage.DEVELOPMENT, version.created, version.createdBy,
                    "registered"));
            return AuditRecords.modelRegistered(version.createdBy, AuditRecords.modelId(name, version.version),
                    framework.name(), ModelStage.DEVELOPMENT.value(), framework.modelFile(), version.artifact.length,
                    sha256(version.artifact));
        }

        private void writeVersion(Path registry, Path metadata, VersionState version) {
            Path versionFolder = registry.resolve("models").resolve(name).resolve(version.version);
            try {
                Files.createDirectories(versionFolder);
            } catch (IOException e) {
                throw StoreIOException.of("create", versionFolder, e);
            }
            Map<String, Object> config = config(version.index);
            writeNew(versionFolder.resolve(framework.modelFile()), version.artifact);
            writeNew(versionFolder.resolve("config.yaml"), SafeYaml.dump(config).getBytes(StandardCharsets.UTF_8));
            String parent = version.index == 0 ? null : versions.get(version.index - 1).version;
            ModelVersion document = new ModelVersion(name, version.version, version.stage, framework.name(),
                    version.createdBy, version.created, version.updated,
                    Vocabulary.DESCRIPTIONS[random.nextInt(Vocabulary.DESCRIPTIONS.length)],
                    metrics(version.index), tags(), framework.modelFile(),
                    Path.of("models", name, version.version, framework.modelFile()), version.artifact.length,
                    sha256(version.artifact), config, version.history,
                    new Lineage(Vocabulary.hex(random, 7), "run-" + (10_000 + random.nextInt(90_000)),
                            "s3://datasets/" + domain + "/" + LocalDate.ofInstant(version.created, ZoneOffset.UTC), parent));
            writeNew(metadata.resolve(name + "_" + version.version + ".json"), pretty(document.toJson()));
        }

        private void writeDeployment(Path deploymentsFolder, DeploymentState state) {
            HealthCheck health = null;
            if (state.status == DeploymentStatus.ACTIVE) {
                boolean ok = random.nextInt(20) != 0;
                health = new HealthCheck(end.minus(MINUTE.multipliedBy(random.nextInt(120))), ok, ok ? 200 : 503,
                        (long) (5 + random.nextInt(200)), ok ? null : "HTTP 503 Service Unavailable");
            }
            Deployment deployment = new Deployment(state.id, name, state.version, state.environment, state.endpoint,
                    state.status, state.created, state.createdBy, state.activated, state.deactivated, state.replaces,
                    Map.of("health_path", "/health", "replicas", 1 + random.nextInt(6)), health, state.history);
            writeNew(deploymentsFolder.resolve(state.id + ".json"), pretty(deployment.toJson()));
            deploymentCount++;
        }

        private Map<String, Double> metrics(int index) {
            double progressRatio = options.versions() == 1 ? 1 : (double) index / (options.versions() - 1);
            Map<String, Double> metrics = new LinkedHashMap<>();
            switch (framework.task()) {
                case CLASSIFICATION -> {
                    double accuracy = 0.82 + 0.12 * progressRatio + noise(0.01);
                    metrics.put("accuracy", round(accuracy));
                    metrics.put("precision", round(accuracy - 0.02 + noise(0.01)));
                    metrics.put("recall", round(accuracy - 0.04 + noise(0.02)));
                    metrics.put("f1", round(accuracy - 0.03 + noise(0.01)));
                    metrics.put("auc", round(Math.min(0.999, accuracy + 0.04 + noise(0.01))));
                    metrics.put("val_loss", round(0.6 - 0.35 * progressRatio + noise(0.02)));
                }
                case REGRESSION -> {
                    metrics.put("rmse", round(12.0 - 5 * progressRatio + noise(0.4)));
                    metrics.put("mae", round(8.0 - 3 * progressRatio + noise(0.3)));
                    metrics.put("r2", round(0.7 + 0.2 * progressRatio + noise(0.01)));
                }
                case RANKING -> {
                    metrics.put("ndcg_at_10", round(0.61 + 0.15 * progressRatio + noise(0.01)));
                    metrics.put("map", round(0.48 + 0.12 * progressRatio + noise(0.01)));
                    metrics.put("mrr", round(0.55 + 0.14 * progressRatio + noise(0.01)));
                }
            }
            metrics.put("latency_ms", round(40 - 15 * progressRatio + noise(3)));
            return metrics;
        }

        private List<String> tags() {
            List<String> tags = new ArrayList<>();
            tags.add(domain);
            tags.add(framework.task().name().toLowerCase(java.util.Locale.ROOT));
            int extra = random.nextInt(3);
            for (int i = 0; i < extra; i++) {
                String tag = Vocabulary.pick(random, Vocabulary.TAGS);
                if (!tags.contains(tag)) {
                    tags.add(tag);
                }
            }
            return tags;
        }

        private Map<String, Object> config(int index) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("learning_rate", List.of(0.1, 0.03, 0.01, 0.003, 0.001).get(random.nextInt(5)));
            config.put("batch_size", List.of(32, 64, 128, 256).get(random.nextInt(4)));
            config.put("epochs", 5 + random.nextInt(45));
            config.put("optimizer", List.of("adam", "adamw", "sgd").get(random.nextInt(3)));
            config.put("seed", 1000 + index);
            config.put("features", List.of("amount", "merchant", "hour", "country").subList(0, 2 + random.nextInt(3)));
            return config;
        }

        private byte[] artifact() {
            byte[] bytes = new byte[512 + random.nextInt(3584)];
            random.nextBytes(bytes);
            return bytes;
        }
    }

    private static final class VersionState {
        final String version;
        final Instant created;
        final String createdBy;
        final int index;
        final List<StageTransition> history = new ArrayList<>();
        ModelStage stage = ModelStage.DEVELOPMENT;
        Instant updated;
        byte[] artifact;

        VersionState(String version, Instant created, String createdBy, int index) {
            this.version = version;
            this.created = created;
            this.createdBy = createdBy;
            this.index = index;
            this.updated = created;
        }
    }

    private static final class DeploymentState {
        final String id;
        final String version;
        final String environment;
        final URI endpoint;
        final Instant created;
        final String createdBy;
        final List<StatusChange> history = new ArrayList<>();
        DeploymentStatus status = DeploymentStatus.PENDING;
        Instant activated;
        Instant deactivated;
        String replaces;

        DeploymentState(String id, String version, String environment, URI endpoint, Instant created, String createdBy) {
            this.id = id;
            this.version = version;
            this.environment = environment;
            this.endpoint = endpoint;
            this.created = created;
            this.createdBy = createdBy;
        }
    }

    private record Move(Instant at, VersionState version, ModelStage to, String by, String reason) {
    }

    /** An audit event to append at its time, with the host that recorded it. */
    private record Planned(Instant at, AuditRecord record, String host) {
    }

    // The audit trail

    private record AuditSummary(long events, long violations, ChainHead head) {
    }

    private AuditSummary writeAudit() {
        List<Planned> kept = keepAtMost(lifecycle, options.events() / 2);
        long background = options.events() - kept.size();
        long[] perDay = spread(background);
        Map<LocalDate, List<Planned>> lifecycleByDay = new LinkedHashMap<>();
        for (Planned planned : kept) {
            lifecycleByDay.computeIfAbsent(TrailDay.of(planned.at()), day -> new ArrayList<>()).add(planned);
        }
        Background events = new Background(random, modelIds, background);
        long written = 0;
        try (BulkAppender bulk = BulkAppender.open(folder.resolve(Workspace.AUDIT), Optional.empty())) {
            int step = Math.max(1, options.days() / 10);
            for (int d = 0; d < options.days(); d++) {
                Instant dayStart = start.plus(d, ChronoUnit.DAYS);
                Instant dayEnd = d == options.days() - 1 ? end : dayStart.plus(1, ChronoUnit.DAYS);
                List<Planned> day = new ArrayList<>();
                for (long n = 0; n < perDay[d]; n++) {
                    Instant at = timeIn(dayStart, dayEnd);
                    day.add(new Planned(at, events.next(at), Vocabulary.pick(random, Vocabulary.HOSTS)));
                }
                for (LocalDate calendarDay = TrailDay.of(dayStart); !calendarDay.isAfter(TrailDay.of(dayEnd));
                     calendarDay = calendarDay.plusDays(1)) {
                    List<Planned> planned = lifecycleByDay.get(calendarDay);
                    if (planned != null) {
                        for (Planned event : planned) {
                            if (!event.at().isBefore(dayStart) && event.at().isBefore(dayEnd)) {
                                day.add(event);
                            }
                        }
                    }
                }
                day.sort(Comparator.comparing(Planned::at));
                for (Planned planned : day) {
                    bulk.append(planned.record(), planned.at(), planned.host());
                }
                written += day.size();
                if ((d + 1) % step == 0) {
                    progress.accept("Audit events: " + written + " of " + options.events() + " (day " + (d + 1) + " of "
                            + options.days() + ")");
                }
            }
            ChainHead head = bulk.finish();
            return new AuditSummary(written, events.violations(), head);
        }
    }

    /** At most {@code limit} of the planned events, chosen evenly at random, in their order. */
    private List<Planned> keepAtMost(List<Planned> planned, long limit) {
        if (planned.size() <= limit) {
            return planned;
        }
        List<Planned> kept = new ArrayList<>();
        long needed = limit;
        for (int i = 0; i < planned.size() && needed > 0; i++) {
            if (random.nextDouble() * (planned.size() - i) < needed) {
                kept.add(planned.get(i));
                needed--;
            }
        }
        return kept;
    }

    /** How many background events each day gets: quieter weekends, a slow growth over the period, some noise. */
    private long[] spread(long total) {
        int days = options.days();
        double[] weights = new double[days];
        double sum = 0;
        for (int d = 0; d < days; d++) {
            LocalDate date = TrailDay.of(start.plus(d, ChronoUnit.DAYS));
            boolean weekend = date.getDayOfWeek().getValue() >= 6;
            weights[d] = (weekend ? 0.35 : 1.0) * (0.8 + 0.4 * d / days) * (0.85 + 0.3 * random.nextDouble());
            sum += weights[d];
        }
        long[] counts = new long[days];
        long assigned = 0;
        for (int d = 0; d < days; d++) {
            counts[d] = (long) Math.floor(total * weights[d] / sum);
            assigned += counts[d];
        }
        for (int d = 0; assigned < total; d = (d + 1) % days) {
            counts[d]++;
            assigned++;
        }
        return counts;
    }

    private Instant timeIn(Instant dayStart, Instant dayEnd) {
        int total = 0;
        for (int weight : HOUR_WEIGHTS) {
            total += weight;
        }
        int draw = random.nextInt(total);
        int hour = 0;
        while (draw >= HOUR_WEIGHTS[hour]) {
            draw -= HOUR_WEIGHTS[hour];
            hour++;
        }
        long micros = (hour * 3_600L + random.nextInt(3_600)) * 1_000_000L + random.nextInt(1_000_000);
        long limit = Duration.between(dayStart, dayEnd).toNanos() / 1_000;
        return dayStart.plus(Math.min(micros, limit - 1), ChronoUnit.MICROS);
    }

    private double noise(double scale) {
        return (random.nextDouble() * 2 - 1) * scale;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    private static Duration hours(Random random, int from, int to) {
        return Duration.ofMinutes(from * 60L + random.nextInt((to - from) * 60));
    }

    private Duration hours(int from, int to) {
        return hours(random, from, to);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }

    private static byte[] pretty(com.fasterxml.jackson.databind.JsonNode document) {
        try {
            byte[] bytes = Json.mapper().writeValueAsBytes(document);
            byte[] withNewline = java.util.Arrays.copyOf(bytes, bytes.length + 1);
            withNewline[bytes.length] = '\n';
            return withNewline;
        } catch (IOException e) {
            throw new MlopsException("Could not serialise a generated document: " + e.getMessage(), e);
        }
    }

    /** Bulk mode: a new file, written once, not flushed (the generated workspace is discarded if interrupted). */
    private static void writeNew(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw StoreIOException.of("write", file, e);
        }
    }

    /** UTC days, as the trail's folders are. */
    private static final class TrailDay {
        static LocalDate of(Instant instant) {
            return LocalDate.ofInstant(instant, ZoneOffset.UTC);
        }
    }
}
