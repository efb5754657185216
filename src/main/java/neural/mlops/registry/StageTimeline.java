package neural.mlops.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import neural.mlops.audit.AuditEvent;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;

/**
 * "What was where, when": a model's stage moves newest first, and the stage of every version at a
 * given time, from the versions' {@code stage_history}, cross-checked against the audit trail's
 * registration, promotion and deletion events replayed up to that time.
 */
public final class StageTimeline {

    /**
     * How far apart an audit event and the stage history entry of one move may be: the event is
     * recorded just before the document is written, on the same clock, and a promotion to
     * production may be stamped a microsecond after the last one. A move this close to the asked
     * time may fall on either side of it in the two records without them disagreeing.
     */
    static final Duration SKEW = Duration.ofSeconds(1);

    private StageTimeline() {
    }

    /** Every stage move of {@code versions}, newest first (on a tie, the greater version first). */
    static List<StageMove> history(List<ModelVersion> versions) {
        List<StageMove> moves = new ArrayList<>();
        for (ModelVersion version : versions) {
            version.stageHistory().forEach(transition -> moves.add(StageMove.of(version, transition)));
        }
        Comparator<StageMove> oldestFirst = Comparator.comparing(StageMove::at)
                .thenComparing(StageMove::version, (a, b) -> VersionOrder.compare(a, b))
                .thenComparing(StageMove::name);
        moves.sort(oldestFirst.reversed());
        return moves;
    }

    /** The stage of {@code version} at {@code at}: that of its last move by then; empty when it was not registered yet. */
    public static Optional<ModelStage> stageAt(ModelVersion version, Instant at) {
        ModelStage stage = null;
        for (StageTransition transition : version.stageHistory()) {
            if (!transition.at().isAfter(at)) {
                stage = transition.to();
            }
        }
        if (stage == null && version.stageHistory().isEmpty() && !version.createdAt().isAfter(at)) {
            stage = version.stage(); // a document without a history: all that is known is its stage
        }
        return Optional.ofNullable(stage);
    }

    /**
     * The registry at {@code at}: each model of {@code versions} with a version registered by then
     * (the one {@code model} only, when given). With {@code audit} (its registration, promotion and
     * deletion events), each model's production and staging versions are checked against the
     * trail's, and where they differ the model says so.
     */
    static StagesAt at(Instant at, List<ModelVersion> versions, String model, Optional<List<AuditEvent>> audit) {
        Map<String, List<ModelVersion>> byModel = new TreeMap<>();
        for (ModelVersion version : VersionOrder.sorted(versions)) {
            if (model == null || version.name().equals(model)) {
                byModel.computeIfAbsent(version.name(), name -> new ArrayList<>()).add(version);
            }
        }
        Map<Instant, Map<String, Map<String, ModelStage>>> replays = new HashMap<>();
        audit.ifPresent(events -> {
            for (Instant time : List.of(at, at.minus(SKEW), at.plus(SKEW))) {
                replays.put(time, replay(events, time));
            }
            // A model the trail knows but the registry no longer does (deleted with its histories).
            replays.get(at).forEach((name, stages) -> {
                if ((model == null || name.equals(model)) && !stages.isEmpty()) {
                    byModel.putIfAbsent(name, List.of());
                }
            });
        });
        List<StagesAt.Model> models = new ArrayList<>();
        byModel.forEach((name, list) -> {
            Map<String, ModelStage> stages = new LinkedHashMap<>();
            for (ModelVersion version : list) {
                stageAt(version, at).ifPresent(stage -> stages.put(version.version(), stage));
            }
            Holders fromHistory = Holders.of(stages);
            List<String> disagreements = new ArrayList<>();
            if (audit.isPresent()) {
                Holders fromTrail = Holders.of(replays.get(at).getOrDefault(name, Map.of()));
                boolean agrees = replays.values().stream()
                        .anyMatch(replay -> Holders.of(replay.getOrDefault(name, Map.of())).equals(fromHistory));
                if (!agrees) {
                    disagreements.add("the stage history says " + fromHistory + "; the audit trail says " + fromTrail);
                }
            }
            if (!stages.isEmpty() || !disagreements.isEmpty()) {
                models.add(new StagesAt.Model(name, fromHistory.production(), fromHistory.staging(), stages, disagreements));
            }
        });
        return new StagesAt(at, models, audit.isPresent());
    }

    /** The production and staging versions among {@code stages}, in version order. */
    private record Holders(List<String> production, List<String> staging) {
        static Holders of(Map<String, ModelStage> stages) {
            TreeSet<String> production = new TreeSet<String>((a, b) -> VersionOrder.compare(a, b));
            TreeSet<String> staging = new TreeSet<String>((a, b) -> VersionOrder.compare(a, b));
            stages.forEach((version, stage) -> {
                if (stage == ModelStage.PRODUCTION) {
                    production.add(version);
                } else if (stage == ModelStage.STAGING) {
                    staging.add(version);
                }
            });
            return new Holders(List.copyOf(production), List.copyOf(staging));
        }

        @Override
        public String toString() {
            return "production " + (production.isEmpty() ? "none" : String.join(", ", production))
                    + ", staging " + (staging.isEmpty() ? "none" : String.join(", ", staging));
        }
    }

    /**
     * The stage of every version by model as the audit trail tells it at {@code at}: registrations
     * (their stage), promotions (their {@code to_stage}) and deletions (of a version, or of a whole
     * model naming its versions), in the trail's order. A change whose write failed is followed by
     * a failure event with the same facts, which undoes it here.
     */
    static Map<String, Map<String, ModelStage>> replay(List<AuditEvent> events, Instant at) {
        List<AuditEvent> ordered = events.stream().filter(event -> !event.timestamp().isAfter(at))
                .filter(event -> AuditRecords.MODEL.equals(event.resourceType()) || event.resourceType() == null)
                .sorted(Comparator.comparing(AuditEvent::timestamp).thenComparingLong(AuditEvent::seq)).toList();
        Map<String, Map<String, ModelStage>> stages = new TreeMap<>();
        Map<String, Deque<Optional<ModelStage>>> undo = new HashMap<>();
        for (AuditEvent event : ordered) {
            String id = event.resourceId();
            if (id == null) {
                continue;
            }
            int colon = id.indexOf(':');
            String name = colon < 0 ? id : id.substring(0, colon);
            List<String> versions = colon < 0 ? listed(event) : List.of(id.substring(colon + 1));
            boolean failed = event.outcome() == Outcome.FAILURE;
            for (String version : versions) {
                Map<String, ModelStage> model = stages.computeIfAbsent(name, key -> new HashMap<>());
                String key = name + ":" + version;
                if (failed) {
                    Deque<Optional<ModelStage>> previous = undo.get(key);
                    if (previous != null && !previous.isEmpty()) {
                        previous.pop().ifPresentOrElse(stage -> model.put(version, stage), () -> model.remove(version));
                    }
                    continue;
                }
                if (event.outcome() != null && event.outcome() != Outcome.SUCCESS) {
                    continue; // refused: nothing moved
                }
                Optional<ModelStage> next = next(event);
                if (next == null) {
                    continue;
                }
                undo.computeIfAbsent(key, k -> new ArrayDeque<>()).push(Optional.ofNullable(model.get(version)));
                next.ifPresentOrElse(stage -> model.put(version, stage), () -> model.remove(version));
            }
        }
        return stages;
    }

    /** The stage an event moves its version to, empty for a deletion, null when it moves nothing. */
    private static Optional<ModelStage> next(AuditEvent event) {
        EventType type = event.eventType();
        if (type == EventType.MODEL_DELETED) {
            return Optional.empty();
        }
        Object stage = type == EventType.MODEL_REGISTERED ? event.details().getOrDefault(AuditRecords.STAGE, "development")
                : type == EventType.MODEL_PROMOTED ? event.details().get(AuditRecords.TO_STAGE) : null;
        if (stage == null) {
            return null;
        }
        try {
            return Optional.of(ModelStage.parse(Objects.toString(stage)));
        } catch (RuntimeException notAStage) {
            return null; // another tool's event: it tells nothing about stages
        }
    }

    /** The versions a model-level event names ({@code details.versions}). */
    private static List<String> listed(AuditEvent event) {
        Object versions = event.details().get(AuditRecords.VERSIONS);
        if (versions instanceof List<?> list) {
            return list.stream().map(Objects::toString).toList();
        }
        return List.of();
    }
}
