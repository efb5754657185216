package neural.mlops.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import neural.mlops.identity.AllowedSigners;
import neural.mlops.identity.Identities;
import neural.mlops.identity.SshFormatException;
import neural.mlops.registry.LinkField;
import neural.mlops.registry.LinkTemplates;
import neural.mlops.registry.ModelStage;
import neural.mlops.store.Enums;
import neural.mlops.store.Names;
import neural.mlops.store.Users;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads the policy from workspace.yaml's node tree, strictly: every unknown key and every value
 * of the wrong type is a problem with its line, because a typo in a policy silently weakens it
 * (a misspelt {@code approvals} would let one person promote alone). Collects every problem, then
 * throws them together.
 */
final class PolicyParser {

    static final List<String> TOP_KEYS = List.of("name", "policy", "defaults", "legacy_timezone", "retention",
            LinkTemplates.KEY, "identities");
    static final List<String> RETENTION_KEYS = List.of("keep_days");
    /** A hundred years: more is a typo, not a retention period. */
    static final int MAX_KEEP_DAYS = 36_500;
    static final List<String> POLICY_KEYS = List.of("roles", "stages", "aliases", "deployments");
    static final List<String> ALIAS_RULE_KEYS = List.of("allowed", "approvals", "require_signed");
    static final List<String> DEPLOYMENT_RULE_KEYS = List.of("require_signed");
    static final List<String> RULE_KEYS = List.of("allowed", "requires_stage", "require_reason", "metric_gates", "approvals",
            "artifact", "require_signed");
    static final List<String> ARTIFACT_KEYS = List.of("require_verdict", "formats");
    static final int MAX_APPROVALS = 100;

    private final Path file;
    private final List<PolicyProblem> problems = new ArrayList<>();
    private final Map<String, List<String>> roles = new LinkedHashMap<>();
    private final Map<ModelStage, StageRule> stages = new LinkedHashMap<>();
    private final Map<String, AliasRule> aliases = new LinkedHashMap<>();
    private final Map<String, DeploymentRule> deployments = new LinkedHashMap<>();
    private final Map<String, List<String>> identities = new LinkedHashMap<>();
    /** The first {@code require_signed: true}, to report it when no identity could ever satisfy it. */
    private Node firstRequireSigned;
    private String firstRequireSignedKey;

    private PolicyParser(Path file) {
        this.file = file;
    }

    /** The policy of the file whose node tree is {@code root} (null for an empty file). */
    static Policy parse(Node root, Path file, String sha256) {
        PolicyParser parser = new PolicyParser(file);
        parser.top(root);
        if (parser.firstRequireSigned != null && parser.identities.isEmpty() && parser.problems.isEmpty()) {
            parser.problem(parser.firstRequireSigned, parser.firstRequireSignedKey, parser.firstRequireSignedKey
                    + " is true, but workspace.yaml lists no identities, so no action could ever be signed; "
                    + "list each user's SSH public keys under identities");
        }
        if (!parser.problems.isEmpty()) {
            List<PolicyProblem> sorted = new ArrayList<>(parser.problems);
            sorted.sort(Comparator.comparingInt(PolicyProblem::line));
            throw new PolicyFileException(sorted);
        }
        return new Policy(parser.roles, parser.stages, parser.aliases, parser.deployments, file, sha256, new Identities(parser.identities));
    }

    private void top(Node root) {
        if (root == null || isNull(root)) {
            return;
        }
        if (!(root instanceof MappingNode mapping)) {
            problem(root, "", "expected a mapping of keys (name, policy, defaults) at the top level, not " + describe(root));
            return;
        }
        for (Entry entry : entries(mapping, "", TOP_KEYS)) {
            switch (entry.key()) {
                case "name" -> {
                    if (!isNull(entry.value()) && !isText(entry.value())) {
                        problem(entry.value(), "name", "name must be text, not " + describe(entry.value()));
                    }
                }
                case "defaults" -> {
                    if (!isNull(entry.value()) && !(entry.value() instanceof MappingNode)) {
                        problem(entry.value(), "defaults", "defaults must be a mapping, not " + describe(entry.value()));
                    }
                }
                case "legacy_timezone" -> {
                    // The zone the original module's naive times are read in (SPEC 10); checked here, with its line.
                    if (!isNull(entry.value()) && (!isText(entry.value())
                            || !validZone(((ScalarNode) entry.value()).getValue()))) {
                        problem(entry.value(), "legacy_timezone", "legacy_timezone must be a time zone such as "
                                + "Europe/Berlin or UTC, not " + describe(entry.value()));
                    }
                }
                case "retention" -> retention(entry.value());
                case LinkTemplates.KEY -> links(entry.value());
                case "identities" -> identities(entry.value());
                default -> policy(entry.value());
            }
        }
    }

    /** {@code retention.keep_days}: how many whole days the trail keeps online before the GUI offers the archive. */
    private void retention(Node node) {
        if (isNull(node)) {
            return;
        }
        if (!(node instanceof MappingNode mapping)) {
            problem(node, "retention", "retention must be a mapping such as {keep_days: 365}, not " + describe(node));
            return;
        }
        for (Entry entry : entries(mapping, "retention", RETENTION_KEYS)) {
            Integer days = integer(entry.value());
            if (days == null || days < 1 || days > MAX_KEEP_DAYS) {
                problem(entry.value(), "retention.keep_days", "retention.keep_days must be a whole number of days from 1 to "
                        + MAX_KEEP_DAYS + ", not " + describe(entry.value()));
            }
        }
    }

    /**
     * {@code links}: a URL template per lineage field. Not policy, but read strictly with the rest
     * of the file, so that a mistyped key is reported with its line; {@link LinkTemplates} holds the rule.
     */
    private void links(Node node) {
        String path = LinkTemplates.KEY;
        if (isNull(node)) {
            return;
        }
        if (!(node instanceof MappingNode mapping)) {
            problem(node, path, path + " must be a mapping of " + String.join(", ", LinkTemplates.keys())
                    + " to URL templates (commit: " + LinkTemplates.example(LinkField.COMMIT) + "), not "
                    + describe(node));
            return;
        }
        for (Entry entry : entries(mapping, path, LinkTemplates.keys())) {
            LinkField field = Enums.exact(LinkField.class, entry.key()).orElseThrow();
            String key = path + "." + entry.key();
            if (isNull(entry.value())) {
                continue;
            }
            if (!isText(entry.value())) {
                problem(entry.value(), key, key + " must be a URL template such as "
                        + LinkTemplates.example(field) + ", not " + describe(entry.value()));
                continue;
            }
            LinkTemplates.problem(field, scalar(entry.value())).ifPresent(problem -> problem(entry.value(), key, problem));
        }
    }

    /**
     * {@code identities: {alice: ["ssh-ed25519 AAAA... alice@laptop"]}}: each user's keys, each an
     * allowed_signers line without its principals field; every line is parsed here, so a key that
     * would never verify is reported with its line rather than discovered at the first signature.
     */
    private void identities(Node node) {
        String path = "identities";
        if (isNull(node)) {
            return;
        }
        if (!(node instanceof MappingNode mapping)) {
            problem(node, path, path + " must be a mapping of user names to lists of SSH public keys "
                    + "(alice: [\"ssh-ed25519 AAAA... alice@laptop\"]), not " + describe(node));
            return;
        }
        for (Entry entry : entries(mapping, path, null)) {
            String user = entry.key();
            String key = path + "." + user;
            String userProblem = Users.problem(user);
            if (userProblem != null) {
                problem(entry.keyNode(), key, "invalid user name " + Names.quote(user) + " under " + path + ": "
                        + userProblem);
                continue;
            }
            if (!(entry.value() instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
                problem(entry.value(), key, key + " must be a non-empty list of SSH public keys in allowed_signers "
                        + "form ([options] keytype base64 [comment]), not " + describe(entry.value()));
                continue;
            }
            List<String> lines = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                if (!isText(item)) {
                    problem(item, key, "invalid key " + describe(item) + " in " + key + ": it must be text");
                    continue;
                }
                try {
                    AllowedSigners.parseKeyOf(user, scalar(item));
                    lines.add(scalar(item).strip());
                } catch (SshFormatException e) {
                    problem(item, key, "invalid key in " + key + ": " + e.getMessage());
                }
            }
            identities.put(user, List.copyOf(lines));
        }
    }

    private static boolean validZone(String text) {
        try {
            java.time.ZoneId.of(text.strip());
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }

    private void policy(Node node) {
        if (isNull(node)) {
            return;
        }
        if (!(node instanceof MappingNode mapping)) {
            problem(node, "policy", "policy must be a mapping with roles, stages, aliases and deployments, not "
                    + describe(node));
            return;
        }
        for (Entry entry : entries(mapping, "policy", POLICY_KEYS)) {
            switch (entry.key()) {
                case "roles" -> roles(entry.value());
                case "aliases" -> aliases(entry.value());
                case "deployments" -> deployments(entry.value());
                default -> stages(entry.value());
            }
        }
    }

    private void roles(Node node) {
        String path = "policy.roles";
        if (isNull(node)) {
            return;
        }
        if (!(node instanceof MappingNode mapping)) {
            problem(node, path, path + " must be a mapping of user names to lists of roles (alice: [approver]), not "
                    + describe(node));
            return;
        }
        for (Entry entry : entries(mapping, path, null)) {
            String user = entry.key();
            String userProblem = Users.problem(user);
            if (userProblem != null) {
                problem(entry.keyNode(), path + "." + user, "invalid user name " + Names.quote(user) + " under " + path
                        + ": " + userProblem);
                continue;
            }
            List<String> list = labels(entry.value(), path + "." + user, "a list of role names, e.g. [approver]");
            if (list != null) {
                roles.put(user, list);
            }
        }
    }

    private void stages(Node node) {
        String path = "policy.stages";
        if (isNull(node)) {
            return;
        }
        if (!(node instanceof MappingNode mapping)) {
            problem(node, path, path + " must be a mapping of stage names (development, staging, production, "
                    + "archived) to their rules, not " + describe(node));
            return;
        }
        for (Entry entry : entries(mapping, path, null)) {
            Optional<ModelStage> stage = stage(entry.key());
            if (stage.isEmpty()) {
                problem(entry.keyNode(), path + "." + entry.key(), "unknown stage " + Names.quote(entry.key())
                        + " under " + path + suggestion(entry.key(), stageNames(), "; expected one of "));
                continue;
            }
            String stagePath = path + "." + stage.get().value();
            Node value = entry.value();
            if (isNull(value)) {
                stages.put(stage.get(), StageRule.open(stage.get()));
            } else if (value instanceof MappingNode rules) {
                rule(stage.get(), stagePath, rules);
            } else {
                problem(value, stagePath, stagePath + " must be a mapping of rules (" + String.join(", ", RULE_KEYS)
                        + "), not " + describe(value));
            }
        }
    }

    /** {@code policy.aliases.<alias>: {allowed: [...], approvals: N}}: who may change an alias, like a stage. */
    private void aliases(Node node) {
        String path = "policy.aliases";
        if (isNull(node)) {
            return;
        }
        if (!(node instanceof MappingNode mapping)) {
            problem(node, path, path + " must be a mapping of alias names (e.g. champion) to their rules ("
                    + String.join(", ", ALIAS_RULE_KEYS) + "), not " + describe(node));
            return;
        }
        for (Entry entry : entries(mapping, path, null)) {
            String alias = entry.key();
            String aliasPath = path + "." + alias;
            String aliasProblem = neural.mlops.registry.Aliases.problem(alias);
            if (aliasProblem != null) {
                problem(entry.keyNode(), aliasPath, "invalid alias " + Names.quote(alias) + " under " + path + ": "
                        + aliasProblem);
                continue;
            }
            Node value = entry.value();
            if (isNull(value)) {
                aliases.put(alias, AliasRule.open(alias));
                continue;
            }
            if (!(value instanceof MappingNode rules)) {
                problem(value, aliasPath, aliasPath + " must be a mapping of rules (" + String.join(", ", ALIAS_RULE_KEYS)
                        + "), not " + describe(value));
                continue;
            }
            Optional<List<String>> allowed = Optional.empty();
            int approvals = 1;
            Boolean requireSigned = false;
            boolean ok = true;
            for (Entry rule : entries(rules, aliasPath, ALIAS_RULE_KEYS)) {
                String key = aliasPath + "." + rule.key();
                if (rule.key().equals("allowed")) {
                    List<String> who = labels(rule.value(), key, "a list of roles or user names, e.g. [approver]");
                    ok &= who != null;
                    allowed = Optional.ofNullable(who);
                } else if (rule.key().equals("require_signed")) {
                    requireSigned = requireSigned(rule.value(), key);
                    ok &= requireSigned != null;
                } else {
                    Integer count = approvals(rule.value(), key);
                    ok &= count != null;
                    approvals = count == null ? 1 : count;
                }
            }
            if (ok) {
                aliases.put(alias, new AliasRule(alias, allowed, approvals, requireSigned));
            }
        }
    }

    /**
     * {@code policy.deployments.<environment>: {require_signed: true}}: the rules of deployment
     * changes in an environment, named as environments are (SPEC 2's rule for names).
     */
    private void deployments(Node node) {
        String path = "policy.deployments";
        if (isNull(node)) {
            return;
        }
        if (!(node instanceof MappingNode mapping)) {
            problem(node, path, path + " must be a mapping of environment names (e.g. production) to their rules ("
                    + String.join(", ", DEPLOYMENT_RULE_KEYS) + "), not " + describe(node));
            return;
        }
        for (Entry entry : entries(mapping, path, null)) {
            String environment = entry.key();
            String environmentPath = path + "." + environment;
            String environmentProblem = Names.problem(environment);
            if (environmentProblem != null) {
                problem(entry.keyNode(), environmentPath, "invalid environment " + Names.quote(environment) + " under "
                        + path + ": " + environmentProblem);
                continue;
            }
            Node value = entry.value();
            if (isNull(value)) {
                deployments.put(environment, DeploymentRule.open(environment));
                continue;
            }
            if (!(value instanceof MappingNode rules)) {
                problem(value, environmentPath, environmentPath + " must be a mapping of rules ("
                        + String.join(", ", DEPLOYMENT_RULE_KEYS) + "), not " + describe(value));
                continue;
            }
            Boolean requireSigned = false;
            for (Entry rule : entries(rules, environmentPath, DEPLOYMENT_RULE_KEYS)) {
                requireSigned = requireSigned(rule.value(), environmentPath + "." + rule.key());
            }
            if (requireSigned != null) {
                deployments.put(environment, new DeploymentRule(environment, requireSigned));
            }
        }
    }

    /** A {@code require_signed} flag, remembered when true; null (with a problem) when not true or false. */
    private Boolean requireSigned(Node value, String key) {
        Boolean flag = bool(value);
        if (flag == null) {
            problem(value, key, key + " must be true or false, not " + describe(value));
            return null;
        }
        if (flag && firstRequireSigned == null) {
            firstRequireSigned = value;
            firstRequireSignedKey = key;
        }
        return flag;
    }

    /** An approvals count from 1 to {@link #MAX_APPROVALS}, or null with a problem. */
    private Integer approvals(Node value, String key) {
        Integer count = integer(value);
        if (count == null || count < 1 || count > MAX_APPROVALS) {
            problem(value, key, key + " must be a whole number from 1 to " + MAX_APPROVALS
                    + " (distinct permitted users, the requester counts as one), not " + describe(value));
            return null;
        }
        return count;
    }

    private void rule(ModelStage stage, String path, MappingNode mapping) {
        Optional<List<String>> allowed = Optional.empty();
        Optional<ModelStage> requiresStage = Optional.empty();
        boolean requireReason = false;
        Map<String, MetricGate> gates = new LinkedHashMap<>();
        int approvals = 1;
        Optional<ArtifactRule> artifact = Optional.empty();
        boolean requireSigned = false;
        boolean ok = true;
        for (Entry entry : entries(mapping, path, RULE_KEYS)) {
            String key = path + "." + entry.key();
            Node value = entry.value();
            switch (entry.key()) {
                case "allowed" -> {
                    List<String> who = labels(value, key, "a list of roles or user names, e.g. [approver]");
                    ok &= who != null;
                    allowed = Optional.ofNullable(who);
                }
                case "requires_stage" -> {
                    Optional<ModelStage> required = isText(value) ? stage(scalar(value)) : Optional.empty();
                    if (required.isEmpty()) {
                        problem(value, key, key + " must be a stage (development, staging, production, archived), not "
                                + describe(value) + (isText(value) ? suggestion(scalar(value), stageNames(), "") : ""));
                        ok = false;
                    } else if (required.get() == stage) {
                        problem(value, key, key + " cannot be " + stage.value() + " itself; name the stage a version "
                                + "must be in before it moves to " + stage.value());
                        ok = false;
                    } else {
                        requiresStage = required;
                    }
                }
                case "require_reason" -> {
                    Boolean flag = bool(value);
                    if (flag == null) {
                        problem(value, key, key + " must be true or false, not " + describe(value));
                        ok = false;
                    } else {
                        requireReason = flag;
                    }
                }
                case "require_signed" -> {
                    Boolean flag = requireSigned(value, key);
                    ok &= flag != null;
                    requireSigned = flag != null && flag;
                }
                case "metric_gates" -> ok &= gates(value, key, gates);
                case "artifact" -> {
                    artifact = artifact(value, key);
                    ok &= artifact.isPresent() || isNull(value);
                }
                default -> {
                    Integer count = approvals(value, key);
                    ok &= count != null;
                    approvals = count == null ? approvals : count;
                }
            }
        }
        if (ok) {
            stages.put(stage, new StageRule(stage, allowed, requiresStage, requireReason, gates, approvals, artifact,
                    requireSigned));
        }
    }

    private boolean gates(Node node, String path, Map<String, MetricGate> gates) {
        if (isNull(node)) {
            return true;
        }
        if (!(node instanceof MappingNode mapping)) {
            problem(node, path, path + " must be a mapping of metric names to no_worse or better "
                    + "(e.g. {accuracy: no_worse}), not " + describe(node));
            return false;
        }
        boolean ok = true;
        for (Entry entry : entries(mapping, path, null)) {
            String metric = entry.key();
            String key = path + "." + metric;
            if (labelProblem(metric) != null) {
                problem(entry.keyNode(), key, "invalid metric name " + Names.quote(metric) + " under " + path + ": "
                        + labelProblem(metric));
                ok = false;
                continue;
            }
            MetricGate gate = isText(entry.value()) ? Enums.exact(MetricGate.class, scalar(entry.value())).orElse(null) : null;
            if (gate == null) {
                problem(entry.value(), key, key + " must be no_worse or better, not " + describe(entry.value())
                        + (isText(entry.value()) ? suggestion(scalar(entry.value()), List.of("no_worse", "better"), "") : ""));
                ok = false;
            } else {
                gates.put(metric, gate);
            }
        }
        return ok;
    }

    /**
     * {@code artifact: {require_verdict: safe|not_unsafe, formats: [...]}}; empty (with a problem
     * unless the value is empty) when it cannot be read.
     */
    private Optional<ArtifactRule> artifact(Node node, String path) {
        if (isNull(node)) {
            return Optional.empty();
        }
        if (!(node instanceof MappingNode mapping)) {
            problem(node, path, path + " must be a mapping (e.g. {require_verdict: safe, formats: [safetensors, onnx]}),"
                    + " not " + describe(node));
            return Optional.empty();
        }
        Optional<ArtifactRule.Required> required = Optional.empty();
        List<String> formats = List.of();
        boolean ok = true;
        List<String> verdicts = Enums.values(ArtifactRule.Required.class);
        for (Entry entry : entries(mapping, path, ARTIFACT_KEYS)) {
            String key = path + "." + entry.key();
            Node value = entry.value();
            if (entry.key().equals("require_verdict")) {
                required = isText(value) ? Enums.exact(ArtifactRule.Required.class, scalar(value)) : Optional.empty();
                if (required.isEmpty()) {
                    problem(value, key, key + " must be " + String.join(" or ", verdicts) + ", not " + describe(value)
                            + (isText(value) ? suggestion(scalar(value), verdicts, "") : ""));
                    ok = false;
                }
            } else {
                List<String> listed = formats(value, key);
                ok &= listed != null;
                formats = listed == null ? List.of() : listed;
            }
        }
        return ok ? Optional.of(new ArtifactRule(required, formats)) : Optional.empty();
    }

    private List<String> formats(Node node, String path) {
        String known = String.join(", ", ArtifactRule.KNOWN_FORMATS);
        if (!(node instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
            problem(node, path, path + " must be a non-empty list of formats (" + known + "), not " + describe(node));
            return null;
        }
        List<String> formats = new ArrayList<>();
        boolean ok = true;
        for (Node item : sequence.getValue()) {
            String text = isText(item) ? scalar(item) : null;
            if (text == null || !ArtifactRule.KNOWN_FORMATS.contains(text)) {
                problem(item, path, "unknown format " + (text == null ? describe(item) : Names.quote(text)) + " in "
                        + path + (text == null ? "; expected one of " + known
                                : suggestion(text, ArtifactRule.KNOWN_FORMATS, "; expected one of ")));
                ok = false;
            } else if (!formats.contains(text)) {
                formats.add(text);
            }
        }
        return ok ? List.copyOf(formats) : null;
    }

    /** A list of role or user names, or null (with a problem) when the node is not one. */
    private List<String> labels(Node node, String path, String expected) {
        if (!(node instanceof SequenceNode sequence)) {
            problem(node, path, path + " must be " + expected + ", not " + describe(node));
            return null;
        }
        List<String> values = new ArrayList<>();
        boolean ok = true;
        for (Node item : sequence.getValue()) {
            String text = isText(item) ? scalar(item) : null;
            String problem = text == null ? "it is " + describe(item) + ", not text" : labelProblem(text);
            if (problem != null) {
                problem(item, path, "invalid entry " + (text == null ? describe(item) : Names.quote(text)) + " in "
                        + path + ": " + problem);
                ok = false;
            } else if (!values.contains(text)) {
                values.add(text);
            }
        }
        return ok ? List.copyOf(values) : null;
    }

    /**
     * Why a role, user or metric name in the policy cannot be used, or null: the rule for user
     * names, since an allowed list mixes roles and user names and is compared with the acting user.
     */
    private static String labelProblem(String text) {
        return Users.problem(text);
    }

    /** The entries of a mapping: keys must be plain scalars, unique, and (when {@code known} is given) known. */
    private List<Entry> entries(MappingNode mapping, String path, List<String> known) {
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String where = path.isEmpty() ? "at the top level" : "under " + path;
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode) || isNull(keyNode) || keyNode.getTag().equals(Tag.MERGE)) {
                problem(keyNode, path, "unsupported key " + describe(keyNode) + " " + where
                        + "; keys must be plain names (no merge keys, lists or empty keys)");
                continue;
            }
            String key = scalar(keyNode);
            String keyPath = path.isEmpty() ? key : path + "." + key;
            Integer first = seen.putIfAbsent(key, line(keyNode));
            if (first != null) {
                problem(keyNode, keyPath, "duplicate key " + Names.quote(key) + " " + where + " (first at line " + first + ")");
                continue;
            }
            if (known != null && !known.contains(key)) {
                problem(keyNode, keyPath, "unknown key " + Names.quote(key) + " " + where
                        + suggestion(key, known, "; expected one of "));
                continue;
            }
            entries.add(new Entry(key, keyNode, tuple.getValueNode()));
        }
        return entries;
    }

    private record Entry(String key, Node keyNode, Node value) {
    }

    private void problem(Node node, String key, String message) {
        problems.add(new PolicyProblem(file, line(node), key, message));
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }

    /** Stages are read as written: a case-folded match would let {@code Production:} and {@code production:} both pass. */
    private static Optional<ModelStage> stage(String name) {
        return Enums.exact(ModelStage.class, name);
    }

    private static List<String> stageNames() {
        return Enums.values(ModelStage.class);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    private static boolean isText(Node node) {
        return node instanceof ScalarNode && node.getTag().equals(Tag.STR);
    }

    private static String scalar(Node node) {
        return ((ScalarNode) node).getValue();
    }

    private static Boolean bool(Node node) {
        if (!(node instanceof ScalarNode) || !node.getTag().equals(Tag.BOOL)) {
            return null;
        }
        String text = scalar(node).toLowerCase(Locale.ROOT);
        return text.equals("true") || text.equals("yes") || text.equals("on");
    }

    private static Integer integer(Node node) {
        if (!(node instanceof ScalarNode) || !node.getTag().equals(Tag.INT)) {
            return null;
        }
        String text = scalar(node).replace("_", "");
        if (!text.matches("[-+]?\\d{1,9}")) {
            return null; // octal, hexadecimal, sexagesimal or huge: not a count anyone means
        }
        return Integer.parseInt(text);
    }

    /** How a value reads in a message: "a list", "a mapping", "'two'", "nothing". */
    private static String describe(Node node) {
        if (node == null || isNull(node)) {
            return "nothing";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return Names.quote(scalar(node));
    }

    /** "; did you mean 'approvals'?" when one candidate is close, else {@code otherwise} plus the list. */
    static String suggestion(String given, List<String> candidates, String otherwise) {
        String lower = given.toLowerCase(Locale.ROOT).replace('-', '_');
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(lower, candidate);
            boolean prefix = lower.length() >= 3 && (candidate.startsWith(lower) || lower.startsWith(candidate));
            if ((distance <= 2 || prefix) && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best != null) {
            return "; did you mean " + Names.quote(best) + "?";
        }
        return otherwise.isEmpty() ? "" : otherwise + String.join(", ", candidates);
    }

    /** Levenshtein distance, for the suggestions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
