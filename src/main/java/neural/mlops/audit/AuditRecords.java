package neural.mlops.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import neural.mlops.store.UtcTime;

/**
 * Every audit record the product writes is built here, so the {@code details} of each event type
 * has one schema, in one place: the stores, the governance policy, the trail's own events, the demo
 * workspace and the benchmark generator all call these methods, and readers name a details key by
 * its constant below, never by a bare string.
 */
public final class AuditRecords {

    // Resource types
    public static final String MODEL = "model";
    public static final String DEPLOYMENT = "deployment";
    public static final String AUDIT_TRAIL = "audit_trail";
    public static final String AUDIT_REPORT = "audit_report";
    public static final String WORKSPACE = "workspace";

    // Details keys: models
    public static final String FRAMEWORK = "framework";
    public static final String METRICS = "metrics";
    public static final String STAGE = "stage";
    public static final String MODEL_FILE = "model_file";
    public static final String MODEL_SIZE_BYTES = "model_size_bytes";
    public static final String MODEL_SHA256 = "model_sha256";
    public static final String FROM_STAGE = "from_stage";
    public static final String TO_STAGE = "to_stage";
    public static final String TARGET_STAGE = "target_stage";
    public static final String REASON = "reason";
    public static final String FIELDS = "fields";
    public static final String CHANGES = "changes";
    public static final String OLD = "old";
    public static final String NEW = "new";
    public static final String FORCED = "forced";
    public static final String ALIAS = "alias";
    public static final String FROM_VERSION = "from_version";
    public static final String TO_VERSION = "to_version";
    public static final String VERSIONS = "versions";
    public static final String STAGES = "stages";
    public static final String PURPOSE = "purpose";
    public static final String CLIENT = "client";
    // Details keys: deployments
    public static final String MODEL_NAME = "model_name";
    public static final String MODEL_VERSION = "model_version";
    public static final String ENVIRONMENT = "environment";
    public static final String DEPLOYMENT_ID = "deployment_id";
    public static final String STRATEGY = "strategy";
    public static final String ENDPOINT = "endpoint";
    public static final String REPLACES = "replaces";
    public static final String WARNING = "warning";
    public static final String RESTORED_DEPLOYMENT_ID = "restored_deployment_id";
    public static final String RESTORED_MODEL_VERSION = "restored_model_version";
    // Details keys: governance
    public static final String REQUEST_ID = "request_id";
    public static final String STATUS = "status";
    public static final String REQUESTED_BY = "requested_by";
    public static final String AGREED = "agreed";
    public static final String APPROVALS_REQUIRED = "approvals_required";
    public static final String APPROVALS_COUNTED = "approvals_counted";
    public static final String COMPLETES = "completes";
    public static final String POLICY_SHA256 = "policy_sha256";
    public static final String RULE = "rule";
    public static final String RULES = "rules";
    public static final String VIOLATIONS = "violations";
    public static final String PROBLEM = "problem";
    public static final String REMEDY = "remedy";
    public static final String SETTING = "setting";
    public static final String VALUE = "value";
    // Details keys: model files (docs/artifacts.md)
    public static final String VERDICT = "verdict";
    public static final String OFFENDING_GLOBALS = "offending_globals";
    // Details keys: the trail's own events
    public static final String REPORT_ID = "report_id";
    public static final String PERIOD_START = "period_start";
    public static final String PERIOD_END = "period_end";
    public static final String TOTAL_EVENTS = "total_events";
    public static final String SECURITY_VIOLATIONS = "security_violations";
    public static final String INTEGRITY_INTACT = "integrity_intact";
    public static final String FORMAT = "format";
    public static final String PATH = "path";
    public static final String COUNT = "count";
    public static final String BYTES = "bytes";
    public static final String SHA256 = "sha256";
    public static final String RESULT = "result";
    public static final String EVENTS_CHECKED = "events_checked";
    public static final String PROBLEMS = "problems";
    public static final String HEAD_SEQ = "head_seq";
    public static final String INTACT = "intact";
    public static final String NOT_INTACT = "not_intact";
    // Details keys and actions: adoption and archive (integrity_check events; see TrailLedger)
    public static final String ADOPT = "adopt";
    public static final String ARCHIVE = "archive";
    public static final String FILES = "files";
    public static final String FILE = "file";
    public static final String UNTIL = "until";
    public static final String PART = "part";
    public static final String PARTS = "parts";
    public static final String ARCHIVE_FILE = "archive_file";
    public static final String ARCHIVE_SHA256 = "archive_sha256";
    public static final String BEFORE = "before";
    public static final String DAYS = "days";
    public static final String DAY = "day";
    public static final String FIRST_SEQ = "first_seq";
    public static final String LAST_SEQ = "last_seq";
    public static final String LAST_HASH = "last_hash";
    public static final String EVENTS = "events";
    public static final String KEY_ID = "key_id";
    // Details keys: intrusions
    public static final String ATTEMPTS = "attempts";
    public static final String IP_ADDRESS = "ip_address";
    public static final String PRESENTED_TOKEN = "presented_token";

    private AuditRecords() {
    }

    /** The resource id of a model version, as the original writes it: {@code name:version}. */
    public static String modelId(String name, String version) {
        return name + ":" + version;
    }

    // Models

    /** A registration with the stored artifact's facts (the registry's own event). */
    public static AuditRecord modelRegistered(String user, String modelId, String framework, String stage,
                                              String modelFile, long sizeBytes, String sha256) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(FRAMEWORK, framework);
        details.put(STAGE, stage);
        details.put(MODEL_FILE, modelFile);
        details.put(MODEL_SIZE_BYTES, sizeBytes);
        details.put(MODEL_SHA256, sha256);
        return AuditRecord.of(EventType.MODEL_REGISTERED, user, MODEL, modelId, "register", details);
    }

    /** The original helper's registration event: {@code {framework, metrics}}. */
    public static AuditRecord modelRegistered(String user, String modelId, String framework,
                                              Map<String, ? extends Number> metrics) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(FRAMEWORK, framework);
        details.put(METRICS, metrics == null ? Map.of() : new LinkedHashMap<>(metrics));
        return AuditRecord.of(EventType.MODEL_REGISTERED, user, MODEL, modelId, "register", details);
    }

    /**
     * A stage change: {@code action} is {@code promote} for the move asked for and {@code archive}
     * for the production version it supersedes. A blank reason is kept in details, not as the event's reason.
     */
    public static AuditRecord stageChanged(String user, String modelId, String action, String fromStage,
                                           String toStage, String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(FROM_STAGE, fromStage);
        details.put(TO_STAGE, toStage);
        if (reason != null) {
            details.put(REASON, reason);
        }
        return AuditRecord.of(EventType.MODEL_PROMOTED, user, MODEL, modelId, action, details)
                .withReason(reason == null || reason.isEmpty() ? null : reason);
    }

    /** An edit of a version's fields (description, tags, metrics). */
    public static AuditRecord modelUpdated(String user, String modelId, List<String> fields) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(FIELDS, List.copyOf(fields));
        return AuditRecord.of(EventType.MODEL_UPDATED, user, MODEL, modelId, "update", details);
    }

    /** One field's value before and after an edit (null: none); for {@link #modelEdited}. */
    public record Change(Object oldValue, Object newValue) {
    }

    /** A text longer than this many UTF-8 bytes is recorded by its start and length: an audit field holds 4 KiB. */
    static final int MAX_CHANGE_TEXT_BYTES = 1536;

    /**
     * An edit of descriptive fields: of a version ({@code resourceId} {@code name:version}, action
     * {@code update}) or of a model's own document ({@code resourceId} its name, action
     * {@code update_model}). {@code fields} names the fields changed and {@code changes} holds the
     * {@code old} and {@code new} value of each, so the trail says what was there before. A longer
     * text (a description) is recorded as its start and its length.
     */
    public static AuditRecord modelEdited(String user, String resourceId, String action, Map<String, Change> changes) {
        Map<String, Object> values = new LinkedHashMap<>();
        changes.forEach((field, change) -> {
            Map<String, Object> pair = new LinkedHashMap<>();
            pair.put(OLD, shortened(change.oldValue()));
            pair.put(NEW, shortened(change.newValue()));
            values.put(field, pair);
        });
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(FIELDS, List.copyOf(changes.keySet()));
        details.put(CHANGES, values);
        return AuditRecord.of(EventType.MODEL_UPDATED, user, MODEL, resourceId, action, details);
    }

    private static Object shortened(Object value) {
        if (!(value instanceof String text)
                || text.getBytes(StandardCharsets.UTF_8).length <= MAX_CHANGE_TEXT_BYTES) {
            return value;
        }
        StringBuilder start = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            bytes += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_CHANGE_TEXT_BYTES) {
                break;
            }
            start.appendCodePoint(cp);
            i += Character.charCount(cp);
        }
        return start + "\u2026 (" + text.length() + " characters in all)";
    }

    /**
     * An alias of a model set ({@code set_alias}, {@code fromVersion} null), moved ({@code move_alias})
     * or removed ({@code remove_alias}, {@code toVersion} null): one event with the old and new version,
     * on the version it points at afterwards (before, for a removal).
     */
    public static AuditRecord aliasChanged(String user, String name, String alias, String fromVersion,
                                           String toVersion, String action, String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(ALIAS, alias);
        details.put(FROM_VERSION, fromVersion);
        details.put(TO_VERSION, toVersion);
        return AuditRecord.of(EventType.MODEL_UPDATED, user, MODEL, modelId(name, toVersion != null ? toVersion
                : fromVersion), action, details).withReason(reason == null || reason.isBlank() ? null : reason);
    }

    /** A deletion; a forced one is a warning. */
    public static AuditRecord modelDeleted(String user, String modelId, String stage, boolean forced, String sha256) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(STAGE, stage);
        details.put(FORCED, forced);
        details.put(MODEL_SHA256, sha256);
        return new AuditRecord(EventType.MODEL_DELETED, forced ? EventSeverity.WARNING : EventSeverity.INFO, user,
                MODEL, modelId, "delete", Outcome.SUCCESS, null, details, null);
    }

    /**
     * The deletion of a whole model: one event on the model ({@code resource_id} is its name) naming
     * every version deleted, with the stage each was in and the reason.
     */
    public static AuditRecord modelDeletedWhole(String user, String modelName, Map<String, String> stagesByVersion,
                                                String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(VERSIONS, List.copyOf(stagesByVersion.keySet()));
        details.put(STAGES, new LinkedHashMap<>(stagesByVersion));
        return AuditRecord.of(EventType.MODEL_DELETED, user, MODEL, modelName, "delete_model", details)
                .withReason(reason);
    }

    /** The original helper's deployment event: {@code {environment}}, and the rollout strategy when known. */
    public static AuditRecord modelDeployed(String user, String modelId, String environment, String strategy) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(ENVIRONMENT, environment);
        if (strategy != null) {
            details.put(STRATEGY, strategy);
        }
        return AuditRecord.of(EventType.MODEL_DEPLOYED, user, MODEL, modelId, "deploy", details);
    }

    /** A read of a model (download, load for inference, view). */
    public static AuditRecord modelAccessed(String user, String modelId, String action, String purpose, String client) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(PURPOSE, purpose);
        if (client != null) {
            details.put(CLIENT, client);
        }
        return AuditRecord.of(EventType.MODEL_ACCESSED, user, MODEL, modelId, action, details);
    }

    // Deployments

    /** What every deployment event says about the deployment it changes. */
    public record DeploymentFacts(String modelName, String modelVersion, String environment, String endpoint,
                                  String replaces) {

        Map<String, Object> details() {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put(MODEL_NAME, modelName);
            details.put(MODEL_VERSION, modelVersion);
            details.put(ENVIRONMENT, environment);
            details.put(ENDPOINT, endpoint);
            if (replaces != null) {
                details.put(REPLACES, replaces);
            }
            return details;
        }
    }

    /**
     * A deployment created, activated or deactivated ({@code action}: create, activate,
     * deactivate); with a warning it is recorded at warning severity.
     */
    public static AuditRecord deploymentChanged(EventType type, String user, String deploymentId, String action,
                                                String reason, DeploymentFacts facts, String warning) {
        Map<String, Object> details = facts.details();
        if (warning != null) {
            details.put(WARNING, warning);
        }
        return new AuditRecord(type, warning == null ? EventSeverity.INFO : EventSeverity.WARNING, user, DEPLOYMENT,
                deploymentId, action, Outcome.SUCCESS, reason, details, null);
    }

    /** A rollback of {@code deploymentId}, naming the deployment it restored. */
    public static AuditRecord deploymentRolledBack(String user, String deploymentId, String reason,
                                                   DeploymentFacts facts, String restoredId, String restoredVersion) {
        Map<String, Object> details = facts.details();
        details.put(RESTORED_DEPLOYMENT_ID, restoredId);
        details.put(RESTORED_MODEL_VERSION, restoredVersion);
        return new AuditRecord(EventType.DEPLOYMENT_ROLLED_BACK, EventSeverity.INFO, user, DEPLOYMENT, deploymentId,
                "rollback", Outcome.SUCCESS, reason, details, null);
    }

    // Governance

    /** What every promotion-request event says about the request. */
    public record RequestFacts(String requestId, String fromStage, String toStage, String status, String requestedBy,
                               List<String> agreed, int approvalsRequired, String policySha256) {

        Map<String, Object> details() {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put(REQUEST_ID, requestId);
            details.put(FROM_STAGE, fromStage);
            details.put(TO_STAGE, toStage);
            details.put(STATUS, status);
            details.put(REQUESTED_BY, requestedBy);
            details.put(AGREED, List.copyOf(agreed));
            details.put(APPROVALS_REQUIRED, approvalsRequired);
            details.put(POLICY_SHA256, policySha256);
            return details;
        }
    }

    /** A request filed, rejected or withdrawn ({@code action}: request_promotion, reject_promotion, withdraw_promotion). */
    public static AuditRecord requestChanged(String user, String modelId, String action, RequestFacts facts,
                                             String reason) {
        return AuditRecord.of(EventType.MODEL_UPDATED, user, MODEL, modelId, action, facts.details()).withReason(reason);
    }

    /** An approval; {@code completes} when it is the last one needed and the promotion follows. */
    public static AuditRecord approval(String user, String modelId, RequestFacts facts, long counted, int required,
                                       boolean completes, String reason) {
        return approval(user, modelId, "approve_promotion", facts, counted, required, completes, reason);
    }

    /** {@link #approval(String, String, RequestFacts, long, int, boolean, String)} under {@code action} ({@code approve_alias}). */
    public static AuditRecord approval(String user, String modelId, String action, RequestFacts facts, long counted,
                                       int required, boolean completes, String reason) {
        Map<String, Object> details = facts.details();
        details.put(APPROVALS_COUNTED, counted);
        details.put(APPROVALS_REQUIRED, required);
        details.put(COMPLETES, completes);
        return AuditRecord.of(EventType.MODEL_UPDATED, user, MODEL, modelId, action, details).withReason(reason);
    }

    /** One rule a refused action broke. */
    public record BrokenRule(String rule, String problem, String remedy) {
    }

    /**
     * A refusal by the policy: {@code security_violation} (critical) for an attempt to bypass it,
     * else {@code access_denied} (warning); one event listing every rule broken.
     */
    public static AuditRecord refusal(boolean bypass, String user, String modelId, String action, String fromStage,
                                      String toStage, List<BrokenRule> broken, String policySha256, String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(RULE, broken.get(0).rule());
        details.put(RULES, broken.stream().map(BrokenRule::rule).toList());
        details.put(FROM_STAGE, fromStage);
        details.put(TO_STAGE, toStage);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (BrokenRule rule : broken) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put(RULE, rule.rule());
            entry.put(PROBLEM, rule.problem());
            entry.put(REMEDY, rule.remedy());
            entries.add(entry);
        }
        details.put(VIOLATIONS, entries);
        details.put(POLICY_SHA256, policySha256);
        return new AuditRecord(bypass ? EventType.SECURITY_VIOLATION : EventType.ACCESS_DENIED,
                bypass ? EventSeverity.CRITICAL : EventSeverity.WARNING, user, MODEL, modelId, action, Outcome.DENIED,
                reason, details, null);
    }

    /**
     * A model file whose scan says loading it would run code, registered because no policy forbids
     * it: a {@code security_violation} of severity {@code warning} and outcome {@code success}, so
     * that the trail's security queries find it although nothing was refused.
     */
    public static AuditRecord unsafeArtifact(String user, String modelId, String action, String format,
                                             String verdict, List<String> offendingGlobals) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(FORMAT, format);
        details.put(VERDICT, verdict);
        details.put(OFFENDING_GLOBALS, List.copyOf(offendingGlobals));
        return new AuditRecord(EventType.SECURITY_VIOLATION, EventSeverity.WARNING, user, MODEL, modelId, action,
                Outcome.SUCCESS, "the model file is " + verdict + ": loading it would import "
                + String.join(", ", offendingGlobals), details, null);
    }

    /** A refusal outside the policy's rules (the original's {@code log_access_denied}, and the demo's). */
    public static AuditRecord accessDenied(String user, String resourceType, String resourceId, String action,
                                           String reason, String targetStage, String ipAddress) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (targetStage != null) {
            details.put(TARGET_STAGE, targetStage);
        }
        return new AuditRecord(EventType.ACCESS_DENIED, EventSeverity.WARNING, user, resourceType, resourceId, action,
                Outcome.DENIED, reason, details, ipAddress);
    }

    /** A security violation from outside (a request without a valid token, say): critical, denied. */
    public static AuditRecord intrusion(String user, String resourceId, String action, String reason, String ipAddress,
                                        int attempts, String presentedToken) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(ATTEMPTS, attempts);
        details.put(IP_ADDRESS, ipAddress);
        if (presentedToken != null) {
            details.put(PRESENTED_TOKEN, presentedToken); // the trail keeps only its keyed hash (SPEC 2.3)
        }
        return new AuditRecord(EventType.SECURITY_VIOLATION, EventSeverity.CRITICAL, user, MODEL, resourceId, action,
                Outcome.DENIED, reason, details, ipAddress);
    }

    /** A change to the workspace's settings. */
    public static AuditRecord configChanged(String user, String setting, Object value, boolean policy) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(SETTING, setting);
        details.put(VALUE, value);
        return new AuditRecord(EventType.CONFIG_CHANGED, policy ? EventSeverity.WARNING : EventSeverity.INFO, user,
                WORKSPACE, "workspace.yaml", "update", Outcome.SUCCESS, null, details, null);
    }

    // The trail's own events

    /** A compliance report saved. */
    public static AuditRecord reportGenerated(String user, String reportId, Instant periodStart, Instant periodEnd,
                                              long totalEvents, int securityViolations, boolean intact) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(REPORT_ID, reportId);
        details.put(PERIOD_START, periodStart);
        details.put(PERIOD_END, periodEnd);
        details.put(TOTAL_EVENTS, totalEvents);
        details.put(SECURITY_VIOLATIONS, securityViolations);
        details.put(INTEGRITY_INTACT, intact);
        return AuditRecord.of(EventType.REPORT_GENERATED, user, AUDIT_REPORT, reportId, "generate_report", details);
    }

    /** An export written. */
    public static AuditRecord exported(String user, String trail, String format, String path, long count, long bytes,
                                       String sha256, Instant periodStart, Instant periodEnd) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(FORMAT, format);
        details.put(PATH, path);
        details.put(COUNT, count);
        details.put(BYTES, bytes);
        details.put(SHA256, sha256);
        details.put(PERIOD_START, periodStart);
        details.put(PERIOD_END, periodEnd);
        return AuditRecord.of(EventType.AUDIT_EXPORTED, user, AUDIT_TRAIL, trail, "export", details);
    }

    /**
     * One part of an adoption: the unchained event files (path relative to the trail, SHA-256 of
     * the file) that {@code user} vouches for, up to {@code until}; an adoption of many files is
     * several events, each within the details limit.
     */
    public static AuditRecord adopted(String user, String trail, String reason, Instant until, int part, int parts,
                                      List<Map<String, Object>> files) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(UNTIL, until);
        details.put(PART, part);
        details.put(PARTS, parts);
        details.put(FILES, files);
        return AuditRecord.of(EventType.INTEGRITY_CHECK, user, AUDIT_TRAIL, trail, ADOPT, details).withReason(reason);
    }

    /**
     * The checkpoint of an archive: which days left the trail for which archive file (its SHA-256),
     * each day's chained seqs and last hash, so that verification goes on from there.
     */
    public static AuditRecord archived(String user, String trail, String reason, String archiveFile, String archiveSha256,
                                       LocalDate before, long events, String keyId,
                                       List<Map<String, Object>> days) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(ARCHIVE_FILE, archiveFile);
        details.put(ARCHIVE_SHA256, archiveSha256);
        details.put(BEFORE, before.toString());
        details.put(EVENTS, events);
        details.put(KEY_ID, keyId);
        details.put(DAYS, days);
        return AuditRecord.of(EventType.INTEGRITY_CHECK, user, AUDIT_TRAIL, trail, ARCHIVE, details).withReason(reason);
    }

    /** A verification of the chain: info when intact, an error (outcome failure) when not. */
    public static AuditRecord integrityChecked(String user, String trail, boolean intact, long eventsChecked,
                                               int problems, long headSeq) {
        return integrityChecked(user, trail, intact, eventsChecked, problems, headSeq, null);
    }

    /** As above, for a check of the window from {@code since} on (null: the whole trail), which its details name. */
    public static AuditRecord integrityChecked(String user, String trail, boolean intact, long eventsChecked,
                                               int problems, long headSeq, Instant since) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (since != null) {
            details.put("since", UtcTime.format(since));
        }
        details.put(RESULT, intact ? INTACT : NOT_INTACT);
        details.put(EVENTS_CHECKED, eventsChecked);
        details.put(PROBLEMS, problems);
        details.put(HEAD_SEQ, headSeq);
        return new AuditRecord(EventType.INTEGRITY_CHECK, intact ? EventSeverity.INFO : EventSeverity.ERROR, user,
                AUDIT_TRAIL, trail, "verify", intact ? Outcome.SUCCESS : Outcome.FAILURE, null, details, null);
    }

    /** The event that follows a recorded action whose change could not be written. */
    public static AuditRecord failed(AuditRecord record, String why) {
        return record.withOutcome(Outcome.FAILURE, EventSeverity.ERROR).withReason(why);
    }
}
