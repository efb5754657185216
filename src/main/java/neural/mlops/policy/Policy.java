package neural.mlops.policy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import neural.mlops.identity.Identities;
import neural.mlops.registry.AliasContext;
import neural.mlops.registry.Aliases;
import neural.mlops.registry.MetricDirection;
import neural.mlops.registry.ModelStage;
import neural.mlops.registry.ModelVersion;
import neural.mlops.registry.PromotionContext;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.MlopsException;
import neural.mlops.store.SafeYaml;
import neural.mlops.store.StoreFiles;
import neural.mlops.store.storage.Document;
import neural.mlops.store.storage.Key;
import neural.mlops.store.storage.LocalStorage;
import neural.mlops.store.storage.Storage;

/**
 * The governance policy of a workspace (SPEC 8), as {@code workspace.yaml} states it: each user's
 * roles, and per stage who may move a version into it, the stage it must come from, whether a
 * reason is required, metric gates against the current production version, and how many people
 * must agree. A stage without rules is open to everyone; a workspace without a policy is open.
 *
 * <pre>{@code
 * Policy policy = Policy.read(Path.of("workspace.yaml"));
 * Verdict verdict = policy.check(new PromotionContext(candidate, candidate.stage(), ModelStage.PRODUCTION,
 *         "bob", "beats v1", registry.listVersions("fraud_detector")));
 * }</pre>
 */
public final class Policy {

    /** No rules at all: what a workspace without workspace.yaml, or without a policy in it, has. */
    public static final Policy OPEN = new Policy(Map.of(), Map.of(), Map.of(), Map.of(), null, null,
            Identities.NONE);

    /** Where a workspace keeps its settings, the policy among them (SPEC 2). */
    static final Key SETTINGS = Key.of("workspace.yaml");

    private final Map<String, List<String>> roles;
    private final Map<ModelStage, StageRule> stages;
    private final Map<String, AliasRule> aliases;
    private final Map<String, DeploymentRule> deployments;
    private final Path source;
    private final String sha256;
    private final Identities identities;

    Policy(Map<String, List<String>> roles, Map<ModelStage, StageRule> stages, Map<String, AliasRule> aliases,
           Map<String, DeploymentRule> deployments, Path source, String sha256, Identities identities) {
        this.roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
        this.stages = Collections.unmodifiableMap(new LinkedHashMap<>(stages));
        this.aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
        this.deployments = Collections.unmodifiableMap(new LinkedHashMap<>(deployments));
        this.source = source;
        this.sha256 = sha256;
        this.identities = identities;
    }

    /** The workspace's {@code identities}: each user's SSH keys, against which signed actions are checked (issue 24). */
    public Identities identities() {
        return identities;
    }

    /**
     * Reads the policy of a workspace.yaml; a missing file is {@link #OPEN}. An unknown key or a
     * value of the wrong type throws {@link PolicyFileException} with the file, the line and the key.
     */
    public static Policy read(Path settingsFile) {
        Path absolute = settingsFile.toAbsolutePath().normalize();
        return read(new LocalStorage(absolute.getParent()), Key.of(absolute.getFileName().toString()));
    }

    /** The policy of the workspace whose storage is {@code workspaceRoot}: its {@code workspace.yaml}, as {@link #read(Path)}. */
    public static Policy read(Storage workspaceRoot) {
        return read(workspaceRoot, SETTINGS);
    }

    static Policy read(Storage storage, Key key) {
        byte[] content = readSettings(storage, key);
        return content == null ? OPEN : parse(content, where(storage, key));
    }

    /**
     * The bytes of workspace.yaml, or null when there is none. Governance fails closed: a
     * workspace.yaml that exists but is not a regular file that can be read (a folder, a pipe, a
     * dangling link, an unreadable file, a file larger than YAML is read) stops every action
     * rather than leaving it ungoverned.
     */
    static byte[] readSettings(Storage storage, Key key) {
        Path settingsFile = where(storage, key);
        try {
            Optional<Document> read = storage.read(key, SafeYaml.MAX_BYTES);
            if (read.isPresent()) {
                return read.get().content();
            }
            // A folder's storage sees regular files only: anything else there must stop governance, not drop it.
            Optional<Path> local = storage.localFile(key).filter(StoreFiles::present);
            return local.isEmpty() ? null : StoreFiles.readRegular(local.get(), SafeYaml.MAX_BYTES);
        } catch (MlopsException e) {
            String why = e.getMessage().replace(settingsFile + " is not a valid document: ", "")
                    .replace("Could not read " + settingsFile + ": ", "").replace(settingsFile + " ", "");
            throw new InvalidInputException("Refusing to act: the governance policy " + location(storage, key)
                    + " cannot be read (" + why + "); make it a regular, readable YAML file, or remove it for no policy", e);
        }
    }

    /** Where the settings are, for people: the file on a folder, {@code s3://bucket/prefix/workspace.yaml} in a bucket. */
    static String location(Storage storage, Key key) {
        String base = storage.location();
        return storage.localFile(key).map(Path::toString)
                .orElseGet(() -> base + (base.endsWith("/") ? "" : "/") + key.value());
    }

    /** How the settings are named to users: the file on a folder, the key on an object store. */
    static Path where(Storage storage, Key key) {
        return storage.localFile(key).orElseGet(() -> Path.of(key.value()));
    }

    /** Parses the content of a workspace.yaml; {@code source} names it in messages. */
    public static Policy parse(String text, Path source) {
        return parse(text.getBytes(StandardCharsets.UTF_8), source);
    }

    static Policy parse(byte[] content, Path source) {
        String text = new String(content, StandardCharsets.UTF_8);
        return PolicyParser.parse(SafeYaml.compose(text, source.toString()), source, sha256(content));
    }

    /** User name to that user's roles. */
    public Map<String, List<String>> roles() {
        return roles;
    }

    /** The stages that have rules, with their rules. */
    public Map<ModelStage, StageRule> stages() {
        return stages;
    }

    /** The workspace.yaml the policy was read from; empty for {@link #OPEN}. */
    public Optional<Path> source() {
        return Optional.ofNullable(source);
    }

    /** The SHA-256 of that file, recorded with policy decisions so an auditor knows which policy ruled. */
    public Optional<String> sha256() {
        return Optional.ofNullable(sha256);
    }

    /** True when no stage, alias or environment has a rule that restricts anything. */
    public boolean isOpen() {
        return stages.values().stream().allMatch(StageRule::isOpen)
                && aliases.values().stream().allMatch(rule -> rule.allowed().isEmpty() && !rule.needsApprovals()
                        && !rule.requireSigned())
                && deployments.values().stream().noneMatch(DeploymentRule::requireSigned);
    }

    /** The environments that have deployment rules, with their rules. */
    public Map<String, DeploymentRule> deployments() {
        return deployments;
    }

    /** The rules of deployments to {@code environment}; an environment without rules gets an open rule. */
    public DeploymentRule deploymentRule(String environment) {
        return deployments.getOrDefault(environment, DeploymentRule.open(environment));
    }

    /** The aliases that have rules, with their rules. */
    public Map<String, AliasRule> aliases() {
        return aliases;
    }

    /** The rules of {@code alias}; an alias without rules gets an open rule. */
    public AliasRule aliasRule(String alias) {
        return aliases.getOrDefault(alias, AliasRule.open(alias));
    }

    /** True when {@code user} may set, move or remove {@code alias}: by name or by one of their roles. */
    public boolean permitsAlias(String user, String alias) {
        Optional<List<String>> allowed = aliasRule(alias).allowed();
        return allowed.isEmpty() || allowed.get().contains(user) || rolesOf(user).stream().anyMatch(allowed.get()::contains);
    }

    /**
     * Every rule of {@code policy.aliases} the change {@code context} breaks, as a direct action of
     * its user; with {@code approved} the approval count is taken as met (a request carries it out).
     */
    public List<AliasRule.Broken> check(AliasContext context, boolean approved) {
        AliasRule rule = aliasRule(context.alias());
        List<AliasRule.Broken> broken = new ArrayList<>();
        String what = context.name() + Aliases.SEPARATOR + context.alias();
        if (!permitsAlias(context.user(), context.alias())) {
            broken.add(aliasNotPermitted(context.user(), context.name(), context.alias()));
        }
        if (rule.needsApprovals() && !approved) {
            int others = rule.approvals() - 1;
            String users = others + " other permitted " + (others == 1 ? "user" : "users");
            String remedy = context.toVersion() == null
                    ? users + " would have to agree, and removing an alias cannot be requested; point it at another "
                            + "version through a request, or lower approvals for this alias in workspace.yaml"
                    : "file a request with: neural-mlops registry request " + context.name() + " "
                            + context.toVersion() + " --alias " + context.alias() + " --reason R; when " + users
                            + " approved it (neural-mlops registry approve " + context.name() + " " + context.toVersion()
                            + " --alias " + context.alias() + "), set the alias again";
            broken.add(new AliasRule.Broken(rule.path("approvals"), "the alias " + context.alias() + " needs "
                    + rule.approvals() + " approvals (the requester counts as one), and no approved request points "
                    + what + " at " + context.toVersion(), remedy, true));
        }
        return broken;
    }

    /** Why {@code user} may not change {@code alias} of model {@code name}: the alias's {@code allowed} rule. */
    AliasRule.Broken aliasNotPermitted(String user, String name, String alias) {
        AliasRule rule = aliasRule(alias);
        List<String> allowed = rule.allowed().orElse(List.of());
        List<String> userRoles = rolesOf(user);
        return new AliasRule.Broken(rule.path("allowed"), user + " is not allowed to change the alias "
                + name + Aliases.SEPARATOR + alias + (allowed.isEmpty() ? " (nobody is)" : " (allowed: "
                + String.join(", ", allowed) + "; " + (userRoles.isEmpty() ? user + " has no role"
                : user + "'s roles: " + String.join(", ", userRoles)) + ")"),
                "ask a permitted user, or the owner of workspace.yaml", false);
    }

    /** The rules of {@code stage}; a stage without rules gets an open rule. */
    public StageRule rule(ModelStage stage) {
        return stages.getOrDefault(stage, StageRule.open(stage));
    }

    public List<String> rolesOf(String user) {
        return roles.getOrDefault(user, List.of());
    }

    /** True when {@code user} may move a version into {@code stage}: by name or by one of their roles. */
    public boolean permits(String user, ModelStage stage) {
        Optional<List<String>> allowed = rule(stage).allowed();
        if (allowed.isEmpty()) {
            return true;
        }
        return allowed.get().contains(user) || rolesOf(user).stream().anyMatch(allowed.get()::contains);
    }

    /**
     * The users known to be permitted for {@code stage}: those with an allowed role, and allowed
     * entries that are no one's role (taken as user names). Empty when anyone may.
     */
    public List<String> permittedUsers(ModelStage stage) {
        Optional<List<String>> allowed = rule(stage).allowed();
        if (allowed.isEmpty()) {
            return List.of();
        }
        Set<String> allRoles = new LinkedHashSet<>();
        roles.values().forEach(allRoles::addAll);
        Set<String> users = new LinkedHashSet<>();
        roles.forEach((user, userRoles) -> {
            if (allowed.get().contains(user) || userRoles.stream().anyMatch(allowed.get()::contains)) {
                users.add(user);
            }
        });
        allowed.get().stream().filter(entry -> !allRoles.contains(entry)).forEach(users::add);
        return List.copyOf(users);
    }

    /**
     * What the policy says about the move {@code context} describes, as a direct action of
     * {@code context.user()}: every rule it breaks, including the approval count when the target
     * stage needs approvals (a direct move would skip them).
     */
    public Verdict check(PromotionContext context) {
        return check(context, false);
    }

    /** {@link #check(PromotionContext)}; with {@code approved} the approval count is taken as met. */
    Verdict check(PromotionContext context, boolean approved) {
        ModelStage target = context.targetStage();
        StageRule rule = rule(target);
        List<Violation> violations = new ArrayList<>();
        ModelVersion candidate = context.candidate();
        String what = candidate.name() + " " + candidate.version();
        boolean registering = context.fromStage() == null;
        rule.artifact().ifPresent(artifactRule -> {
            List<String> problems = artifactRule.problems(context.artifact());
            if (!problems.isEmpty()) {
                violations.add(new Violation(target, Rule.ARTIFACT, null,
                        what + " may not " + (registering ? "be registered into " : "move to ") + target.value() + ": "
                                + String.join("; ", problems),
                        context.artifact().isEmpty() ? "scan it first (registry scan --all), then try again"
                                : "register a model file in a format that holds no code (safetensors, ONNX), or one "
                                + "whose pickles import only allow-listed globals (docs/artifacts.md)", false));
            }
        });
        if (registering && target == ModelStage.DEVELOPMENT) {
            return new Verdict(target, violations, 1); // registering into development is open but for the model file
        }

        if (!permits(context.user(), target)) {
            violations.add(notPermitted(context.user(), target, "move versions into " + target.value()));
        }
        rule.requiresStage().ifPresent(required -> {
            if (registering) {
                violations.add(new Violation(target, Rule.REQUIRES_STAGE, null,
                        what + " cannot be registered straight into " + target.value() + ", which requires a version "
                                + "to be in " + required.value() + " first",
                        "register it into an earlier stage and move it through " + required.value(), false));
            } else if (context.fromStage() != required) {
                violations.add(new Violation(target, Rule.REQUIRES_STAGE, null,
                        what + " is in " + context.fromStage().value() + ", but " + target.value()
                                + " requires it to be in " + required.value() + " first",
                        "move it to " + required.value() + " first", false));
            }
        });
        if (rule.requireReason() && (context.reason() == null || context.reason().isBlank())) {
            violations.add(new Violation(target, Rule.REQUIRE_REASON, null,
                    "moving a version into " + target.value() + " requires a reason",
                    "give a reason; it is recorded in the stage history and the audit trail", false));
        }
        Optional<ModelVersion> production = context.currentProduction();
        if (production.isPresent()) {
            rule.metricGates().forEach((metric, gate) ->
                    gate(target, candidate, production.get(), metric, gate).ifPresent(violations::add));
        }
        if (rule.needsApprovals() && !approved) {
            int others = rule.approvals() - 1;
            violations.add(new Violation(target, Rule.APPROVALS, null,
                    target.value() + " needs " + rule.approvals() + " approvals (the requester counts as one), and a "
                            + (registering ? "registration straight into it" : "direct move") + " would skip them",
                    registering ? "register it into an earlier stage, then request the promotion"
                            : "request the promotion (registry request " + candidate.name() + " " + candidate.version()
                            + " --to " + target.value() + " --reason R) and have " + others + " other permitted "
                            + (others == 1 ? "user" : "users") + " approve it", true));
        }
        return new Verdict(target, violations, rule.approvals());
    }

    /** The violation of a user acting on a stage they are not permitted for ("approve moves into production"). */
    Violation notPermitted(String user, ModelStage stage, String doing) {
        List<String> allowed = rule(stage).allowed().orElse(List.of());
        List<String> userRoles = rolesOf(user);
        String problem = user + " is not allowed to " + doing
                + (allowed.isEmpty() ? " (nobody is)" : " (allowed: " + String.join(", ", allowed) + "; "
                + (userRoles.isEmpty() ? user + " has no role" : user + "'s roles: " + String.join(", ", userRoles)) + ")");
        List<String> permitted = permittedUsers(stage);
        String remedy = permitted.isEmpty()
                ? "no user holds these roles; the owner of workspace.yaml must grant one"
                : "ask a permitted user (" + String.join(", ", permitted) + ")";
        return new Violation(stage, Rule.ALLOWED, null, problem, remedy, false);
    }

    private static Optional<Violation> gate(ModelStage target, ModelVersion candidate, ModelVersion production,
                                            String metric, MetricGate gate) {
        OptionalDouble baseline = production.metric(metric);
        if (baseline.isEmpty()) {
            return Optional.empty(); // nothing to compare against: the gate cannot fail
        }
        String against = "production " + production.version() + " (" + number(baseline.getAsDouble()) + ")";
        OptionalDouble value = candidate.metric(metric);
        if (value.isEmpty()) {
            return Optional.of(new Violation(target, Rule.METRIC_GATES, metric,
                    candidate.version() + " has no " + metric + " to compare with " + against,
                    "record " + metric + " for " + candidate.version() + " before moving it", false));
        }
        boolean lower = MetricDirection.lowerIsBetter(metric);
        if (gate.passes(value.getAsDouble(), baseline.getAsDouble(), lower)) {
            return Optional.empty();
        }
        String bound = number(baseline.getAsDouble());
        String needed = switch (gate) {
            case NO_WORSE -> lower ? "at most " + bound : "at least " + bound;
            case BETTER -> lower ? "below " + bound : "above " + bound;
        };
        return Optional.of(new Violation(target, Rule.METRIC_GATES, metric,
                metric + " of " + candidate.version() + " is " + number(value.getAsDouble()) + ", "
                        + (gate == MetricGate.NO_WORSE ? "worse than " : "not better than ") + against
                        + (lower ? "; lower is better" : ""),
                "the gate " + gate.value() + " needs " + metric + " " + needed, false));
    }

    /** The policy as lines for people: the roles, then each stage's rules. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        if (source == null || (roles.isEmpty() && stages.isEmpty() && aliases.isEmpty() && deployments.isEmpty())) {
            lines.add("No policy: every stage is open to everyone.");
            return lines;
        }
        lines.add("Roles:");
        if (roles.isEmpty()) {
            lines.add("  (none)");
        }
        roles.forEach((user, userRoles) -> lines.add("  " + user + ": "
                + (userRoles.isEmpty() ? "(no role)" : String.join(", ", userRoles))));
        lines.add("Stages:");
        for (ModelStage stage : ModelStage.values()) {
            lines.add("  " + stage.value() + ": " + String.join("; ", rule(stage).describe()));
        }
        if (!aliases.isEmpty()) {
            lines.add("Aliases:");
            aliases.values().forEach(rule -> lines.add("  " + rule.alias() + ": " + String.join("; ", rule.describe())));
        }
        if (!deployments.isEmpty()) {
            lines.add("Deployments:");
            deployments.values().forEach(rule -> lines.add("  " + rule.environment() + ": "
                    + String.join("; ", rule.describe())));
        }
        return lines;
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
