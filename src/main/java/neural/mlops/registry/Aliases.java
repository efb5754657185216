package neural.mlops.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.AuditSink;
import neural.mlops.audit.AuditedChange;
import neural.mlops.store.InvalidInputException;
import neural.mlops.store.Names;
import neural.mlops.store.NotFoundException;
import neural.mlops.store.UtcTime;
import neural.mlops.store.storage.Optimistic;
import neural.mlops.store.storage.Storage;
import neural.mlops.store.storage.StoredObject;

/**
 * A model's aliases (issue 21): named pointers such as {@code champion} and {@code challenger},
 * each at one version of the model, unique per model, usable wherever a version is as
 * {@code NAME@ALIAS}. Stages stay; aliases are additive.
 *
 * <p>Kept in {@code models/<name>/aliases.json} under the registry root ({@link AliasFile}), with
 * every move. Each change is a read-modify-write under the registry's own lock ({@code models/.lock},
 * so it never races a deletion of the version it points at), run by {@link Optimistic#retry} and
 * written conditionally on the document read (create-only when there is none): on a folder or in
 * a bucket alike. The {@link AliasGuard} (the workspace policy's {@code policy.aliases}) may refuse
 * it; then one audit event ({@code model_updated}, action {@code set_alias}, {@code move_alias} or
 * {@code remove_alias}, with the old and new version) is recorded before anything is written.
 *
 * <pre>{@code
 * Aliases aliases = workspace.aliases();
 * aliases.set("fraud_detector", "champion", "v2.0.0", "beats v1 on recall");
 * String version = aliases.resolve("fraud_detector", "champion");    // "v2.0.0"
 * VersionId id = aliases.version("fraud_detector@champion", null);   // fraud_detector:v2.0.0
 * }</pre>
 */
public final class Aliases {

    /** Between a model and an alias in a reference: {@code fraud_detector@champion}. */
    public static final String SEPARATOR = "@";
    /** Refused as an alias: tools take it to mean the newest version, which an alias would shadow. */
    public static final String LATEST = "latest";

    private final ModelRegistry registry;
    private final Storage storage;
    private final AuditedChange audited;
    private final Clock clock;
    private final AliasGuard guard;
    private final MetadataFiles metadata;

    /**
     * The aliases of {@code registry}'s models, changed as its acting user, recorded in {@code audit}
     * and checked by {@code guard} (a workspace passes its policy guard).
     */
    public Aliases(ModelRegistry registry, AuditSink audit, Clock clock, AliasGuard guard) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.storage = registry.storage();
        this.audited = new AuditedChange(Objects.requireNonNull(audit, "audit"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.metadata = registry.metadataFiles();
    }

    /** The aliases of {@code registry} for reading them (list, resolve, history); a change through it is unaudited. */
    public static Aliases reading(ModelRegistry registry) {
        return new Aliases(registry, AuditSink.NONE, Clock.systemUTC(), AliasGuard.ALLOW_ALL);
    }

    /**
     * Checks an alias name: the rules of a version name (SPEC 2), and neither a stage name nor
     * {@value #LATEST}, which would read as something else. Returns it.
     */
    public static String checkAlias(String alias) {
        String problem = problem(alias);
        if (problem != null) {
            throw new InvalidInputException("Invalid alias " + Names.quote(alias) + ": " + problem);
        }
        return alias;
    }

    /** The rule {@code alias} breaks as an alias name, or null when it is valid (the one rule; the policy file uses it too). */
    public static String problem(String alias) {
        String problem = Names.problem(alias);
        if (problem != null) {
            return problem;
        }
        String lower = alias.toLowerCase(Locale.ROOT);
        if (Stream.of(ModelStage.values()).anyMatch(stage -> stage.value().equals(lower))) {
            return "it is a stage name, and stages stay stages; choose another name, e.g. champion";
        }
        if (lower.equals(LATEST)) {
            return LATEST + " would read as the newest version; choose another name, e.g. champion";
        }
        return null;
    }

    // Changing

    /** Points {@code alias} of {@code name} at {@code version}; see {@link #set(String, String, String, String, String)}. */
    public Alias set(String name, String alias, String version, String reason) {
        return set(name, alias, version, reason, null);
    }

    /**
     * Points {@code alias} of {@code name} at {@code version} (registered), setting it or moving it
     * from where it points; {@code approvedRequest} names the request whose approvals this carries
     * out (null when none). Already there: nothing is written, no event. Returns the alias as set.
     */
    public Alias set(String name, String alias, String version, String reason, String approvedRequest) {
        return point(name, alias, version, reason, approvedRequest).alias();
    }

    /**
     * {@link #set(String, String, String, String, String)}, returning with the alias the version it
     * pointed at before, as read under the same lock (null when it was not set): a caller that
     * reports "moved from" needs no read of its own, which could be stale by the time of the move.
     */
    public Pointed point(String name, String alias, String version, String reason, String approvedRequest) {
        Names.require("model name", name);
        checkAlias(alias);
        Names.require("version", version);
        String why = Checks.optionalLine("reason", reason, Checks.MAX_SHORT * 4);
        return Optimistic.retry("set " + name + SEPARATOR + alias, () -> storage.exclusively(ModelRegistry.LOCK, () -> {
            if (metadata.find(name, version).isEmpty()) {
                throw new NotFoundException("Version " + version + " of " + name + " is not registered; an alias "
                        + "points at a registered version (check the name and version against the list of models)");
            }
            AliasFile.Loaded loaded = AliasFile.read(storage, name);
            Optional<String> from = loaded.pointer(alias);
            if (from.isPresent() && from.get().equals(version)) {
                AliasFile.Entry now = loaded.current().get(alias);
                return new Pointed(new Alias(name, alias, version, now.setBy(), now.setAt(), now.reason()), version);
            }
            AliasContext context = new AliasContext(name, alias, from.orElse(null), version, registry.user(), why,
                    approvedRequest);
            Map<String, Object> signed = guard.admit(context);
            Instant now = UtcTime.now(clock);
            commit(loaded, context, now, signed);
            return new Pointed(new Alias(name, alias, version, registry.user(), now, why), from.orElse(null));
        }));
    }

    /** An alias as {@link #point} left it, and the version it pointed at before (null: it was not set). */
    public record Pointed(Alias alias, String previousVersion) {

        /** False when the alias already pointed at the version: nothing was written. */
        public boolean changed() {
            return !alias.version().equals(previousVersion);
        }
    }

    /** Removes {@code alias} of {@code name}; its history stays. Returns the move; refused when it is not set. */
    public AliasMove remove(String name, String alias, String reason) {
        return remove(name, alias, reason, null);
    }

    /** {@link #remove(String, String, String)}, carrying out the approvals of {@code approvedRequest}. */
    public AliasMove remove(String name, String alias, String reason, String approvedRequest) {
        Names.require("model name", name);
        checkAlias(alias);
        String why = Checks.optionalLine("reason", reason, Checks.MAX_SHORT * 4);
        return Optimistic.retry("remove " + name + SEPARATOR + alias, () -> storage.exclusively(ModelRegistry.LOCK,
                () -> {
            AliasFile.Loaded loaded = AliasFile.read(storage, name);
            String from = loaded.pointer(alias).orElseThrow(() -> unknown(name, alias, loaded));
            AliasContext context = new AliasContext(name, alias, from, null, registry.user(), why, approvedRequest);
            Map<String, Object> signed = guard.admit(context);
            Instant now = UtcTime.now(clock);
            commit(loaded, context, now, signed);
            return new AliasMove(name, alias, from, null, now, registry.user(), why);
        }));
    }

    /**
     * Records the one event of the change, then writes the document conditionally on the one read;
     * {@code signed} (the signature the guard returned, issue 24) goes with both.
     */
    private void commit(AliasFile.Loaded loaded, AliasContext change, Instant now, Map<String, Object> signed) {
        storage.requireWritable(loaded.key()); // before the event: a refused write leaves none
        var updated = loaded.with(change.alias(), new AliasFile.Entry(change.toVersion(), change.user(), now,
                change.reason()), signed);
        audited.apply("Did not " + change.action().replace('_', ' ') + " " + change.name() + SEPARATOR
                        + change.alias(),
                List.of(AuditRecords.aliasChanged(change.user(), change.name(), change.alias(), change.fromVersion(),
                        change.toVersion(), change.action(), change.reason()).withDetails(signed)),
                () -> loaded.write(storage, updated));
    }

    // Reading

    /** The aliases of {@code name} set now, by alias name (empty when it has none). */
    public List<Alias> list(String name) {
        Names.require("model name", name);
        return current(AliasFile.read(storage, name));
    }

    /** The aliases of every model that has one, by model name. */
    public Map<String, List<Alias>> listAll() {
        Map<String, List<Alias>> all = new TreeMap<>();
        for (String name : modelsWithAliases()) {
            List<Alias> aliases = list(name);
            if (!aliases.isEmpty()) {
                all.put(name, aliases);
            }
        }
        return all;
    }

    /**
     * The version {@code alias} of {@code name} points at; throws {@link NotFoundException} naming
     * the alias and the aliases the model has.
     */
    public String resolve(String name, String alias) {
        Names.require("model name", name);
        checkAlias(alias);
        AliasFile.Loaded loaded = AliasFile.read(storage, name);
        return loaded.pointer(alias).orElseThrow(() -> unknown(name, alias, loaded));
    }

    /**
     * The version named by {@code name} and {@code version} as a user gives them: {@code NAME@ALIAS}
     * with no version, {@code NAME} with {@code @ALIAS}, or a model and a version as they are.
     */
    public VersionId version(String name, String version) {
        Objects.requireNonNull(name, "name");
        int at = name.indexOf(SEPARATOR);
        if (at >= 0) {
            if (version != null) {
                throw new InvalidInputException("Give either " + name + " or a model and a version, not both "
                        + "(" + name + " already names a version through its alias)");
            }
            if (at == 0 || at == name.length() - 1) {
                throw new InvalidInputException("Invalid reference " + Names.quote(name)
                        + ": name a version through an alias as MODEL@ALIAS, e.g. fraud_detector@champion");
            }
            String model = name.substring(0, at);
            return new VersionId(model, resolve(model, name.substring(at + 1)));
        }
        if (version == null) {
            throw new InvalidInputException("Missing version of " + name + ": give a version, or an alias as "
                    + name + SEPARATOR + "ALIAS");
        }
        if (version.startsWith(SEPARATOR)) {
            return new VersionId(name, resolve(name, version.substring(1)));
        }
        return new VersionId(name, version);
    }

    /** Every change of {@code name}'s aliases, newest first. */
    public List<AliasMove> history(String name) {
        Names.require("model name", name);
        List<AliasMove> moves = new ArrayList<>();
        AliasFile.read(storage, name).histories().forEach((alias, entries) -> {
            String before = null;
            for (AliasFile.Entry entry : entries) {
                if (before != null || entry.version() != null) {
                    moves.add(new AliasMove(name, alias, before, entry.version(), entry.setAt(), entry.setBy(),
                            entry.reason()));
                }
                before = entry.version();
            }
        });
        // Oldest first, stably (a move and the one after it may share a time), then reversed.
        moves.sort(Comparator.comparing(AliasMove::at));
        Collections.reverse(moves);
        return moves;
    }

    /** Where each alias of {@code name} pointed at {@code at} (aliases not set then are left out), by alias. */
    public Map<String, String> at(String name, Instant at) {
        Objects.requireNonNull(at, "at");
        Map<String, String> pointers = new TreeMap<>();
        AliasFile.read(storage, name).histories().forEach((alias, entries) -> {
            String pointed = null;
            for (AliasFile.Entry entry : entries) {
                if (entry.setAt().isAfter(at)) {
                    break;
                }
                pointed = entry.version();
            }
            if (pointed != null) {
                pointers.put(alias, pointed);
            }
        });
        return pointers;
    }

    /** {@link #at(String, Instant)} for every model that has aliases, by model name (models with none then left out). */
    public Map<String, Map<String, String>> atAll(Instant at) {
        Map<String, Map<String, String>> all = new TreeMap<>();
        for (String name : modelsWithAliases()) {
            Map<String, String> pointers = at(name, at);
            if (!pointers.isEmpty()) {
                all.put(name, pointers);
            }
        }
        return all;
    }

    // Internals

    /** The models that have an aliases document, from one listing. */
    private List<String> modelsWithAliases() {
        try (Stream<StoredObject> files = storage.list(ModelRegistry.MODELS_FOLDER)) {
            return files.map(file -> file.key().segments())
                    .filter(segments -> segments.size() == 3 && segments.get(2).equals(AliasFile.FILE_NAME))
                    .map(segments -> segments.get(1)).filter(Names::isValid).sorted().toList();
        }
    }

    private static List<Alias> current(AliasFile.Loaded loaded) {
        Map<String, Alias> byAlias = new LinkedHashMap<>();
        loaded.current().forEach((alias, entry) -> byAlias.put(alias, new Alias(loaded.name(), alias, entry.version(),
                entry.setBy(), entry.setAt(), entry.reason())));
        return List.copyOf(byAlias.values());
    }

    private static NotFoundException unknown(String name, String alias, AliasFile.Loaded loaded) {
        List<String> known = List.copyOf(loaded.current().keySet());
        return new NotFoundException("No alias " + Names.quote(alias) + " of " + name + "; " + (known.isEmpty()
                ? name + " has no aliases (set one with registry alias set " + name + " ALIAS VERSION)"
                : "its aliases are " + String.join(", ", known)));
    }
}
