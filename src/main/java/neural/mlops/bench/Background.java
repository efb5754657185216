package neural.mlops.bench;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import neural.mlops.audit.AuditRecord;
import neural.mlops.audit.AuditRecords;
import neural.mlops.audit.EventType;
import neural.mlops.registry.ModelStage;
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
        return switch (type) {
            case MODEL_ACCESSED -> {
                String user = random.nextInt(5) == 0 ? pick(Vocabulary.BOTS) : pick(Vocabulary.SCIENTISTS);
                AuditRecord read = AuditRecords.modelAccessed(user, model,
                        pick(new String[] {"download", "read", "load_for_inference", "view"}), pick(Vocabulary.PURPOSES),
                        "neural-mlops-sdk/1." + random.nextInt(6));
                boolean failed = covering || random.nextInt(400) == 0;
                yield withIp(failed ? AuditRecords.failed(read, "Timed out reading the model file") : read,
                        Vocabulary.internalIp(random));
            }
            case MODEL_UPDATED -> AuditRecords.modelUpdated(pick(Vocabulary.SCIENTISTS), model,
                    List.of(pick(new String[] {"description", "tags", "metrics"})));
            case MODEL_REGISTERED -> AuditRecords.modelRegistered(pick(Vocabulary.SCIENTISTS), model,
                    Vocabulary.FRAMEWORKS.get(random.nextInt(Vocabulary.FRAMEWORKS.size())).name(),
                    ModelStage.DEVELOPMENT.value(), "model.bin", 1_000 + random.nextInt(1_000_000),
                    Vocabulary.hex(random, 64));
            case MODEL_PROMOTED -> AuditRecords.stageChanged(pick(Vocabulary.SCIENTISTS), model, "promote",
                    ModelStage.DEVELOPMENT.value(), ModelStage.STAGING.value(), "Passed offline evaluation");
            case MODEL_DEPLOYED -> AuditRecords.modelDeployed(pick(Vocabulary.OPERATORS), model,
                    pick(new String[] {"development", "canary", "shadow"}),
                    pick(new String[] {"canary", "blue_green", "shadow", "rolling"}));
            case DEPLOYMENT_CREATED, DEPLOYMENT_ACTIVATED, DEPLOYMENT_DEACTIVATED, DEPLOYMENT_ROLLED_BACK -> {
                String environment = pick(new String[] {"development", "canary"});
                AuditRecords.DeploymentFacts facts = new AuditRecords.DeploymentFacts(modelName, modelVersion,
                        environment, "https://" + environment + ".models.example.com/v1/" + modelName + "/"
                        + modelVersion + ":predict", null);
                String id = "deploy_" + UtcTime.fileStamp(at) + "_" + modelName + "_" + modelVersion;
                if (type == EventType.DEPLOYMENT_ROLLED_BACK) {
                    yield AuditRecords.deploymentRolledBack(pick(Vocabulary.OPERATORS), id, null, facts,
                            "deploy_" + UtcTime.fileStamp(at.minusSeconds(86_400)) + "_" + modelName + "_" + modelVersion,
                            modelVersion);
                }
                String action = switch (type) {
                    case DEPLOYMENT_CREATED -> "create";
                    case DEPLOYMENT_ACTIVATED -> "activate";
                    default -> "deactivate";
                };
                AuditRecord change = AuditRecords.deploymentChanged(type, pick(Vocabulary.OPERATORS), id, action, null,
                        facts, null);
                boolean failed = type == EventType.DEPLOYMENT_ACTIVATED && (covering || random.nextInt(25) == 0);
                yield failed ? AuditRecords.failed(change, "Health check failed after activation") : change;
            }
            case CONFIG_CHANGED -> withIp(AuditRecords.configChanged(pick(Vocabulary.APPROVERS),
                    pick(new String[] {"policy.stages.production.approvals", "policy.roles", "defaults.environment",
                        "policy.stages.staging.allowed"}), 1 + random.nextInt(3), random.nextBoolean()),
                    Vocabulary.internalIp(random));
            case AUDIT_EXPORTED -> AuditRecords.exported(pick(Vocabulary.AUDITORS), "audit_logs",
                    pick(new String[] {"csv", "json", "jsonl"}), "exports/audit_" + UtcTime.fileStamp(at),
                    1_000 + random.nextInt(200_000), 100_000 + random.nextInt(50_000_000), Vocabulary.hex(random, 64),
                    at.minusSeconds(30L * 86_400), at);
            case REPORT_GENERATED -> AuditRecords.reportGenerated(pick(Vocabulary.AUDITORS),
                    "report_" + UtcTime.fileStamp(at), at.minusSeconds(30L * 86_400), at, 1_000 + random.nextInt(200_000),
                    random.nextInt(5), true);
            case INTEGRITY_CHECK -> AuditRecords.integrityChecked("ci-bot", "audit_logs", true,
                    1_000 + random.nextInt(1_000_000), 0, 1_000 + random.nextInt(1_000_000));
            // The original module's types (SPEC 10), which a migrated trail holds: plain records of their kind.
            case MODEL_ARCHIVED, ACCESS_GRANTED, ACCESS_REVOKED, CONFIGURATION_CHANGED, DATA_ACCESS ->
                    AuditRecord.of(type, pick(Vocabulary.SCIENTISTS), AuditRecords.MODEL, model,
                            type.value().substring(type.value().indexOf('_') + 1), Map.of());
            case ACCESS_DENIED -> AuditRecords.accessDenied(pick(Vocabulary.SCIENTISTS), AuditRecords.MODEL, model,
                    "promote", "Only approvers may promote to production", ModelStage.PRODUCTION.value(),
                    Vocabulary.internalIp(random));
            case MODEL_DELETED -> AuditRecords.modelDeleted(pick(Vocabulary.SCIENTISTS), model,
                    ModelStage.ARCHIVED.value(), random.nextInt(4) == 0, Vocabulary.hex(random, 64));
            case SECURITY_VIOLATION -> {
                violations++;
                // A leaked token in the request: the trail keeps only its keyed hash (SPEC 2.3).
                yield AuditRecords.intrusion(pick(Vocabulary.INTRUDERS), model,
                        pick(new String[] {"unauthorized_access", "token_reuse", "path_traversal"}),
                        "Request without a valid token", Vocabulary.externalIp(random), 3 + random.nextInt(20),
                        "eyJ" + Vocabulary.hex(random, 40));
            }
        };
    }

    private static AuditRecord withIp(AuditRecord record, String ipAddress) {
        return new AuditRecord(record.type(), record.severity(), record.user(), record.resourceType(),
                record.resourceId(), record.action(), record.outcome(), record.reason(), record.details(), ipAddress);
    }

    private String pick(String[] words) {
        return Vocabulary.pick(random, words);
    }
}
