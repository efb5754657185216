package neural.mlops.bench;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.EventSeverity;
import neural.mlops.audit.EventType;
import neural.mlops.audit.Outcome;
import neural.mlops.store.UtcTime;

/**
 * The everyday events of a busy team around the registry: reads of models (most of the trail),
 * updates, canary deployments, exports, reports, integrity checks, access denials, some failures,
 * and a few security violations. The first events cycle through every type, so that even a small
 * trail holds them all.
 */
final class Background {

    /** Relative frequencies of the background types; registrations and promotions come from the registry itself. */
    private static final Map<EventType, Integer> WEIGHTS = new LinkedHashMap<>();

    static {
        // Per ten thousand: reads dominate; a team of this size deploys a few dozen times a day, not hundreds.
        WEIGHTS.put(EventType.MODEL_ACCESSED, 8_600);
        WEIGHTS.put(EventType.MODEL_UPDATED, 500);
        WEIGHTS.put(EventType.MODEL_DEPLOYED, 40);
        WEIGHTS.put(EventType.DEPLOYMENT_CREATED, 20);
        WEIGHTS.put(EventType.DEPLOYMENT_ACTIVATED, 20);
        WEIGHTS.put(EventType.DEPLOYMENT_DEACTIVATED, 15);
        WEIGHTS.put(EventType.DEPLOYMENT_ROLLED_BACK, 3);
        WEIGHTS.put(EventType.CONFIG_CHANGED, 200);
        WEIGHTS.put(EventType.AUDIT_EXPORTED, 60);
        WEIGHTS.put(EventType.REPORT_GENERATED, 60);
        WEIGHTS.put(EventType.INTEGRITY_CHECK, 300);
        WEIGHTS.put(EventType.ACCESS_DENIED, 80);
        WEIGHTS.put(EventType.MODEL_DELETED, 20);
    }

    private static final int TOTAL_WEIGHT = WEIGHTS.values().stream().mapToInt(Integer::intValue).sum();

    private final Random random;
    private final List<String> modelIds;
    private final double violationRate;
    private long produced;
    private long violations;
    /** True for the first cycle through the types, which also shows their failures (severity error). */
    private boolean covering;

    Background(Random random, List<String> modelIds, long total) {
        this.random = random;
        this.modelIds = modelIds;
        // "A few": about one in twenty thousand events, at least the one of the first cycle.
        this.violationRate = total <= 0 ? 0 : Math.max(1, total / 20_000) / (double) total;
    }

    long violations() {
        return violations;
    }

    AuditRecord next(Instant at) {
        EventType[] all = EventType.values();
        EventType type;
        covering = produced < all.length;
        if (covering) {
            type = all[(int) produced];
        } else if (random.nextDouble() < violationRate) {
            type = EventType.SECURITY_VIOLATION;
        } else {
            type = weighted();
        }
        produced++;
        return record(type, at);
    }

    private EventType weighted() {
        int draw = random.nextInt(TOTAL_WEIGHT);
        for (Map.Entry<EventType, Integer> entry : WEIGHTS.entrySet()) {
            draw -= entry.getValue();
            if (draw < 0) {
                return entry.getKey();
            }
        }
        return EventType.MODEL_ACCESSED;
    }

    private AuditRecord record(EventType type, Instant at) {
        String model = modelIds.get(random.nextInt(modelIds.size()));
        String modelName = model.substring(0, model.indexOf(':'));
        String modelVersion = model.substring(model.indexOf(':') + 1);
        Map<String, Object> details = new LinkedHashMap<>();
        return switch (type) {
            case MODEL_ACCESSED -> {
                String user = random.nextInt(5) == 0 ? pick(Vocabulary.BOTS) : pick(Vocabulary.SCIENTISTS);
                details.put("purpose", pick(Vocabulary.PURPOSES));
                details.put("client", "neural-mlops-sdk/1." + random.nextInt(6));
                boolean failed = covering || random.nextInt(400) == 0;
                yield new AuditRecord(type, failed ? EventSeverity.ERROR : EventSeverity.INFO, user, "model", model,
                        pick(new String[] {"download", "read", "load_for_inference", "view"}),
                        failed ? Outcome.FAILURE : Outcome.SUCCESS, failed ? "Timed out reading the model file" : null,
                        details, Vocabulary.internalIp(random));
            }
            case MODEL_UPDATED -> {
                details.put("fields", List.of(pick(new String[] {"description", "tags", "metrics"})));
                yield AuditRecord.of(type, pick(Vocabulary.SCIENTISTS), "model", model, "update", details);
            }
            case MODEL_REGISTERED -> {
                details.put("framework", Vocabulary.FRAMEWORKS.get(random.nextInt(Vocabulary.FRAMEWORKS.size())).name());
                details.put("stage", "development");
                yield AuditRecord.of(type, pick(Vocabulary.SCIENTISTS), "model", model, "register", details);
            }
            case MODEL_PROMOTED -> {
                details.put("from_stage", "development");
                details.put("to_stage", "staging");
                yield AuditRecord.of(type, pick(Vocabulary.SCIENTISTS), "model", model, "promote", details)
                        .withReason("Passed offline evaluation");
            }
            case MODEL_DEPLOYED -> {
                details.put("environment", pick(new String[] {"development", "canary", "shadow"}));
                details.put("strategy", pick(new String[] {"canary", "blue_green", "shadow", "rolling"}));
                yield AuditRecord.of(type, pick(Vocabulary.OPERATORS), "model", model, "deploy", details);
            }
            case DEPLOYMENT_CREATED, DEPLOYMENT_ACTIVATED, DEPLOYMENT_DEACTIVATED, DEPLOYMENT_ROLLED_BACK -> {
                String environment = pick(new String[] {"development", "canary"});
                details.put("model_name", modelName);
                details.put("model_version", modelVersion);
                details.put("environment", environment);
                details.put("endpoint", "https://" + environment + ".models.example.com/v1/" + modelName + "/"
                        + modelVersion + ":predict");
                boolean failed = type == EventType.DEPLOYMENT_ACTIVATED && (covering || random.nextInt(25) == 0);
                String action = switch (type) {
                    case DEPLOYMENT_CREATED -> "create";
                    case DEPLOYMENT_ACTIVATED -> "activate";
                    case DEPLOYMENT_DEACTIVATED -> "deactivate";
                    default -> "rollback";
                };
                EventSeverity severity = failed ? EventSeverity.ERROR
                        : type == EventType.DEPLOYMENT_ROLLED_BACK ? EventSeverity.WARNING : EventSeverity.INFO;
                yield new AuditRecord(type, severity, pick(Vocabulary.OPERATORS), "deployment",
                        "deploy_" + UtcTime.fileStamp(at) + "_" + modelName + "_" + modelVersion, action,
                        failed ? Outcome.FAILURE : Outcome.SUCCESS,
                        failed ? "Health check failed after activation" : null, details, null);
            }
            case CONFIG_CHANGED -> {
                details.put("setting", pick(new String[] {"policy.stages.production.approvals", "policy.roles",
                        "defaults.environment", "policy.stages.staging.allowed"}));
                details.put("value", 1 + random.nextInt(3));
                boolean policy = random.nextBoolean();
                yield new AuditRecord(type, policy ? EventSeverity.WARNING : EventSeverity.INFO, pick(Vocabulary.APPROVERS),
                        "workspace", "workspace.yaml", "update", Outcome.SUCCESS, null, details, Vocabulary.internalIp(random));
            }
            case AUDIT_EXPORTED -> {
                details.put("format", pick(new String[] {"csv", "json", "jsonl"}));
                details.put("count", 1_000 + random.nextInt(200_000));
                details.put("sha256", Vocabulary.hex(random, 64));
                yield AuditRecord.of(type, pick(Vocabulary.AUDITORS), "audit_trail", "audit_logs", "export", details);
            }
            case REPORT_GENERATED -> {
                details.put("total_events", 1_000 + random.nextInt(200_000));
                details.put("security_violations", random.nextInt(5));
                details.put("integrity_intact", true);
                yield AuditRecord.of(type, pick(Vocabulary.AUDITORS), "audit_report", "report_" + UtcTime.fileStamp(at),
                        "generate_report", details);
            }
            case INTEGRITY_CHECK -> {
                details.put("result", "intact");
                yield AuditRecord.of(type, "ci-bot", "audit_trail", "audit_logs", "verify", details);
            }
            case ACCESS_DENIED -> {
                details.put("target_stage", "production");
                yield new AuditRecord(type, EventSeverity.WARNING, pick(Vocabulary.SCIENTISTS), "model", model, "promote",
                        Outcome.DENIED, "Only approvers may promote to production", details, Vocabulary.internalIp(random));
            }
            case MODEL_DELETED -> {
                boolean forced = random.nextInt(4) == 0;
                details.put("stage", "archived");
                details.put("forced", forced);
                yield new AuditRecord(type, forced ? EventSeverity.WARNING : EventSeverity.INFO,
                        pick(Vocabulary.SCIENTISTS), "model", model, "delete", Outcome.SUCCESS, null, details, null);
            }
            case SECURITY_VIOLATION -> {
                violations++;
                String ip = Vocabulary.externalIp(random);
                details.put("attempts", 3 + random.nextInt(20));
                details.put("ip_address", ip);
                // A leaked token in the request: the trail keeps only its keyed hash (SPEC 2.3).
                details.put("presented_token", "eyJ" + Vocabulary.hex(random, 40));
                yield new AuditRecord(type, EventSeverity.CRITICAL, pick(Vocabulary.INTRUDERS), "model", model,
                        pick(new String[] {"unauthorized_access", "token_reuse", "path_traversal"}), Outcome.DENIED,
                        "Request without a valid token", details, ip);
            }
        };
    }

    private String pick(String[] words) {
        return Vocabulary.pick(random, words);
    }
}
